/**
 * The limits backend the limits contract tests run against, chosen by MKTOWS_TEST_LIMITS: `memory`
 * (the default) or `redis` (127.0.0.1:6379, or MKTOWS_TEST_REDIS_URL). Each test file gets its own
 * random key prefix, and its keys are deleted when its tests end.
 */
import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { Limits } from '../../src/limits/limits.js';
import { MemoryLimits } from '../../src/limits/memory.js';
import { connectRedis } from '../../src/limits/redis/connection.js';
import { RedisLimits, type RedisLimitsOptions } from '../../src/limits/redis/redis-limits.js';

export type LimitsBackendId = 'memory' | 'redis';

export const LIMITS_BACKEND: LimitsBackendId = (() => {
  const id = (process.env.MKTOWS_TEST_LIMITS ?? 'memory').trim() || 'memory';
  if (id !== 'memory' && id !== 'redis') throw new Error(`MKTOWS_TEST_LIMITS must be memory or redis; got "${id}"`);
  return id;
})();

export const TEST_REDIS_URL = process.env.MKTOWS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix no other test file or run shares: `mktows:test.<random>.`. */
export function randomPrefix(): string {
  return `mktows:${randomNamespace()}.`;
}

/** A `?namespace=` no other test file or run shares; its keys are under `mktows:<namespace>:`. */
export function randomNamespace(): string {
  return `test.${randomBytes(6).toString('hex')}`;
}

const prefix = randomPrefix();
const opened: Limits[] = [];
let servers = 0;

after(async () => {
  for (const l of opened) await l.close().catch(() => {});
  // Servers started with testLimitsUrl() have namespaces under the same prefix.
  if (LIMITS_BACKEND === 'redis' && (opened.length > 0 || servers > 0)) await deleteKeys(prefix);
});

/** The --limits of a test server: `memory`, or under MKTOWS_TEST_LIMITS=redis a namespace of this file's. */
export function testLimitsUrl(): string {
  if (LIMITS_BACKEND === 'memory') return 'memory';
  return `${TEST_REDIS_URL}?namespace=${prefix.slice('mktows:'.length)}s${++servers}`;
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(keyPrefix: string): Promise<void> {
  const redis = await connectRedis(TEST_REDIS_URL, 2_000);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * A new limiter with no state. On Redis, the window follows the caller's `now` (the suite's fake
 * times are far from real time) and each limiter gets its own namespace under the file's prefix.
 */
export async function openTestLimits(
  quotaTimeZone: string,
  redisOptions: Partial<RedisLimitsOptions> = {},
): Promise<Limits> {
  if (LIMITS_BACKEND === 'memory') return new MemoryLimits({ quotaTimeZone });
  const redis = await connectRedis(TEST_REDIS_URL, 2_000);
  const l = new RedisLimits(redis, {
    quotaTimeZone,
    prefix: `${prefix}${opened.length}:`,
    windowClock: 'caller',
    ...redisOptions,
  });
  opened.push(l);
  return l;
}
