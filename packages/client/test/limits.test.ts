/**
 * Client-side limits against a server that enforces the same limits exactly. The window is lowered
 * to 50 calls per 1 s on BOTH sides (server windowMs 1000 and the user's ratePerWindow 50; the
 * client's limits { ratePerWindow: 50, windowMs: 1000 }) so that 300 calls cross six windows in a
 * few seconds; concurrency stays at the default 10. Every call is delayed 100 ms on the server so
 * that the concurrency limit binds too, even on a busy machine (10 calls × 100 ms is half a window). The proof is the server's: no call met 20023 or 20024,
 * and the journal's intervals never overlap more than 10 nor start more than 50 in any 1 s.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MktowsClient } from '../src/index.js';
import { getLeadParams, intervals, KEY, maxOverlap, startMktows, type TestServer } from './support.js';

let server: TestServer;
const WINDOW = 1000;
const RATE = 50;
const CONCURRENCY = 10;

before(async () => {
  server = await startMktows({ windowMs: WINDOW });
});
after(() => server.close());

/** Shrinks each interval by 1 ms at both ends: journal times have millisecond resolution. */
function shrink(iv: { start: number; end: number }[]) {
  return iv.map((i) => ({ start: i.start + 1, end: i.end - 1 }));
}

test('300 concurrent calls through one client: never more than 10 in flight nor 50 per 1 s on the server', async () => {
  const user = await server.user('limits', { ratePerWindow: RATE });
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', delayMs: 100, userId: user });
  const client = server.client(user, { limits: { ratePerWindow: RATE, windowMs: WINDOW } });
  // Sample the server's own view while the calls run.
  let maxInFlight = 0;
  let maxWindow = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const s = await server.admin('GET', `/_mktows/limits?userId=${user}`);
      maxInFlight = Math.max(maxInFlight, s.inFlight);
      maxWindow = Math.max(maxWindow, s.windowCalls);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: 300 }, () => client.getLead(getLeadParams())));
  const elapsed = performance.now() - t0;
  sampling = false;
  await sampler;
  assert.equal(results.length, 300);
  assert.ok(results.every((r) => r.count === 1));

  const j = await server.journal(user);
  assert.equal(j.length, 300, 'one attempt per call: nothing was refused and retried');
  assert.deepEqual(
    j.filter((e) => e.faultCode !== null).map((e) => e.faultCode),
    [],
  );
  const iv = intervals(j);
  assert.ok(maxOverlap(shrink(iv)) <= CONCURRENCY, `overlap ${maxOverlap(shrink(iv))}`);
  assert.equal(maxOverlap(shrink(iv)), CONCURRENCY, 'the concurrency limit was reached, not just respected');
  const starts = iv.map((i) => i.start).sort((a, b) => a - b);
  for (let i = 0; i + RATE < starts.length; i++) {
    assert.ok(
      starts[i + RATE] - starts[i] >= WINDOW - 1,
      `calls ${i}..${i + RATE} started within ${starts[i + RATE] - starts[i]} ms`,
    );
  }
  assert.ok(maxInFlight <= CONCURRENCY, `sampled inFlight ${maxInFlight}`);
  assert.ok(maxWindow <= RATE, `sampled windowCalls ${maxWindow}`);
  // 300 calls at 50 per window need at least five full windows after the first.
  assert.ok(elapsed >= 5 * WINDOW, `elapsed ${elapsed}`);
  assert.equal(client.quotaUsedToday, 300);
  const limits = await server.admin('GET', `/_mktows/limits?userId=${user}`);
  assert.equal(limits.quotaUsed, 300, "the client's quota count matches the server's");
});

test('two client instances of the same user share one set of limits', async () => {
  const user = await server.user('shared');
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', delayMs: 60, userId: user });
  const a = server.client(user);
  const b = new MktowsClient({ endpoint: server.endpoint, userId: user, encryptionKey: KEY });
  const calls = [
    ...Array.from({ length: 15 }, () => a.getLead(getLeadParams())),
    ...Array.from({ length: 15 }, () => b.getLead(getLeadParams())),
  ];
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(a.usage().inFlight, 10);
  assert.equal(b.usage().inFlight, 10, 'the same state seen from both');
  await Promise.all(calls);
  const j = await server.journal(user);
  assert.equal(j.length, 30);
  assert.ok(j.every((e) => e.faultCode === null));
  assert.ok(maxOverlap(shrink(intervals(j))) <= 10);
  assert.equal(a.usage().quotaUsedToday, 30);
});

test('usage() reports quota used today, the window and the reset', async () => {
  const user = await server.user('usage');
  const client = server.client(user);
  for (let i = 0; i < 3; i++) await client.getLead(getLeadParams());
  await client.getLead(getLeadParams('missing@nowhere.example')).catch(() => undefined);
  const u = client.usage();
  // The 20103 was admitted, so it counts; the server agrees.
  assert.equal(u.quotaUsedToday, 4);
  assert.equal(u.quotaRemaining, 10_000 - 4);
  assert.equal(u.windowCalls, 4);
  assert.equal(u.inFlight, 0);
  const s = await server.admin('GET', `/_mktows/limits?userId=${user}`);
  assert.equal(s.quotaUsed, 4);
  assert.equal(u.quotaResetsAt.toISOString(), s.quotaResetsAt);
});

test('limits: false sends at once (and the server, not the client, refuses)', async () => {
  const user = await server.user('nolimits', { concurrency: 2 });
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', delayMs: 50, userId: user });
  const client = server.client(user, { limits: false, retry: { maxLimitRetries: 0 } });
  const settled = await Promise.allSettled(Array.from({ length: 4 }, () => client.getLead(getLeadParams())));
  const refused = settled.filter((r) => r.status === 'rejected');
  assert.equal(refused.length, 2);
  assert.equal((refused[0] as PromiseRejectedResult).reason.code, 20024);
});
