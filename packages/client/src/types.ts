/**
 * The typed surface of the client, derived from the protocol's generated `OperationTypes`: no
 * operation, field or record type is written twice.
 */
import type {
  ActivityRecord,
  CustomObj,
  LeadChangeRecord,
  LeadRecord,
  MObject,
  OperationTypes,
} from '@mktows/protocol';

export type OperationName = keyof OperationTypes;
export type ParamsOf<K extends OperationName> = OperationTypes[K]['params'];
export type ResultOf<K extends OperationName> = OperationTypes[K]['result'];

/**
 * What a caller may pass for a schema type: the same shape, with every dateTime also accepted as an
 * xs:dateTime string (`2026-03-01T00:00:00Z`). Strings are sent as given.
 */
export type Input<T> = T extends Date
  ? Date | string
  : T extends Buffer
    ? T
    : T extends readonly (infer U)[]
      ? Input<U>[]
      : T extends object
        ? { [K in keyof T]: Input<T[K]> }
        : T;

export type ParamsInput<K extends OperationName> = Input<ParamsOf<K>>;

/** Per-call settings. */
export interface CallOptions {
  /** Per attempt, in milliseconds (default: the client's `timeoutMs`, 90 s). */
  timeoutMs?: number;
  /** Cancels the call: waiting for a limit, waiting to retry, or the request in flight. */
  signal?: AbortSignal;
  /** syncLead only: sent as MktowsContextHeader/targetWorkspace. */
  targetWorkspace?: string;
}

/** Operations whose params have no required field may be called without params. */
export type OperationArgs<K extends OperationName> =
  Record<never, never> extends ParamsOf<K>
    ? [params?: ParamsInput<K>, options?: CallOptions]
    : [params: ParamsInput<K>, options?: CallOptions];

/** One method per operation, named as the operation. */
export type OperationMethods = {
  [K in OperationName]: (...args: OperationArgs<K>) => Promise<ResultOf<K>>;
};

/** The record type each stream operation pages through. */
export interface StreamRecords {
  getMultipleLeads: LeadRecord;
  getLeadActivity: ActivityRecord;
  getLeadChanges: LeadChangeRecord;
  getMObjects: MObject;
  getCustomObjects: CustomObj;
}
export type StreamOperation = keyof StreamRecords;

/** Any object with pino's methods: `logger.error({ ...fields }, 'message')`. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}
