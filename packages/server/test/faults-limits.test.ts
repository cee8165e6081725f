/**
 * Limit faults over HTTP (errors.md, spec §6): 20015 Request Limit Exceeded, 20023 Rate Limit
 * Exceeded, 20024 Concurrency Limit Exceeded; their order after authentication (20013 → 20015 →
 * 20023 → 20024 → operation checks); that rejected calls count against nothing and admitted calls
 * count once whatever their outcome; that a concurrency lease is released on success, on a fault and
 * when the client disconnects; and that the journal records faults with the signature masked.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { computeSignature, formatW3C, nextQuotaReset } from '@mktows/protocol';
import {
  addUser,
  assertFault,
  assertOk,
  call,
  getLeadByEmail,
  type HttpResult,
  limitsOf,
  waitFor,
} from './support/fault-helpers.js';
import { KEY, startTestServer, type TestServer } from './support/harness.js';

const GET_ADA = getLeadByEmail('ada@demo.example');
const GET_NOBODY = getLeadByEmail('nobody@demo.example');
const BAD_KEY = 'the-wrong-encryption-key';

describe('limit faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo' });
  });
  after(() => s.close());
  afterEach(async () => {
    await s.admin('DELETE', '/_mktows/faults');
  });

  type User = { userId: string; key: string };
  const as = (u: User) => ({ userId: u.userId, key: u.key });
  /** Adds a rule that delays this user's getLead calls (optionally only the next `count`). */
  async function delayRule(u: User, delayMs: number, count?: number): Promise<void> {
    const r = await s.admin('POST', '/_mktows/faults', {
      operation: 'getLead',
      delayMs,
      userId: u.userId,
      ...(count ? { count } : {}),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  async function inFlight(u: User): Promise<number> {
    return (await limitsOf(s, u.userId)).inFlight;
  }

  describe('20015 Request Limit Exceeded', () => {
    test('the third call of a user with quotaPerDay 2; rejected calls do not count', async () => {
      const u = await addUser(s, { quotaPerDay: 2 }, 'quota');
      // Rejected before admission: these take nothing from the quota.
      assertFault(await call(s, GET_ADA, { ...as(u), key: BAD_KEY }), 20014, /^Authentication failed/);
      assertFault(await call(s, GET_ADA, { ...as(u), timestamp: 'soon' }), 20016, /^Request expired/);
      assertFault(await call(s, '<ns1:paramsFoo/>', as(u)), 20019, /paramsFoo is not supported$/);
      assert.equal((await limitsOf(s, u.userId)).quotaUsed, 0);

      assertOk(await call(s, GET_ADA, as(u)));
      assertOk(await call(s, GET_ADA, as(u)));
      const lim = await limitsOf(s, u.userId);
      assert.equal(lim.quotaUsed, 2);
      assert.equal(lim.quotaPerDay, 2);
      assert.equal(lim.quotaResetsAt, nextQuotaReset(s.runtime.clock.now(), 'America/Chicago').toISOString());

      const third = await call(s, GET_ADA, as(u));
      assertFault(third, 20015, `Daily quota of 2 calls reached for user ${u.userId}; resets at ${lim.quotaResetsAt}`);
      // Rejections with 20015 do not count either, and the quota stays exhausted.
      assertFault(await call(s, GET_NOBODY, as(u)), 20015, /^Daily quota of 2 calls reached/);
      const after = await limitsOf(s, u.userId);
      assert.equal(after.quotaUsed, 2);
      assert.equal(after.windowCalls, 2);
      assert.equal(after.inFlight, 0);
    });

    test('the quota resets at midnight America/Chicago (clock moved past the reset)', async () => {
      const u = await addUser(s, { quotaPerDay: 1 }, 'quota_reset');
      assertOk(await call(s, GET_ADA, as(u)));
      const lim = await limitsOf(s, u.userId);
      assertFault(
        await call(s, GET_ADA, as(u)),
        20015,
        `Daily quota of 1 call reached for user ${u.userId}; resets at ${lim.quotaResetsAt}`,
      );
      const offset = Math.ceil((Date.parse(lim.quotaResetsAt) - Date.now()) / 1000) + 60;
      try {
        await s.admin('POST', '/_mktows/clock', { offsetSeconds: offset });
        assertOk(await call(s, GET_ADA, as(u)));
        assert.equal((await limitsOf(s, u.userId)).quotaUsed, 1);
      } finally {
        await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
      }
    });
  });

  describe('20023 Rate Limit Exceeded', () => {
    test('the fourth call within 20 s of a user with ratePerWindow 3; a 20014 call did not count', async () => {
      const u = await addUser(s, { ratePerWindow: 3 }, 'rate');
      const start = s.runtime.clock.now();
      assertOk(await call(s, GET_ADA, as(u)));
      assertFault(await call(s, GET_ADA, { ...as(u), key: BAD_KEY }), 20014, /^Authentication failed/);
      assertOk(await call(s, GET_ADA, as(u)));
      assertOk(await call(s, GET_ADA, as(u)));
      const fourth = await call(s, GET_ADA, as(u));
      const end = s.runtime.clock.now();
      const detail = assertFault(
        fourth,
        20023,
        new RegExp(`^Rate limit of 3 calls per 20 s reached for user ${u.userId}; retry in (\\d+) ms$`),
      );
      // The oldest admitted call was at or after `start`; the fourth was judged at or before `end`.
      const retryMs = Number(/retry in (\d+) ms/.exec(detail)?.[1]);
      assert.ok(retryMs <= 20_000 && retryMs >= 20_000 - (end - start), `retry in ${retryMs} ms`);
      const lim = await limitsOf(s, u.userId);
      assert.equal(lim.windowCalls, 3, 'three admitted calls in the window: the 20014 and 20023 calls did not count');
      assert.equal(lim.quotaUsed, 3);
    });

    test('the window slides: once the oldest call is 20 s old a call is admitted again', async () => {
      const u = await addUser(s, { ratePerWindow: 1 }, 'rate_slide');
      assertOk(await call(s, GET_ADA, as(u)));
      assertFault(await call(s, GET_ADA, as(u)), 20023, /^Rate limit of 1 call per 20 s reached/);
      try {
        await s.admin('POST', '/_mktows/clock', { offsetSeconds: 21 });
        assertOk(await call(s, GET_ADA, as(u)));
      } finally {
        await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
      }
    });
  });

  describe('20024 Concurrency Limit Exceeded', () => {
    test('a second call while one is in flight (concurrency 1); the lease is released when the first ends', async () => {
      const u = await addUser(s, { concurrency: 1 }, 'conc');
      await delayRule(u, 500);
      const first = call(s, GET_ADA, as(u));
      await waitFor('the first call to be in flight', async () => (await inFlight(u)) === 1);
      const second = await call(s, GET_ADA, as(u));
      assertFault(second, 20024, `Concurrency limit of 1 call in flight reached for user ${u.userId}`);
      assertOk(await first);
      assert.equal(await inFlight(u), 0);
      // The first call's lease was released: the next one is admitted (and delayed, then answered).
      assertOk(await call(s, GET_ADA, as(u)));
      const lim = await limitsOf(s, u.userId);
      assert.equal(lim.quotaUsed, 2, 'the 20024 call did not count');
      assert.equal(lim.windowCalls, 2);
    });

    test('the lease is released on the fault path (a real 20103 and a thrown operation fault)', async () => {
      const u = await addUser(s, { concurrency: 1 }, 'conc_fault');
      assertFault(await call(s, GET_NOBODY, as(u)), 20103, 'No lead found with EMAIL = nobody@demo.example');
      assert.equal(await inFlight(u), 0);
      assertFault(await call(s, '<ns1:paramsGetLead/>', as(u)), 20101, 'paramsGetLead.leadKey is required');
      assert.equal(await inFlight(u), 0);
      // Injected fault after admission (an extra; the real faults above are the proof).
      const rule = await s.admin('POST', '/_mktows/faults', {
        operation: 'getLead',
        code: 20103,
        count: 1,
        userId: u.userId,
      });
      assertFault(await call(s, GET_ADA, as(u)), 20103, `Injected fault (rule ${rule.body.id})`);
      assert.equal(await inFlight(u), 0);
      assertOk(await call(s, GET_ADA, as(u)));
    });

    test('the lease is released at once when the client disconnects', async () => {
      const u = await addUser(s, { concurrency: 1 }, 'conc_abort');
      const DELAY = 3000;
      await delayRule(u, DELAY, 1);
      const controller = new AbortController();
      const started = Date.now();
      const aborted = call(s, GET_ADA, { ...as(u), signal: controller.signal }).then(
        () => 'answered',
        (e: Error) => e.name,
      );
      await waitFor('the delayed call to be in flight', async () => (await inFlight(u)) === 1);
      assertFault(
        await call(s, GET_ADA, as(u)),
        20024,
        `Concurrency limit of 1 call in flight reached for user ${u.userId}`,
      );
      controller.abort();
      assert.equal(await aborted, 'AbortError');
      await waitFor('the lease of the aborted call to be released', async () => (await inFlight(u)) === 0);
      assertOk(await call(s, GET_ADA, as(u)));
      assert.ok(Date.now() - started < DELAY, 'admitted while the aborted call was still delayed');
      // Let the abandoned call finish before the server closes; it releases nothing twice.
      await waitFor(
        'the abandoned call to end',
        async () => (await s.admin('GET', `/_mktows/journal?userId=${u.userId}`)).body.entries.length === 3,
        DELAY + 2000,
      );
      const lim = await limitsOf(s, u.userId);
      assert.equal(lim.inFlight, 0);
      assert.equal(lim.quotaUsed, 2);
    });
  });

  describe('check order 20013 → 20015 → 20023 → 20024 → operation checks', () => {
    test('quota exhausted and blocked: 20013', async () => {
      const u = await addUser(s, { quotaPerDay: 1 }, 'order_blocked');
      assertOk(await call(s, GET_ADA, as(u)));
      await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: true });
      assertFault(await call(s, GET_ADA, as(u)), 20013, `Access denied: user ${u.userId} is blocked from API access`);
    });

    test('quota and rate both exhausted: 20015', async () => {
      const u = await addUser(s, { quotaPerDay: 2, ratePerWindow: 2 }, 'order_quota');
      assertOk(await call(s, GET_ADA, as(u)));
      assertOk(await call(s, GET_ADA, as(u)));
      const lim = await limitsOf(s, u.userId);
      assertFault(
        await call(s, GET_ADA, as(u)),
        20015,
        `Daily quota of 2 calls reached for user ${u.userId}; resets at ${lim.quotaResetsAt}`,
      );
    });

    test('rate exhausted with a call in flight at concurrency 1: 20023', async () => {
      const u = await addUser(s, { ratePerWindow: 1, concurrency: 1 }, 'order_rate');
      await delayRule(u, 400);
      const first = call(s, GET_ADA, as(u));
      await waitFor('the first call to be in flight', async () => (await inFlight(u)) === 1);
      assertFault(await call(s, GET_ADA, as(u)), 20023, /^Rate limit of 1 call per 20 s reached for user /);
      assertOk(await first);
    });

    test('concurrency exhausted beats every operation check: 20024', async () => {
      const u = await addUser(s, { concurrency: 1 }, 'order_conc');
      await delayRule(u, 500, 1);
      const first = call(s, GET_ADA, as(u));
      await waitFor('the first call to be in flight', async () => (await inFlight(u)) === 1);
      const expected = `Concurrency limit of 1 call in flight reached for user ${u.userId}`;
      assertFault(await call(s, GET_NOBODY, as(u)), 20024, expected);
      assertFault(await call(s, '<ns1:paramsGetLead/>', as(u)), 20024, expected);
      assertFault(
        await call(
          s,
          '<ns1:paramsGetLead><leadKey><keyType>PHONE</keyType><keyValue>1</keyValue></leadKey></ns1:paramsGetLead>',
          as(u),
        ),
        20024,
        expected,
      );
      assertFault(
        await call(s, '<ns1:paramsGetMultipleLeads><batchSize>ten</batchSize></ns1:paramsGetMultipleLeads>', as(u)),
        20024,
        expected,
      );
      assertOk(await first);
    });
  });

  test('every admitted call counts once against quota and window, whatever its outcome', async () => {
    const u = await addUser(s, {}, 'count_all');
    const outcomes: [number | null, HttpResult][] = [
      [null, await call(s, GET_ADA, as(u))],
      [20103, await call(s, GET_NOBODY, as(u))],
      [20101, await call(s, '<ns1:paramsGetLead/>', as(u))],
      [
        20102,
        await call(
          s,
          '<ns1:paramsGetLead><leadKey><keyType>PHONE</keyType><keyValue>1</keyValue></leadKey></ns1:paramsGetLead>',
          as(u),
        ),
      ],
      [
        20114,
        await call(s, '<ns1:paramsGetMultipleLeads><batchSize>ten</batchSize></ns1:paramsGetMultipleLeads>', as(u)),
      ],
      [20109, await call(s, '<ns1:paramsGetMultipleLeads/>', as(u))],
    ];
    for (const [code, r] of outcomes) {
      if (code === null) assertOk(r);
      else assert.match(r.text, new RegExp(`<code>${code}</code>`));
    }
    const lim = await limitsOf(s, u.userId);
    assert.equal(lim.quotaUsed, outcomes.length);
    assert.equal(lim.windowCalls, outcomes.length);
    assert.equal(lim.inFlight, 0);
  });

  test('calls rejected with 20013, 20015, 20023 and 20024 count against nothing', async () => {
    const u = await addUser(s, { quotaPerDay: 3, ratePerWindow: 2, concurrency: 1 }, 'count_none');
    await delayRule(u, 400, 1);
    const first = call(s, GET_ADA, as(u));
    await waitFor('the first call to be in flight', async () => (await inFlight(u)) === 1);
    assertFault(await call(s, GET_ADA, as(u)), 20024, /^Concurrency limit/);
    assertFault(await call(s, GET_ADA, as(u)), 20024, /^Concurrency limit/);
    assertOk(await first);
    assertOk(await call(s, GET_ADA, as(u)));
    assertFault(await call(s, GET_ADA, as(u)), 20023, /^Rate limit/);
    await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: true });
    assertFault(await call(s, GET_ADA, as(u)), 20013, /^Access denied/);
    await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: false });
    let lim = await limitsOf(s, u.userId);
    assert.deepEqual([lim.quotaUsed, lim.windowCalls, lim.inFlight], [2, 2, 0]);
    try {
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 21 });
      assertOk(await call(s, GET_ADA, as(u)));
      assertFault(await call(s, GET_ADA, as(u)), 20015, /^Daily quota of 3 calls reached/);
      lim = await limitsOf(s, u.userId);
      assert.deepEqual([lim.quotaUsed, lim.windowCalls], [3, 1]);
    } finally {
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    }
  });

  test('the journal records a 20103 with its faultCode and the signature masked', async () => {
    const u = await addUser(s, {}, 'journal');
    const ts = formatW3C(new Date(s.runtime.clock.now()));
    const signature = computeSignature(ts, u.userId, u.key);
    assertFault(
      await call(s, GET_NOBODY, { ...as(u), timestamp: ts }),
      20103,
      'No lead found with EMAIL = nobody@demo.example',
    );
    const j = await s.admin('GET', '/_mktows/journal?code=20103');
    assert.equal(j.status, 200);
    const mine = j.body.entries.filter((e: { userId: string }) => e.userId === u.userId);
    assert.equal(mine.length, 1);
    const [e] = mine;
    assert.ok(j.body.entries.every((x: { faultCode: number }) => x.faultCode === 20103));
    assert.equal(e.operation, 'getLead');
    assert.equal(e.status, 500);
    assert.equal(e.faultCode, 20103);
    assert.equal(typeof e.id, 'number');
    assert.equal(typeof e.durationMs, 'number');
    assert.ok(!Number.isNaN(Date.parse(e.time)));
    assert.ok(!e.request.includes(signature), 'the signature must be masked');
    assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
    assert.ok(e.request.includes('nobody@demo.example'));
    assert.match(e.response, /<faultstring>20103 - Lead Not Found<\/faultstring>/);
    assert.match(e.response, /<message>No lead found with EMAIL = nobody@demo\.example \(20103\)<\/message>/);
    assert.ok(!JSON.stringify(j.body).includes(u.key));
    assert.ok(!JSON.stringify(j.body).includes(KEY));
    const byOp = await s.admin('GET', '/_mktows/journal?code=20103&operation=syncLead');
    assert.equal(byOp.body.entries.length, 0);
  });
});
