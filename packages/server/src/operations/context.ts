/** What a handler gets besides its params: never XML, never HTTP. */
import type { OperationTypes, Version } from '@mktows/protocol';
import type { BridgeCall } from '../bridge/bridge.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import type { StreamCodec } from '../domain/stream-position.js';
import type { Store } from '../store/store.js';

export interface OpContext {
  readonly store: Store;
  readonly schema: LeadSchema;
  readonly streams: StreamCodec;
  /** Server time in ms, including the admin clock offset. */
  now(): number;
  readonly version: Version;
  readonly userId: string;
  /** MktowsContextHeader/targetWorkspace, when the caller sent one. */
  readonly targetWorkspace?: string;
  /** IANA zone of the quota day (`--quota-timezone`); America/Chicago when absent. */
  readonly quotaTimeZone?: string;
  /** The importToList job runner, woken when a job is stored. */
  readonly imports?: { wake(): void };
  /**
   * Set on a bridge (`--store marketo+…`): the instance's REST API for this call. `store` then holds
   * only the bridge's own state (import batch ids), never leads.
   */
  readonly bridge?: BridgeCall;
}

export type OperationName = keyof OperationTypes;

export type Handler<Op extends OperationName> = (
  params: OperationTypes[Op]['params'],
  ctx: OpContext,
) => Promise<OperationTypes[Op]['result']>;
