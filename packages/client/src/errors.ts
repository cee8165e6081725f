/**
 * The client's errors. A SOAP fault becomes an MktowsError whose class follows the catalogue's
 * category (FAULTS in @mktows/protocol), so the code table, the classes and the retry policy cannot
 * drift apart. Failures without a fault (network, timeout, a response that is not a SOAP answer)
 * have their own classes. Every error carries the request and response with secrets masked.
 */
import {
  FAULT,
  type FaultCategory,
  type FaultCode,
  type FaultDef,
  type FaultSide,
  faultDef,
  isFaultCode,
  type RetryAdvice,
} from '@mktows/protocol';

/** Base of every error the client throws (except the AbortSignal's own reason and TypeErrors for bad params). */
export class MktowsClientError extends Error {
  /** The operation called. */
  readonly operation: string;
  /** HTTP attempts made for the call, including the one that failed (0: refused before sending). */
  readonly attempts: number;
  /** Whether the catalogue advises retrying this failure (the client already did, within its limits). */
  readonly retryable: boolean;
  /** The last request envelope sent, signature and key masked (undefined if nothing was sent). */
  readonly request: string | undefined;

  constructor(
    message: string,
    init: { operation: string; attempts: number; retryable: boolean; request?: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.operation = init.operation;
    this.attempts = init.attempts;
    this.retryable = init.retryable;
    this.request = init.request;
  }
}

export interface FaultInfo {
  /** The code from detail/serviceException/code (or the faultstring's leading number); 0 if none. */
  code: number;
  /** e.g. `SOAP-ENV:Client` */
  faultcode: string;
  faultstring: string;
  /** detail/serviceException/message: the specific message, naming the offending value. */
  detail: string;
  httpStatus: number;
  /** The raw response body, secrets masked. */
  response: string;
}

const RETRYABLE_ADVICE: ReadonlySet<RetryAdvice> = new Set(['backoff', 'resign', 'wait-window', 'wait-slot']);

/** The catalogue entry for a code, or a stand-in for codes outside the catalogue (by fault side). */
export function faultPolicy(code: number, side: FaultSide): Pick<FaultDef, 'category' | 'retry' | 'message'> {
  if (isFaultCode(code)) return faultDef(code);
  return side === 'Server'
    ? { category: 'server', retry: 'backoff', message: 'Unknown server fault' }
    : { category: 'invalid-request', retry: 'none', message: 'Unknown client fault' };
}

/** A SOAP fault answered by the server. Subclasses by category; see `MktowsError.from`. */
export class MktowsError extends MktowsClientError {
  readonly code: number;
  readonly faultcode: string;
  /** `Client` or `Server`, from faultcode. */
  readonly side: FaultSide;
  /** `<code> - <message>` as the server wrote it. */
  readonly faultstring: string;
  /** The detail message (detail/serviceException/message). */
  readonly detail: string;
  readonly category: FaultCategory;
  /** The catalogue's advice for this code. */
  readonly retryAdvice: RetryAdvice;
  readonly httpStatus: number;
  /** Raw response body, signature and key masked. */
  readonly response: string;

  constructor(info: FaultInfo, ctx: { operation: string; attempts: number; request?: string }) {
    const side: FaultSide = /:?Server$/i.test(info.faultcode) ? 'Server' : 'Client';
    const policy = faultPolicy(info.code, side);
    super(`${ctx.operation}: ${info.faultstring || `${info.code} - ${policy.message}`}: ${info.detail}`, {
      ...ctx,
      retryable: RETRYABLE_ADVICE.has(policy.retry),
    });
    this.code = info.code;
    this.faultcode = info.faultcode;
    this.side = side;
    this.faultstring = info.faultstring;
    this.detail = info.detail;
    this.category = policy.category;
    this.retryAdvice = policy.retry;
    this.httpStatus = info.httpStatus;
    this.response = info.response;
  }

  /** The error of the right class for a fault. `resetsAt` is used for 20015. */
  static from(
    info: FaultInfo,
    ctx: { operation: string; attempts: number; request?: string; resetsAt?: Date },
  ): MktowsError {
    if (info.code === FAULT.REQUEST_LIMIT_EXCEEDED)
      return new QuotaExceededError(info, { ...ctx, resetsAt: ctx.resetsAt ?? new Date(NaN) });
    const side: FaultSide = /:?Server$/i.test(info.faultcode) ? 'Server' : 'Client';
    const Class = CATEGORY_CLASS[faultPolicy(info.code, side).category];
    return new Class(info, ctx);
  }
}

/** 20013 Access Denied, 20014 Authentication failed, 20016 Request Expired. */
export class AuthError extends MktowsError {}
/** 20015, 20023, 20024. */
export class LimitError extends MktowsError {}
/** 20103, 20108, 20111, 20113. */
export class NotFoundError extends MktowsError {}
/** 20012, 20017, 20019, 20022, 20101, 20102, 20104–20107, 20109, 20110, 20114. */
export class InvalidRequestError extends MktowsError {}
/** 20122 Bad Stream Position (20123 ends `iterate` quietly). */
export class StreamError extends MktowsError {}
/** 10001, 20011 and unknown SOAP-ENV:Server faults. */
export class ServerError extends MktowsError {}

/** 20015: the daily quota is used up; no call succeeds before `resetsAt`. */
export class QuotaExceededError extends LimitError {
  /** The next 00:00 in the quota time zone (America/Chicago), on the server's clock as the client estimates it. */
  readonly resetsAt: Date;
  /** True when the client refused the call itself because an earlier call hit the quota. */
  readonly local: boolean;
  constructor(
    info: FaultInfo,
    ctx: { operation: string; attempts: number; request?: string; resetsAt: Date; local?: boolean },
  ) {
    super(info, ctx);
    this.resetsAt = ctx.resetsAt;
    this.local = ctx.local ?? false;
  }
}

const CATEGORY_CLASS: Record<FaultCategory, typeof MktowsError> = {
  auth: AuthError,
  limit: LimitError,
  'not-found': NotFoundError,
  'invalid-request': InvalidRequestError,
  stream: StreamError,
  server: ServerError,
};

/** A response that is not a SOAP answer: HTTP 5xx without a fault, another status, or a body that does not parse. */
export class UnexpectedResponseError extends MktowsClientError {
  readonly httpStatus: number;
  /** Raw response body, secrets masked. */
  readonly response: string;
  constructor(
    reason: string,
    init: {
      operation: string;
      attempts: number;
      request?: string;
      httpStatus: number;
      response: string;
      cause?: unknown;
    },
  ) {
    super(`${init.operation}: unexpected response (HTTP ${init.httpStatus}): ${reason}`, {
      ...init,
      retryable: init.httpStatus >= 500 || init.httpStatus === 429,
    });
    this.httpStatus = init.httpStatus;
    this.response = init.response;
  }
}

/** The request did not complete: connection refused or reset, DNS, TLS... (`cause` has the details). */
export class NetworkError extends MktowsClientError {
  constructor(init: { operation: string; attempts: number; request?: string; cause: unknown }) {
    const c = init.cause as { message?: string; cause?: { code?: string; message?: string } } | undefined;
    const why = c?.cause?.code ?? c?.cause?.message ?? c?.message ?? String(init.cause);
    super(`${init.operation}: network error: ${why}`, { ...init, retryable: true });
  }
}

/** No complete response within the timeout (per attempt). */
export class TimeoutError extends MktowsClientError {
  readonly timeoutMs: number;
  constructor(init: { operation: string; attempts: number; request?: string; timeoutMs: number }) {
    super(`${init.operation}: no response within ${init.timeoutMs} ms`, { ...init, retryable: true });
    this.timeoutMs = init.timeoutMs;
  }
}

/** A batch helper stopped at a failing batch; the batches before it were applied. */
export class BatchError<R = unknown> extends MktowsClientError {
  /** Index of the failing batch (0-based). */
  readonly batchIndex: number;
  /** Index in the input of the first item of the failing batch. */
  readonly firstItem: number;
  /** Results of the batches that completed, by batch index (undefined for those that did not). */
  readonly results: (R | undefined)[];
  constructor(init: {
    operation: string;
    batchIndex: number;
    firstItem: number;
    results: (R | undefined)[];
    cause: unknown;
  }) {
    const c = init.cause as MktowsClientError | undefined;
    super(
      `${init.operation}: batch ${init.batchIndex + 1} (from item ${init.firstItem}) failed: ${c?.message ?? String(c)}`,
      {
        operation: init.operation,
        attempts: c?.attempts ?? 0,
        retryable: c?.retryable ?? false,
        request: c?.request,
        cause: init.cause,
      },
    );
    this.batchIndex = init.batchIndex;
    this.firstItem = init.firstItem;
    this.results = init.results;
  }
}

// Type guards, for code that prefers them to instanceof (or gets errors across package copies).

/** A fault from the server; with `code` (a catalogue code, so a typo fails the type-check), that fault only. */
export function isMktowsError(e: unknown, code?: FaultCode): e is MktowsError {
  return e instanceof MktowsError && (code === undefined || e.code === code);
}
export function isAuthError(e: unknown): e is AuthError {
  return e instanceof MktowsError && e.category === 'auth';
}
export function isLimitError(e: unknown): e is LimitError {
  return e instanceof MktowsError && e.category === 'limit';
}
export function isQuotaExceeded(e: unknown): e is QuotaExceededError {
  return e instanceof QuotaExceededError;
}
export function isNotFound(e: unknown): e is NotFoundError {
  return e instanceof MktowsError && e.category === 'not-found';
}
export function isInvalidRequest(e: unknown): e is InvalidRequestError {
  return e instanceof MktowsError && e.category === 'invalid-request';
}
export function isStreamError(e: unknown): e is StreamError {
  return e instanceof MktowsError && e.category === 'stream';
}
export function isServerError(e: unknown): e is ServerError {
  return e instanceof MktowsError && e.category === 'server';
}
export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError;
}
export function isTimeoutError(e: unknown): e is TimeoutError {
  return e instanceof TimeoutError;
}
export function isRetryable(e: unknown): boolean {
  return e instanceof MktowsClientError && e.retryable;
}
