/**
 * Migration 0012_bridge_imports: on a bridge (`--store marketo+…`), the import each importToList
 * started for a list, so that getImportToListStatus finds it after a restart and on every replica
 * sharing the state store. SOAP knows no batch id: the list names the import, one row per list
 * (the newest import wins). A bulk import keeps REST's `batch_id`; a LISTONLY import, done at once
 * through list membership calls, keeps its outcome. Released migrations are never edited.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';

export function migration0012(flavour: SqlFlavour): Record<string, Migration> {
  const ms = flavour === 'sqlite' ? 'integer' : 'bigint';
  return {
    '0012_bridge_imports': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('bridge_imports')
          .addColumn('list_id', ms, (c) => c.primaryKey())
          .addColumn('list_name', 'text', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('batch_id', ms)
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('estimated_rows', 'integer', (c) => c.notNull())
          .addColumn('rows_imported', 'integer')
          .addColumn('rows_failed', 'integer')
          .addColumn('rows_ignored', 'integer')
          .addColumn('summary', 'text')
          .addColumn('started_at', ms, (c) => c.notNull())
          .addColumn('ended_at', ms)
          .execute();
      },
    },
  };
}
