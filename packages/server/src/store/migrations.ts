/**
 * Versioned migrations, written once with Kysely's schema builder so that every SQL backend
 * shares them. Never edit a released migration: add the next one.
 */
import type { Kysely, Migration } from 'kysely';

export type SqlFlavour = 'sqlite' | 'postgres';

export function migrations(flavour: SqlFlavour): Record<string, Migration> {
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then.
  const idColumn = (t: any) =>
    flavour === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey());
  const ms = flavour === 'sqlite' ? 'integer' : 'bigint';
  return {
    '0001_initial': {
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('lead_fields')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('data_type', 'text', (c) => c.notNull())
          .addColumn('length', 'integer')
          .addColumn('read_only', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await idColumn(db.schema.createTable('owners'))
          .addColumn('email', 'text', (c: any) => c.notNull())
          .addColumn('email_lc', 'text', (c: any) => c.notNull().unique())
          .addColumn('sfdc_id', 'text', (c: any) => c.unique())
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .execute();
        await idColumn(db.schema.createTable('leads'))
          .addColumn('email', 'text')
          .addColumn('email_lc', 'text')
          .addColumn('foreign_sys_person_id', 'text', (c: any) => c.unique())
          .addColumn('foreign_sys_type', 'text')
          .addColumn('owner_id', 'integer')
          .addColumn('sfdc_lead_id', 'text')
          .addColumn('sfdc_contact_id', 'text')
          .addColumn('sfdc_account_id', 'text')
          .addColumn('attributes', 'text', (c: any) => c.notNull())
          .addColumn('created_at', ms, (c: any) => c.notNull())
          .addColumn('updated_at', ms, (c: any) => c.notNull())
          .execute();
        for (const col of ['email_lc', 'owner_id', 'sfdc_lead_id', 'sfdc_contact_id', 'sfdc_account_id']) {
          await db.schema.createIndex(`leads_${col}`).on('leads').column(col).execute();
        }
        await db.schema.createIndex('leads_updated').on('leads').columns(['updated_at', 'id']).execute();
        await db.schema
          .createTable('lead_cookies')
          .addColumn('cookie', 'text', (c) => c.primaryKey())
          .addColumn('lead_id', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('lead_cookies_lead').on('lead_cookies').column('lead_id').execute();
        await idColumn(db.schema.createTable('lists'))
          .addColumn('name', 'text', (c: any) => c.notNull().unique())
          .addColumn('program_name', 'text')
          .execute();
        await db.schema
          .createTable('list_members')
          .addColumn('list_id', 'integer', (c) => c.notNull())
          .addColumn('lead_id', 'integer', (c) => c.notNull())
          .addColumn('added_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('list_members_pk', ['list_id', 'lead_id'])
          .execute();
        await db.schema.createIndex('list_members_lead').on('list_members').column('lead_id').execute();
        await idColumn(db.schema.createTable('activities'))
          .addColumn('guid', 'text', (c: any) => c.notNull())
          .addColumn('lead_id', 'integer', (c: any) => c.notNull())
          .addColumn('type_id', 'integer', (c: any) => c.notNull())
          .addColumn('type_name', 'text', (c: any) => c.notNull())
          .addColumn('occurred_at', ms, (c: any) => c.notNull())
          .addColumn('asset_name', 'text')
          .addColumn('campaign', 'text')
          .addColumn('attributes', 'text', (c: any) => c.notNull())
          .execute();
        await db.schema.createIndex('activities_lead').on('activities').columns(['lead_id', 'id']).execute();
        await db.schema.createIndex('activities_time').on('activities').columns(['occurred_at', 'id']).execute();
      },
    },
  };
}
