/**
 * The SQLite backend turns its driver's failures into StoreUnavailableError where it calls the
 * driver, on both paths a query takes (Kysely's driver and the direct prepared statements), and
 * leaves our own mistakes (constraint violations) as they are: 10001 for the one, 20011 for the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { isBackendFailure } from '../src/pipeline/backend-failure.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import { withStatementCache } from '../src/store/sqlite/statement-cache.js';
import { StoreUnavailableError } from '../src/store/store.js';
import { newLead } from './support/new-lead.js';
import { corrupt } from './support/sqlite-files.js';

const LEAD = newLead();

function isStoreFailure(e: unknown): boolean {
  return e instanceof StoreUnavailableError && isBackendFailure(e);
}

describe('SQLite driver errors at the statement boundary', () => {
  test('a constraint violation passes as the driver raised it', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'));
    db.prepare('CREATE TABLE t (x TEXT UNIQUE)').run([]);
    db.prepare('INSERT INTO t VALUES (?)').run(['a']);
    assert.throws(
      () => db.prepare('INSERT INTO t VALUES (?)').run(['a']),
      (e: Error & { code?: string }) =>
        e.name === 'SqliteError' && e.code === 'SQLITE_CONSTRAINT_UNIQUE' && !isBackendFailure(e),
    );
    db.close();
  });

  test('a closed database fails as the store, whether the statement was cached or not', () => {
    const raw = new BetterSqlite3(':memory:');
    const db = withStatementCache(raw);
    const cached = db.prepare('SELECT 1 AS one');
    assert.deepEqual(cached.all([]), [{ one: 1 }]);
    raw.close();
    assert.throws(() => cached.all([]), isStoreFailure);
    assert.throws(() => db.prepare('SELECT 2').all([]), isStoreFailure);
  });

  test('a bad parameter count is our bug, not the backend', () => {
    const db = withStatementCache(new BetterSqlite3(':memory:'));
    assert.throws(
      () => db.prepare('SELECT ? AS x').all([]),
      (e) => e instanceof RangeError && !isBackendFailure(e),
    );
    db.close();
  });
});

describe('SQLite store whose files are overwritten under it', () => {
  test('direct reads, Kysely reads and transactions fail with StoreUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mktows-store-errors-'));
    const path = join(dir, 'db.sqlite');
    const store = await openSqliteStore(path);
    try {
      const id = await store.transaction(async (tx) => (await tx.insertLead(LEAD)).id);
      assert.equal((await store.findLeads({ by: 'IDNUM', value: id })).length, 1);
      corrupt(path);
      // findLeads runs a prepared statement directly; getLeads and pageLeads go through Kysely.
      await assert.rejects(store.findLeads({ by: 'EMAIL', value: 'ada@example.com' }), isStoreFailure);
      await assert.rejects(store.getLeads([id]), isStoreFailure);
      await assert.rejects(store.pageLeads({ kind: 'updated', from: 0, to: 2_000 }, 0, 10), isStoreFailure);
      await assert.rejects(
        store.transaction((tx) => tx.insertLead({ ...LEAD, email: 'b@example.com', foreignSysPersonId: null })),
        isStoreFailure,
      );
      await assert.rejects(store.ping(), isStoreFailure);
    } finally {
      await store.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
