/**
 * MktowsClient: one typed method per operation, signed with a fresh timestamp on every attempt,
 * with client-side limits and a retry policy that follows the error catalogue's advice:
 *
 * | failure                                  | what the client does                                              |
 * |------------------------------------------|-------------------------------------------------------------------|
 * | 20016 Request Expired                    | corrects its clock skew (Date header, else the fault's detail), re-signs, retries at once |
 * | 20023 Rate Limit Exceeded                | waits until the oldest call in its window leaves it, plus full jitter |
 * | 20024 Concurrency Limit Exceeded         | retries when one of its calls (any client of the user) finishes: the user's in-flight cap drops to the calls still in flight and rises again additively; with none in flight, full jitter |
 * | 10001, HTTP 5xx without fault, network error, timeout | full-jitter exponential backoff, within the retry budget and maxAttempts |
 * | 20011                                    | the same, but once ("retry once")                                 |
 * | 20015 Request Limit Exceeded             | QuotaExceededError; by default no call of this user until the reset |
 * | every other fault                        | thrown at once                                                    |
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AuthenticationHeader,
  assertTimeZone,
  encodeRequest,
  FAULT,
  faultString,
  isVersion,
  LATEST_VERSION,
  nextQuotaReset,
  OPERATION_BY_NAME,
  OPERATIONS,
  type OperationDef,
  quotaDay,
  signRequest,
  type Version,
} from '@mktows/protocol';
import { BATCH_SIZES, type BatchOptions, inBatches } from './batch.js';
import {
  type MktowsClientError,
  MktowsError,
  NetworkError,
  QuotaExceededError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import { DEFAULT_LIMITS, type LimitsConfig, type UserState, userState } from './limiter.js';
import { maskSecrets } from './mask.js';
import { parseResponse } from './response.js';
import { DEFAULT_RETRY, fullJitter, RetryBudget, type RetryOptions } from './retry.js';
import { STREAMS } from './stream.js';
import type {
  CallOptions,
  Logger,
  OperationMethods,
  OperationName,
  ParamsInput,
  ResultOf,
  StreamOperation,
  StreamRecords,
} from './types.js';

export interface MktowsClientOptions {
  /** The SOAP endpoint, e.g. `https://123-ABC-456.mktoapi.com/soap/mktows/3_1`; a bare origin gets `/soap/mktows/3_1`. */
  endpoint: string;
  userId: string;
  encryptionKey: string;
  /** Schema version to encode for (default: the endpoint path's, else 3_1). */
  version?: Version;
  /** 3_1 AuthenticationHeader/partnerId (LaunchPoint partners). */
  partnerId?: string;
  /** Per attempt, in ms (default 90 000). */
  timeoutMs?: number;
  /**
   * Client-side limits, shared by every client of the same endpoint and userId in the process (defaults: 100 calls
   * per sliding 20 s, 10 in flight). `false` turns them off (calls are still tracked for retries).
   */
  limits?: Partial<LimitsConfig> | false;
  retry?: Partial<RetryOptions>;
  /** After 20015, refuse this user's calls until the quota resets (default true). */
  stopOnQuotaExceeded?: boolean;
  /** Daily quota, for `usage().quotaRemaining` (default 10 000). */
  quotaPerDay?: number;
  /** Time zone of the quota day (default America/Chicago). */
  quotaTimeZone?: string;
  /** Any object with pino's methods. Unexpected failures are logged with request and response, secrets masked. */
  logger?: Logger;
  /** Log every request and response at debug level (secrets masked). */
  logTraffic?: boolean;
  /** Called before each attempt is sent (for metrics); exceptions are logged and ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Called after each attempt (for metrics); exceptions are logged and ignored. */
  onResponse?: (event: ResponseEvent) => void;
  /** The fetch to use (default: Node's global fetch). */
  fetch?: typeof fetch;
  /** Waits between retries (tests inject a recording one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of randomness for jitter, in [0, 1) (default Math.random). */
  random?: () => number;
  /** Wall clock in ms (default Date.now). */
  now?: () => number;
}

export interface RequestEvent {
  operation: OperationName;
  attempt: number;
  url: string;
  /** The envelope, signature and key masked. */
  request: string;
}

export interface ResponseEvent {
  operation: OperationName;
  attempt: number;
  durationMs: number;
  ok: boolean;
  /** 0 when no HTTP response arrived. */
  httpStatus: number;
  faultCode?: number;
  error?: MktowsClientError;
  /** The body, secrets masked (undefined when none arrived). */
  response?: string;
}

export interface Usage {
  userId: string;
  /** The server's quota day (YYYY-MM-DD in the quota time zone). */
  quotaDay: string;
  /** Calls this process made today that the server counted (successes and faults after admission). */
  quotaUsedToday: number;
  quotaPerDay: number;
  quotaRemaining: number;
  quotaResetsAt: Date;
  /** Set after 20015 while calls are refused. */
  quotaBlockedUntil: Date | undefined;
  inFlight: number;
  /** Calls in the sliding window, as the client counts it. */
  windowCalls: number;
  /** Estimated server clock minus local clock. */
  clockSkewMs: number;
}

/** Faults raised before admission: they count against neither quota nor window (errors.md). */
const BEFORE_ADMISSION: ReadonlySet<number> = new Set([
  FAULT.REQUEST_NOT_UNDERSTOOD,
  FAULT.ACCESS_DENIED,
  FAULT.AUTHENTICATION_FAILED,
  FAULT.REQUEST_LIMIT_EXCEEDED,
  FAULT.REQUEST_EXPIRED,
  FAULT.INVALID_REQUEST,
  FAULT.UNSUPPORTED_OPERATION,
  FAULT.RATE_LIMIT_EXCEEDED,
  FAULT.CONCURRENCY_LIMIT_EXCEEDED,
]);
/** Faults that mean something went wrong unexpectedly: logged with the full request and response. */
const UNEXPECTED_FAULTS: ReadonlySet<number> = new Set([
  FAULT.INTERNAL_ERROR_BACKEND,
  FAULT.INTERNAL_ERROR,
  FAULT.REQUEST_NOT_UNDERSTOOD,
]);

type Attempt =
  | { ok: true; value: unknown }
  | {
      ok: false;
      error: MktowsClientError;
      attempt: number;
      request: string;
      response?: string;
      /** Server's Date header. */
      date?: string | null;
      sentAt: number;
      receivedAt: number;
      /** The signed timestamp, as an instant. */
      signedAt: number;
      /** 20024: our other calls in flight when it was refused. */
      othersInFlight?: number;
    };

interface Counts {
  attempts: number;
  backoffs: number;
  resigns: number;
  limitWaits: number;
}

class AttemptTimeout extends Error {}

/**
 * The abort signal of one attempt, and the timer behind it, set up when the fetch first asks for
 * `init.signal`: a fetch that never looks at it could not be aborted anyway, and an AbortSignal
 * costs more than the rest of a call's bookkeeping. The deadline runs from the attempt's start
 * all the same, and a caller's signal that has already fired aborts it at once.
 */
class LazyAbort {
  timedOut = false;
  #ctrl: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onAbort: (() => void) | undefined;
  #disposed = false;

  constructor(
    /** On performance.now()'s clock. */
    readonly deadline: number,
    readonly caller: AbortSignal | undefined,
  ) {}

  get signal(): AbortSignal {
    if (this.#ctrl) return this.#ctrl.signal;
    const ctrl = new AbortController();
    this.#ctrl = ctrl;
    // Asked for only after the attempt ended: nothing left to abort, and no timer to leave behind.
    if (this.#disposed) return ctrl.signal;
    const left = this.deadline - performance.now();
    if (left <= 0) {
      this.timedOut = true;
      ctrl.abort(new AttemptTimeout());
    } else {
      this.#timer = setTimeout(() => {
        this.timedOut = true;
        ctrl.abort(new AttemptTimeout());
      }, left);
    }
    const caller = this.caller;
    if (caller?.aborted) ctrl.abort(caller.reason);
    else if (caller) {
      this.#onAbort = () => ctrl.abort(caller.reason);
      caller.addEventListener('abort', this.#onAbort, { once: true });
    }
    return ctrl.signal;
  }

  dispose(): void {
    this.#disposed = true;
    if (!this.#ctrl) return;
    clearTimeout(this.#timer);
    if (this.#onAbort) this.caller?.removeEventListener('abort', this.#onAbort);
  }
}

const LAZY_ABORT = Symbol('mktows.lazyAbort');

/**
 * `init.signal`: an own, enumerable getter, so that a fetch wrapper that spreads init still passes
 * the signal on. One shared getter (the attempt's state is under LAZY_ABORT) keeps the init
 * object's shape shared between calls, which a getter written in the literal would not.
 */
const SIGNAL_PROPERTY: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: { [LAZY_ABORT]: LazyAbort }): AbortSignal {
    return this[LAZY_ABORT].signal;
  },
};

const SKEW_DETAIL = /is (\d+) s (old|in the future)/;

export interface MktowsClient extends OperationMethods {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the operation methods are installed on the prototype below.
export class MktowsClient {
  readonly endpoint: string;
  readonly userId: string;
  readonly version: Version;
  readonly timeoutMs: number;
  readonly limits: LimitsConfig | false;
  readonly retry: RetryOptions;
  /** Helpers that split large requests into calls of the documented sizes, results in input order. */
  readonly batch: {
    /** syncMultipleLeads in calls of 300 records; one syncStatus per input record, in input order. */
    syncMultipleLeads(
      params: ParamsInput<'syncMultipleLeads'>,
      options?: BatchOptions,
    ): Promise<ResultOf<'syncMultipleLeads'>>;
    /** listOperation in calls of 1000 lead keys; statuses (ISMEMBEROFLIST, strict) in input order, success if all succeeded. */
    listOperation(params: ParamsInput<'listOperation'>, options?: BatchOptions): Promise<ResultOf<'listOperation'>>;
    /** requestCampaign in calls of 100 lead keys; success if every call succeeded. */
    requestCampaign(
      params: ParamsInput<'requestCampaign'>,
      options?: BatchOptions,
    ): Promise<ResultOf<'requestCampaign'>>;
  };

  readonly #encryptionKey: string;
  readonly #partnerId: string | undefined;
  readonly #state: UserState;
  readonly #budget: RetryBudget;
  readonly #windowMs: number;
  readonly #stopOnQuota: boolean;
  readonly #quotaPerDay: number;
  readonly #tz: string;
  readonly #logger: Logger | undefined;
  readonly #logTraffic: boolean;
  readonly #onRequest: MktowsClientOptions['onRequest'];
  readonly #onResponse: MktowsClientOptions['onResponse'];
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  #signed: { second: number; auth: AuthenticationHeader; signedAt: number } | undefined;

  constructor(options: MktowsClientOptions) {
    if (!options || typeof options.endpoint !== 'string') throw new TypeError('endpoint is required');
    if (typeof options.userId !== 'string' || options.userId.trim() === '') throw new TypeError('userId is required');
    if (typeof options.encryptionKey !== 'string' || options.encryptionKey === '') {
      throw new TypeError('encryptionKey is required');
    }
    const url = new URL(options.endpoint);
    const fromPath = /\/soap\/mktows\/(\d+_\d+)\/?$/.exec(url.pathname)?.[1];
    const version = options.version ?? (fromPath && isVersion(fromPath) ? fromPath : LATEST_VERSION);
    if (!isVersion(version)) throw new TypeError(`version ${version} is not an API version (1_0 to 3_1)`);
    if (url.pathname === '/' || url.pathname === '') url.pathname = `/soap/mktows/${version}`;
    this.endpoint = url.toString();
    this.userId = options.userId;
    this.version = version;
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.limits = options.limits === false ? false : { ...DEFAULT_LIMITS, ...options.limits };
    if (this.limits) {
      for (const [k, v] of Object.entries(this.limits)) {
        if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`limits.${k} must be a positive integer, got ${v}`);
      }
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#encryptionKey = options.encryptionKey;
    this.#partnerId = options.partnerId;
    this.#state = userState(this.endpoint, options.userId);
    this.#budget = new RetryBudget(this.retry.budget);
    this.#windowMs = this.limits ? this.limits.windowMs : DEFAULT_LIMITS.windowMs;
    this.#stopOnQuota = options.stopOnQuotaExceeded ?? true;
    this.#quotaPerDay = options.quotaPerDay ?? 10_000;
    this.#tz = options.quotaTimeZone ?? 'America/Chicago';
    assertTimeZone(this.#tz);
    this.#logger = options.logger;
    this.#logTraffic = options.logTraffic ?? false;
    this.#onRequest = options.onRequest;
    this.#onResponse = options.onResponse;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#sleep = options.sleep ?? sleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.batch = {
      syncMultipleLeads: (params, opts = {}) =>
        inBatches(
          'syncMultipleLeads',
          params.leadRecordList?.leadRecord ?? [],
          opts,
          BATCH_SIZES.syncMultipleLeads,
          (chunk) => this.call('syncMultipleLeads', { ...params, leadRecordList: { leadRecord: chunk } }, opts),
        ).then((rs) => ({ syncStatusList: { syncStatus: rs.flatMap((r) => r.syncStatusList.syncStatus ?? []) } })),
      listOperation: (params, opts = {}) =>
        inBatches('listOperation', params.listMemberList?.leadKey ?? [], opts, BATCH_SIZES.listOperation, (chunk) =>
          this.call('listOperation', { ...params, listMemberList: { leadKey: chunk } }, opts),
        ).then((rs) => {
          const statuses = rs.flatMap((r) => r.statusList?.leadStatus ?? []);
          const anyList = rs.some((r) => r.statusList);
          return { success: rs.every((r) => r.success), ...(anyList ? { statusList: { leadStatus: statuses } } : {}) };
        }),
      requestCampaign: async (params, opts = {}) => {
        const keys = params.leadList?.leadKey ?? [];
        if (keys.length === 0) return this.call('requestCampaign', params, opts);
        const rs = await inBatches('requestCampaign', keys, opts, BATCH_SIZES.requestCampaign, (chunk) =>
          this.call('requestCampaign', { ...params, leadList: { leadKey: chunk } }, opts),
        );
        return { success: rs.every((r) => r.success) };
      },
    };
  }

  /** Calls an operation by name (the typed methods call this). */
  async call<K extends OperationName>(
    operation: K,
    params?: ParamsInput<K>,
    options: CallOptions = {},
  ): Promise<ResultOf<K>> {
    const op = OPERATION_BY_NAME.get(operation);
    if (!op) throw new TypeError(`unknown operation "${operation}"`);
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const counts: Counts = { attempts: 0, backoffs: 0, resigns: 0, limitWaits: 0 };
    for (;;) {
      signal?.throwIfAborted();
      this.#refuseIfQuotaBlocked(operation, counts.attempts);
      // Without a wait, no await: a call that may go at once costs no extra turn of the event loop.
      const ticket = this.#state.tryAcquire(this.limits, signal) ?? (await this.#state.acquire(this.limits, signal));
      counts.attempts++;
      let r: Attempt;
      try {
        r = await this.#attempt(op, params ?? {}, counts.attempts, timeoutMs, options);
      } finally {
        this.#state.release(ticket, this.#windowMs);
      }
      if (r.ok) {
        this.#budget.onSuccess();
        return r.value as ResultOf<K>;
      }
      const wait = this.#decide(r, counts);
      this.#logFailure(operation, r, wait !== undefined);
      if (wait === undefined) throw r.error;
      // 0: at once (20016), or as soon as the limiter admits the call again (20024).
      if (wait > 0) await this.#sleep(wait, signal);
    }
  }

  /**
   * The records of a stream operation (getMultipleLeads, getLeadActivity, getLeadChanges,
   * getMObjects, getCustomObjects), page after page until the end; 20123 ends the stream.
   */
  async *iterate<K extends StreamOperation>(
    operation: K,
    params: ParamsInput<K>,
    options: CallOptions = {},
  ): AsyncGenerator<StreamRecords[K], void, undefined> {
    const spec = STREAMS[operation];
    for await (const page of this.pages(operation, params, options)) yield* spec.records(page);
  }

  /** The pages (whole results) of a stream operation; see iterate. */
  async *pages<K extends StreamOperation>(
    operation: K,
    params: ParamsInput<K>,
    options: CallOptions = {},
  ): AsyncGenerator<ResultOf<K>, void, undefined> {
    const spec = STREAMS[operation];
    if (!spec) throw new TypeError(`${operation} is not a stream operation`);
    let p = params as Record<string, unknown>;
    for (;;) {
      let page: ResultOf<K>;
      try {
        page = await this.call(operation, p as ParamsInput<K>, options);
      } catch (e) {
        if (e instanceof MktowsError && e.code === FAULT.STREAM_AT_END) return;
        throw e;
      }
      yield page;
      const next = spec.next(page);
      if (!next) return;
      p = { ...p, ...next };
    }
  }

  /**
   * Forgets what this endpoint and user's clients have learnt (window, quota count and block after
   * 20015, clock skew, concurrency cap): for a test suite that resets the server between tests.
   * `resetClientState()` does it for every endpoint and user in the process.
   */
  reset(): void {
    this.#state.reset();
  }

  /** Quota, window and in-flight counts of this user in this process. */
  usage(): Usage {
    const serverNow = this.#serverNow();
    const used = this.#state.quotaUsed(serverNow, this.#tz);
    const blocked = this.#state.quotaBlockedUntil;
    return {
      userId: this.userId,
      quotaDay: quotaDay(serverNow, this.#tz),
      quotaUsedToday: used,
      quotaPerDay: this.#quotaPerDay,
      quotaRemaining: Math.max(0, this.#quotaPerDay - used),
      quotaResetsAt: nextQuotaReset(serverNow, this.#tz),
      quotaBlockedUntil: blocked !== undefined && blocked > serverNow ? new Date(blocked) : undefined,
      inFlight: this.#state.inFlight,
      windowCalls: this.#state.windowCalls(),
      clockSkewMs: this.#state.clockSkewMs,
    };
  }

  /** Calls of this user that the server counted today, as far as this process knows. */
  get quotaUsedToday(): number {
    return this.#state.quotaUsed(this.#serverNow(), this.#tz);
  }

  #serverNow(): number {
    return this.#now() + this.#state.clockSkewMs;
  }

  #mask(text: string): string {
    return maskSecrets(text, [this.#encryptionKey]);
  }

  /**
   * The signed header for an instant. The timestamp has whole seconds, so every instant of one
   * second signs the same text: the HMAC is computed once per second, not once per call.
   */
  #sign(at: number): { auth: AuthenticationHeader; signedAt: number } {
    const second = Math.floor(at / 1000);
    let s = this.#signed;
    if (s === undefined || s.second !== second) {
      const auth = signRequest(this.userId, this.#encryptionKey, new Date(at));
      s = { second, auth, signedAt: Date.parse(auth.requestTimestamp) };
      this.#signed = s;
    }
    return s;
  }

  #refuseIfQuotaBlocked(operation: string, attempts: number): void {
    const until = this.#state.quotaBlockedUntil;
    if (until === undefined) return;
    if (this.#serverNow() >= until) {
      this.#state.quotaBlockedUntil = undefined;
      return;
    }
    const resetsAt = new Date(until);
    throw new QuotaExceededError(
      {
        code: FAULT.REQUEST_LIMIT_EXCEEDED,
        faultcode: 'SOAP-ENV:Client',
        faultstring: faultString(FAULT.REQUEST_LIMIT_EXCEEDED),
        detail: `The daily quota of user ${this.userId} was used up; no call is sent before ${resetsAt.toISOString()}`,
        httpStatus: 0,
        response: '',
      },
      { operation, attempts, resetsAt, local: true },
    );
  }

  async #attempt(
    op: OperationDef,
    params: unknown,
    attempt: number,
    timeoutMs: number,
    options: CallOptions,
  ): Promise<Attempt> {
    const operation = op.name as OperationName;
    const sentAt = this.#now();
    // A fresh timestamp for every attempt, on the server's clock as far as we know it.
    const signed = this.#sign(sentAt + this.#state.clockSkewMs);
    const a = signed.auth;
    const auth: Record<string, string> = {
      mktowsUserId: a.mktowsUserId,
      requestTimestamp: a.requestTimestamp,
      requestSignature: a.requestSignature,
    };
    if (this.#partnerId) auth.partnerId = this.#partnerId;
    const signedAt = signed.signedAt;
    const context =
      op.contextHeader && options.targetWorkspace !== undefined
        ? { targetWorkspace: options.targetWorkspace }
        : undefined;
    let xml: string;
    try {
      xml = encodeRequest(op, params, this.version, context ? { auth, context } : { auth });
    } catch (e) {
      throw new TypeError(`${operation}: the params cannot be encoded: ${(e as Error).message}`, { cause: e });
    }
    // Masked only when something will see it (a hook, the logger or an error): on most calls nothing does.
    let masked: string | undefined;
    const request = (): string => {
      if (masked === undefined) masked = this.#mask(xml);
      return masked;
    };
    if (this.#onRequest) {
      this.#hook('onRequest', () => this.#onRequest?.({ operation, attempt, url: this.endpoint, request: request() }));
    }
    const t0 = performance.now();
    let status: number;
    let text: string;
    let date: string | null;
    try {
      ({ status, text, date } = await this.#send(op, xml, t0 + timeoutMs, options.signal));
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      const error =
        e instanceof AttemptTimeout
          ? new TimeoutError({ operation, attempts: attempt, request: request(), timeoutMs })
          : new NetworkError({ operation, attempts: attempt, request: request(), cause: e });
      const durationMs = performance.now() - t0;
      this.#traffic(operation, attempt, durationMs, 0, request, undefined, error);
      if (this.#onResponse) {
        this.#hook('onResponse', () =>
          this.#onResponse?.({ operation, attempt, durationMs, ok: false, httpStatus: 0, error }),
        );
      }
      return { ok: false, error, attempt, request: request(), sentAt, receivedAt: this.#now(), signedAt };
    }
    const receivedAt = this.#now();
    // Only hooks and the traffic log show the duration.
    const durationMs = this.#onResponse || (this.#logTraffic && this.#logger) ? performance.now() - t0 : 0;
    let maskedResponse: string | undefined;
    const response = (): string => {
      if (maskedResponse === undefined) maskedResponse = this.#mask(text);
      return maskedResponse;
    };
    const serverNow = receivedAt + this.#state.clockSkewMs;
    const parsed = parseResponse(op, status, text);
    let result: Attempt;
    if (parsed.kind === 'result') {
      this.#state.countQuota(serverNow, this.#tz);
      this.#state.concurrencyAdmitted(this.limits ? this.limits.concurrency : DEFAULT_LIMITS.concurrency);
      result = { ok: true, value: parsed.value };
    } else {
      let error: MktowsClientError;
      if (parsed.kind === 'fault') {
        if (!BEFORE_ADMISSION.has(parsed.code)) {
          this.#state.countQuota(serverNow, this.#tz);
          this.#state.concurrencyAdmitted(this.limits ? this.limits.concurrency : DEFAULT_LIMITS.concurrency);
        }
        error = MktowsError.from(
          { ...parsed, httpStatus: status, response: response() },
          {
            operation,
            attempts: attempt,
            request: request(),
            ...(parsed.code === FAULT.REQUEST_LIMIT_EXCEEDED ? { resetsAt: nextQuotaReset(serverNow, this.#tz) } : {}),
          },
        );
      } else {
        error = new UnexpectedResponseError(parsed.reason, {
          operation,
          attempts: attempt,
          request: request(),
          httpStatus: status,
          response: response(),
          cause: parsed.cause,
        });
      }
      result = {
        ok: false,
        error,
        attempt,
        request: request(),
        response: response(),
        date,
        sentAt,
        receivedAt,
        signedAt,
      };
      // Before this call's slot is released, so that no queued call slips through meanwhile.
      if (parsed.kind === 'fault' && parsed.code === FAULT.CONCURRENCY_LIMIT_EXCEEDED)
        result.othersInFlight = this.#state.concurrencyRefused();
    }
    const error = result.ok ? undefined : result.error;
    this.#traffic(operation, attempt, durationMs, status, request, response, error);
    if (this.#onResponse) {
      this.#hook('onResponse', () =>
        this.#onResponse?.({
          operation,
          attempt,
          durationMs,
          ok: result.ok,
          httpStatus: status,
          ...(error instanceof MktowsError ? { faultCode: error.code } : {}),
          ...(error ? { error } : {}),
          response: response(),
        }),
      );
    }
    return result;
  }

  /** One HTTP exchange; `deadline` is on performance.now()'s clock. */
  async #send(
    op: OperationDef,
    xml: string,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string; date: string | null }> {
    const lazy = new LazyAbort(deadline, signal);
    const init = {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: `"http://www.marketo.com/mktows/${op.name}"`,
      },
      body: xml,
      [LAZY_ABORT]: lazy,
    };
    Object.defineProperty(init, 'signal', SIGNAL_PROPERTY);
    try {
      const res = await this.#fetch(this.endpoint, init as RequestInit);
      // The timeout covers reading the body too.
      const text = await res.text();
      return { status: res.status, text, date: res.headers.get('date') };
    } catch (e) {
      if (lazy.timedOut) throw new AttemptTimeout();
      throw e;
    } finally {
      lazy.dispose();
    }
  }

  /** How long to wait before the next attempt, or undefined to throw. */
  #decide(r: Extract<Attempt, { ok: false }>, counts: Counts): number | undefined {
    const e = r.error;
    const retry = this.retry;
    if (e instanceof MktowsError) {
      switch (e.retryAdvice) {
        case 'resign':
          if (counts.resigns >= retry.maxResigns) return undefined;
          counts.resigns++;
          this.#learnSkew(r, e);
          return 0;
        case 'wait-window': {
          if (counts.limitWaits >= retry.maxLimitRetries) return undefined;
          const jitter = fullJitter(counts.limitWaits++, retry, this.#random);
          return this.#state.windowFreesIn(this.#windowMs) + jitter;
        }
        case 'wait-slot': {
          if (counts.limitWaits >= retry.maxLimitRetries) return undefined;
          const n = counts.limitWaits++;
          // With calls of ours in flight, the cap lowered in #attempt holds the retry until one finishes.
          return r.othersInFlight ? 0 : fullJitter(n, retry, this.#random);
        }
        case 'backoff':
          return this.#backoff(
            counts,
            e.code === FAULT.INTERNAL_ERROR ? retry.maxAttemptsInternalError : retry.maxAttempts,
            false,
          );
        case 'until-reset':
          if (this.#stopOnQuota && e instanceof QuotaExceededError && !Number.isNaN(e.resetsAt.getTime())) {
            this.#state.quotaBlockedUntil = e.resetsAt.getTime();
          }
          return undefined;
        default:
          return undefined;
      }
    }
    if (e instanceof UnexpectedResponseError)
      return e.retryable ? this.#backoff(counts, retry.maxAttempts, false) : undefined;
    if (e instanceof TimeoutError) return this.#backoff(counts, retry.maxAttempts, true);
    if (e instanceof NetworkError) return this.#backoff(counts, retry.maxAttempts, false);
    return undefined;
  }

  #backoff(counts: Counts, maxAttempts: number, timeout: boolean): number | undefined {
    if (counts.backoffs + 1 >= maxAttempts) return undefined;
    if (!this.#budget.take(timeout)) {
      this.#logger?.warn({ operation: 'retry', userId: this.userId }, 'mktows: retry budget exhausted; not retrying');
      return undefined;
    }
    return fullJitter(counts.backoffs++, this.retry, this.#random);
  }

  /**
   * 20016: estimate the server's clock. The Date header first (when it disagrees with our estimate
   * by 2 s or more); else the fault's detail, which on mktows names the timestamp's age
   * ("… is 1200 s old" / "… is 30 s in the future"); else only re-sign.
   */
  #learnSkew(r: Extract<Attempt, { ok: false }>, e: MktowsError): void {
    const before = this.#state.clockSkewMs;
    const mid = (r.sentAt + r.receivedAt) / 2;
    let skew: number | undefined;
    let source = '';
    const date = r.date ? Date.parse(r.date) : Number.NaN;
    // Date has whole seconds: the server's clock is on average half a second later.
    if (!Number.isNaN(date) && Math.abs(date + 500 - mid - before) >= 2000) {
      skew = date + 500 - mid;
      source = 'Date header';
    } else {
      const m = SKEW_DETAIL.exec(e.detail);
      if (m && !Number.isNaN(r.signedAt)) {
        const age = Number(m[1]) * 1000 * (m[2] === 'old' ? 1 : -1);
        skew = r.signedAt + age - mid;
        source = 'fault detail';
      }
    }
    if (skew === undefined) return;
    this.#state.clockSkewMs = Math.round(skew);
    this.#logger?.warn(
      {
        operation: e.operation,
        userId: this.userId,
        clockSkewMs: this.#state.clockSkewMs,
        previousSkewMs: before,
        source,
      },
      `mktows: the server's clock is ${Math.round(skew / 1000)} s from ours; signing with the corrected time`,
    );
  }

  #logFailure(operation: string, r: Extract<Attempt, { ok: false }>, retrying: boolean): void {
    const log = this.#logger;
    if (!log) return;
    const e = r.error;
    const unexpected =
      (e instanceof MktowsError && UNEXPECTED_FAULTS.has(e.code)) ||
      e instanceof UnexpectedResponseError ||
      e instanceof NetworkError ||
      e instanceof TimeoutError;
    const fields = {
      operation,
      userId: this.userId,
      attempt: r.attempt,
      retrying,
      ...(e instanceof MktowsError ? { code: e.code, httpStatus: e.httpStatus } : {}),
      ...(e instanceof UnexpectedResponseError ? { httpStatus: e.httpStatus } : {}),
      error: e.message,
    };
    if (unexpected) {
      // The contract asks for the full request and response of every unexpected failure.
      const entry = { ...fields, request: r.request, response: r.response ?? null };
      if (retrying) log.warn(entry, `mktows: unexpected failure, retrying: ${e.message}`);
      else log.error(entry, `mktows: unexpected failure: ${e.message}`);
    } else if (retrying) {
      log.debug(fields, `mktows: retrying after ${e.message}`);
    }
  }

  #traffic(
    operation: string,
    attempt: number,
    durationMs: number,
    httpStatus: number,
    request: () => string,
    response: (() => string) | undefined,
    error: MktowsClientError | undefined,
  ): void {
    if (!this.#logTraffic || !this.#logger) return;
    this.#logger.debug(
      {
        operation,
        userId: this.userId,
        attempt,
        durationMs: Math.round(durationMs * 1000) / 1000,
        httpStatus,
        ...(error ? { error: error.message } : {}),
        request: request(),
        response: response ? response() : null,
      },
      `mktows: ${operation} attempt ${attempt} → ${error ? error.constructor.name : 'ok'}`,
    );
  }

  #hook(name: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.#logger?.warn({ hook: name, error: (e as Error)?.message ?? String(e) }, `mktows: ${name} hook threw`);
    }
  }
}

for (const op of OPERATIONS) {
  const name = op.name as OperationName;
  Object.defineProperty(MktowsClient.prototype, name, {
    value: function (this: MktowsClient, params?: ParamsInput<typeof name>, options?: CallOptions) {
      return this.call(name, params, options);
    },
    writable: true,
    configurable: true,
  });
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw e;
  }
}
