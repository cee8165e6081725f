/**
 * Versioned migrations, written once with Kysely's schema builder so that every SQL backend
 * shares them. Never edit a released migration: add the next one.
 */
import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';
import { migration0004 } from './migration-0004.js';
import { migration0006 } from './migration-0006.js';
import { migration0007 } from './migration-0007.js';
import { migration0008 } from './migration-0008.js';
import { migration0009 } from './migration-0009.js';
import { migration0010 } from './migration-0010.js';
import { migration0011 } from './migration-0011.js';
import { migration0012 } from './migration-0012.js';
import { migration0013 } from './migration-0013.js';

export function migrations(flavour: SqlFlavour): Record<string, Migration> {
  const idColumn = <T extends string>(t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> =>
    flavour === 'sqlite'
      ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c) => c.primaryKey());
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
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('email_lc', 'text', (c) => c.notNull().unique())
          .addColumn('sfdc_id', 'text', (c) => c.unique())
          .addColumn('first_name', 'text')
          .addColumn('last_name', 'text')
          .execute();
        await idColumn(db.schema.createTable('leads'))
          .addColumn('email', 'text')
          .addColumn('email_lc', 'text')
          .addColumn('foreign_sys_person_id', 'text', (c) => c.unique())
          .addColumn('foreign_sys_type', 'text')
          .addColumn('owner_id', 'integer')
          .addColumn('sfdc_lead_id', 'text')
          .addColumn('sfdc_contact_id', 'text')
          .addColumn('sfdc_account_id', 'text')
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
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
          .addColumn('name', 'text', (c) => c.notNull().unique())
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
          .addColumn('guid', 'text', (c) => c.notNull())
          .addColumn('lead_id', 'integer', (c) => c.notNull())
          .addColumn('type_id', 'integer', (c) => c.notNull())
          .addColumn('type_name', 'text', (c) => c.notNull())
          .addColumn('occurred_at', ms, (c) => c.notNull())
          .addColumn('asset_name', 'text')
          .addColumn('campaign', 'text')
          .addColumn('attributes', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('activities_lead').on('activities').columns(['lead_id', 'id']).execute();
        await db.schema.createIndex('activities_time').on('activities').columns(['occurred_at', 'id']).execute();
      },
    },
    '0002_programs_campaigns_objects': {
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      async up(db: Kysely<any>) {
        await idColumn(db.schema.createTable('programs'))
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('channel', 'text')
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
        await idColumn(db.schema.createTable('campaigns'))
          .addColumn('program_id', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('sources', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addUniqueConstraint('campaigns_program_name', ['program_id', 'name'])
          .execute();
        await idColumn(db.schema.createTable('opportunities'))
          .addColumn('external_key', 'text', (c) => c.unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('custom_object_types')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('keys', 'text', (c) => c.notNull())
          .addColumn('fields', 'text', (c) => c.notNull())
          .execute();
      },
    },
    ...migration0004(flavour),
    '0005_mobjects_custom_objects': {
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      async up(db: Kysely<any>) {
        // Programs as MObjects: type, folder, archive flag, CRM id, My Tokens, last change.
        await db.schema
          .alterTable('programs')
          .addColumn('type', 'text', (c) => c.notNull().defaultTo('Marketing Program'))
          .execute();
        await db.schema.alterTable('programs').addColumn('tree_path', 'text').execute();
        await db.schema
          .alterTable('programs')
          .addColumn('is_archived', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('programs').addColumn('crm_id', 'text').execute();
        await db.schema
          .alterTable('programs')
          .addColumn('tokens', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        await db.schema
          .alterTable('programs')
          .addColumn('updated_at', ms, (c) => c.notNull().defaultTo(0))
          .execute();
        await db.updateTable('programs').set({ updated_at: sql`created_at` }).execute();
        await idColumn(db.schema.createTable('program_costs'))
          .addColumn('program_id', 'integer', (c) => c.notNull())
          .addColumn('month', 'text', (c) => c.notNull())
          .addColumn('amount', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute();
        await db.schema.createIndex('program_costs_program').on('program_costs').column('program_id').execute();
        // Opportunities: the external key's attrib name and the associated Company.
        await db.schema.alterTable('opportunities').addColumn('external_key_name', 'text').execute();
        await db.schema.alterTable('opportunities').addColumn('company_id', 'integer').execute();
        await db.schema.alterTable('opportunities').addColumn('company_key', 'text').execute();
        await idColumn(db.schema.createTable('opportunity_roles'))
          .addColumn('external_key', 'text', (c) => c.unique())
          .addColumn('external_key_name', 'text')
          .addColumn('opportunity_id', 'integer', (c) => c.notNull())
          .addColumn('lead_id', 'integer', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('external_created_date', 'text')
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('opportunity_roles_opportunity')
          .on('opportunity_roles')
          .column('opportunity_id')
          .execute();
        await db.schema.createIndex('opportunity_roles_lead').on('opportunity_roles').column('lead_id').execute();
        // Custom objects: the link field of a type, and the records.
        await db.schema.alterTable('custom_object_types').addColumn('link_field', 'text').execute();
        await idColumn(db.schema.createTable('custom_objects'))
          .addColumn('type_name', 'text', (c) => c.notNull())
          .addColumn('key_values', 'text', (c) => c.notNull())
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .addUniqueConstraint('custom_objects_type_keys', ['type_name', 'key_values'])
          .execute();
      },
    },
    ...migration0006(),
    ...migration0007(flavour),
    ...migration0008(flavour),
    ...migration0009(flavour),
    ...migration0010(),
    ...migration0011(),
    ...migration0012(flavour),
    ...migration0013(),
  };
}
