/**
 * In-process limits for a single server process (`--limits memory`). Every method does its work
 * synchronously before its promise settles, so one `admit` is atomic against any other call.
 */
import {
  type Admission,
  assertUserLimits,
  concurrencyDetail,
  type Lease,
  type Limits,
  type LimitsSnapshot,
  quotaDetail,
  rateDetail,
  type UserLimits,
} from './limits.js';
import { QuotaDays } from './quota-days.js';

/** How often (in the caller's clock) idle users are swept out, so memory follows the active users. */
const SWEEP_EVERY_MS = 60_000;
const MIN_CAPACITY = 8;

/**
 * The admitted call times of one user, oldest first: a growable ring buffer (power-of-two capacity)
 * so that pruning the front and appending are O(1).
 */
class CallTimes {
  private buf = new Float64Array(MIN_CAPACITY);
  private head = 0;
  size = 0;

  /** The i-th oldest time. */
  at(i: number): number {
    return this.buf[(this.head + i) & (this.buf.length - 1)];
  }

  /** Appends t, keeping the order when the clock moved back (the admin clock can do that). */
  push(t: number): void {
    if (this.size === this.buf.length) this.resize(this.buf.length * 2);
    const mask = this.buf.length - 1;
    let i = this.size++;
    while (i > 0 && this.buf[(this.head + i - 1) & mask] > t) {
      this.buf[(this.head + i) & mask] = this.buf[(this.head + i - 1) & mask];
      i--;
    }
    this.buf[(this.head + i) & mask] = t;
  }

  /** Drops every time at or before cutoff: a call exactly windowMs old is out of the window. */
  dropUpTo(cutoff: number): void {
    const mask = this.buf.length - 1;
    while (this.size > 0 && this.buf[this.head] <= cutoff) {
      this.head = (this.head + 1) & mask;
      this.size--;
    }
  }

  /** How many times are after cutoff, without changing anything. */
  countAfter(cutoff: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) <= cutoff) lo = mid + 1;
      else hi = mid;
    }
    return this.size - lo;
  }

  /** Gives back memory after a burst. */
  shrink(): void {
    let cap = this.buf.length;
    while (cap > MIN_CAPACITY && this.size <= cap / 4) cap /= 2;
    if (cap !== this.buf.length) this.resize(cap);
  }

  private resize(capacity: number): void {
    const next = new Float64Array(capacity);
    for (let i = 0; i < this.size; i++) next[i] = this.at(i);
    this.buf = next;
    this.head = 0;
  }
}

interface UserState {
  /** The quota day `used` counts for; a call on another day starts again at 0. */
  day: string;
  used: number;
  window: CallTimes;
  /** The window length of the user's last admit, for sweeping. */
  windowMs: number;
  inFlight: number;
}

export interface MemoryLimitsOptions {
  /** IANA zone whose midnight ends the quota day, e.g. `America/Chicago`. */
  quotaTimeZone: string;
}

export class MemoryLimits implements Limits {
  readonly kind = 'memory' as const;
  private readonly days: QuotaDays;
  private users = new Map<string, UserState>();
  private lastSweep = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(options: MemoryLimitsOptions) {
    this.days = new QuotaDays(options.quotaTimeZone);
  }

  /** Users with any state (quota used today, calls in the window or in flight); for tests and metrics. */
  get trackedUsers(): number {
    return this.users.size;
  }

  async admit(userId: string, now: number, limits: UserLimits): Promise<Admission> {
    // No await before the decision: nothing can interleave between the checks and the counting.
    this.assertOpen();
    assertUserLimits(limits);
    this.sweep(now);
    const day = this.days.at(now);
    let s = this.users.get(userId);

    const used = s !== undefined && s.day === day.key ? s.used : 0;
    if (used >= limits.quotaPerDay) {
      const resetsAt = new Date(day.resetsAt);
      return {
        ok: false,
        code: 20015,
        detail: quotaDetail(userId, limits.quotaPerDay, resetsAt),
        retryAfterMs: day.resetsAt - now,
      };
    }

    if (s !== undefined) {
      s.window.dropUpTo(now - limits.windowMs);
      s.windowMs = limits.windowMs;
    }
    const inWindow = s === undefined ? 0 : s.window.size;
    if (inWindow >= limits.ratePerWindow) {
      // Admission needs the window down to ratePerWindow - 1 calls: wait for the call that gets it there to age out.
      const retryAfterMs =
        s !== undefined && limits.ratePerWindow > 0
          ? s.window.at(inWindow - limits.ratePerWindow) + limits.windowMs - now
          : limits.windowMs;
      return {
        ok: false,
        code: 20023,
        detail: rateDetail(userId, limits.ratePerWindow, limits.windowMs, retryAfterMs),
        retryAfterMs,
      };
    }

    if ((s?.inFlight ?? 0) >= limits.concurrency) {
      return { ok: false, code: 20024, detail: concurrencyDetail(userId, limits.concurrency), retryAfterMs: 0 };
    }

    if (s === undefined) {
      s = { day: day.key, used: 0, window: new CallTimes(), windowMs: limits.windowMs, inFlight: 0 };
      this.users.set(userId, s);
    } else if (s.day !== day.key) {
      s.day = day.key;
      s.used = 0;
    }
    s.used++;
    s.window.push(now);
    s.inFlight++;
    return { ok: true, lease: leaseOn(userId, s) };
  }

  async snapshot(userId: string, now: number, limits: UserLimits): Promise<LimitsSnapshot> {
    this.assertOpen();
    assertUserLimits(limits);
    const day = this.days.at(now);
    const s = this.users.get(userId);
    return {
      userId,
      quotaUsed: s !== undefined && s.day === day.key ? s.used : 0,
      quotaPerDay: limits.quotaPerDay,
      quotaResetsAt: new Date(day.resetsAt),
      windowCalls: s === undefined ? 0 : s.window.countAfter(now - limits.windowMs),
      ratePerWindow: limits.ratePerWindow,
      inFlight: s?.inFlight ?? 0,
      concurrency: limits.concurrency,
    };
  }

  async reset(): Promise<void> {
    // Leases hold their own user's state object, so releasing an old one only touches a forgotten object.
    this.users = new Map();
    this.lastSweep = Number.NEGATIVE_INFINITY;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.users = new Map();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryLimits is closed');
  }

  /** Drops users with nothing left to remember; keeps everyone's quota for the current day. */
  private sweep(now: number): void {
    if (now >= this.lastSweep && now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    const today = this.days.at(now).key;
    for (const [userId, s] of this.users) {
      s.window.dropUpTo(now - s.windowMs);
      if (s.window.size === 0 && s.inFlight === 0 && (s.day !== today || s.used === 0)) {
        this.users.delete(userId);
      } else {
        s.window.shrink();
      }
    }
  }
}

function leaseOn(userId: string, s: UserState): Lease {
  let released = false;
  return {
    userId,
    release(): Promise<void> {
      if (!released) {
        released = true;
        // A state with a call in flight is never swept, so this is the user's live state unless a reset forgot it.
        if (s.inFlight > 0) s.inFlight--;
      }
      return Promise.resolve();
    },
  };
}
