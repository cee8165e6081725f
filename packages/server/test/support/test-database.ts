/**
 * Fresh PostgreSQL databases for tests, made through the server's maintenance database
 * (MKTOWS_TEST_PG, default postgres://<login user>@127.0.0.1:5432/test) and dropped when their store closes.
 * PostgreSQL runs only when MKTOWS_TEST_STORE names it, so that `npm test` passes without it.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { after } from 'node:test';
import pg from 'pg';

// Trust authentication on the test server: the login user's role, as psql would take.
export const TEST_PG =
  process.env.MKTOWS_TEST_PG ?? `postgres://${encodeURIComponent(userInfo().username)}@127.0.0.1:5432/test`;

/** The ids and schemes MKTOWS_TEST_STORE names (comma-separated), none when unset. */
export function testStoresWanted(): string[] {
  return (process.env.MKTOWS_TEST_STORE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whether the HTTP-level suites run their servers on PostgreSQL. */
export function postgresWanted(): boolean {
  return testStoresWanted().some((s) => s === 'postgres' || s === 'postgresql');
}

/** Runs one statement on the maintenance database, on a connection of its own. */
export async function onMaintenanceDb(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  /** The --store URL of the new database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

const live = new Set<string>();

async function dropDatabase(name: string): Promise<void> {
  if (!live.delete(name)) return;
  // FORCE ends connections a test left open (a server closed early, a store never closed).
  await onMaintenanceDb(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

// At the file's end whatever happened: registered at import, on the file's root (a hook added
// from inside a suite's hook would run when that hook ends).
after(async () => {
  for (const name of [...live]) await dropDatabase(name).catch(() => {});
});

/** A new empty database; dropped by `drop()`, or when the test file ends at the latest. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `mktows_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onMaintenanceDb(`CREATE DATABASE "${name}"`);
  live.add(name);
  const u = new URL(TEST_PG);
  u.pathname = `/${name}`;
  return { url: u.toString(), name, drop: () => dropDatabase(name) };
}

/**
 * The store a test server opens unless the test names one: `sqlite::memory:`, or a fresh
 * PostgreSQL database when MKTOWS_TEST_STORE asks for it (dropped by `release`).
 */
export async function defaultTestStore(): Promise<{ url: string; release(): Promise<void> }> {
  if (!postgresWanted()) return { url: 'sqlite::memory:', release: async () => {} };
  const db = await createTestDatabase();
  return { url: db.url, release: db.drop };
}

/**
 * Starts a server on `store` when the test names one, else on the default test store; a
 * PostgreSQL database made for it is dropped when the server closes (or fails to start).
 */
export async function startOnTestStore<S extends { close(): Promise<void> }>(
  store: string | undefined,
  start: (store: string) => Promise<S>,
): Promise<S> {
  if (store !== undefined) return start(store);
  const made = await defaultTestStore();
  let s: S;
  try {
    s = await start(made.url);
  } catch (e) {
    await made.release();
    throw e;
  }
  const close = s.close.bind(s);
  s.close = async () => {
    await close();
    await made.release();
  };
  return s;
}
