/** What a handler gets besides its params: never XML, never HTTP. */
import type { OperationTypes, Version } from '@mktows/protocol';
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
}

export type OperationName = keyof OperationTypes;

export type Handler<Op extends OperationName> = (
  params: OperationTypes[Op]['params'],
  ctx: OpContext,
) => Promise<OperationTypes[Op]['result']>;
