/**
 * PostgreSQL and Redis for the bench's several-replica rows: a fresh database per run, made through
 * the maintenance database (MKTOWS_BENCH_PG, default postgres://<login user>@127.0.0.1:5432/test) and
 * dropped at the end, and a random Redis namespace (MKTOWS_BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379/0) whose keys are deleted at the end. When either is not reachable the rows
 * that need it are skipped, so that `npm run bench` still runs on a machine without them.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import pg from 'pg';
import { cpuSecondsOf, dist } from './common.mjs';
import { storedLead } from './data.mjs';

export const PG_MAINTENANCE_URL =
  process.env.MKTOWS_BENCH_PG ?? `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/test`;
export const REDIS_URL = process.env.MKTOWS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

const CONNECT_TIMEOUT_MS = 3_000;

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function where(url) {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

/** Why PostgreSQL cannot be used (one line), or null when it answers. */
export async function postgresProblem() {
  try {
    await withClient(PG_MAINTENANCE_URL, (c) => c.query('SELECT 1'));
    return null;
  } catch (e) {
    return `PostgreSQL not reachable at ${where(PG_MAINTENANCE_URL)} (${e.message || e.code || e})`;
  }
}

/** Why Redis cannot be used (one line), or null when it answers. */
export async function redisProblem() {
  const { connectRedis } = await dist('server', 'limits/redis/connection.js');
  try {
    const redis = await connectRedis(REDIS_URL, 2_000);
    try {
      await redis.ping();
    } finally {
      redis.disconnect();
    }
    return null;
  } catch (e) {
    return `Redis not reachable at ${REDIS_URL} (${e.message})`;
  }
}

/**
 * A new empty database, migrated by the server's own migrations when `migrate` is set (a server
 * started on it migrates it anyway). `storeUrl` is its --store URL with `?pool=` when given.
 */
export async function createBenchDatabase({ pool, migrate = false } = {}) {
  const name = `mktows_bench_${randomBytes(6).toString('hex')}`;
  await withClient(PG_MAINTENANCE_URL, (c) => c.query(`CREATE DATABASE "${name}"`));
  const u = new URL(PG_MAINTENANCE_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  if (pool) u.searchParams.set('pool', String(pool));
  const db = {
    name,
    url,
    storeUrl: u.toString(),
    // FORCE ends the connections of a server that did not exit cleanly.
    drop: () => withClient(PG_MAINTENANCE_URL, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
  if (migrate) {
    try {
      const { openStore } = await dist('server', 'store/open.js');
      const store = await openStore(url);
      await store.close();
    } catch (e) {
      await db.drop().catch(() => {});
      throw e;
    }
  }
  return db;
}

const CHUNK = 2_000;

/**
 * Inserts bench leads 1..count, the same rows as the SQLite bench stores (data.mjs), into a migrated
 * database, moves the id sequence past them and gathers the planner's statistics.
 */
export async function fillBenchLeads(db, count) {
  const base = Date.now();
  await withClient(db.url, async (c) => {
    await c.query('BEGIN');
    for (let first = 1; first <= count; first += CHUNK) {
      const columns = Array.from({ length: 9 }, () => []);
      for (let n = first; n < Math.min(first + CHUNK, count + 1); n++) {
        const row = storedLead(n, base);
        for (let i = 0; i < row.length; i++) columns[i].push(row[i]);
      }
      // One statement per chunk: unnest turns the column arrays back into rows.
      await c.query(
        `INSERT INTO leads (id, email, email_lc, foreign_sys_person_id, foreign_sys_type, owner_id, sfdc_lead_id,
           sfdc_contact_id, sfdc_account_id, attributes, created_at, updated_at)
         SELECT id, email, email_lc, fsp, fst, NULL, sfdc, NULL, NULL, attrs, created, updated
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::bigint[], $9::bigint[]) AS t(id, email, email_lc, fsp, fst, sfdc, attrs, created, updated)`,
        columns,
      );
    }
    await c.query(`SELECT setval(pg_get_serial_sequence('leads', 'id'), $1)`, [count]);
    await c.query('COMMIT');
    await c.query('ANALYZE leads');
  });
}

/** A --limits URL on a namespace of its own, and the deletion of that namespace's keys. */
export function benchRedisNamespace() {
  const namespace = `bench.${randomBytes(6).toString('hex')}`;
  return {
    namespace,
    limitsUrl: `${REDIS_URL}?namespace=${namespace}`,
    async deleteKeys() {
      const { connectRedis } = await dist('server', 'limits/redis/connection.js');
      const redis = await connectRedis(REDIS_URL, 2_000);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `mktows:${namespace}:*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/**
 * The CPU used so far by the database's backend processes (by pid) and, with `redis`, by the Redis
 * server: the work a PostgreSQL (+ Redis) server hands to other processes, which share the machine's
 * cores with it. Redis's figure is the whole server's (`INFO cpu`), so it counts other clients' work too.
 */
export async function backendCpu(db, { redis: withRedis = false } = {}) {
  const pids = await withClient(PG_MAINTENANCE_URL, (c) =>
    c.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [db.name]),
  );
  const backends = new Map();
  for (const { pid } of pids.rows) {
    try {
      backends.set(pid, cpuSecondsOf(pid));
    } catch {
      // A backend that ended since the query.
    }
  }
  let redisSeconds = 0;
  if (withRedis) {
    const { connectRedis } = await dist('server', 'limits/redis/connection.js');
    const redis = await connectRedis(REDIS_URL, 2_000);
    try {
      const info = await redis.info('cpu');
      for (const k of ['used_cpu_sys', 'used_cpu_user']) {
        redisSeconds += Number(new RegExp(`^${k}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
      }
    } finally {
      redis.disconnect();
    }
  }
  return { backends, redisSeconds };
}

/**
 * CPU seconds between two readings of backendCpu(): a backend that started in between counts from
 * zero (the pool opens connections as calls need them); one that ended in between is lost.
 */
export function backendCpuSince(before, after) {
  let seconds = after.redisSeconds - before.redisSeconds;
  for (const [pid, s] of after.backends) seconds += s - (before.backends.get(pid) ?? 0);
  return seconds;
}
