/**
 * Several `mktows serve` processes sharing `--limits redis://…`: one user's quota, sliding window
 * and concurrency hold exactly across all of them, and the leases of a replica killed with
 * `kill -9` are freed within the lease TTL. Runs with MKTOWS_TEST_LIMITS=redis.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sleep, waitFor } from './support/fault-helpers.js';
import { deleteKeys, LIMITS_BACKEND, randomNamespace, TEST_REDIS_URL } from './support/limits-backends.js';
import { admin, callCode, type Replica, startReplica } from './support/replicas.js';

const skip = LIMITS_BACKEND !== 'redis' && 'set MKTOWS_TEST_LIMITS=redis to run against Redis';
const LEASE_TTL_MS = 3_000;
const NAMESPACE = randomNamespace();
const LIMITS_URL = `${TEST_REDIS_URL}?namespace=${NAMESPACE}&leaseTtl=${LEASE_TTL_MS}ms`;

function tally(codes: number[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const c of codes) {
    const k = c === 0 ? 'ok' : String(c);
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

let users = 0;
/** The same user, with the same limits, on every replica. */
async function addUser(
  replicas: Replica[],
  limits: { quotaPerDay?: number; ratePerWindow?: number; concurrency?: number },
): Promise<{ userId: string; key: string }> {
  const userId = `replicas_${process.pid}_${++users}`;
  const key = `key-for-${userId}-0123456789`;
  for (const r of replicas) await admin(r, 'POST', '/_mktows/users', { userId, encryptionKey: key, ...limits });
  return { userId, key };
}

describe('replicas sharing --limits redis://', { skip, timeout: 60_000 }, () => {
  let replicas: Replica[] = [];

  before(async () => {
    const args = ['--store', 'sqlite::memory:', '--seed', 'demo', '--limits', LIMITS_URL];
    replicas = await Promise.all([startReplica(args), startReplica(args), startReplica(args)]);
  });

  after(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await deleteKeys(`mktows:${NAMESPACE}:`);
  });

  test('every replica reports limits "redis"', async () => {
    for (const r of replicas) assert.equal((await admin(r, 'GET', '/_mktows/health')).limits, 'redis');
  });

  test('window 30: 90 calls alternating over 3 replicas admit exactly 30', async () => {
    const u = await addUser(replicas, { ratePerWindow: 30, concurrency: 100 });
    const codes = await Promise.all(Array.from({ length: 90 }, (_, i) => callCode(replicas[i % 3], u)));
    assert.deepEqual(tally(codes), { ok: 30, 20023: 60 });
    const lim = await admin(replicas[2], 'GET', `/_mktows/limits?userId=${u.userId}`);
    assert.deepEqual([lim.quotaUsed, lim.windowCalls, lim.inFlight], [30, 30, 0]);
  });

  test('concurrency 4: 12 delayed calls alternating over 3 replicas admit exactly 4', async () => {
    const u = await addUser(replicas, { concurrency: 4 });
    for (const r of replicas)
      await admin(r, 'POST', '/_mktows/faults', { operation: '*', delayMs: 1_500, userId: u.userId });
    try {
      const codes = await Promise.all(Array.from({ length: 12 }, (_, i) => callCode(replicas[i % 3], u)));
      assert.deepEqual(tally(codes), { ok: 4, 20024: 8 });
    } finally {
      for (const r of replicas) await admin(r, 'DELETE', '/_mktows/faults');
    }
  });

  test('quota 20: 45 calls alternating over 3 replicas admit exactly 20', async () => {
    const u = await addUser(replicas, { quotaPerDay: 20 });
    const codes: number[] = [];
    for (let i = 0; i < 45; i += 5) {
      codes.push(...(await Promise.all(Array.from({ length: 5 }, (_, j) => callCode(replicas[(i + j) % 3], u)))));
    }
    assert.deepEqual(tally(codes), { ok: 20, 20015: 25 });
  });

  test(`a replica killed with kill -9 while holding leases frees them within the lease TTL (${LEASE_TTL_MS} ms)`, async () => {
    const u = await addUser(replicas, { concurrency: 3 });
    const victim = replicas[2];
    await admin(victim, 'POST', '/_mktows/faults', { operation: '*', delayMs: 30_000, userId: u.userId });
    const held = Array.from({ length: 3 }, () => callCode(victim, u).catch(() => -1));
    const inFlight = async () => (await admin(replicas[0], 'GET', `/_mktows/limits?userId=${u.userId}`)).inFlight;
    await waitFor('3 calls in flight on the victim', async () => (await inFlight()) === 3, 5_000);
    assert.equal(await callCode(replicas[0], u), 20024);
    // Outlive at least one refresh, so the leases are known to be kept alive while the process runs.
    await sleep(LEASE_TTL_MS);
    assert.equal(await inFlight(), 3);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killed = Date.now();
    await waitFor(
      'the killed replica’s leases to be freed',
      async () => (await inFlight()) === 0,
      LEASE_TTL_MS + 2_000,
    );
    const freedAfterMs = Date.now() - killed;
    console.log(`# leases of the killed replica freed ${freedAfterMs} ms after kill -9 (lease TTL ${LEASE_TTL_MS} ms)`);
    // The bound is one TTL; the margin is the polling's own latency over HTTP on a loaded machine.
    assert.ok(freedAfterMs <= LEASE_TTL_MS + 500, `freed after ${freedAfterMs} ms`);
    assert.equal(await callCode(replicas[1], u), 0);
    await Promise.all(held);
  });
});
