/**
 * Migration 0007_operator_state: users added through the admin API and fault rules, stored so that
 * they survive a restart and are shared by replicas (the clock offset is a row of `meta`).
 * Released migrations are never edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';

export function migration0007(flavour: SqlFlavour): Record<string, Migration> {
  const ms = flavour === 'sqlite' ? 'integer' : 'bigint';
  return {
    '0007_operator_state': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('operator_users')
          .addColumn('user_id', 'text', (c) => c.primaryKey())
          .addColumn('encryption_key', 'text', (c) => c.notNull())
          // Null: not set for this user (the server's flag applies), as in UserConfig.
          .addColumn('blocked', 'integer')
          .addColumn('quota_per_day', 'integer')
          .addColumn('rate_per_window', 'integer')
          .addColumn('concurrency', 'integer')
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        const table =
          flavour === 'sqlite'
            ? db.schema.createTable('fault_rules').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
            : db.schema.createTable('fault_rules').addColumn('id', 'serial', (c) => c.primaryKey());
        await table
          // The checked rule (FaultRuleSpec) as JSON: its fields are only ever read together.
          .addColumn('spec', 'text', (c) => c.notNull())
          // Firings left for a count rule; null for a rule without a count.
          .addColumn('remaining', 'integer')
          .addColumn('created_at', ms, (c) => c.notNull())
          .execute();
      },
    },
  };
}
