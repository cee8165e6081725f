/**
 * Retry settings and the retry budget. Which failure is retried, and how, follows the catalogue's
 * `retry` advice (see client.ts `decide`); these are the numbers.
 */

export interface RetryBudgetOptions {
  /** Tokens in a full bucket. */
  capacity: number;
  /** Tokens a retry after a fault, a 5xx or a network error takes. */
  retryCost: number;
  /** Tokens a retry after a timeout takes. */
  timeoutCost: number;
  /** Tokens a success puts back. */
  successRefill: number;
}

export interface RetryOptions {
  /** Attempts of a call, counting the first, for failures retried with backoff (10001, 5xx, network, timeout). */
  maxAttempts: number;
  /** 20011: the catalogue says "retry once". */
  maxAttemptsInternalError: number;
  /** Base of the exponential backoff: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 20016: re-signs before giving up. */
  maxResigns: number;
  /** 20023 / 20024: waits for the window or a slot before giving up. */
  maxLimitRetries: number;
  /** Token bucket that caps retries after failures, so that an outage is not multiplied by retries; false: none. */
  budget: RetryBudgetOptions | false;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  maxAttemptsInternalError: 2,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  maxResigns: 2,
  maxLimitRetries: 5,
  budget: { capacity: 500, retryCost: 5, timeoutCost: 10, successRefill: 1 },
};

/** The token bucket (AWS SDK "standard" retry mode): retries spend tokens, successes earn some back. */
export class RetryBudget {
  private tokens: number;
  constructor(private readonly opts: RetryBudgetOptions | false) {
    this.tokens = opts ? opts.capacity : 0;
  }
  /** Takes the cost of one retry; false when the budget is spent. */
  take(timeout: boolean): boolean {
    if (!this.opts) return true;
    const cost = timeout ? this.opts.timeoutCost : this.opts.retryCost;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
  onSuccess(): void {
    if (this.opts) this.tokens = Math.min(this.opts.capacity, this.tokens + this.opts.successRefill);
  }
  get available(): number {
    return this.opts ? this.tokens : Number.POSITIVE_INFINITY;
  }
}

/** Full jitter: a random wait in [0, min(max, base·2ⁿ)). */
export function fullJitter(n: number, opts: RetryOptions, random: () => number): number {
  return Math.floor(random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** n));
}
