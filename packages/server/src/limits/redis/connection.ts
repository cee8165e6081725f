/**
 * The `--limits redis://[user:password@]host:port/db?leaseTtl=15s&namespace=x` URL and the client
 * connection it opens. The client fails fast while Redis is away (no offline queue, no retry of a
 * command, a command timeout) so that calls answer 10001 at once, and reconnects in the background
 * for as long as it takes, so that the server recovers without a restart.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { parseDuration } from '../parse.js';

export interface RedisLimitsUrl {
  /** The connection URL with mktows's own query parameters removed. */
  redisUrl: string;
  /** How long a lease outlives its last refresh: the bound on freeing a killed replica's leases. */
  leaseTtlMs: number;
  /** Every key starts with this: `mktows:` plus the namespace, if any. */
  prefix: string;
  /** How long one Redis command may take before the call answers 10001. */
  commandTimeoutMs: number;
}

export const DEFAULT_LEASE_TTL_MS = 15_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
/** Below this, the refresh (every TTL/3) would be a busy loop and a GC pause could expire a live lease. */
const MIN_LEASE_TTL_MS = 300;

export function parseRedisLimitsUrl(url: string): RedisLimitsUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--limits: invalid Redis URL "${url}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--limits: not a Redis URL "${url}"`);
  let leaseTtlMs = DEFAULT_LEASE_TTL_MS;
  let commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS;
  let prefix = 'mktows:';
  for (const [name, value] of u.searchParams) {
    if (name === 'leaseTtl') {
      leaseTtlMs = parseDuration(value);
      if (leaseTtlMs < MIN_LEASE_TTL_MS) throw new Error(`--limits: leaseTtl must be at least ${MIN_LEASE_TTL_MS}ms`);
    } else if (name === 'timeout') {
      commandTimeoutMs = parseDuration(value);
      if (commandTimeoutMs < 1) throw new Error('--limits: timeout must be at least 1ms');
    } else if (name === 'namespace') {
      if (!/^[\w.-]{1,100}$/.test(value)) throw new Error('--limits: namespace must be 1–100 of A–Z a–z 0–9 _ . -');
      prefix = `mktows:${value}:`;
    } else {
      throw new Error(`--limits: unknown parameter "${name}" (known: leaseTtl, timeout, namespace)`);
    }
  }
  u.search = '';
  return { redisUrl: u.toString(), leaseTtlMs, prefix, commandTimeoutMs };
}

/** Opens the connection and waits for it, so that a wrong URL stops the server at start. */
export async function connectRedis(redisUrl: string, commandTimeoutMs: number): Promise<Redis> {
  const options: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 2_000),
    // Reconnect forever, at most a second apart: recovery needs no restart.
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    enableReadyCheck: true,
    // Commands issued in the same tick (the admits of concurrent calls) share one write and one
    // read: the per-call cost under load is then mostly the script's own run time in Redis.
    enableAutoPipelining: true,
  };
  const redis = new Redis(redisUrl, options);
  // Errors surface on the commands; the event would otherwise be an unhandled 'error'. The last one
  // says why a connection failed (connect() itself only says it closed).
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => {
    lastError = e;
  });
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    const why = (lastError ?? (e as Error)).message;
    throw new Error(`--limits: cannot reach Redis at ${redacted(redisUrl)}: ${why}`, { cause: e });
  }
  return redis;
}

/** The URL without its password, for messages. */
export function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
