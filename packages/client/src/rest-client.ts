/**
 * MarketoRestClient: Marketo's REST API (Lead Database) with an OAuth token cached until it
 * expires, the instance's limits kept on the client side (the SOAP client's limiter, keyed by the
 * instance: Marketo's REST limits are the instance's, shared by every API user), and retries that
 * follow the REST catalogue's advice:
 *
 * | code                 | what the client does                                              |
 * |----------------------|-------------------------------------------------------------------|
 * | 601, 602             | drops the token, gets a new one, retries once                     |
 * | 606                  | waits until the oldest call of its window leaves it, plus jitter  |
 * | 615                  | retries when one of its calls in flight ends (else after jitter)  |
 * | 604, 611, 713, 5xx, network, timeout | full-jitter backoff within maxAttempts and the retry budget |
 * | 607                  | RestQuotaExceededError, no retry; later calls refused until the reset |
 * | every other code     | thrown at once                                                    |
 */
import { setTimeout as delay } from 'node:timers/promises';
import { nextQuotaReset, type RestErrorCode } from '@mktows/protocol';
import { type MktowsClientError, NetworkError, TimeoutError, UnexpectedResponseError } from './errors.js';
import { DEFAULT_LIMITS, type LimitsConfig, type UserState, userState } from './limiter.js';
import { RestApiError, RestIdentityError, RestQuotaExceededError } from './rest-errors.js';
import type {
  ActivitiesQuery,
  Activity,
  ActivityType,
  Campaign,
  CampaignsQuery,
  Lead,
  LeadChange,
  LeadChangesQuery,
  LeadField,
  LeadsByFilter,
  ListsQuery,
  PageOptions,
  RecordResult,
  RestEnvelope,
  ScheduleCampaignRequest,
  StaticList,
  SyncLeadsRequest,
  TriggerCampaignRequest,
} from './rest-types.js';
import { DEFAULT_RETRY, fullJitter, RetryBudget, type RetryOptions } from './retry.js';

export interface MarketoRestClientOptions {
  /** The instance's REST base URL, e.g. `https://123-ABC-456.mktorest.com` (paths start with /rest/). */
  baseUrl: string;
  /** The identity service (default `<baseUrl>/identity`). */
  identityUrl?: string;
  clientId: string;
  clientSecret: string;
  /** A token is used until `expires_in` minus this margin, in ms (default 60 000). */
  tokenMarginMs?: number;
  /**
   * Client-side limits, shared by every REST client of the same instance in the process (defaults:
   * 100 calls per sliding 20 s, 10 in flight). `false` turns them off (calls are still tracked).
   */
  limits?: Partial<LimitsConfig> | false;
  retry?: Partial<RetryOptions>;
  /** Time zone of the quota day, for 607's reset (default America/Chicago). */
  quotaTimeZone?: string;
  /** Per attempt, in ms (default 90 000). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface RestRequestOptions {
  query?: Record<string, string | number | boolean | readonly (string | number)[] | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface CachedToken {
  token: string;
  /** Local time after which it is not used. */
  usableUntil: number;
}

/** Counts kept per client, for tests and metrics. */
export interface RestClientStats {
  tokenCalls: number;
  /** HTTP attempts to the REST API (identity calls excluded). */
  apiCalls: number;
}

export class MarketoRestClient {
  readonly baseUrl: string;
  readonly identityUrl: string;
  readonly limits: LimitsConfig | false;
  readonly retry: RetryOptions;
  readonly stats: RestClientStats = { tokenCalls: 0, apiCalls: 0 };
  readonly #clientId: string;
  readonly #clientSecret: string;
  readonly #marginMs: number;
  readonly #windowMs: number;
  readonly #state: UserState;
  readonly #budget: RetryBudget;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #quotaTimeZone: string;
  #token: CachedToken | undefined;
  #pendingToken: Promise<CachedToken> | undefined;

  constructor(options: MarketoRestClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    if (!options.clientId || !options.clientSecret) throw new TypeError('clientId and clientSecret are required');
    const base = new URL(options.baseUrl);
    this.baseUrl = base.origin + base.pathname.replace(/\/+$/, '').replace(/\/rest$/, '');
    this.identityUrl = (options.identityUrl ?? `${this.baseUrl}/identity`).replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#clientSecret = options.clientSecret;
    this.#marginMs = options.tokenMarginMs ?? 60_000;
    this.limits = options.limits === false ? false : { ...DEFAULT_LIMITS, ...options.limits };
    this.#windowMs = this.limits ? this.limits.windowMs : DEFAULT_LIMITS.windowMs;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#budget = new RetryBudget(this.retry.budget);
    // One state per instance: the server counts every client of the instance together.
    this.#state = userState(`rest ${this.baseUrl}`, '(instance)');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? sleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 90_000;
    this.#quotaTimeZone = options.quotaTimeZone ?? 'America/Chicago';
  }

  // ---- token ------------------------------------------------------------------------------

  /** The cached access token, or a new one (concurrent callers share one identity call). */
  async accessToken(): Promise<string> {
    const t = this.#token;
    if (t && this.#now() < t.usableUntil) return t.token;
    this.#pendingToken ??= this.#fetchToken().finally(() => {
      this.#pendingToken = undefined;
    });
    return (await this.#pendingToken).token;
  }

  async #fetchToken(): Promise<CachedToken> {
    const params = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.#clientId,
      client_secret: this.#clientSecret,
    });
    const sentAt = this.#now();
    this.stats.tokenCalls++;
    let res: Response;
    try {
      res = await this.#fetch(`${this.identityUrl}/oauth/token?${params}`, {
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (e) {
      throw new NetworkError({ operation: 'identity', attempts: 1, cause: e });
    }
    const text = await res.text();
    const body = parseJson(text) as Record<string, unknown> | undefined;
    if (res.status !== 200 || typeof body?.access_token !== 'string') {
      if (body && typeof body.error === 'string')
        throw new RestIdentityError({
          httpStatus: res.status,
          error: body.error,
          description: String(body.error_description ?? ''),
          attempts: 1,
        });
      throw new UnexpectedResponseError('not a token', {
        operation: 'identity',
        attempts: 1,
        httpStatus: res.status,
        response: text.replace(/"access_token":"[^"]*"/, '"access_token":"***"'),
      });
    }
    const expiresIn = Number(body.expires_in ?? 0) * 1000;
    // Counted from the send: the server started its countdown no earlier than that.
    const token = { token: body.access_token, usableUntil: sentAt + Math.max(0, expiresIn - this.#marginMs) };
    this.#token = token;
    return token;
  }

  // ---- generic calls ----------------------------------------------------------------------

  /** Any REST call: the envelope on success; a RestApiError (by class) on `success: false`. */
  async request<T = unknown>(method: Method, path: string, o: RestRequestOptions = {}): Promise<RestEnvelope<T>> {
    const operation = `${method} ${path}`;
    const url = `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${queryString(o.query)}`;
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    const blocked = this.#state.quotaBlockedUntil;
    if (blocked !== undefined && this.#now() < blocked) {
      throw new RestQuotaExceededError(
        { code: 607, message: 'Daily quota reached', errors: [], requestId: undefined, httpStatus: 0, response: '' },
        { operation, attempts: 0, resetsAt: new Date(blocked), local: true },
      );
    }
    let attempts = 0;
    let reauthenticated = false;
    const counts = { backoffs: 0, limitWaits: 0 };
    for (;;) {
      const token = await this.accessToken();
      const ticket =
        this.#state.tryAcquire(this.limits, o.signal) ?? (await this.#state.acquire(this.limits, o.signal));
      attempts++;
      let outcome: { ok: true; env: RestEnvelope<T> } | { ok: false; error: MktowsClientError };
      // 615: our other calls in flight, counted before this call's slot is released so that no
      // queued call slips through meanwhile; the retry then waits in the queue for one of them.
      let othersInFlight = 0;
      try {
        outcome = await this.#attempt<T>(method, url, token, body, operation, attempts, o.signal);
        if (!outcome.ok && outcome.error instanceof RestApiError && outcome.error.code === 615)
          othersInFlight = this.#state.concurrencyRefused();
      } finally {
        this.#state.release(ticket, this.#windowMs);
      }
      if (outcome.ok) {
        this.#budget.onSuccess();
        if (this.limits) this.#state.concurrencyAdmitted(this.limits.concurrency);
        return outcome.env;
      }
      const error = outcome.error;
      const wait = this.#retryWait(error, counts, reauthenticated, token, othersInFlight);
      if (wait === undefined) throw error;
      if (error instanceof RestApiError && error.retryAdvice === 'reauthenticate') reauthenticated = true;
      if (wait > 0) await this.#sleep(wait, o.signal);
    }
  }

  /** ms to wait before the retry; undefined: throw. */
  #retryWait(
    error: MktowsClientError,
    counts: { backoffs: number; limitWaits: number },
    reauthenticated: boolean,
    token: string,
    othersInFlight: number,
  ): number | undefined {
    const retry = this.retry;
    const backoff = (timeout: boolean): number | undefined => {
      if (counts.backoffs + 1 >= retry.maxAttempts || !this.#budget.take(timeout)) return undefined;
      return fullJitter(counts.backoffs++, retry, this.#random);
    };
    if (error instanceof RestApiError) {
      switch (error.retryAdvice) {
        case 'reauthenticate':
          // Once: a second refusal of a fresh token is not cured by a third.
          if (reauthenticated) return undefined;
          if (this.#token?.token === token) this.#token = undefined;
          return 0;
        case 'wait-window':
          if (counts.limitWaits >= retry.maxLimitRetries) return undefined;
          return this.#state.windowFreesIn(this.#windowMs) + fullJitter(counts.limitWaits++, retry, this.#random);
        case 'wait-slot': {
          if (counts.limitWaits >= retry.maxLimitRetries) return undefined;
          const n = counts.limitWaits++;
          return othersInFlight ? 0 : fullJitter(n, retry, this.#random);
        }
        case 'backoff':
          return backoff(false);
        default:
          return undefined;
      }
    }
    if (error instanceof TimeoutError) return backoff(true);
    if (error instanceof NetworkError || (error instanceof UnexpectedResponseError && error.retryable))
      return backoff(false);
    return undefined;
  }

  async #attempt<T>(
    method: Method,
    url: string,
    token: string,
    body: string | undefined,
    operation: string,
    attempts: number,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; env: RestEnvelope<T> } | { ok: false; error: MktowsClientError }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const request = `${method} ${url}${body === undefined ? '' : `\n\n${body}`}`;
    this.stats.apiCalls++;
    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await res.text();
    } catch (e) {
      signal?.throwIfAborted();
      if (timeout.aborted)
        return { ok: false, error: new TimeoutError({ operation, attempts, request, timeoutMs: this.#timeoutMs }) };
      return { ok: false, error: new NetworkError({ operation, attempts, request, cause: e }) };
    }
    const env = parseJson(text) as RestEnvelope<T> | undefined;
    if (res.status !== 200 || !env || typeof env.success !== 'boolean') {
      return {
        ok: false,
        error: new UnexpectedResponseError(env ? 'not a REST envelope' : 'not JSON', {
          operation,
          attempts,
          request,
          httpStatus: res.status,
          response: text,
        }),
      };
    }
    if (env.success) return { ok: true, env };
    const first = env.errors?.[0];
    const code = Number(first?.code ?? 0);
    const resetsAt = code === 607 ? nextQuotaReset(this.#now(), this.#quotaTimeZone) : undefined;
    if (resetsAt) this.#state.quotaBlockedUntil = resetsAt.getTime();
    return {
      ok: false,
      error: RestApiError.from(
        {
          code,
          message: first?.message ?? '',
          errors: env.errors ?? [],
          requestId: env.requestId,
          httpStatus: res.status,
          response: text,
        },
        { operation, attempts, request, ...(resetsAt ? { resetsAt } : {}) },
      ),
    };
  }

  /** The `result` of a call. */
  async call<T>(method: Method, path: string, o: RestRequestOptions = {}): Promise<T[]> {
    return (await this.request<T>(method, path, o)).result ?? [];
  }

  /**
   * Every record of a paged read, page by page: follows nextPageToken while Marketo says there is
   * more (`moreResult`, or a token without `moreResult`, as the lead query answers).
   */
  async *iterate<T>(path: string, o: RestRequestOptions = {}): AsyncGenerator<T, void, undefined> {
    let token = o.query?.nextPageToken as string | undefined;
    for (;;) {
      const env = await this.request<T>('GET', path, { ...o, query: { ...o.query, nextPageToken: token } });
      yield* env.result ?? [];
      const more = env.moreResult ?? env.nextPageToken !== undefined;
      if (!more || !env.nextPageToken || env.nextPageToken === token) return;
      token = env.nextPageToken;
    }
  }

  // ---- leads ------------------------------------------------------------------------------

  async getLeadById(id: number, o: { fields?: readonly string[] } = {}): Promise<Lead | undefined> {
    const r = await this.call<Lead>('GET', `/rest/v1/lead/${id}.json`, { query: { fields: o.fields } });
    return r[0];
  }

  getLeadsByFilter(q: LeadsByFilter): Promise<RestEnvelope<Lead>> {
    return this.request<Lead>('GET', '/rest/v1/leads.json', { query: leadFilterQuery(q) });
  }

  /** Every lead matching the filter, over as many pages as needed. */
  iterateLeadsByFilter(q: Omit<LeadsByFilter, 'nextPageToken'>): AsyncGenerator<Lead, void, undefined> {
    return this.iterate<Lead>('/rest/v1/leads.json', { query: leadFilterQuery(q) });
  }

  syncLeads(req: SyncLeadsRequest): Promise<RecordResult[]> {
    return this.call<RecordResult>('POST', '/rest/v1/leads.json', { body: req });
  }

  createOrUpdate(
    input: SyncLeadsRequest['input'],
    o: Omit<SyncLeadsRequest, 'input' | 'action'> = {},
  ): Promise<RecordResult[]> {
    return this.syncLeads({ action: 'createOrUpdate', ...o, input });
  }

  deleteLeads(ids: readonly number[]): Promise<RecordResult[]> {
    return this.call<RecordResult>('POST', '/rest/v1/leads/delete.json', {
      body: { input: ids.map((id) => ({ id })) },
    });
  }

  describeLeads(): Promise<LeadField[]> {
    return this.call<LeadField>('GET', '/rest/v1/leads/describe.json');
  }

  // ---- static lists -----------------------------------------------------------------------

  getLists(q: ListsQuery = {}): Promise<RestEnvelope<StaticList>> {
    return this.request<StaticList>('GET', '/rest/v1/lists.json', { query: { ...q } });
  }

  async getListById(id: number): Promise<StaticList | undefined> {
    return (await this.call<StaticList>('GET', `/rest/v1/lists/${id}.json`))[0];
  }

  getListMembers(listId: number, o: PageOptions & { fields?: readonly string[] } = {}): Promise<RestEnvelope<Lead>> {
    return this.request<Lead>('GET', `/rest/v1/lists/${listId}/leads.json`, { query: { ...o } });
  }

  addToList(listId: number, leadIds: readonly number[]): Promise<RecordResult[]> {
    return this.call<RecordResult>('POST', `/rest/v1/lists/${listId}/leads.json`, {
      body: { input: leadIds.map((id) => ({ id })) },
    });
  }

  removeFromList(listId: number, leadIds: readonly number[]): Promise<RecordResult[]> {
    return this.call<RecordResult>('DELETE', `/rest/v1/lists/${listId}/leads.json`, { query: { id: leadIds } });
  }

  isMemberOfList(listId: number, leadIds: readonly number[]): Promise<RecordResult[]> {
    return this.call<RecordResult>('GET', `/rest/v1/lists/${listId}/leads/ismember.json`, { query: { id: leadIds } });
  }

  // ---- activities -------------------------------------------------------------------------

  getActivityTypes(): Promise<ActivityType[]> {
    return this.call<ActivityType>('GET', '/rest/v1/activities/types.json');
  }

  /** The paging token to read activities from `since` on. */
  async getPagingToken(since: Date | string): Promise<string> {
    const env = await this.request('GET', '/rest/v1/activities/pagingtoken.json', {
      query: { sinceDatetime: since instanceof Date ? since.toISOString() : since },
    });
    if (!env.nextPageToken)
      throw new UnexpectedResponseError('no nextPageToken', {
        operation: 'GET /rest/v1/activities/pagingtoken.json',
        attempts: 1,
        httpStatus: 200,
        response: JSON.stringify(env),
      });
    return env.nextPageToken;
  }

  getActivities(q: ActivitiesQuery): Promise<RestEnvelope<Activity>> {
    return this.request<Activity>('GET', '/rest/v1/activities.json', { query: { ...q } });
  }

  iterateActivities(q: ActivitiesQuery): AsyncGenerator<Activity, void, undefined> {
    return this.iterate<Activity>('/rest/v1/activities.json', { query: { ...q } });
  }

  getLeadChanges(q: LeadChangesQuery): Promise<RestEnvelope<LeadChange>> {
    return this.request<LeadChange>('GET', '/rest/v1/activities/leadchanges.json', { query: { ...q } });
  }

  // ---- smart campaigns --------------------------------------------------------------------

  getCampaigns(q: CampaignsQuery = {}): Promise<RestEnvelope<Campaign>> {
    return this.request<Campaign>('GET', '/rest/v1/campaigns.json', { query: { ...q } });
  }

  async getCampaignById(id: number): Promise<Campaign | undefined> {
    return (await this.call<Campaign>('GET', `/rest/v1/campaigns/${id}.json`))[0];
  }

  async triggerCampaign(id: number, req: TriggerCampaignRequest): Promise<{ id: number }[]> {
    return this.call<{ id: number }>('POST', `/rest/v1/campaigns/${id}/trigger.json`, { body: { input: req } });
  }

  async scheduleCampaign(id: number, req: ScheduleCampaignRequest = {}): Promise<{ id: number }[]> {
    return this.call<{ id: number }>('POST', `/rest/v1/campaigns/${id}/schedule.json`, { body: { input: req } });
  }
}

/** Whether an error is a RestApiError with this catalogue code. */
export function isRestApiError(e: unknown, code?: RestErrorCode): e is RestApiError {
  return e instanceof RestApiError && (code === undefined || e.code === code);
}

function leadFilterQuery(q: Partial<LeadsByFilter>): RestRequestOptions['query'] {
  return {
    filterType: q.filterType,
    filterValues: q.filterValues,
    fields: q.fields,
    batchSize: q.batchSize,
    nextPageToken: q.nextPageToken,
  };
}

/** Lists as Marketo takes them: comma-separated values of one parameter. */
function queryString(query: RestRequestOptions['query']): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await delay(ms, undefined, signal ? { signal } : undefined);
}
