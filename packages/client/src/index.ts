/** The catalogue's codes by name, to compare `MktowsError.code` with (`FAULT.LEAD_NOT_FOUND` is 20103). */
export { FAULT, type FaultCode, type FaultName } from '@mktows/protocol';
export {
  type Attribute,
  type AttributeList,
  type AttributeValue,
  fromAttributeList,
  toAttributeList,
} from './attributes.js';
export { BATCH_SIZES, type BatchOptions } from './batch.js';
export { runCall } from './cli-call.js';
export {
  MktowsClient,
  type MktowsClientOptions,
  type RequestEvent,
  type ResponseEvent,
  type Usage,
} from './client.js';
export {
  AuthError,
  BatchError,
  type FaultInfo,
  InvalidRequestError,
  isAuthError,
  isInvalidRequest,
  isLimitError,
  isMktowsError,
  isNetworkError,
  isNotFound,
  isQuotaExceeded,
  isRetryable,
  isServerError,
  isStreamError,
  isTimeoutError,
  LimitError,
  MktowsClientError,
  MktowsError,
  NetworkError,
  NotFoundError,
  QuotaExceededError,
  ServerError,
  StreamError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
export { DEFAULT_LIMITS, type LimitsConfig, resetClientState } from './limiter.js';
export {
  isRestApiError,
  MarketoRestClient,
  type MarketoRestClientOptions,
  type RestClientStats,
  type RestRequestOptions,
} from './rest-client.js';
export {
  RestApiError,
  RestAuthError,
  type RestErrorInfo,
  RestIdentityError,
  RestInvalidRequestError,
  RestLimitError,
  RestQuotaExceededError,
  RestServerError,
  restRetryAdvice,
} from './rest-errors.js';
export type * from './rest-types.js';
export { DEFAULT_RETRY, type RetryBudgetOptions, type RetryOptions } from './retry.js';
export { isStreamOperation } from './stream.js';
export type {
  CallOptions,
  Input,
  Logger,
  OperationArgs,
  OperationMethods,
  OperationName,
  ParamsInput,
  ParamsOf,
  ResultOf,
  StreamOperation,
  StreamRecords,
} from './types.js';
