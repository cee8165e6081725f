/** Everything a running server shares between the SOAP pipeline and the admin API. */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import { LeadSchema } from './domain/lead-schema.js';
import { StreamCodec } from './domain/stream-position.js';
import type { FaultRules } from './fault-rules.js';
import type { ImportRunner } from './jobs/import-runner.js';
import type { Journal } from './journal.js';
import type { Limits } from './limits/limits.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Store } from './store/store.js';
import type { UserRegistry } from './users.js';

export interface Runtime {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly limits: Limits;
  readonly clock: Clock;
  readonly users: UserRegistry;
  readonly journal: Journal;
  readonly faultRules: FaultRules;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Background importToList jobs (jobs/import-runner.ts). */
  readonly imports: ImportRunner;
  leadSchema: LeadSchema;
  streams: StreamCodec;
  /** Hides the signature of a request (signature-mask.ts) before its text goes anywhere but the wire. */
  mask(xml: string, signature?: string | null): string;
}

/** Loads what depends on stored data: custom lead fields and the stream-position secret. */
export async function loadStoredState(
  rt: Pick<Runtime, 'store'> & Partial<Runtime>,
): Promise<{ leadSchema: LeadSchema; streams: StreamCodec }> {
  const leadSchema = new LeadSchema(await rt.store.listCustomLeadFields());
  let secret = await rt.store.getMeta('stream_secret');
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    await rt.store.setMeta('stream_secret', secret);
  }
  return { leadSchema, streams: new StreamCodec(secret) };
}

export { maskSecrets } from './signature-mask.js';
