/**
 * Migration 0009_journal: the request journal shared by the replicas of one store
 * (store/sql/sql-journal.ts). Released migrations are never edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';

export function migration0009(flavour: SqlFlavour): Record<string, Migration> {
  return {
    '0009_journal': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        const table =
          flavour === 'sqlite'
            ? db.schema.createTable('journal').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
            : db.schema.createTable('journal').addColumn('id', 'bigserial', (c) => c.primaryKey());
        // No other index: reads walk back from the newest id over at most --journal-size rows, and
        // every index would cost each replica's writes.
        await table
          .addColumn('replica', 'text', (c) => c.notNull())
          .addColumn('api', 'text', (c) => c.notNull().defaultTo('soap'))
          .addColumn('at', flavour === 'sqlite' ? 'integer' : 'bigint', (c) => c.notNull())
          .addColumn('user_id', 'text')
          .addColumn('operation', 'text')
          .addColumn('duration_ms', flavour === 'sqlite' ? 'real' : 'double precision', (c) => c.notNull())
          .addColumn('status', 'integer', (c) => c.notNull())
          .addColumn('fault_code', 'integer')
          .addColumn('request', 'text', (c) => c.notNull())
          .addColumn('response', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}
