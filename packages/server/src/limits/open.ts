/** Opens the limits backend named by `--limits`: `memory` (one process); redis://… comes later. */
import type { Limits } from './limits.js';
import { MemoryLimits, type MemoryLimitsOptions } from './memory.js';

/** What every backend needs besides its URL. */
export type LimitsOptions = MemoryLimitsOptions;

export async function openLimits(url: string, options: LimitsOptions): Promise<Limits> {
  if (url === 'memory') return new MemoryLimits(options);
  if (/^rediss?:\/\//.test(url)) throw new Error('the Redis limits backend is not available yet; use --limits memory');
  throw new Error(`--limits must be memory or redis://…; got "${url}"`);
}
