/**
 * Migration 0004_campaigns_imports: campaign runs, per-lead My Tokens waiting for a campaign's next
 * run, the tag-type catalogue, and importToList jobs with their rows. Released migrations are never
 * edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';

export function migration0004(flavour: SqlFlavour): Record<string, Migration> {
  const ms = flavour === 'sqlite' ? 'integer' : 'bigint';
  // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
  const id = (db: Kysely<any>, table: string) =>
    flavour === 'sqlite'
      ? db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      : db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey());
  return {
    '0004_campaigns_imports': {
      // biome-ignore lint/suspicious/noExplicitAny: see above.
      async up(db: Kysely<any>) {
        await id(db, 'campaign_runs')
          .addColumn('operation', 'text', (c) => c.notNull())
          .addColumn('campaign_id', 'integer', (c) => c.notNull())
          .addColumn('campaign_name', 'text', (c) => c.notNull())
          .addColumn('source', 'text')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('lead_ids', 'text', (c) => c.notNull())
          .addColumn('tokens', 'text', (c) => c.notNull())
          .addColumn('lead_tokens', 'text', (c) => c.notNull())
          .addColumn('run_at', ms, (c) => c.notNull())
          .addColumn('created_at', ms, (c) => c.notNull())
          .addColumn('quota_day', 'text', (c) => c.notNull())
          .addColumn('cloned_from', 'text')
          .addColumn('clone_to_program', 'text')
          .execute();
        await db.schema
          .createIndex('campaign_runs_clones')
          .on('campaign_runs')
          .columns(['user_id', 'quota_day'])
          .execute();
        await db.schema
          .createTable('campaign_lead_tokens')
          .addColumn('campaign_id', 'integer', (c) => c.notNull())
          .addColumn('lead_id', 'integer', (c) => c.notNull())
          .addColumn('tokens', 'text', (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .addPrimaryKeyConstraint('campaign_lead_tokens_pk', ['campaign_id', 'lead_id'])
          .execute();
        await db.schema
          .createTable('tag_types')
          .addColumn('type', 'text', (c) => c.primaryKey())
          .addColumn('tag_values', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .execute();
        await id(db, 'import_jobs')
          .addColumn('program_name', 'text', (c) => c.notNull())
          .addColumn('list_id', 'integer', (c) => c.notNull())
          .addColumn('list_name', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('clear_list', 'integer', (c) => c.notNull())
          .addColumn('campaign_id', 'integer')
          .addColumn('header', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('estimated_rows', 'integer', (c) => c.notNull())
          .addColumn('next_row', 'integer', (c) => c.notNull())
          .addColumn('rows_imported', 'integer', (c) => c.notNull())
          .addColumn('rows_failed', 'integer', (c) => c.notNull())
          .addColumn('rows_ignored', 'integer', (c) => c.notNull())
          .addColumn('problems', 'text', (c) => c.notNull())
          .addColumn('failure', 'text')
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('started_at', ms, (c) => c.notNull())
          .addColumn('ended_at', ms)
          .execute();
        await db.schema.createIndex('import_jobs_list').on('import_jobs').columns(['list_id', 'id']).execute();
        await db.schema.createIndex('import_jobs_status').on('import_jobs').columns(['status', 'id']).execute();
        await db.schema
          .createTable('import_rows')
          .addColumn('job_id', 'integer', (c) => c.notNull())
          .addColumn('row_no', 'integer', (c) => c.notNull())
          .addColumn('line', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row_no'])
          .execute();
      },
    },
  };
}
