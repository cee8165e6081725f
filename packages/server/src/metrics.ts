/**
 * Prometheus metrics (prom-client): calls and latency by API, operation and code, limiter
 * rejections, failed authentications, dropped journal entries, build info and the process's own
 * metrics. Counters only grow: a reset of the server's data leaves them alone, as Prometheus expects.
 */
import { FAULT } from '@mktows/protocol';
import { Counter, collectDefaultMetrics, Gauge, type Metric, type MetricValueWithName, Registry } from 'prom-client';
import { VERSION } from './version.js';

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
export type Api = 'soap' | 'rest';

/** One (api, operation, code): counted by hand on the call path, formatted by prom-client on a scrape. */
interface CallSeries {
  labels: { api: Api; operation: string; code: string };
  count: number;
  sum: number;
  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  buckets: number[];
  rejections: Counter<'code'> | undefined;
}

/**
 * Calls and their latency. prom-client's labelled histogram hashes its labels on every
 * observation (about 1.5 µs a call); this keeps a plain record per series and hands prom-client
 * the values only when /metrics is read, through the `get()` every registered metric answers.
 */
class CallMetrics {
  /** Keyed by api, then operation, then code: no string is built on the call path. */
  private readonly series = new Map<Api, Map<string, Map<number | null, CallSeries>>>();

  constructor(
    registry: Registry,
    private readonly rejections: Counter<'code'>,
  ) {
    registry.registerMetric(this.metric('mktows_calls_total', 'counter', CALLS_HELP, () => this.callValues()));
    registry.registerMetric(
      this.metric('mktows_call_duration_seconds', 'histogram', DURATION_HELP, () => this.durationValues()),
    );
  }

  record(api: Api, operation: string, code: number | null, seconds: number): void {
    let byOp = this.series.get(api);
    if (!byOp) {
      byOp = new Map();
      this.series.set(api, byOp);
    }
    let byCode = byOp.get(operation);
    if (!byCode) {
      byCode = new Map();
      byOp.set(operation, byCode);
    }
    let s = byCode.get(code);
    if (!s) {
      s = this.newSeries(api, operation, code);
      byCode.set(code, s);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
    s.buckets[i]++;
    s.rejections?.inc({ code: s.labels.code });
  }

  private newSeries(api: Api, operation: string, code: number | null): CallSeries {
    return {
      labels: { api, operation, code: code === null ? 'ok' : String(code) },
      count: 0,
      sum: 0,
      buckets: new Array<number>(BUCKETS.length + 1).fill(0),
      rejections: code !== null && LIMIT_CODES.includes(code) ? this.rejections : undefined,
    };
  }

  private *all(): Iterable<CallSeries> {
    for (const byOp of this.series.values()) for (const byCode of byOp.values()) yield* byCode.values();
  }

  private callValues(): MetricValueWithName<string>[] {
    return [...this.all()].map((s) => ({ labels: s.labels, value: s.count }));
  }

  private durationValues(): MetricValueWithName<string>[] {
    const out: MetricValueWithName<string>[] = [];
    for (const s of this.all()) {
      let cumulative = 0;
      for (let i = 0; i <= BUCKETS.length; i++) {
        cumulative += s.buckets[i];
        const le = i < BUCKETS.length ? BUCKETS[i] : '+Inf';
        out.push({ metricName: 'mktows_call_duration_seconds_bucket', labels: { ...s.labels, le }, value: cumulative });
      }
      out.push({ metricName: 'mktows_call_duration_seconds_sum', labels: s.labels, value: s.sum });
      out.push({ metricName: 'mktows_call_duration_seconds_count', labels: s.labels, value: s.count });
    }
    return out;
  }

  /** A metric as the registry reads it: a name to register under and a `get()` it awaits on a scrape. */
  private metric(
    name: string,
    type: 'counter' | 'histogram',
    help: string,
    values: () => MetricValueWithName<string>[],
  ) {
    return {
      name,
      get: async () => ({ name, help, type, values: values(), aggregator: 'sum' as const }),
    } as unknown as Metric;
  }
}

const CALLS_HELP =
  'SOAP and REST calls by API, operation (REST: Marketo\'s operationId) and result code ("ok" for success).';
const DURATION_HELP = 'Time from request to response, by API, operation and result code.';

export class Metrics {
  readonly registry = new Registry();
  private readonly rejections = new Counter({
    name: 'mktows_limiter_rejections_total',
    help: 'Calls rejected by the quota, rate window or concurrency limit (SOAP 20015/20023/20024 per user, REST 607/606/615 per instance).',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'mktows_auth_failures_total',
    help: 'Calls refused by authentication (20014, 20016, 20013), by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly journalDropped = new Counter({
    name: 'mktows_journal_dropped_total',
    help: 'Journal entries lost because the shared journal could not be written.',
    registers: [this.registry],
  });
  private readonly callMetrics = new CallMetrics(this.registry, this.rejections);
  private readonly upstreamCalls = new Counter({
    name: 'mktows_upstream_calls_total',
    help: 'Bridge only: REST calls made to the Marketo instance, by method, path and result (REST error code, "http_<status>", "network", or "ok").',
    labelNames: ['method', 'path', 'result'] as const,
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    new Gauge({
      name: 'mktows_build_info',
      help: 'The running version; always 1.',
      labelNames: ['version'] as const,
      registers: [this.registry],
    }).set({ version: VERSION }, 1);
    // Known label values start at 0, so a rate() over them works before the first rejection.
    for (const code of LIMIT_CODES) this.rejections.inc({ code: String(code) }, 0);
    for (const reason of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason }, 0);
    if (opts.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  recordCall(api: Api, operation: string, code: number | null, seconds: number): void {
    this.callMetrics.record(api, operation, code, seconds);
  }

  /** One REST exchange of the bridge with the Marketo instance (bridge/upstream.ts). */
  recordUpstream(r: { method: string; path: string; status: number; code: string | null }): void {
    const result = r.code ?? (r.status === 200 ? 'ok' : r.status === 0 ? 'network' : `http_${r.status}`);
    // Ids in paths (lists/123/leads.json) would make a series per object: they become {id}.
    this.upstreamCalls.inc({ method: r.method, path: r.path.replace(/\/\d+(?=[/.])/g, '/{id}'), result });
  }

  /** Journal entries a shared journal could not write (shared-journal.ts). */
  recordJournalDropped(n: number): void {
    this.journalDropped.inc(n);
  }

  recordAuthFailure(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  /** The text exposition format, for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
