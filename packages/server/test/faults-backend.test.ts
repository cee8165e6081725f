/**
 * Server-side faults over HTTP (errors.md): 10001 when the storage backend really fails (a SQLite
 * file store whose files are overwritten under the running server) and 20011 when an operation
 * handler throws something that is not a fault. Both are SOAP-ENV:Server faults that leave no secret
 * in the body, count as admitted calls, release their concurrency lease and are journaled.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { computeSignature, formatW3C } from '@mktows/protocol';
import type { Handler } from '../src/operations/context.js';
import { HANDLERS } from '../src/operations/index.js';
import {
  addUser,
  assertFault,
  assertOk,
  call,
  getLeadByEmail,
  type HttpResult,
  limitsOf,
} from './support/fault-helpers.js';
import { KEY, startTestServer, type TestServer, USER } from './support/harness.js';
import { corrupt } from './support/sqlite-files.js';

const GET_ADA = getLeadByEmail('ada@demo.example');
const STORE_FAILED = 'The storage or limits backend failed; retry later';
const HANDLER_FAILED = 'The operation failed unexpectedly; retry later';
const SYNC_NEW =
  '<ns1:paramsSyncLead><leadRecord><Email>after-failure@demo.example</Email></leadRecord><returnLead>true</returnLead></ns1:paramsSyncLead>';
const LIST_PAGE =
  '<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:StaticListSelector"><staticListName>Demo List</staticListName></leadSelector><batchSize>5</batchSize></ns1:paramsGetMultipleLeads>';

/** A call signed with a timestamp we know, so that the test can look for its signature. */
async function signedCall(s: TestServer, inner: string, userId = USER, key = KEY) {
  const timestamp = formatW3C(new Date(s.runtime.clock.now()));
  const signature = computeSignature(timestamp, userId, key);
  const r = await call(s, inner, { userId, key, timestamp });
  return { r, signature };
}

function assertNoSecret(r: HttpResult, signature: string, key = KEY): void {
  assert.ok(!r.text.includes(key), 'the encryption key must not appear in the fault');
  assert.ok(!r.text.includes(signature), 'the signature must not appear in the fault');
  assert.ok(!r.text.includes('Error:') && !r.text.includes('    at '), 'no exception text or stack in the fault');
}

describe('10001 Internal Error: the SQLite file store really fails', () => {
  let dir: string;
  let dbPath: string;
  let s: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-faults-backend-'));
    dbPath = join(dir, 'db.sqlite');
    s = await startTestServer({ store: `sqlite:${dbPath}`, seed: 'demo' });
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the file store works before it is damaged', async () => {
    assertOk(await call(s, GET_ADA));
    assertOk(await call(s, LIST_PAGE));
  });

  test('reads and writes fail with 10001 once the database files are garbage', async () => {
    const u = await addUser(s, { concurrency: 1 }, 'backend');
    corrupt(dbPath);
    const before = await limitsOf(s, u.userId);

    const read = await signedCall(s, GET_ADA, u.userId, u.key);
    assertFault(read.r, 10001, STORE_FAILED);
    assertNoSecret(read.r, read.signature, u.key);
    assert.ok(!read.r.text.includes('not a database'), 'the SQLite message stays in the log');

    const write = await signedCall(s, SYNC_NEW, u.userId, u.key);
    assertFault(write.r, 10001, STORE_FAILED);
    assertNoSecret(write.r, write.signature, u.key);

    const page = await signedCall(s, LIST_PAGE, u.userId, u.key);
    assertFault(page.r, 10001, STORE_FAILED);

    // Admitted calls count once whatever their outcome, and each released its lease (concurrency 1).
    const after = await limitsOf(s, u.userId);
    assert.equal(after.quotaUsed, before.quotaUsed + 3);
    assert.equal(after.inFlight, 0);

    // Checks before the store still answer with their own codes.
    assertFault(
      await call(s, GET_ADA, { userId: u.userId, key: 'the-wrong-encryption-key' }),
      20014,
      /^Authentication failed/,
    );
    assertFault(await call(s, '<ns1:paramsFoo/>'), 20019, /paramsFoo is not supported$/);
  });

  test('the journal records the 10001 faults with the signature masked', async () => {
    const { signature } = await signedCall(s, GET_ADA);
    const j = await s.admin('GET', '/_mktows/journal?code=10001');
    assert.equal(j.status, 200);
    assert.ok(j.body.entries.length >= 4);
    const [e] = j.body.entries;
    assert.equal(e.faultCode, 10001);
    assert.equal(e.status, 500);
    assert.equal(e.operation, 'getLead');
    assert.ok(!e.request.includes(signature));
    assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
    assert.ok(!JSON.stringify(j.body).includes(KEY));
  });
});

describe('20011 Internal Error: an operation handler really throws', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo' });
  });
  after(() => s.close());

  /** Runs `fn` with getLead replaced by `replacement` in the server's handler registry. */
  async function withGetLead(replacement: Handler<'getLead'>, fn: () => Promise<void>): Promise<void> {
    const original = HANDLERS.getLead;
    assert.ok(original);
    HANDLERS.getLead = replacement;
    try {
      await fn();
    } finally {
      HANDLERS.getLead = original;
    }
  }

  test('a TypeError in getLead is 20011 and leaves no secret in the fault', async () => {
    const u = await addUser(s, { concurrency: 1 }, 'handler');
    await withGetLead(
      async () => {
        // A bug whose message happens to carry a secret must not leak it.
        throw new TypeError(`Cannot read properties of undefined (reading '${u.key}' / '${KEY}')`);
      },
      async () => {
        const before = await limitsOf(s, u.userId);
        const { r, signature } = await signedCall(s, GET_ADA, u.userId, u.key);
        assertFault(r, 20011, HANDLER_FAILED);
        assertNoSecret(r, signature, u.key);
        assert.ok(!r.text.includes(KEY));
        assert.ok(!r.text.includes('TypeError') && !r.text.includes('Cannot read'));
        const after = await limitsOf(s, u.userId);
        assert.equal(after.quotaUsed, before.quotaUsed + 1, 'an admitted call that failed counts once');
        assert.equal(after.inFlight, 0, 'the lease was released on the 20011 path');
        // Concurrency 1: the next call is admitted (and fails the same way), other operations work.
        assertFault(await call(s, GET_ADA, { userId: u.userId, key: u.key }), 20011, HANDLER_FAILED);
        assertOk(await call(s, LIST_PAGE, { userId: u.userId, key: u.key }));
      },
    );
    // Restored: getLead works again.
    assertOk(await call(s, GET_ADA, { userId: u.userId, key: u.key }));
  });

  test('a handler that throws something that is not an Error is 20011 too', async () => {
    await withGetLead(
      async () => {
        throw `a string, not an Error: ${KEY}`;
      },
      async () => {
        const { r, signature } = await signedCall(s, GET_ADA);
        assertFault(r, 20011, HANDLER_FAILED);
        assertNoSecret(r, signature);
      },
    );
  });

  test('the journal records the 20011 faults and masks the signature', async () => {
    let signature = '';
    await withGetLead(
      async () => {
        throw new Error(`boom ${KEY}`);
      },
      async () => {
        ({ signature } = await signedCall(s, GET_ADA));
      },
    );
    const j = await s.admin('GET', '/_mktows/journal?code=20011&limit=1');
    const [e] = j.body.entries;
    assert.equal(e.faultCode, 20011);
    assert.equal(e.operation, 'getLead');
    assert.equal(e.status, 500);
    assert.ok(!e.request.includes(signature));
    assert.ok(!JSON.stringify(j.body).includes(KEY));
    assert.match(e.response, /<faultcode>SOAP-ENV:Server<\/faultcode>/);
  });
});
