/**
 * The REST client's errors. A failed envelope (`success: false`) becomes a RestApiError whose class
 * follows the REST catalogue's retry advice (REST_ERRORS in @mktows/protocol), so the codes, the
 * classes and the retry policy cannot drift apart. Network failures, timeouts and responses that
 * are not JSON reuse the SOAP client's classes (errors.ts).
 */
import { isRestErrorCode, type RestErrorCode, type RestRetryAdvice, restErrorDef } from '@mktows/protocol';
import { MktowsClientError } from './errors.js';

/** The catalogue's advice for a code; codes outside it are not retried. */
export function restRetryAdvice(code: number): RestRetryAdvice {
  return isRestErrorCode(code) ? restErrorDef(code).retry : 'none';
}

const RETRYABLE: ReadonlySet<RestRetryAdvice> = new Set(['reauthenticate', 'backoff', 'wait-window', 'wait-slot']);

export interface RestErrorInfo {
  /** The first error of the envelope (Marketo sends its code as a string; here a number). */
  code: number;
  message: string;
  /** Every error of the envelope, as sent. */
  errors: { code: string; message: string }[];
  requestId: string | undefined;
  httpStatus: number;
  /** The raw response body. */
  response: string;
}

/** An envelope with `success: false`. Subclasses by retry advice; see `RestApiError.from`. */
export class RestApiError extends MktowsClientError {
  readonly code: number;
  readonly errors: { code: string; message: string }[];
  readonly requestId: string | undefined;
  readonly retryAdvice: RestRetryAdvice;
  readonly httpStatus: number;
  readonly response: string;

  constructor(info: RestErrorInfo, ctx: { operation: string; attempts: number; request?: string }) {
    const advice = restRetryAdvice(info.code);
    super(`${ctx.operation}: ${info.code} ${info.message}`, { ...ctx, retryable: RETRYABLE.has(advice) });
    this.code = info.code;
    this.errors = info.errors;
    this.requestId = info.requestId;
    this.retryAdvice = advice;
    this.httpStatus = info.httpStatus;
    this.response = info.response;
  }

  static from(
    info: RestErrorInfo,
    ctx: { operation: string; attempts: number; request?: string; resetsAt?: Date },
  ): RestApiError {
    const advice = restRetryAdvice(info.code);
    if (advice === 'until-reset')
      return new RestQuotaExceededError(info, { ...ctx, resetsAt: ctx.resetsAt ?? new Date(Number.NaN) });
    return new ADVICE_CLASS[advice](info, ctx);
  }

  /** True when the code is this catalogue code (a typo fails the type-check). */
  is(code: RestErrorCode): boolean {
    return this.code === code;
  }
}

/** 600, 601, 602: the token was missing, unknown or expired (after the one refresh the client does). */
export class RestAuthError extends RestApiError {}
/** 606, 615: the instance's rate or concurrency limit (after the waits the client does). */
export class RestLimitError extends RestApiError {}
/** 604, 611, 713: a transient failure (after the backoff retries the client does). */
export class RestServerError extends RestApiError {}
/** Every code the catalogue says not to retry: parameters, data, missing objects. */
export class RestInvalidRequestError extends RestApiError {}

/** 607: the daily quota is used up; no call succeeds before `resetsAt`. Never retried. */
export class RestQuotaExceededError extends RestLimitError {
  /** The next 00:00 in the quota time zone, on the client's clock. */
  readonly resetsAt: Date;
  /** True when the client refused the call itself because an earlier call hit the quota. */
  readonly local: boolean;
  constructor(
    info: RestErrorInfo,
    ctx: { operation: string; attempts: number; request?: string; resetsAt: Date; local?: boolean },
  ) {
    super(info, ctx);
    this.resetsAt = ctx.resetsAt;
    this.local = ctx.local ?? false;
  }
}

const ADVICE_CLASS: Record<Exclude<RestRetryAdvice, 'until-reset'>, typeof RestApiError> = {
  reauthenticate: RestAuthError,
  'wait-window': RestLimitError,
  'wait-slot': RestLimitError,
  backoff: RestServerError,
  none: RestInvalidRequestError,
};

/** The identity service refused the client id/secret (HTTP 401) or the grant (400). */
export class RestIdentityError extends MktowsClientError {
  readonly httpStatus: number;
  /** The OAuth error (`unauthorized`, `invalid_request`...). */
  readonly error: string;
  constructor(init: { httpStatus: number; error: string; description: string; attempts: number }) {
    super(`identity: ${init.error}: ${init.description}`, {
      operation: 'identity',
      attempts: init.attempts,
      retryable: false,
    });
    this.httpStatus = init.httpStatus;
    this.error = init.error;
  }
}
