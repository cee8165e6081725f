/**
 * Client-side limits, shared by every client instance of a user in the process: at most
 * `ratePerWindow` calls per sliding `windowMs` and `concurrency` calls in flight, so that a client
 * used as documented never causes 20023 or 20024. Also the per-user state that retries need
 * (which calls are in the window, when one finishes), the estimated server clock skew, the
 * quota used today and the quota block after 20015.
 *
 * The window is conservative: the server admits a call at some instant between our send and our
 * receipt of the answer, so a call occupies the window from its send until `windowMs` after its
 * answer arrived. Waiters are served first come, first served.
 */
import { quotaDay } from '@mktows/protocol';

export interface LimitsConfig {
  ratePerWindow: number;
  windowMs: number;
  concurrency: number;
}

export const DEFAULT_LIMITS: LimitsConfig = { ratePerWindow: 100, windowMs: 20_000, concurrency: 10 };

/** A slot held while a call is in flight. */
export interface Ticket {
  /** Monotonic time at which the call leaves the window; Infinity while in flight. */
  expiresAt: number;
  released: boolean;
}

interface Waiter {
  cfg: LimitsConfig | false;
  resolve(t: Ticket): void;
  reject(e: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

const monotonic = () => performance.now();

export class UserState {
  private entries: Ticket[] = [];
  private queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  inFlight = 0;
  /** Estimated server clock minus local clock, in ms (learnt from 20016). */
  clockSkewMs = 0;
  /** Calls the server counted against today's quota, as far as this process knows. */
  quota = { day: '', used: 0 };
  /** Server-clock instant before which no call is sent (after 20015), if any. */
  quotaBlockedUntil: number | undefined;
  /**
   * In-flight cap learnt from 20024 (the server admits fewer of our calls than `concurrency`, e.g.
   * because another process uses the same user): lowered to the calls still in flight when a
   * call is refused, raised again additively (+1 per cap successes). Undefined: none.
   */
  slotCap: number | undefined;

  constructor(readonly userId: string) {}

  /** A slot at once when the call may be sent now and nobody waits, else undefined (then acquire). */
  tryAcquire(cfg: LimitsConfig | false, signal?: AbortSignal): Ticket | undefined {
    signal?.throwIfAborted();
    return this.queue.length === 0 && this.canAdmit(cfg) ? this.admit() : undefined;
  }

  /** Waits until the call may be sent, then holds a slot; `cfg` false admits at once (still tracked). */
  acquire(cfg: LimitsConfig | false, signal?: AbortSignal): Promise<Ticket> {
    signal?.throwIfAborted();
    if (this.queue.length === 0 && this.canAdmit(cfg)) return Promise.resolve(this.admit());
    return new Promise<Ticket>((resolve, reject) => {
      const w: Waiter = {
        cfg,
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.queue.indexOf(w);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason);
          this.pump();
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.queue.push(w);
      this.pump();
    });
  }

  /** Ends a call: frees its concurrency slot; it stays in the window for `windowMs` from now. */
  release(ticket: Ticket, windowMs: number): void {
    if (ticket.released) return;
    ticket.released = true;
    ticket.expiresAt = monotonic() + windowMs;
    this.inFlight--;
    this.pump();
  }

  /**
   * Forgets what was learnt from the server: the window, the quota count and block, the clock skew
   * and a learnt concurrency cap. Calls in flight keep their slots (their release frees them).
   */
  reset(): void {
    this.entries = this.entries.filter((e) => !e.released);
    this.quota = { day: '', used: 0 };
    this.quotaBlockedUntil = undefined;
    this.clockSkewMs = 0;
    this.slotCap = undefined;
    this.pump();
  }

  /** Calls sent in the window (including those in flight). */
  windowCalls(): number {
    this.prune(monotonic());
    return this.entries.length;
  }

  /**
   * Milliseconds until the oldest call in the window leaves it (20023: "wait until the oldest call
   * in the window is 20 s old"); `windowMs` when every call in it is still in flight.
   */
  windowFreesIn(windowMs: number): number {
    const now = monotonic();
    this.prune(now);
    let oldest = Number.POSITIVE_INFINITY;
    for (const e of this.entries) oldest = Math.min(oldest, e.expiresAt);
    if (this.entries.length === 0) return 0;
    return Number.isFinite(oldest) ? Math.max(0, oldest - now) : windowMs;
  }

  /** Counts a call against the quota of the server day that `serverNow` falls in. */
  countQuota(serverNow: number, timeZone: string): void {
    const day = quotaDay(serverNow, timeZone);
    if (this.quota.day !== day) this.quota = { day, used: 0 };
    this.quota.used++;
  }

  quotaUsed(serverNow: number, timeZone: string): number {
    return this.quota.day === quotaDay(serverNow, timeZone) ? this.quota.used : 0;
  }

  /**
   * 20024, called while the refused call still holds its slot: the server admits no more of ours
   * than the others in flight now, so the cap makes the retry wait in the queue until one of them
   * finishes. Returns that number (0: none of ours will finish, so back off instead).
   */
  concurrencyRefused(): number {
    const others = this.inFlight - 1;
    if (others > 0) this.slotCap = Math.min(this.slotCap ?? Number.POSITIVE_INFINITY, others);
    return Math.max(0, others);
  }

  /** A call was admitted by the server: raise a learnt cap again, up to `max` where it is dropped. */
  concurrencyAdmitted(max: number): void {
    if (this.slotCap === undefined) return;
    this.slotCap += 1 / this.slotCap;
    if (this.slotCap >= max) this.slotCap = undefined;
    this.pump();
  }

  private canAdmit(cfg: LimitsConfig | false): boolean {
    const cap = this.slotCap === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(this.slotCap));
    if (this.inFlight >= cap) return false;
    if (!cfg) return true;
    this.prune(monotonic());
    return this.entries.length < cfg.ratePerWindow && this.inFlight < cfg.concurrency;
  }

  private admit(): Ticket {
    const t: Ticket = { expiresAt: Number.POSITIVE_INFINITY, released: false };
    this.entries.push(t);
    this.inFlight++;
    return t;
  }

  private prune(now: number): void {
    if (this.entries.some((e) => e.expiresAt <= now)) this.entries = this.entries.filter((e) => e.expiresAt > now);
  }

  /** Admits waiters in order while they fit; otherwise wakes up when the window next frees. */
  private pump(): void {
    while (this.queue.length > 0) {
      const w = this.queue[0];
      if (!this.canAdmit(w.cfg)) break;
      this.queue.shift();
      w.signal?.removeEventListener('abort', w.onAbort);
      w.resolve(this.admit());
    }
    const head = this.queue[0];
    // Waiting for a slot: a release will pump. Waiting for the window: wake up when it frees.
    if (!head?.cfg || this.entries.length < head.cfg.ratePerWindow) return;
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.entries) next = Math.min(next, e.expiresAt);
    if (!Number.isFinite(next) || next >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, next - monotonic()) + 1,
    );
  }
}

const STATES = new Map<string, UserState>();

/**
 * The one state of a user of an endpoint in this process: two servers (a test's fresh one and the
 * last test's) never share a window, a quota or a clock skew.
 */
export function userState(endpoint: string, userId: string): UserState {
  const key = `${endpoint}\n${userId}`;
  let s = STATES.get(key);
  if (!s) {
    s = new UserState(userId);
    STATES.set(key, s);
  }
  return s;
}

/** Resets the state of every endpoint and user in this process (`UserState.reset`). */
export function resetClientState(): void {
  for (const s of STATES.values()) s.reset();
}
