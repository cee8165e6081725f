/** The embedded default backend: SQLite through better-sqlite3 in WAL mode. */
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';
import { directSql, GuardedDialect } from './guarded-dialect.js';
import { makeDirs } from './make-dirs.js';
import { withStatementCache } from './statement-cache.js';

/** Opens (creating if need be) and migrates the SQLite database at `path`, or an in-memory one. */
export async function openSqliteStore(path: string): Promise<SqlStore> {
  if (path !== ':memory:') makeDirs(dirname(path));
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('busy_timeout = 5000');
  // Checkpoint the WAL every 10,000 pages (about 40 MB) rather than 1,000: index pages that a
  // stream of syncs rewrites again and again are then copied into the database file less often.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const cached = withStatementCache(sqlite);
  const dialect = new GuardedDialect({ database: cached });
  const db = new Kysely<Database>({ dialect });
  const store = new SqlStore('sqlite', db, undefined, directSql(cached, dialect.driver));
  await store.migrate();
  return store;
}
