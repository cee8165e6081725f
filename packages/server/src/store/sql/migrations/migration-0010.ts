/**
 * Migration 0010_program_description: a program's description, which the asset API shows and
 * updates (POST /rest/asset/v1/program/{id}.json). Released migrations are never edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';

export function migration0010(): Record<string, Migration> {
  return {
    '0010_program_description': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .alterTable('programs')
          .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
          .execute();
      },
    },
  };
}
