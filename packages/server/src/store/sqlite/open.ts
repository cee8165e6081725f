/** The embedded default backend: SQLite through better-sqlite3 in WAL mode. */
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  type DatabaseConnection,
  type Driver,
  Kysely,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';
import type { Database } from '../sql/schema.js';
import { type DirectAccess, SqlStore } from '../sql/sql-store.js';
import { makeDirs } from './make-dirs.js';

/** Distinct SQL texts kept prepared; queries with variable-length IN lists make the rest. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely sees it, with prepared statements reused by SQL text. Kysely's driver
 * prepares every query anew, and preparing costs more than running an indexed lookup (bench/).
 * Reuse is safe: the driver runs one query at a time on its single connection (a streamed query
 * holds the connection until it ends), and SQLite re-prepares a statement after a schema change.
 */
export function withStatementCache(db: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        // Oldest first out: Map iterates in insertion order.
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Kysely's SQLite driver, counting who holds the single connection. A transaction holds it across
 * awaits, and a statement run beside it would land inside that transaction.
 */
class GuardedDriver extends SqliteDriver {
  held = 0;
  override async acquireConnection(): Promise<DatabaseConnection> {
    const c = await super.acquireConnection();
    this.held++;
    return c;
  }
  override async releaseConnection(): Promise<void> {
    this.held--;
    await super.releaseConnection();
  }
}

class GuardedDialect extends SqliteDialect {
  readonly driver: GuardedDriver;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.driver = new GuardedDriver(config);
  }
  override createDriver(): Driver {
    return this.driver;
  }
}

/**
 * Prepared statements run synchronously on the connection while Kysely does not hold it: the hot
 * reads (a getLead lookup) skip Kysely's query building and its driver's promise and mutex
 * plumbing, about 6 µs per query (bench/RESULTS.md). Between two awaits of Kysely's own queries
 * nothing is half done on the connection, so a statement run then sees committed data only.
 */
function directSql(db: SqliteDatabase, driver: GuardedDriver): DirectAccess {
  return {
    idle: { all: (sql, params) => (driver.held === 0 ? db.prepare(sql).all(params) : undefined) },
    owned: { all: (sql, params) => db.prepare(sql).all(params) },
  };
}

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
