/** Prometheus metrics: calls by operation and code, a latency histogram, limiter rejections, failed authentications. */
import { FAULT } from '@mktows/protocol';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/**
 * The limiter's codes, in the order of admission (quota, rate window, concurrency): SOAP's per user,
 * then REST's per instance. The two sets do not overlap, so one family holds both.
 */
const LIMIT_CODES: readonly number[] = [
  FAULT.REQUEST_LIMIT_EXCEEDED,
  FAULT.RATE_LIMIT_EXCEEDED,
  FAULT.CONCURRENCY_LIMIT_EXCEEDED,
  607,
  606,
  615,
];

/**
 * Why a call failed authentication. Clients get one message for an unknown user and a bad signature
 * (telling them apart would let anyone enumerate user ids); the operator sees the reason here.
 */
export const AUTH_FAILURE_REASONS = [
  'header_missing',
  'field_missing',
  'unknown_user',
  'bad_signature',
  'expired',
  'blocked',
] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];

export class Metrics {
  private authFailures = new Map<AuthFailureReason, number>();
  private calls = new Map<string, number>();
  private rejections = new Map<number, number>();
  private buckets = new Array<number>(BUCKETS.length).fill(0);
  private sum = 0;
  private count = 0;
  private journalDropped = 0;

  recordCall(operation: string, code: number | null, seconds: number): void {
    const key = `${operation}\u0000${code ?? 'ok'}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.buckets[i]++;
    this.sum += seconds;
    this.count++;
    if (code !== null && LIMIT_CODES.includes(code)) {
      this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
    }
  }

  /** Journal entries a shared journal could not write (shared-journal.ts). */
  recordJournalDropped(n: number): void {
    this.journalDropped += n;
  }

  recordAuthFailure(reason: AuthFailureReason): void {
    this.authFailures.set(reason, (this.authFailures.get(reason) ?? 0) + 1);
  }

  render(): string {
    const lines = [
      '# HELP mktows_calls_total SOAP and REST calls by operation (REST: Marketo\'s operationId) and result code ("ok" for success).',
      '# TYPE mktows_calls_total counter',
    ];
    for (const [key, n] of this.calls) {
      const [op, code] = key.split('\u0000');
      lines.push(`mktows_calls_total{operation="${op}",code="${code}"} ${n}`);
    }
    lines.push('# HELP mktows_call_duration_seconds Time from request to response.');
    lines.push('# TYPE mktows_call_duration_seconds histogram');
    for (const [i, b] of BUCKETS.entries())
      lines.push(`mktows_call_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`);
    lines.push(`mktows_call_duration_seconds_bucket{le="+Inf"} ${this.count}`);
    lines.push(`mktows_call_duration_seconds_sum ${this.sum}`);
    lines.push(`mktows_call_duration_seconds_count ${this.count}`);
    lines.push(
      '# HELP mktows_limiter_rejections_total Calls rejected by the quota, rate window or concurrency limit (SOAP 20015/20023/20024 per user, REST 607/606/615 per instance).',
    );
    lines.push('# TYPE mktows_limiter_rejections_total counter');
    for (const code of LIMIT_CODES) {
      lines.push(`mktows_limiter_rejections_total{code="${code}"} ${this.rejections.get(code) ?? 0}`);
    }
    lines.push('# HELP mktows_auth_failures_total Calls refused by authentication (20014, 20016, 20013), by reason.');
    lines.push('# TYPE mktows_auth_failures_total counter');
    for (const reason of AUTH_FAILURE_REASONS) {
      lines.push(`mktows_auth_failures_total{reason="${reason}"} ${this.authFailures.get(reason) ?? 0}`);
    }
    lines.push(
      '# HELP mktows_journal_dropped_total Journal entries lost because the shared journal could not be written.',
    );
    lines.push('# TYPE mktows_journal_dropped_total counter');
    lines.push(`mktows_journal_dropped_total ${this.journalDropped}`);
    return `${lines.join('\n')}\n`;
  }

  reset(): void {
    this.calls.clear();
    this.rejections.clear();
    this.authFailures.clear();
    this.buckets.fill(0);
    this.sum = 0;
    this.count = 0;
    this.journalDropped = 0;
  }
}
