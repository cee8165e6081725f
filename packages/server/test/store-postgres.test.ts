/**
 * PostgreSQL only (MKTOWS_TEST_STORE=postgres): replicas sharing one database, and a database
 * that drops the server's connections while it serves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { importBody } from './support/campaigns.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { createTestDatabase, onMaintenanceDb, postgresWanted, type TestDatabase } from './support/test-database.js';

const skip = postgresWanted() ? false : 'PostgreSQL runs when MKTOWS_TEST_STORE=postgres';

const job = (listId: number) => ({
  programName: 'P',
  listId,
  listName: `L${listId}`,
  mode: 'UPSERTLEADS' as const,
  clearList: false,
  campaignId: null,
  header: 'Email Address',
  userId: 'u',
  api: 'soap' as const,
  format: null,
  startedAt: 1,
});

describe('replicas starting at once', { skip }, () => {
  test('migrate one database once, and all of them open', async () => {
    const db = await createTestDatabase();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore(db.url)));
      assert.deepEqual(await Promise.all(stores.map((x) => x.countLeads())), [0, 0, 0]);
      for (const x of stores) await x.close();
    } finally {
      await db.drop();
    }
  });
});

describe('import jobs claimed by one replica', { skip }, () => {
  let db: TestDatabase;
  let one: Store;
  let two: Store;
  before(async () => {
    db = await createTestDatabase();
    one = await openStore(db.url);
    two = await openStore(db.url);
  });
  after(async () => {
    await one?.close();
    await two?.close();
    await db?.drop();
  });

  test('a job held by one store is skipped by the other, and free again when its transaction ends', async () => {
    const a = await one.transaction((tx) => tx.imports.createImportJob(job(1), ['r']));
    const b = await one.transaction((tx) => tx.imports.createImportJob(job(2), ['r']));
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let claimed!: (id: number | undefined) => void;
    const firstClaim = new Promise<number | undefined>((r) => {
      claimed = r;
    });
    const first = one.transaction(async (tx) => {
      claimed((await tx.imports.claimNextImportJob())?.id);
      await held;
    });
    assert.equal(await firstClaim, a.id);
    // Both claim at once while the first holds the oldest: one gets the next job, the other none.
    const [x, y] = await Promise.all([
      two.transaction(async (tx) => {
        const j = await tx.imports.claimNextImportJob();
        await new Promise((r) => setTimeout(r, 50));
        return j?.id;
      }),
      two.transaction(async (tx) => {
        await new Promise((r) => setTimeout(r, 10));
        return (await tx.imports.claimNextImportJob())?.id;
      }),
    ]);
    assert.deepEqual([x, y], [b.id, undefined]);
    release();
    await first;
    assert.equal((await two.transaction((tx) => tx.imports.claimNextImportJob()))?.id, a.id);
  });
});

describe('two servers on one database: an importToList job', { skip }, () => {
  test('is worked by one at a time, every row once, and finished by the other when the first stops', async () => {
    const a = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
    const b = await startTestServer({ store: a.runtime.config.store, seed: 'none', ratePerWindow: 100_000 });
    try {
      a.runtime.imports.batchSize = 5;
      b.runtime.imports.batchSize = 5;
      const rows = Array.from({ length: 60 }, (_, i) => `F${i},L${i},replica.${i}@example.com`);
      // Either server may take the job first (b is woken as soon as the call returns, and a
      // commits nothing until its pool hands it a connection): the first to commit a batch is
      // stopped, and the other must finish the job.
      const first = new Promise<TestServer>((r) => {
        a.runtime.imports.once('batch', () => r(a));
        b.runtime.imports.once('batch', () => r(b));
      });
      const r = await a.soap(importBody({ rows }));
      assert.equal(r.status, 200, r.text);
      b.runtime.imports.wake();
      const stopped = await first;
      const other = stopped === a ? b : a;
      await stopped.runtime.imports.stop();
      other.runtime.imports.wake();
      await other.runtime.imports.whenIdle();
      const [job] = await other.runtime.store.imports.listImportJobs({ limit: 1 });
      assert.deepEqual([job.status, job.rowsImported, job.rowsFailed], ['COMPLETE', 60, 0]);
      for (let i = 0; i < 60; i++) {
        const found = await other.runtime.store.findLeads({ by: 'EMAIL', value: `replica.${i}@example.com` });
        assert.equal(found.length, 1, `replica.${i}`);
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('PostgreSQL lost while serving', { skip }, () => {
  let s: TestServer;
  let name: string;
  before(async () => {
    s = await startTestServer();
    name = new URL(s.runtime.config.store).pathname.slice(1);
  });
  after(() => s?.close());

  const getLead = () =>
    s.soap(
      '<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>nobody@example.com</keyValue></leadKey></ns1:paramsGetLead>',
    );

  test('calls answer 10001 while the database refuses connections, and succeed again without a restart', async () => {
    const ok = await getLead();
    assert.notEqual(ok.fault?.code, 10001, ok.text);
    const working = ok.fault?.code;
    // End the server's connections and refuse new ones, on this test's database only.
    await onMaintenanceDb(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    try {
      await onMaintenanceDb(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
      );
      const lost = await getLead();
      assert.equal(lost.status, 500, lost.text);
      assert.equal(lost.fault?.code, 10001, lost.text);
    } finally {
      await onMaintenanceDb(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    const back = await getLead();
    assert.equal(back.fault?.code, working, back.text);
  });

  test('connections ended under an idle pool are replaced: the next calls succeed', async () => {
    const before = await getLead();
    await onMaintenanceDb(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
    // A call may meet a connection whose end the pool has not seen yet (10001); the one after it
    // gets a new connection.
    const first = await getLead();
    assert.ok(first.fault?.code === before.fault?.code || first.fault?.code === 10001, first.text);
    for (let i = 0; i < 3; i++) assert.equal((await getLead()).fault?.code, before.fault?.code);
  });
});
