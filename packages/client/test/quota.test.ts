/**
 * 20015: QuotaExceededError.resetsAt is the next 00:00 America/Chicago on the server's clock,
 * right on both sides of the 2026 DST changes (8 March, 1 November). The server's clock is moved
 * there with POST /_mktows/clock; the client, whose own clock runs an hour slow, first meets 20016
 * (its timestamps are outside the window of both the real time and the moved clock), learns the
 * skew, re-signs, spends the user's quota of 1, then meets 20015.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { QuotaExceededError } from '../src/index.js';
import { getLeadParams, startMktows, type TestServer } from './support.js';

let server: TestServer;

before(async () => {
  server = await startMktows();
});
after(() => server.close());
afterEach(() => server.admin('POST', '/_mktows/clock', { offsetSeconds: 0 }));

async function serverAt(instant: string): Promise<void> {
  await server.admin('POST', '/_mktows/clock', { offsetSeconds: (Date.parse(instant) - Date.now()) / 1000 });
}

/** A client clock an hour slow: outside the signature window of the real time and of the moved clock. */
const SLOW_CLOCK = () => Date.now() - 3_600_000;

const CASES = [
  // [server time, expected reset, what]
  ['2026-03-07T18:00:00-06:00', '2026-03-08T06:00:00.000Z', 'the evening before spring-forward (CST midnight)'],
  [
    '2026-03-08T01:30:00-06:00',
    '2026-03-09T05:00:00.000Z',
    'the night of spring-forward, before 02:00 (next midnight is CDT)',
  ],
  ['2026-03-08T18:00:00-05:00', '2026-03-09T05:00:00.000Z', 'the evening after spring-forward (CDT midnight)'],
  ['2026-10-31T18:00:00-05:00', '2026-11-01T05:00:00.000Z', 'the evening before fall-back (CDT midnight)'],
  ['2026-11-01T01:30:00-05:00', '2026-11-02T06:00:00.000Z', 'the first 01:30 of fall-back day (next midnight is CST)'],
  ['2026-11-01T18:00:00-06:00', '2026-11-02T06:00:00.000Z', 'the evening after fall-back (CST midnight)'],
] as const;

describe('QuotaExceededError.resetsAt across DST (America/Chicago)', () => {
  for (const [at, reset, what] of CASES) {
    test(`server clock at ${at}, ${what}: resets at ${reset}`, async () => {
      const user = await server.user('quota', { quotaPerDay: 1 });
      await serverAt(at);
      const client = server.client(user, { quotaPerDay: 1, now: SLOW_CLOCK });
      assert.equal((await client.getLead(getLeadParams())).count, 1);
      const e = await client.getLead(getLeadParams()).catch((x) => x);
      assert.ok(e instanceof QuotaExceededError, String(e));
      assert.equal(e.code, 20015);
      assert.equal(e.category, 'limit');
      assert.equal(e.local, false);
      assert.equal(e.attempts, 1);
      assert.equal(e.resetsAt.toISOString(), reset);
      const limits = await server.admin('GET', `/_mktows/limits?userId=${user}`);
      assert.equal(limits.quotaResetsAt, reset, 'the server agrees');
      assert.equal(client.usage().quotaBlockedUntil?.toISOString(), reset);

      // By default, no further calls until the reset: refused without a request.
      const before = (await server.journal(user)).length;
      const again = await client.getLead(getLeadParams()).catch((x) => x);
      assert.ok(again instanceof QuotaExceededError);
      assert.equal(again.local, true);
      assert.equal(again.attempts, 0);
      assert.equal(again.resetsAt.toISOString(), reset);
      assert.equal((await server.journal(user)).length, before, 'nothing was sent');
      const journal = await server.journal(user);
      assert.deepEqual(
        journal.map((j) => j.faultCode),
        [20016, null, 20015],
      );
    });
  }
});

test('the block lifts at the reset: the next day the calls go out again', async () => {
  const user = await server.user('quota_next', { quotaPerDay: 1 });
  await serverAt('2026-11-01T23:59:58-06:00');
  const client = server.client(user, { now: SLOW_CLOCK });
  await client.getLead(getLeadParams());
  const e = await client.getLead(getLeadParams()).catch((x) => x);
  assert.ok(e instanceof QuotaExceededError);
  assert.equal(e.resetsAt.toISOString(), '2026-11-02T06:00:00.000Z');
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await client.getLead(getLeadParams())).count, 1, 'a new quota day');
  assert.equal(client.usage().quotaUsedToday, 1);
});

test('stopOnQuotaExceeded: false lets every call reach the server', async () => {
  const user = await server.user('quota_nostop', { quotaPerDay: 1 });
  const client = server.client(user, { stopOnQuotaExceeded: false });
  await client.getLead(getLeadParams());
  for (let i = 0; i < 2; i++) {
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof QuotaExceededError);
    assert.equal(e.local, false);
  }
  assert.equal((await server.journal(user)).length, 3);
});
