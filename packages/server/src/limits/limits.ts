/**
 * The limits every call is admitted through, in the order of the error contract: daily quota
 * (20015), sliding rate window (20023), concurrency (20024). One interface, two backends: memory
 * (one process) and Redis (several replicas, atomic Lua scripts), so every method is async and each
 * `admit` is one atomic step: a rejected call counts against nothing.
 */
import { MktowsFault } from '@mktows/protocol';
import { formatWindow } from './parse.js';

export { formatWindow, parseDuration, parseRate } from './parse.js';

/** The limits of one user, resolved per call (server flags, overridden by the user's admin settings). */
export interface UserLimits {
  quotaPerDay: number;
  ratePerWindow: number;
  windowMs: number;
  concurrency: number;
}

/** A concurrency slot held while a call is in flight. */
export interface Lease {
  readonly userId: string;
  /** idempotent: a second call does nothing */
  release(): Promise<void>;
}

export type LimitCode = 20015 | 20023 | 20024;

export type Admission =
  | { ok: true; lease: Lease }
  | { ok: false; code: LimitCode; detail: string; retryAfterMs: number };

/** The body of `GET /_mktows/limits?userId=U`. */
export interface LimitsSnapshot {
  userId: string;
  quotaUsed: number;
  quotaPerDay: number;
  quotaResetsAt: Date;
  windowCalls: number;
  ratePerWindow: number;
  inFlight: number;
  concurrency: number;
}

/** Raised by a limits backend that cannot reach or use its own store; the pipeline answers 10001. */
export class LimitsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimitsUnavailableError';
  }
}

export interface Limits {
  readonly kind: 'memory' | 'redis';
  /** Atomically: quota (20015) → sliding rate window (20023) → concurrency (20024); on success counts the call once against quota and window and takes a concurrency lease. A rejected call counts against nothing. */
  admit(userId: string, now: number, limits: UserLimits): Promise<Admission>;
  snapshot(userId: string, now: number, limits: UserLimits): Promise<LimitsSnapshot>;
  /** Forget every counter, window and lease (admin reset). Leases taken before a reset must not drive in-flight counts negative when released afterwards. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The fault a rejected admission ends the call with. */
export function rejectionFault(rejection: Extract<Admission, { ok: false }>): MktowsFault {
  return new MktowsFault(rejection.code, rejection.detail);
}

/** Throws a RangeError unless every figure is a non-negative integer (or Infinity) and the window is at least 1 ms. */
export function assertUserLimits(limits: UserLimits): void {
  for (const key of ['quotaPerDay', 'ratePerWindow', 'concurrency', 'windowMs'] as const) {
    const v = limits[key];
    if (typeof v !== 'number' || !(Number.isInteger(v) || v === Number.POSITIVE_INFINITY) || v < 0) {
      throw new RangeError(`Invalid limits: ${key} must be a non-negative integer, got ${String(v)}`);
    }
  }
  if (limits.windowMs < 1 || !Number.isFinite(limits.windowMs)) {
    throw new RangeError(
      `Invalid limits: windowMs must be a finite number of milliseconds of at least 1, got ${limits.windowMs}`,
    );
  }
}

function calls(n: number): string {
  return n === 1 ? '1 call' : `${n} calls`;
}

// The detail messages, shared by every backend so that a fault reads the same whichever one runs.

export function quotaDetail(userId: string, quotaPerDay: number, resetsAt: Date): string {
  return `Daily quota of ${calls(quotaPerDay)} reached for user ${userId}; resets at ${resetsAt.toISOString()}`;
}

export function rateDetail(userId: string, ratePerWindow: number, windowMs: number, retryAfterMs: number): string {
  return `Rate limit of ${calls(ratePerWindow)} per ${formatWindow(windowMs)} reached for user ${userId}; retry in ${retryAfterMs} ms`;
}

export function concurrencyDetail(userId: string, concurrency: number): string {
  return `Concurrency limit of ${calls(concurrency)} in flight reached for user ${userId}`;
}
