/** Opens the limits backend named by `--limits`: `memory` (one process) or `redis://…` (several replicas). */
import type { Limits } from './limits.js';
import { MemoryLimits, type MemoryLimitsOptions } from './memory.js';
import { connectRedis, parseRedisLimitsUrl } from './redis/connection.js';
import { RedisLimits } from './redis/redis-limits.js';

/** What every backend needs besides its URL. */
export interface LimitsOptions extends MemoryLimitsOptions {
  /** The movable clock's offset from wall time in ms: Redis scores windows in its own time plus this. */
  clockOffsetMs?: () => number;
}

export async function openLimits(url: string, options: LimitsOptions): Promise<Limits> {
  if (url === 'memory') return new MemoryLimits(options);
  if (/^rediss?:\/\//.test(url)) {
    const parsed = parseRedisLimitsUrl(url);
    const redis = await connectRedis(parsed.redisUrl, parsed.commandTimeoutMs);
    try {
      return new RedisLimits(redis, { ...options, prefix: parsed.prefix, leaseTtlMs: parsed.leaseTtlMs });
    } catch (e) {
      redis.disconnect();
      throw e;
    }
  }
  throw new Error(`--limits must be memory or redis://…; got "${url}"`);
}
