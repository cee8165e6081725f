/** What the operator state derives from stored data: custom lead fields and the stream-position secret. */
import { randomBytes } from 'node:crypto';
import { LeadSchema } from '../domain/lead-schema.js';
import { StreamCodec } from '../domain/stream-position.js';
import type { Store } from '../store/store.js';

export interface StoreDerived {
  leadSchema: LeadSchema;
  streams: StreamCodec;
}

/** Reads both, creating the secret if the store has none. */
export async function loadStoreDerived(store: Store): Promise<StoreDerived> {
  const leadSchema = new LeadSchema(await store.listCustomLeadFields());
  let secret = await store.getMeta('stream_secret');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    await store.setMeta('stream_secret', secret);
  }
  return { leadSchema, streams: new StreamCodec(secret) };
}
