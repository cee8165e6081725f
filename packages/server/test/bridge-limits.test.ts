/**
 * The bridge keeps the instance inside its REST limits by itself (issue #13 item 4): a burst of SOAP
 * calls queues on the bridge's --upstream-* limits, set below the emulator's --rest-* ones, so the
 * emulator never answers 606 or 615; the bridge's daily allowance ends in 20015 without a REST
 * call; a 606 that comes back anyway slows every call of the bridge; with --limits redis:// two
 * bridge replicas share one upstream window (under MKTOWS_TEST_LIMITS=redis).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BridgePair, bridgeStoreUrl, startBridgePair } from './support/bridge.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { deleteKeys, LIMITS_BACKEND, randomNamespace, TEST_REDIS_URL } from './support/limits-backends.js';

const ADA = getLeadBody('EMAIL', 'ada@demo.example');

/** REST calls the emulator refused with this code, from its journal. */
async function refused(emulator: TestServer, code: number): Promise<number> {
  const r = await emulator.admin('GET', `/_mktows/journal?api=rest&code=${code}`);
  assert.equal(r.status, 200);
  return r.body.entries.length;
}

/** `n` getLeads at once on `bridge`; every one must succeed. */
async function burst(bridge: TestServer, n: number): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) => bridge.soap(getLeadBody('IDNUM', String((i % 20) + 1)))),
  );
  for (const a of answers) assert.equal(a.status, 200, a.text);
}

describe('bridge limits', () => {
  test('a burst queues on the bridge: all SOAP calls succeed, the emulator sees no 606 or 615', async () => {
    const p = await startBridgePair({
      emulator: { restRatePerWindow: 8, restWindowMs: 1_000, restConcurrency: 3 },
      bridge: { upstreamRatePerWindow: 4, upstreamWindowMs: 1_000, upstreamConcurrency: 2, concurrency: 100 },
    });
    try {
      const started = Date.now();
      await burst(p.bridge, 12);
      const ms = Date.now() - started;
      // 13 REST calls (describe + 12) at 4 per second: at least 2 s of queueing, and bounded.
      assert.ok(ms >= 2_000 && ms < 20_000, `${ms} ms`);
      assert.equal(await refused(p.emulator, 606), 0);
      assert.equal(await refused(p.emulator, 615), 0);
      const rest = await p.emulator.admin('GET', '/_mktows/journal?api=rest&operation=getLeadsByFilterUsingGET');
      assert.equal(rest.body.entries.length, 12);
      const metrics = await (await fetch(`${p.bridge.url}/metrics`)).text();
      assert.match(
        metrics,
        /^mktows_upstream_calls_total\{method="GET",path="\/rest\/v1\/leads\.json",result="ok"\} 12$/m,
      );
      assert.doesNotMatch(metrics, /mktows_upstream_calls_total\{[^}]*result="60[67]"/);
    } finally {
      await p.close();
    }
  });

  test('--upstream-quota-per-day used up: 20015 from the bridge, no REST call made', async () => {
    const p = await startBridgePair({ bridge: { upstreamQuotaPerDay: 2 } });
    try {
      assert.equal((await p.bridge.soap(ADA)).status, 200); // describe + leads
      const r = await p.bridge.soap(ADA);
      assert.equal(r.fault?.code, 20015, r.text);
      assert.equal(
        r.fault?.message,
        "The bridge's daily allowance of REST calls to the Marketo instance (--upstream-quota-per-day 2) is used up (20015)",
      );
      assert.deepEqual(await p.lastUpstream(), []);
    } finally {
      await p.close();
    }
  });

  test('a 606 that comes back slows every call of the bridge for a second', async () => {
    const p: BridgePair = await startBridgePair();
    try {
      assert.equal((await p.bridge.soap(ADA)).status, 200);
      const add = await p.emulator.admin('POST', '/_mktows/faults', {
        operation: 'getLeadsByFilterUsingGET',
        code: 606,
        count: 1,
      });
      assert.equal(add.status, 200);
      const t0 = Date.now();
      const first = p.bridge.soap(ADA);
      await new Promise((r) => setTimeout(r, 200));
      // This call draws no 606 itself, yet waits out the slow-down the first one's 606 set.
      const t1 = Date.now();
      const second = await p.bridge.soap(getLeadBody('IDNUM', '2'));
      const secondMs = Date.now() - t1;
      assert.equal(second.status, 200, second.text);
      assert.equal((await first).status, 200);
      const firstMs = Date.now() - t0;
      assert.ok(firstMs >= 1_000, `first ${firstMs} ms`);
      assert.ok(secondMs >= 600, `second ${secondMs} ms`);
      const entries = (await p.bridge.admin('GET', '/_mktows/journal?limit=2')).body.entries;
      const codes = entries.map((e: { upstream: { code: string | null }[] }) => e.upstream.map((u) => u.code));
      assert.deepEqual(codes.sort(), [['606', null], [null]].sort());
      assert.equal(await refused(p.emulator, 606), 1);
    } finally {
      await p.close();
    }
  });
});

describe('bridge limits shared by two replicas over Redis', {
  skip: LIMITS_BACKEND !== 'redis' && 'set MKTOWS_TEST_LIMITS=redis to run against Redis',
}, () => {
  test('two bridges with one --limits redis:// keep one upstream window: no 606 from the emulator', async () => {
    const namespace = randomNamespace();
    const limits = `${TEST_REDIS_URL}?namespace=${namespace}`;
    // Each bridge allows itself 3 per 2 s; unshared, the two would send 6 at once where the emulator
    // takes 5. Shared, 3 leave a margin for the time a call takes from one to the other.
    const p = await startBridgePair({
      emulator: { restRatePerWindow: 5, restWindowMs: 2_000 },
      bridge: { limits, upstreamRatePerWindow: 3, upstreamWindowMs: 2_000, upstreamConcurrency: 10 },
    });
    const second = await startTestServer({
      store: bridgeStoreUrl(p.emulator),
      bridgeState: 'sqlite::memory:',
      ratePerWindow: 100_000,
      limits,
      upstreamRatePerWindow: 3,
      upstreamWindowMs: 2_000,
      upstreamConcurrency: 10,
    });
    try {
      await Promise.all([burst(p.bridge, 4), burst(second, 4)]);
      assert.equal(await refused(p.emulator, 606), 0);
      const rest = await p.emulator.admin('GET', '/_mktows/journal?api=rest&operation=getLeadsByFilterUsingGET');
      assert.equal(rest.body.entries.length, 8);
    } finally {
      await second.close();
      await p.close();
      await deleteKeys(`mktows:${namespace}:`);
    }
  });
});
