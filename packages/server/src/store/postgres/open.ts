/**
 * The shared backend for several replicas: PostgreSQL through `pg`, with Kysely's PostgresDialect
 * over a pool whose every connection and query rethrows driver failures as StoreUnavailableError.
 */
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { preparedName } from '../sql/compiled-sql.js';
import type { Database } from '../sql/schema.js';
import { SqlStore } from '../sql/sql-store.js';
import { StoreUnavailableError } from '../store.js';
import { fromConnectError, fromDriverError } from './driver-errors.js';

/** Connections per replica unless the URL says `?pool=N`. */
export const DEFAULT_POOL_SIZE = 10;

/** How long a call waits for a connection before failing as the store's failure (10001). */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Session settings of every connection. JIT compiling is off: the store's statements are short,
 * and compiling one (10 ms and more) costs more than running it; it set in for the batched lead
 * lookup whenever the planner, before the table has statistics, overestimated its rows. A URL
 * with its own `?options=` replaces these.
 */
const SESSION_OPTIONS = '-c jit=off';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Counts (int8) and bigint columns (times in ms) come back as numbers: every value the store keeps
 * is below 2^53. Per pool rather than pg's global parsers, so that nothing else in the process
 * changes.
 */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as unknown as pg.CustomTypesConfig;

export interface PostgresTarget {
  /** The connection string given to `pg`, without our own parameters. */
  readonly connectionString: string;
  readonly poolSize: number;
  /** host:port/database, for messages: never the password. */
  readonly where: string;
}

/** Splits `postgres://user:pass@host:port/db?pool=N` into pg's connection string and the pool size. */
export function parsePostgresUrl(url: string): PostgresTarget {
  const u = new URL(url);
  let poolSize = DEFAULT_POOL_SIZE;
  const pool = u.searchParams.get('pool');
  if (pool !== null) {
    poolSize = Number(pool);
    if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
      throw new Error(`?pool= must be an integer from 1 to 1000; got "${pool}"`);
    }
    u.searchParams.delete('pool');
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || decodeURIComponent(u.username) || 'postgres';
  const where = `${u.hostname || 'localhost'}:${u.port || '5432'}/${database}`;
  return { connectionString: u.toString(), poolSize, where };
}

/**
 * A pool client whose queries throw the store's failure type for backend failures, and that runs
 * the store's hot texts as named prepared statements (sql/compiled-sql.ts).
 */
function guardedClient(client: pg.PoolClient): PostgresPoolClient {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: Kysely's overloads (text or cursor) pass straight through.
    query: ((text: any, params?: any) => {
      const name = typeof text === 'string' ? preparedName(text) : undefined;
      const r: unknown = name === undefined ? client.query(text, params) : client.query({ name, text, values: params });
      return r instanceof Promise
        ? r.catch((e: unknown) => {
            throw fromDriverError(e);
          })
        : r;
    }) as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/** pg's pool as Kysely takes it, with failures to connect thrown as the store's failure type. */
function guardedPool(pool: pg.Pool, where: string): PostgresPool {
  const watched = new WeakSet<pg.PoolClient>();
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (e) {
        const wrapped = fromConnectError(e) as Error;
        throw new StoreUnavailableError(`cannot connect to PostgreSQL at ${where}: ${wrapped.message}`, {
          cause: e,
        });
      }
      // A connection lost while checked out is reported by its query; without a listener the
      // client's 'error' event would end the process.
      if (!watched.has(client)) {
        watched.add(client);
        client.on('error', () => {});
      }
      return guardedClient(client);
    },
    end: () => pool.end(),
  };
}

/** Opens a pool to the database, checks that it answers and migrates it. */
export async function openPostgresStore(url: string): Promise<SqlStore> {
  const target = parsePostgresUrl(url);
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: target.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: SESSION_OPTIONS,
    types: TYPES,
  });
  // Idle connections closed by the server (restart, pg_terminate_backend) are dropped from the
  // pool and replaced on the next call; the event must be handled or it ends the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: guardedPool(pool, target.where) }) });
  const store = new SqlStore('postgres', db);
  try {
    await store.migrate();
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  return store;
}
