/**
 * The per-call cost of the limits backends: admit + release of one call, memory against Redis
 * (127.0.0.1:6379, or MKTOWS_BENCH_REDIS_URL), in this process, in the same run. Two figures each:
 * one call at a time (the latency a lone call pays) and 50 calls in flight (what a busy server pays
 * per call, as in the getLead scenario's 50 connections).
 */
import { randomBytes } from 'node:crypto';
import { dist } from '../lib/common.mjs';

const REDIS_URL = process.env.MKTOWS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const LIMITS = { quotaPerDay: 1_000_000_000, ratePerWindow: 1_000_000_000, windowMs: 20_000, concurrency: 1_000_000 };
const IN_FLIGHT = 50;

/** µs per call over `calls` calls, `inFlight` at a time, each a different user of `users`. */
async function perCall(limits, calls, inFlight, users) {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const i = next++;
      const a = await limits.admit(`bench_${i % users}`, Date.now(), LIMITS);
      if (!a.ok) throw new Error(`bench call rejected: ${a.code}`);
      await a.lease.release();
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Number(process.hrtime.bigint() - t0) / 1000 / calls;
}

/** The best of `rounds` measurements, after a warm-up round. */
async function best(limits, calls, inFlight, rounds) {
  await perCall(limits, Math.min(calls, 2_000), inFlight, 100);
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) min = Math.min(min, await perCall(limits, calls, inFlight, 100));
  return min;
}

export async function runLimits(opts, log) {
  const { openLimits } = await dist('server', 'limits/open.js');
  const namespace = `bench.${randomBytes(6).toString('hex')}`;
  const calls = opts.limitsCalls;
  const rounds = Math.max(3, opts.rounds * 2);
  const memory = await openLimits('memory', { quotaTimeZone: 'America/Chicago' });
  let redis;
  try {
    redis = await openLimits(`${REDIS_URL}?namespace=${namespace}`, { quotaTimeZone: 'America/Chicago' });
  } catch (e) {
    log(`  Redis not reachable (${e.message}): Redis rows skipped`);
    return { available: false, calls };
  }
  try {
    const result = { available: true, calls, rounds, inFlight: IN_FLIGHT, memory: {}, redis: {} };
    for (const [name, l] of [
      ['memory', memory],
      ['redis', redis],
    ]) {
      result[name].sequentialUs = await best(l, calls, 1, rounds);
      result[name].concurrentUs = await best(l, calls, IN_FLIGHT, rounds);
      log(
        `  ${name}: ${result[name].sequentialUs.toFixed(1)} µs/call one at a time, ${result[name].concurrentUs.toFixed(1)} µs/call with ${IN_FLIGHT} in flight`,
      );
    }
    result.addedSequentialUs = result.redis.sequentialUs - result.memory.sequentialUs;
    result.addedConcurrentUs = result.redis.concurrentUs - result.memory.concurrentUs;
    return result;
  } finally {
    await redis.reset();
    await redis.close();
    await memory.close();
  }
}
