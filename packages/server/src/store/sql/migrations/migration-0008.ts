/**
 * Migration 0008_rest_identity: REST clients added through the admin API, and the access tokens
 * issued to REST clients, so that a token issued by one replica works on every other one and the
 * same token is handed out until it expires. Released migrations are never edited: add the next one.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlFlavour } from '../sql-flavour.js';

export function migration0008(flavour: SqlFlavour): Record<string, Migration> {
  const ms = flavour === 'sqlite' ? 'integer' : 'bigint';
  return {
    '0008_rest_identity': {
      // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their time, not today's types.
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('rest_clients')
          .addColumn('client_id', 'text', (c) => c.primaryKey())
          .addColumn('client_secret', 'text', (c) => c.notNull())
          .addColumn('updated_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('rest_tokens')
          .addColumn('token', 'text', (c) => c.primaryKey())
          .addColumn('client_id', 'text', (c) => c.notNull())
          .addColumn('expires_at', ms, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('rest_tokens_client')
          .on('rest_tokens')
          .columns(['client_id', 'expires_at'])
          .execute();
      },
    },
  };
}
