/**
 * The bridge's REST client: every call the bridge makes to the Marketo instance goes through
 * `Upstream.call`. It keeps the instance inside its REST limits before a call leaves (the limits
 * backend, under a reserved id: with `--limits redis://` every replica shares them), so a burst of
 * SOAP calls queues instead of drawing 606/615; it holds the OAuth token and renews it on 601/602
 * without the caller seeing it; it follows the REST catalogue's retry advice (606 and 615 wait within
 * a bounded time, transient errors are retried for reads); and it records each exchange (method,
 * path, status, code, ms) for the SOAP call's journal entry and the metrics. What is left of a REST
 * error is thrown as an UpstreamFault: the SOAP fault of the catalogue, carrying the REST code so
 * that an operation can map it its own way (1013 is 20111 for a list, 20113 for a campaign).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  FAULT,
  type FaultCode,
  isRestErrorCode,
  MktowsFault,
  type RestRetryAdvice,
  restErrorDef,
} from '@mktows/protocol';
import type { Limits, UserLimits } from '../limits/limits.js';
import type { MarketoTarget } from './target.js';

export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Under the instance's base URL, e.g. `/rest/v1/leads.json`. */
  path: string;
  query?: Readonly<Record<string, QueryValue>>;
  /** A JSON body (POST). */
  json?: unknown;
  /** A form body (POST, `application/x-www-form-urlencoded`): the asset API's writes take one. */
  form?: Readonly<Record<string, string>>;
  /** A multipart upload (bulk import): the file field and its text. */
  file?: { field: string; name: string; type: string; content: string };
  /**
   * Safe to send twice: transient failures (604, 608, 611, 713, HTTP 5xx, network) are retried.
   * Default: GET. A write is retried only where REST did not perform it (601/602, 606, 615).
   */
  idempotent?: boolean;
}

/** One HTTP exchange with the instance, as the journal and metrics show it. */
export interface UpstreamCallRecord {
  method: string;
  /** The path without query: never a token or a secret. */
  path: string;
  /** HTTP status; 0 when no answer came (network failure, time-out). */
  status: number;
  /** The REST error code of a `success:false` answer, else null. */
  code: string | null;
  ms: number;
}

/** A REST answer with `success: true`. */
export interface RestBody {
  success: boolean;
  requestId?: string;
  result?: unknown[];
  errors?: { code: string; message: string }[];
  warnings?: string[];
  nextPageToken?: string;
  moreResult?: boolean;
  [k: string]: unknown;
}

/** A REST failure as a SOAP fault; `restCode` is the REST code (or HTTP status, or 0 for no answer). */
export class UpstreamFault extends MktowsFault {
  constructor(
    code: FaultCode,
    detail: string,
    readonly restCode: number,
    readonly restMessage: string,
  ) {
    super(code, detail);
    this.name = 'UpstreamFault';
  }
}

export interface UpstreamOptions {
  target: MarketoTarget;
  limits: Limits;
  /** The instance's limits: `--upstream-rate-limit`, `--upstream-concurrency`, `--upstream-quota-per-day`. */
  instanceLimits: UserLimits;
  /** Server time (the admin clock applies to the quota day). */
  now(): number;
  /** How long a call may wait for the limits or a busy instance before its SOAP call faults. */
  maxWaitMs: number;
  /** Per exchange: the answer must come within this. */
  timeoutMs?: number;
  /** Each exchange, for metrics. */
  onExchange?(record: UpstreamCallRecord): void;
  fetch?: typeof fetch;
}

/** The limits id of the instance: control characters keep it apart from any SOAP user id. */
export const UPSTREAM_LIMITS_ID = '\u0000upstream';

/** Marketo refuses URIs over 8 KB (414): longer reads go as `POST …?_method=GET` with a form body. */
const MAX_URL = 7_800;
const TOKEN_PATH = '/identity/oauth/token';
/** A token this close to expiry is renewed before use. */
const TOKEN_MARGIN_MS = 60_000;
/** Transient failures: retries of a read, with these pauses. */
const BACKOFF_MS = [100, 400, 1_000];
/** After a 606 that got through anyway, every call of this process waits this long first. */
const SLOW_DOWN_MS = 1_000;
const SLOT_POLL_MS = 25;
/** Network failures where the request never reached the instance. */
const UNREACHED: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

interface Token {
  value: string;
  expiresAt: number;
}

type Exchange =
  | { kind: 'ok'; body: RestBody }
  | { kind: 'rest'; code: number; message: string; body: RestBody }
  | { kind: 'http'; status: number; message: string }
  | { kind: 'network'; message: string; reached: boolean };

export class Upstream {
  private token: Token | undefined;
  private tokenPending: Promise<Token> | undefined;
  private slowUntil = 0;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly o: UpstreamOptions) {
    this.fetchImpl = o.fetch ?? fetch;
  }

  get target(): MarketoTarget {
    return this.o.target;
  }

  /** Forgets the token (admin reset; a test that revokes it). */
  dropToken(): void {
    this.token = undefined;
  }

  /** Asks for a token now (`mktows bridge check`): throws the fault a SOAP call would get. */
  async checkToken(recorder?: UpstreamCallRecord[]): Promise<void> {
    this.token = undefined;
    await this.getToken(recorder);
  }

  /**
   * Sends one REST request and answers its `success:true` body, or throws an UpstreamFault.
   * `recorder` receives every exchange, token requests included.
   */
  async call(req: UpstreamRequest, recorder?: UpstreamCallRecord[]): Promise<RestBody> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const deadline = Date.now() + this.o.maxWaitMs;
    let renewed = false;
    let transient = 0;
    for (;;) {
      const token = await this.getToken(recorder);
      const lease = await this.admit(deadline);
      let ex: Exchange;
      try {
        ex = await this.exchange(req, token.value, recorder);
      } finally {
        await lease.release().catch(() => undefined);
      }
      if (ex.kind === 'ok') return ex.body;
      const code = ex.kind === 'rest' ? ex.code : ex.kind === 'http' ? ex.status : 0;
      const message = ex.message;
      const advice = retryAdviceOf(code);
      if (advice === 'reauthenticate' && !renewed) {
        renewed = true;
        if (this.token?.value === token.value) this.token = undefined;
        continue;
      }
      if (advice === 'wait-window' || advice === 'wait-slot') {
        const wait = advice === 'wait-window' ? SLOW_DOWN_MS : SLOT_POLL_MS * 4;
        // A 606 despite the bridge's own window: another client shares the instance, so every call slows down.
        if (advice === 'wait-window') this.slowUntil = Math.max(this.slowUntil, Date.now() + SLOW_DOWN_MS);
        if (Date.now() + wait < deadline) {
          await sleep(wait);
          continue;
        }
      }
      // 608 and a request that never reached the instance mean REST did nothing: a write may go
      // again too. A reset or a time-out may come after REST performed it: reads only then.
      const notPerformed = code === 608 || (ex.kind === 'network' && !ex.reached);
      if (advice === 'backoff' && (idempotent || notPerformed) && transient < BACKOFF_MS.length) {
        const pause = BACKOFF_MS[transient++] ?? 0;
        if (Date.now() + pause < deadline) {
          await sleep(pause);
          continue;
        }
      }
      throw restFault(req, code, message);
    }
  }

  private async getToken(recorder?: UpstreamCallRecord[]): Promise<Token> {
    const t = this.token;
    if (t && t.expiresAt - TOKEN_MARGIN_MS > Date.now()) return t;
    this.tokenPending ??= this.fetchToken(recorder).finally(() => {
      this.tokenPending = undefined;
    });
    return this.tokenPending;
  }

  private async fetchToken(recorder?: UpstreamCallRecord[]): Promise<Token> {
    const { baseUrl, clientId, clientSecret } = this.o.target;
    // POST with a form body: the secret stays out of URLs, and so out of any proxy's access log.
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const started = performance.now();
    let status = 0;
    try {
      const res = await this.fetchImpl(`${baseUrl}${TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 60_000),
      });
      status = res.status;
      const text = await res.text();
      this.record({ method: 'POST', path: TOKEN_PATH, status, code: null, ms: performance.now() - started }, recorder);
      let json: { access_token?: unknown; expires_in?: unknown; error_description?: unknown } = {};
      try {
        json = JSON.parse(text);
      } catch {
        // handled below
      }
      if (res.status === 401 || res.status === 400) {
        throw new UpstreamFault(
          FAULT.AUTHENTICATION_FAILED,
          `The Marketo instance refused the bridge's REST client ${clientId} (HTTP ${res.status}${typeof json.error_description === 'string' ? `: ${json.error_description}` : ''}); check the client id and secret in --store`,
          res.status,
          String(json.error_description ?? ''),
        );
      }
      if (res.status !== 200 || typeof json.access_token !== 'string') {
        throw new UpstreamFault(
          FAULT.INTERNAL_ERROR_BACKEND,
          `The Marketo instance's identity service answered HTTP ${res.status} without a token`,
          res.status,
          '',
        );
      }
      const seconds = typeof json.expires_in === 'number' ? json.expires_in : 3600;
      const token = { value: json.access_token, expiresAt: Date.now() + seconds * 1000 };
      this.token = token;
      return token;
    } catch (e) {
      if (e instanceof UpstreamFault) throw e;
      this.record({ method: 'POST', path: TOKEN_PATH, status, code: null, ms: performance.now() - started }, recorder);
      throw new UpstreamFault(
        FAULT.INTERNAL_ERROR_BACKEND,
        `The Marketo instance at ${this.o.target.baseUrl} cannot be reached: ${networkText(e)}`,
        0,
        networkText(e),
      );
    }
  }

  /** Waits for the instance's limits: rate and concurrency queue within the deadline; the quota faults. */
  private async admit(deadline: number): Promise<{ release(): Promise<void> }> {
    for (;;) {
      const slow = this.slowUntil - Date.now();
      if (slow > 0) await sleep(Math.min(slow, Math.max(0, deadline - Date.now())));
      const a = await this.o.limits.admit(UPSTREAM_LIMITS_ID, this.o.now(), this.o.instanceLimits);
      if (a.ok) return a.lease;
      if (a.code === 20015) {
        throw new MktowsFault(
          FAULT.REQUEST_LIMIT_EXCEEDED,
          `The bridge's daily allowance of REST calls to the Marketo instance (--upstream-quota-per-day ${this.o.instanceLimits.quotaPerDay}) is used up`,
        );
      }
      const wait = a.code === 20023 ? Math.max(a.retryAfterMs, 1) : SLOT_POLL_MS;
      if (Date.now() + wait > deadline) {
        throw new MktowsFault(
          a.code,
          a.code === 20023
            ? `The Marketo instance's REST rate limit (--upstream-rate-limit) kept this call waiting too long; retry in ${a.retryAfterMs} ms`
            : `The Marketo instance's REST calls in flight (--upstream-concurrency ${this.o.instanceLimits.concurrency}) kept this call waiting too long`,
        );
      }
      await sleep(wait);
    }
  }

  private async exchange(req: UpstreamRequest, token: string, recorder?: UpstreamCallRecord[]): Promise<Exchange> {
    const { url, init } = buildRequest(this.o.target.baseUrl, req, token);
    const started = performance.now();
    let status = 0;
    let code: string | null = null;
    try {
      const res = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.o.timeoutMs ?? 120_000) });
      status = res.status;
      const text = await res.text();
      if (res.status !== 200) return { kind: 'http', status: res.status, message: `HTTP ${res.status}` };
      let body: RestBody;
      try {
        body = JSON.parse(text) as RestBody;
      } catch {
        return { kind: 'http', status: 502, message: 'the answer is not JSON' };
      }
      if (body.success === true) return { kind: 'ok', body };
      const first = body.errors?.[0];
      code = first?.code !== undefined ? String(first.code) : '611';
      return { kind: 'rest', code: Number(code), message: first?.message ?? 'no message', body };
    } catch (e) {
      const message = networkText(e);
      return { kind: 'network', message, reached: !UNREACHED.has(message) };
    } finally {
      this.record({ method: req.method, path: req.path, status, code, ms: performance.now() - started }, recorder);
    }
  }

  private record(r: UpstreamCallRecord, recorder?: UpstreamCallRecord[]): void {
    const rounded = { ...r, ms: Math.round(r.ms * 100) / 100 };
    recorder?.push(rounded);
    this.o.onExchange?.(rounded);
  }
}

/** The URL and fetch options of a request; a GET whose URL is too long becomes POST `_method=GET`. */
export function buildRequest(baseUrl: string, req: UpstreamRequest, token: string): { url: string; init: RequestInit } {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined || v === null) continue;
    params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const qs = params.toString();
  let url = `${baseUrl}${req.path}${qs ? `?${qs}` : ''}`;
  if (req.method === 'GET' && url.length > MAX_URL) {
    url = `${baseUrl}${req.path}?_method=GET`;
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { url, init: { method: 'POST', headers, body: qs } };
  }
  if (req.file) {
    const form = new FormData();
    form.set(req.file.field, new Blob([req.file.content], { type: req.file.type }), req.file.name);
    return { url, init: { method: req.method, headers, body: form } };
  }
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { url, init: { method: req.method, headers, body: new URLSearchParams({ ...req.form }).toString() } };
  }
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    return { url, init: { method: req.method, headers, body: JSON.stringify(req.json) } };
  }
  return { url, init: { method: req.method, headers } };
}

/**
 * The SOAP fault of a REST failure that retries did not cure: the catalogue's `soap` mapping
 * (@mktows/protocol REST_ERRORS, the one source of truth: 606 → 20023, 607 → 20015, 615 → 20024,
 * 604/608/611/713 → 10001, 601/602 → 20014…). Outside the catalogue: HTTP 5xx and no answer are the
 * backend failing (10001); anything else (an unknown code, an unexpected HTTP status, a catalogue
 * code each operation maps its own way) is 20011, a bridge bug to report.
 */
export function restFault(req: Pick<UpstreamRequest, 'method' | 'path'>, code: number, message: string): UpstreamFault {
  const where = `${req.method} ${req.path}`;
  const detail =
    code === 0
      ? `no answer from the Marketo instance (${where}): ${message}`
      : `Marketo REST error ${code} on ${where}: ${message}`;
  return new UpstreamFault(soapCodeOf(code), detail, code, message);
}

export function soapCodeOf(restCode: number): FaultCode {
  if (isRestErrorCode(restCode)) return restErrorDef(restCode).soap ?? FAULT.INTERNAL_ERROR;
  return backendFailed(restCode) ? FAULT.INTERNAL_ERROR_BACKEND : FAULT.INTERNAL_ERROR;
}

/** How the bridge reacts to a failed exchange: the catalogue's advice; HTTP 5xx and no answer are transient. */
export function retryAdviceOf(restCode: number): RestRetryAdvice {
  if (isRestErrorCode(restCode)) return restErrorDef(restCode).retry;
  return backendFailed(restCode) ? 'backoff' : 'none';
}

/** No answer (0) or an HTTP 5xx status: codes outside the catalogue, whose codes start at 600. */
function backendFailed(code: number): boolean {
  return code === 0 || (code >= 500 && code < 600);
}

function networkText(e: unknown): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return 'no answer in time';
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}
