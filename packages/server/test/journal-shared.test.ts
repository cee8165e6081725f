/**
 * The shared journal (shared-journal.ts over store/sql/sql-journal.ts): several replicas' journals
 * on one store, as each writes behind its calls. Runs on SQLite and, when MKTOWS_TEST_STORE names
 * it, on a fresh PostgreSQL database: the table, its bound and its filters are the same on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JournalRecord } from '../src/journal.js';
import { createLogger } from '../src/log.js';
import { Metrics } from '../src/metrics.js';
import { SharedJournal } from '../src/shared-journal.js';
import type { JournalStore } from '../src/store/journal-store.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';
import { createTestDatabase, postgresWanted } from './support/test-database.js';

const SIGNATURE = '0123456789abcdef0123456789abcdef01234567';

function call(i: number, over: Partial<JournalRecord> = {}): JournalRecord {
  return {
    at: Date.UTC(2026, 11, 6, 12, 0, i),
    userId: i % 2 ? 'odd' : 'even',
    operation: i % 3 ? 'getLead' : 'syncLead',
    durationMs: i + 0.25,
    status: i % 4 ? 200 : 500,
    faultCode: i % 4 ? null : 20103,
    request: Buffer.from(`<requestSignature>${SIGNATURE}</requestSignature><keyValue>${i}</keyValue>`),
    response: `<ok>${i}</ok>`,
    signature: SIGNATURE,
    ...over,
  };
}

function journal(store: Store, replica: string, size = 100, metrics = new Metrics(), lines: string[] = []) {
  return new SharedJournal(store.journal, {
    size,
    replica,
    metrics,
    log: createLogger('info', (l) => lines.push(l)),
  });
}

const backends: [string, () => Promise<{ url: string; drop(): Promise<void> }>][] = [
  ['sqlite', async () => ({ url: 'sqlite::memory:', drop: async () => {} })],
];
if (postgresWanted()) backends.push(['postgres', createTestDatabase]);

for (const [name, make] of backends) {
  describe(`shared journal on ${name}`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    before(async () => {
      const db = await make();
      drop = db.drop;
      store = await openStore(db.url);
    });
    after(async () => {
      await store.close();
      await drop();
    });

    test('replicas see each other’s calls, newest first, with exact fields; the signature never reaches the table', async () => {
      const a = journal(store, 'host-a:8080');
      const b = journal(store, 'host-b:8080');
      a.add(call(1));
      b.add(call(2, { response: `<fault>${SIGNATURE}</fault>` }));
      await b.flush();
      a.add(call(3));
      // a's query writes a's own queue first: its calls show at once.
      const seen = await a.query({});
      assert.deepEqual(
        seen.map((e) => [e.replica, e.request.match(/<keyValue>(\d)/)?.[1]]),
        [
          ['host-a:8080', '3'],
          ['host-a:8080', '1'],
          ['host-b:8080', '2'],
        ],
      );
      assert.deepEqual(await b.query({}), seen);
      const [, , fromB] = seen;
      assert.deepEqual(
        { ...fromB, id: 0 },
        {
          id: 0,
          api: 'soap',
          replica: 'host-b:8080',
          time: '2026-12-06T12:00:02.000Z',
          userId: 'even',
          operation: 'getLead',
          durationMs: 2.25,
          status: 200,
          faultCode: null,
          request: '<requestSignature>********</requestSignature><keyValue>2</keyValue>',
          response: '<fault>********</fault>',
        },
      );
      // What the table holds, read past the journal: masked before it was written.
      const stored = await store.journal.query({}, 100);
      assert.equal(stored.length, 3);
      assert.ok(!JSON.stringify(stored).includes(SIGNATURE));
      await a.clear();
      assert.deepEqual(await b.query({}), []);
      await Promise.all([a.close(), b.close()]);
    });

    test('limit, code, operation and userId filter as on one process', async () => {
      const j = journal(store, 'r');
      for (let i = 1; i <= 12; i++) j.add(call(i));
      const keys = async (q: Parameters<SharedJournal['query']>[0]) =>
        (await j.query(q)).map((e) => Number(e.request.match(/<keyValue>(\d+)/)?.[1]));
      assert.deepEqual(await keys({}), [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      assert.deepEqual(await keys({ limit: 2 }), [12, 11]);
      assert.deepEqual(await keys({ code: 20103 }), [12, 8, 4]);
      assert.deepEqual(await keys({ operation: 'syncLead' }), [12, 9, 6, 3]);
      assert.deepEqual(await keys({ userId: 'odd', operation: 'syncLead' }), [9, 3]);
      assert.deepEqual(await keys({ code: 20103, limit: 1 }), [12]);
      await j.clear();
      await j.close();
    });

    test('bounded to the journal size: reads return at most size entries and the table is trimmed to it', async () => {
      const j = journal(store, 'r', 5);
      for (let i = 1; i <= 12; i++) j.add(call(i));
      assert.deepEqual(
        (await j.query({ limit: 100 })).map((e) => Number(e.request.match(/<keyValue>(\d+)/)?.[1])),
        [12, 11, 10, 9, 8],
      );
      // The first write trims at once (later ones at most once a second).
      assert.equal((await store.journal.query({}, 100)).length, 5);
      await j.clear();
      await j.close();
    });

    test('a body over 256 KB is cut (never inside a character) and says how much was cut', async () => {
      const j = journal(store, 'r');
      j.add(call(1, { response: 'é'.repeat(200_000), request: `x\u0000y` }));
      const [e] = await j.query({});
      assert.equal(e.response, `${'é'.repeat(128 * 1024)}… [${400_000 - 256 * 1024} more bytes]`);
      // PostgreSQL's text holds no U+0000: on either backend it is stored as U+FFFD.
      assert.equal(e.request, 'x\uFFFDy');
      await j.clear();
      await j.close();
    });
  });
}

test('a journal whose store fails never fails the call: the entries are counted as dropped, the failure logged once', async () => {
  const failing: JournalStore = {
    insert: async () => {
      throw new Error('connection refused');
    },
    query: async () => [],
    trim: async () => {},
    clear: async () => {},
  };
  const metrics = new Metrics();
  const lines: string[] = [];
  const j = new SharedJournal(failing, {
    size: 10,
    replica: 'r',
    metrics,
    log: createLogger('info', (l) => lines.push(l)),
  });
  for (let i = 1; i <= 3; i++) j.add(call(i));
  await j.flush();
  j.add(call(4));
  await j.flush();
  assert.match(await metrics.render(), /^mktows_journal_dropped_total 4$/m);
  assert.equal(lines.filter((l) => l.includes('journal write failed')).length, 1);
  await j.close();
});
