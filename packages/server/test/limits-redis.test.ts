/**
 * What only the Redis limits backend has: the window scored in Redis's clock (moved by the admin
 * clock's offset), limits exact across instances that share a Redis, leases that expire when their
 * holder stops refreshing them, 10001 while Redis is away and recovery when it returns, and the
 * `--limits redis://…` URL. Runs with MKTOWS_TEST_LIMITS=redis (Redis at 127.0.0.1:6379).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { type Admission, type Lease, LimitsUnavailableError, type UserLimits } from '../src/limits/limits.js';
import { openLimits } from '../src/limits/open.js';
import { connectRedis, parseRedisLimitsUrl } from '../src/limits/redis/connection.js';
import { RedisLimits, type RedisLimitsOptions } from '../src/limits/redis/redis-limits.js';
import { assertFault, assertOk, call, getLeadByEmail, sleep, waitFor } from './support/fault-helpers.js';
import { startTestServer } from './support/harness.js';
import {
  deleteKeys,
  LIMITS_BACKEND,
  randomNamespace,
  randomPrefix,
  TEST_REDIS_URL,
} from './support/limits-backends.js';
import { TcpProxy } from './support/tcp-proxy.js';

const skip = LIMITS_BACKEND !== 'redis' && 'set MKTOWS_TEST_LIMITS=redis to run against Redis';
const CHICAGO = 'America/Chicago';
const OPEN: UserLimits = { quotaPerDay: 10_000, ratePerWindow: 1_000, windowMs: 20_000, concurrency: 100 };
const prefix = randomPrefix();
const opened: RedisLimits[] = [];

after(async () => {
  for (const l of opened) await l.close().catch(() => {});
  if (!skip) await deleteKeys(prefix);
});

async function redisLimits(options: Partial<RedisLimitsOptions> = {}, url = TEST_REDIS_URL): Promise<RedisLimits> {
  const l = new RedisLimits(await connectRedis(url, 500), { quotaTimeZone: CHICAGO, prefix, ...options });
  opened.push(l);
  return l;
}

function leaseOf(a: Admission): Lease {
  assert.ok(a.ok, a.ok ? '' : `expected admission, got ${a.code}: ${a.detail}`);
  return a.lease;
}

let users = 0;
const newUser = () => `u${++users}`;

describe('RedisLimits: several instances, one Redis', { skip }, () => {
  test('90 calls alternating over 3 instances, window 30: exactly 30 admitted, the rest 20023', async () => {
    const replicas = [await redisLimits(), await redisLimits(), await redisLimits()];
    const u = newUser();
    const lim = { ...OPEN, ratePerWindow: 30 };
    const results = await Promise.all(Array.from({ length: 90 }, (_, i) => replicas[i % 3].admit(u, Date.now(), lim)));
    assert.equal(results.filter((a) => a.ok).length, 30);
    assert.equal(results.filter((a) => !a.ok && a.code === 20023).length, 60);
    for (const a of results) if (a.ok) await a.lease.release();
    const snap = await replicas[1].snapshot(u, Date.now(), lim);
    assert.deepEqual([snap.quotaUsed, snap.windowCalls, snap.inFlight], [30, 30, 0]);
  });

  test('quota 20 and concurrency 4 hold across instances; rejected calls take nothing', async () => {
    const [a, b] = [await redisLimits(), await redisLimits()];
    const u = newUser();
    const lim = { ...OPEN, quotaPerDay: 20, concurrency: 4 };
    const first = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).admit(u, Date.now(), lim)));
    assert.equal(first.filter((r) => r.ok).length, 4);
    assert.equal(first.filter((r) => !r.ok && r.code === 20024).length, 8);
    for (const r of first) if (r.ok) await r.lease.release();
    let admitted = 4;
    for (let i = 0; i < 40; i++) {
      const r = await (i % 2 ? a : b).admit(u, Date.now(), lim);
      if (r.ok) {
        admitted++;
        await r.lease.release();
      } else assert.equal(r.code, 20015);
    }
    assert.equal(admitted, 20);
  });

  test('no window of the window’s length ever holds more than the limit, across window edges (3 instances, 3 s)', async () => {
    const replicas = [await redisLimits(), await redisLimits(), await redisLimits()];
    const watcher = await connectRedis(TEST_REDIS_URL, 500);
    const u = newUser();
    const lim = { ...OPEN, ratePerWindow: 10, windowMs: 500 };
    const key = `${prefix}{${u}}:w`;
    // Every admitted call stays in the window set for 500 ms: reading it every 50 ms sees them all.
    const seen = new Map<string, number>();
    let running = true;
    const watch = (async () => {
      while (running) {
        const flat = await watcher.zrange(key, 0, -1, 'WITHSCORES');
        for (let i = 0; i < flat.length; i += 2) seen.set(flat[i], Number(flat[i + 1]));
        await sleep(50);
      }
    })();
    let admitted = 0;
    const end = Date.now() + 3_000;
    await Promise.all(
      replicas.map(async (l) => {
        while (Date.now() < end) {
          const a = await l.admit(u, Date.now(), lim);
          if (a.ok) {
            admitted++;
            await a.lease.release();
          }
          await sleep(Math.random() * 8);
        }
      }),
    );
    await sleep(100);
    running = false;
    await watch;
    watcher.disconnect();
    assert.equal(seen.size, admitted, 'the watcher saw every admitted call');
    // A fixed or "enhanced fixed" window would admit up to 20 across a window edge; sliding admits 10.
    const times = [...seen.values()].sort((x, y) => x - y);
    let worst = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= lim.windowMs * 1000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    console.log(`# ${admitted} calls admitted in 3 s over 3 instances; at most ${worst} in any 500 ms`);
    assert.equal(worst, 10, `at most 10 calls in any 500 ms (${admitted} admitted in 3 s)`);
    assert.ok(admitted >= 30 && admitted <= 70, `${admitted} admitted in 3 s at 10 per 500 ms`);
  });

  test('the window is in Redis time plus the clock offset: moving the offset by a window admits again', async () => {
    let offset = 0;
    const l = await redisLimits({ clockOffsetMs: () => offset });
    const u = newUser();
    const lim = { ...OPEN, ratePerWindow: 2, windowMs: 60_000 };
    await leaseOf(await l.admit(u, Date.now(), lim)).release();
    await leaseOf(await l.admit(u, Date.now(), lim)).release();
    const third = await l.admit(u, Date.now(), lim);
    assert.ok(!third.ok && third.code === 20023 && third.retryAfterMs > 59_000 && third.retryAfterMs <= 60_000);
    offset = 60_000;
    assert.equal((await l.snapshot(u, Date.now() + offset, lim)).windowCalls, 0);
    await leaseOf(await l.admit(u, Date.now() + offset, lim)).release();
  });
});

describe('RedisLimits: leases', { skip }, () => {
  test('a held lease is kept alive past its TTL by the refresh timer', async () => {
    // A TTL far above a loaded machine's event-loop stalls, so that only a missing refresh can expire it.
    const l = await redisLimits({ leaseTtlMs: 1_500 });
    const u = newUser();
    const lease = leaseOf(await l.admit(u, Date.now(), OPEN));
    await sleep(4_000);
    assert.equal((await l.snapshot(u, Date.now(), OPEN)).inFlight, 1);
    await lease.release();
    assert.equal((await l.snapshot(u, Date.now(), OPEN)).inFlight, 0);
  });

  test('leases of an instance that lost its connection free within one TTL', async () => {
    const TTL = 1_000;
    const dead = await redisLimits({ leaseTtlMs: TTL });
    const alive = await redisLimits({ leaseTtlMs: TTL });
    const u = newUser();
    const lim = { ...OPEN, concurrency: 2 };
    leaseOf(await dead.admit(u, Date.now(), lim));
    leaseOf(await dead.admit(u, Date.now(), lim));
    assert.equal((await alive.admit(u, Date.now(), lim)).ok, false);
    // As a killed process: no release and no refresh from now on.
    (dead as unknown as { redis: Redis }).redis.disconnect();
    const cut = Date.now();
    await waitFor(
      'the dead instance’s leases to expire',
      async () => (await alive.snapshot(u, Date.now(), lim)).inFlight === 0,
      3_000,
    );
    // Within one TTL of the cut, plus the polling's own latency.
    assert.ok(Date.now() - cut <= TTL + 300, `freed after ${Date.now() - cut} ms`);
    await leaseOf(await alive.admit(u, Date.now(), lim)).release();
  });

  test('reset forgets every lease; a lease released or refreshed afterwards is not brought back', async () => {
    const l = await redisLimits({ prefix: `${prefix}reset:`, leaseTtlMs: 300 });
    const u = newUser();
    const lim = { ...OPEN, concurrency: 1 };
    const old = leaseOf(await l.admit(u, Date.now(), lim));
    await l.reset();
    await sleep(250); // a refresh tick passes
    assert.equal((await l.snapshot(u, Date.now(), lim)).inFlight, 0);
    const fresh = leaseOf(await l.admit(u, Date.now(), lim));
    await old.release();
    assert.equal((await l.snapshot(u, Date.now(), lim)).inFlight, 1);
    await fresh.release();
    await l.close();
  });
});

describe('RedisLimits: Redis away', { skip }, () => {
  test('while Redis is unreachable admit fails fast with LimitsUnavailableError; it recovers without a restart', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    try {
      const l = await redisLimits({}, `redis://127.0.0.1:${proxy.port}/0`);
      const u = newUser();
      await leaseOf(await l.admit(u, Date.now(), OPEN)).release();
      await proxy.stop();
      for (let i = 0; i < 3; i++) {
        const t0 = Date.now();
        await assert.rejects(l.admit(u, Date.now(), OPEN), LimitsUnavailableError);
        assert.ok(Date.now() - t0 < 1_000, `failed after ${Date.now() - t0} ms`);
        await sleep(100);
      }
      await proxy.start();
      await waitFor(
        'the limits to recover',
        async () => (await l.admit(u, Date.now(), OPEN).catch(() => undefined))?.ok === true,
        5_000,
      );
    } finally {
      await proxy.stop();
    }
  });

  test('over HTTP: 10001 while Redis is away, answered again when it is back', async () => {
    const target = new URL(TEST_REDIS_URL);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    await proxy.start();
    const namespace = randomNamespace();
    const s = await startTestServer({
      store: 'sqlite::memory:',
      seed: 'demo',
      limits: `redis://127.0.0.1:${proxy.port}/0?namespace=${namespace}&timeout=500ms`,
    });
    try {
      const health = await s.admin('GET', '/_mktows/health');
      assert.equal(health.body.limits, 'redis');
      const GET_ADA = getLeadByEmail('ada@demo.example');
      assertOk(await call(s, GET_ADA));
      await proxy.stop();
      assertFault(await call(s, GET_ADA), 10001, /.*/);
      await proxy.start();
      await waitFor('calls to be answered again', async () => (await call(s, GET_ADA)).status === 200, 5_000);
    } finally {
      await s.close();
      await proxy.stop();
      await deleteKeys(`mktows:${namespace}:`);
    }
  });

  test('openLimits refuses to start when Redis cannot be reached, saying where', async () => {
    await assert.rejects(openLimits('redis://127.0.0.1:1/0', { quotaTimeZone: CHICAGO }), {
      message: /^--limits: cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0: connect ECONNREFUSED/,
    });
  });
});

describe('the --limits redis:// URL', () => {
  test('leaseTtl, timeout and namespace are read and removed from the connection URL', () => {
    assert.deepEqual(parseRedisLimitsUrl('redis://127.0.0.1:6379/0'), {
      redisUrl: 'redis://127.0.0.1:6379/0',
      leaseTtlMs: 15_000,
      prefix: 'mktows:',
      commandTimeoutMs: 1_000,
    });
    assert.deepEqual(parseRedisLimitsUrl('redis://:pw@h:1/2?leaseTtl=3s&timeout=250ms&namespace=staging'), {
      redisUrl: 'redis://:pw@h:1/2',
      leaseTtlMs: 3_000,
      prefix: 'mktows:staging:',
      commandTimeoutMs: 250,
    });
  });

  test('bad parameters are refused with a clear message', () => {
    assert.throws(() => parseRedisLimitsUrl('redis://h/0?leaseTtl=100ms'), {
      message: '--limits: leaseTtl must be at least 300ms',
    });
    assert.throws(() => parseRedisLimitsUrl('redis://h/0?lease=3s'), {
      message: '--limits: unknown parameter "lease" (known: leaseTtl, timeout, namespace)',
    });
    assert.throws(() => parseRedisLimitsUrl('redis://h/0?namespace=a*b'), {
      message: '--limits: namespace must be 1–100 of A–Z a–z 0–9 _ . -',
    });
    assert.throws(() => parseRedisLimitsUrl('redis://h/0?leaseTtl=soon'), /^Error: Invalid duration "soon"/);
  });
});
