/**
 * Migration 0013_journal_upstream: on a bridge sharing a PostgreSQL state store, each SOAP call's
 * journal entry keeps the REST calls it made to the Marketo instance (method, path, status, code,
 * ms; never a token), as JSON text, as LocalJournal keeps them in memory. NULL for an emulator's
 * calls. Released migrations are never edited.
 */
import type { Kysely, Migration } from 'kysely';

export function migration0013(): Record<string, Migration> {
  return {
    '0013_journal_upstream': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('journal').addColumn('upstream', 'text').execute();
      },
    },
  };
}
