/**
 * Kysely's SQLite dialect with a driver that counts who holds the connection, and the direct
 * statement path that the hot reads take while nobody does.
 */
import {
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import type { DirectAccess } from '../sql/sql-store.js';

/**
 * Kysely's SQLite driver, counting who holds the single connection. A transaction holds it across
 * awaits, and a statement run beside it would land inside that transaction.
 */
export class GuardedDriver extends SqliteDriver {
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

export class GuardedDialect extends SqliteDialect {
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
export function directSql(db: SqliteDatabase, driver: GuardedDriver): DirectAccess {
  return {
    idle: { all: (sql, params) => (driver.held === 0 ? db.prepare(sql).all(params) : undefined) },
    owned: { all: (sql, params) => db.prepare(sql).all(params) },
  };
}
