/**
 * Two servers on one SQLite file, as two replicas: users, fault rules and the clock offset set on
 * one are seen by the other within the refresh bound (state/stored-state.ts), and a count rule
 * fires exactly `count` times across both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REFRESH_MS } from '../src/state/stored-state.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { faultCode } from './support/leads.js';

const ADDED = 'replica_user';
const ADDED_KEY = 'replica-user-key-0123';

/** Polls until `check` passes, at most the refresh bound plus a margin for a slow machine. */
async function within<T>(check: () => Promise<T>, boundMs = REFRESH_MS + 500): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('shared operator state: two servers on one store', () => {
  let dir: string;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-replicas-'));
    const store = `sqlite:${join(dir, 'shared.db')}`;
    a = await startTestServer({ store, seed: 'none' });
    b = await startTestServer({ store, seed: 'none' });
  });
  after(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a user added on one authenticates on the other', async () => {
    const r = await a.admin('POST', '/_mktows/users', { userId: ADDED, encryptionKey: ADDED_KEY });
    assert.equal(r.status, 200);
    // Authenticated: the lead is missing (20103), not the user (20014).
    await within(async () =>
      faultCode(await b.soap(getLeadBody('IDNUM', '1'), { userId: ADDED, key: ADDED_KEY }), 20103),
    );
    const listed = (await b.admin('GET', '/_mktows/users')).body.users;
    assert.ok(listed.some((u: { userId: string; source: string }) => u.userId === ADDED && u.source === 'admin'));
  });

  test('a clock offset set on one moves the other clock', async () => {
    assert.equal((await a.admin('POST', '/_mktows/clock', { offsetSeconds: 7200 })).status, 200);
    await within(async () => assert.equal((await b.admin('GET', '/_mktows/clock')).body.offsetSeconds, 7200));
    await a.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    await within(async () => assert.equal((await b.admin('GET', '/_mktows/clock')).body.offsetSeconds, 0));
  });

  test('a count: 3 rule fires exactly 3 times across both', async () => {
    const r = await a.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 20011, count: 3 });
    const id = r.body.id;
    await within(async () =>
      assert.deepEqual(
        (await b.admin('GET', '/_mktows/faults')).body.rules.map((x: { id: number }) => x.id),
        [id],
      ),
    );
    // Ten calls at once, alternating between the replicas: both copies say 3 left.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).soap(getLeadBody('IDNUM', '1'))),
    );
    const codes = results.map((x) => x.fault?.code);
    assert.equal(codes.filter((c) => c === 20011).length, 3, JSON.stringify(codes));
    assert.equal(codes.filter((c) => c === 20103).length, 7, JSON.stringify(codes));
  });

  test('DELETE /_mktows/faults/ID on one removes the rule on both', async () => {
    const id = (await a.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 20011 })).body.id;
    await within(async () => faultCode(await b.soap(getLeadBody('IDNUM', '1')), 20011));
    assert.deepEqual((await b.admin('DELETE', `/_mktows/faults/${id}`)).body, { deleted: id });
    assert.deepEqual((await b.admin('GET', '/_mktows/faults')).body, { rules: [] });
    await within(async () => assert.deepEqual((await a.admin('GET', '/_mktows/faults')).body, { rules: [] }));
    faultCode(await a.soap(getLeadBody('IDNUM', '1')), 20103);
  });

  test('a reset on one removes admin-added users on both', async () => {
    assert.equal((await a.admin('POST', '/_mktows/reset', { seed: 'none' })).status, 200);
    await within(async () =>
      faultCode(await b.soap(getLeadBody('IDNUM', '1'), { userId: ADDED, key: ADDED_KEY }), 20014),
    );
  });
});
