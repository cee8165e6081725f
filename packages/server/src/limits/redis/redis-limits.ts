/**
 * Limits shared by every replica through one Redis (`--limits redis://…`). Each admit is one Lua
 * script (scripts.ts), atomic in Redis, so the limits hold exactly across replicas: never more than
 * the limit admitted in any window, and a rejected call counts against nothing.
 *
 * Clocks. The quota day comes from the `now` the server passes (its movable clock), so day
 * boundaries follow the admin clock as with the memory backend. The sliding window is scored in
 * Redis TIME plus the movable clock's offset from wall time: one clock for every replica, whatever
 * their own clocks say, still moved by the admin clock. Leases expire in plain Redis TIME.
 *
 * Leases. A lease is an id in the user's lease set scored by its expiry (TTL, 15 s by default).
 * One timer per process pushes the expiry of every lease it holds forward every TTL/3 while the
 * call runs; the admit script counts only leases not yet expired. So a replica killed with
 * `kill -9` frees its leases at most one TTL after its last refresh.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type Admission,
  assertUserLimits,
  concurrencyDetail,
  type Lease,
  type Limits,
  type LimitsSnapshot,
  LimitsUnavailableError,
  quotaDetail,
  rateDetail,
  type UserLimits,
} from '../limits.js';
import { QuotaDays } from '../quota-days.js';
import { DEFAULT_LEASE_TTL_MS } from './connection.js';
import { ADMIT, REFRESH, SNAPSHOT } from './scripts.js';

export interface RedisLimitsOptions {
  /** IANA zone whose midnight ends the quota day. */
  quotaTimeZone: string;
  /** Every key starts with it; tests isolate themselves with a random one. */
  prefix?: string;
  leaseTtlMs?: number;
  /**
   * Which clock scores the sliding window: `redis` (Redis TIME plus `clockOffsetMs()`, the default,
   * for several replicas) or `caller` (the `now` passed to admit, for one clock that may be far from
   * real time, as in the contract tests).
   */
  windowClock?: 'redis' | 'caller';
  /** The movable clock's offset from wall time, in ms (0 when not given). */
  clockOffsetMs?: () => number;
}

type Reply = (number | string | null)[];

/** The scripts, registered with ioredis (EVALSHA, falling back to EVAL after a Redis restart). */
interface Scripts {
  mktowsAdmit(...args: (string | number)[]): Promise<Reply>;
  mktowsRefresh(...args: (string | number)[]): Promise<number>;
  mktowsSnapshot(...args: (string | number)[]): Promise<Reply>;
}

/** Redis scripts take -1 for no limit. */
function figure(n: number): number {
  return Number.isFinite(n) ? n : -1;
}

export class RedisLimits implements Limits {
  readonly kind = 'redis' as const;
  readonly leaseTtlMs: number;
  private readonly redis: Redis & Scripts;
  private readonly days: QuotaDays;
  private readonly prefix: string;
  private readonly windowClock: 'redis' | 'caller';
  private readonly clockOffsetMs: () => number;
  /** Leases this process holds, by lease key: what the refresh timer keeps alive. */
  private readonly held = new Map<string, Set<string>>();
  private readonly refreshTimer: NodeJS.Timeout;
  /** Call ids are unique across replicas: a random process id and a counter. */
  private readonly processId = randomBytes(9).toString('base64url');
  private seq = 0;
  private closed = false;

  constructor(redis: Redis, options: RedisLimitsOptions) {
    this.days = new QuotaDays(options.quotaTimeZone);
    this.prefix = options.prefix ?? 'mktows:';
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.windowClock = options.windowClock ?? 'redis';
    this.clockOffsetMs = options.clockOffsetMs ?? (() => 0);
    redis.defineCommand('mktowsAdmit', { numberOfKeys: 3, lua: ADMIT });
    redis.defineCommand('mktowsRefresh', { numberOfKeys: 1, lua: REFRESH });
    redis.defineCommand('mktowsSnapshot', { numberOfKeys: 3, lua: SNAPSHOT });
    this.redis = redis as Redis & Scripts;
    this.refreshTimer = setInterval(() => void this.refresh(), Math.max(100, Math.floor(this.leaseTtlMs / 3)));
    this.refreshTimer.unref();
  }

  async admit(userId: string, now: number, limits: UserLimits): Promise<Admission> {
    this.assertOpen();
    assertUserLimits(limits);
    const day = this.days.at(now);
    const keys = this.keys(userId, day.key);
    const id = `${this.processId}:${++this.seq}`;
    // The quota counter outlives its day by a day, whichever way the movable clock goes.
    const quotaTtlMs = Math.max(1, day.resetsAt - now) + 86_400_000;
    const reply = await this.run(() =>
      this.redis.mktowsAdmit(
        keys.quota,
        keys.window,
        keys.leases,
        figure(limits.quotaPerDay),
        figure(limits.ratePerWindow),
        limits.windowMs,
        figure(limits.concurrency),
        quotaTtlMs,
        id,
        this.leaseTtlMs,
        this.clockArg(now),
      ),
    );
    switch (Number(reply[0])) {
      case 0:
        return { ok: true, lease: this.hold(userId, keys.leases, id) };
      case 20015:
        return {
          ok: false,
          code: 20015,
          detail: quotaDetail(userId, limits.quotaPerDay, new Date(day.resetsAt)),
          retryAfterMs: day.resetsAt - now,
        };
      case 20023: {
        const retryAfterMs = Number(reply[1]);
        return {
          ok: false,
          code: 20023,
          detail: rateDetail(userId, limits.ratePerWindow, limits.windowMs, retryAfterMs),
          retryAfterMs,
        };
      }
      case 20024:
        return { ok: false, code: 20024, detail: concurrencyDetail(userId, limits.concurrency), retryAfterMs: 0 };
      default:
        throw new LimitsUnavailableError(`unexpected reply from the Redis admit script: ${JSON.stringify(reply)}`);
    }
  }

  async snapshot(userId: string, now: number, limits: UserLimits): Promise<LimitsSnapshot> {
    this.assertOpen();
    assertUserLimits(limits);
    const day = this.days.at(now);
    const keys = this.keys(userId, day.key);
    const [used, inWindow, inFlight] = await this.run(() =>
      this.redis.mktowsSnapshot(keys.quota, keys.window, keys.leases, limits.windowMs, this.clockArg(now)),
    );
    return {
      userId,
      quotaUsed: Number(used),
      quotaPerDay: limits.quotaPerDay,
      quotaResetsAt: new Date(day.resetsAt),
      windowCalls: Number(inWindow),
      ratePerWindow: limits.ratePerWindow,
      inFlight: Number(inFlight),
      concurrency: limits.concurrency,
    };
  }

  /**
   * Deletes every key under the prefix. Counts are set sizes, not counters, and releasing or
   * refreshing a lease only touches its own id (ZREM, ZADD XX), so a lease taken before the reset
   * and released after it changes nothing: no epoch is needed. Admits that run during the scan
   * may survive it, as they would had they come just after.
   */
  async reset(): Promise<void> {
    this.assertOpen();
    await this.run(async () => {
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, 'MATCH', `${globEscape(this.prefix)}*`, 'COUNT', 1000);
        if (found.length > 0) await this.redis.unlink(...found);
        cursor = next;
      } while (cursor !== '0');
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.refreshTimer);
    // Free what is still held at once rather than one TTL later (a graceful stop waits for calls, so
    // this is usually nothing).
    const frees = [...this.held].map(([key, ids]) => this.redis.zrem(key, ...ids).catch(() => 0));
    this.held.clear();
    await Promise.all(frees);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Pushes the expiry of every held lease forward; a failure is retried at the next tick. */
  private async refresh(): Promise<void> {
    if (this.closed || this.held.size === 0) return;
    await Promise.all(
      [...this.held].map(([key, ids]) => this.redis.mktowsRefresh(key, this.leaseTtlMs, ...ids).catch(() => 0)),
    );
  }

  private hold(userId: string, key: string, id: string): Lease {
    let ids = this.held.get(key);
    if (ids === undefined) {
      ids = new Set();
      this.held.set(key, ids);
    }
    ids.add(id);
    let released = false;
    return {
      userId,
      release: async () => {
        if (released) return;
        released = true;
        const set = this.held.get(key);
        set?.delete(id);
        if (set?.size === 0) this.held.delete(key);
        if (this.closed) return;
        // Not awaited: commands on one connection run in order, so this process's next admit or
        // snapshot already sees the release, and a call need not wait a round trip to end. If
        // Redis is away the lease expires on its own within one TTL: nothing to report.
        this.redis.zrem(key, id).catch(() => 0);
      },
    };
  }

  private keys(userId: string, day: string): { quota: string; window: string; leases: string } {
    const user = `${this.prefix}{${userId}}`;
    return { quota: `${user}:q:${day}`, window: `${user}:w`, leases: `${user}:l` };
  }

  /** How the scripts read the window clock: see RedisLimitsOptions.windowClock. */
  private clockArg(now: number): string {
    if (this.windowClock === 'caller') return `at:${Math.round(now * 1000)}`;
    return `redis:${Math.round(this.clockOffsetMs() * 1000)}`;
  }

  /** Runs Redis commands, turning any failure into LimitsUnavailableError (the call answers 10001). */
  private async run<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw new LimitsUnavailableError(`Redis limits: ${(e as Error).message}`, { cause: e });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('RedisLimits is closed');
  }
}

/** Escapes Redis glob characters, so that a prefix matches only itself. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
