/**
 * Migration 0011_rest_bulk_import: import jobs started through REST bulk lead import beside SOAP
 * importToList ones, in the same table and runner. `api` says which API started the job (REST
 * headers name REST fields), `format` the file format REST failure and warning files are written
 * in. A REST import without a list keeps list_id 0 (ids start at 1), as the column is NOT NULL
 * and SQLite cannot drop that without rebuilding the table. Released migrations are never edited.
 */
import type { Kysely, Migration } from 'kysely';

export function migration0011(): Record<string, Migration> {
  return {
    '0011_rest_bulk_import': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('import_jobs')
          .addColumn('api', 'text', (c) => c.notNull().defaultTo('soap'))
          .execute();
        await db.schema.alterTable('import_jobs').addColumn('format', 'text').execute();
      },
    },
  };
}
