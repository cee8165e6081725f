/**
 * Migration 0006_channels: program channels defined on their own (Marketo defines them in Admin,
 * whether or not a program uses them), for getChannels and for syncMObjects' channel updates.
 * Released migrations are never edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';

export function migration0006(): Record<string, Migration> {
  return {
    '0006_channels': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('channels')
          .addColumn('name', 'text', (c) => c.primaryKey())
          // Lower-cased name: a channel is defined once whatever its spelling.
          .addColumn('name_lc', 'text', (c) => c.notNull().unique())
          // JSON array of progression statuses, or null for the built-in list of the name.
          .addColumn('statuses', 'text')
          .addColumn('position', 'integer', (c) => c.notNull())
          .execute();
      },
    },
  };
}
