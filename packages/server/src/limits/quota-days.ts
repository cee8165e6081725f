/** The quota day of an instant, cached: Intl formatting is the slow part of an admit. */
import { assertTimeZone, nextQuotaReset, quotaDay } from '@mktows/protocol';

export interface QuotaDayAt {
  /** The day's key (`YYYY-MM-DD` in the quota time zone). */
  readonly key: string;
  /** When the next day starts, in ms. */
  readonly resetsAt: number;
}

export class QuotaDays {
  /** The last day looked up: every instant in [from, resetsAt) belongs to `key`. */
  private today = { key: '', from: 0, resetsAt: Number.NEGATIVE_INFINITY };

  /** Throws a RangeError for an unknown IANA zone. */
  constructor(private readonly tz: string) {
    assertTimeZone(tz);
  }

  at(now: number): QuotaDayAt {
    const d = this.today;
    if (now >= d.from && now < d.resetsAt) return d;
    const key = quotaDay(now, this.tz);
    if (key === d.key && now < d.resetsAt) {
      d.from = now;
      return d;
    }
    this.today = { key, from: now, resetsAt: nextQuotaReset(now, this.tz).getTime() };
    return this.today;
  }
}
