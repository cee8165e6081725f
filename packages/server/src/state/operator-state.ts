/**
 * Operator state: what changes while the server runs, apart from the data of the store. API users,
 * fault rules and the clock offset are set through the admin API; the lead schema and the
 * stream-position secret are derived from stored data and follow it on `reload()`.
 *
 * Reads are synchronous because the request path makes them on every call (authentication looks
 * the user up, the fault-rule stage matches rules, the clock reads its offset); an implementation
 * shared by several replicas keeps a local copy for them. Changes are asynchronous and go through
 * the methods below only, so such an implementation can write them through to the shared store.
 */
import type { RestClientConfig, UserConfig } from '../config.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import type { StreamCodec } from '../domain/stream-position.js';
import type { FaultRule, FaultRuleSpec } from './fault-rules.js';

export interface OperatorState {
  /** The user with this id, if any: one map lookup (authentication calls it on every request). */
  user(userId: string): UserConfig | undefined;
  users(): UserConfig[];
  /** Adds a user or merges these settings into an existing one; resolves to the user as now stored. */
  upsertUser(user: UserConfig): Promise<UserConfig>;

  /** The REST client with this id, if any (the identity endpoint looks it up). */
  restClient(clientId: string): RestClientConfig | undefined;
  restClients(): RestClientConfig[];
  /** Adds a REST client or replaces its secret. */
  upsertRestClient(client: RestClientConfig): Promise<void>;

  /**
   * The first rule that fires for this call. A `count` rule is a candidate only: it fires once
   * `claimFaultRule` confirms it (`fireFaultRule` below does both).
   */
  matchFaultRule(operation: string, userId: string, api?: 'soap' | 'rest'): FaultRule | undefined;
  /** Uses up one firing of a count rule; false when another call (of any replica) took the last. */
  claimFaultRule(rule: FaultRule): Promise<boolean>;
  /** Rules still in force (count rules not yet used up). */
  faultRules(): FaultRule[];
  addFaultRule(spec: FaultRuleSpec): Promise<FaultRule>;
  /** Removes one rule; resolves to false when no rule has this id. */
  deleteFaultRule(id: number): Promise<boolean>;
  clearFaultRules(): Promise<void>;

  /** Milliseconds added to wall time by the server's clock (state/clock.ts). */
  readonly clockOffsetMs: number;
  setClockOffset(ms: number): Promise<void>;

  /** Standard and custom lead fields, as stored. */
  readonly leadSchema: LeadSchema;
  /** Signs and checks stream positions with the stored secret. */
  readonly streams: StreamCodec;
  /** Reads the lead schema and the stream secret again (after a seed or a reset of the store), creating the secret if the store has none. */
  reload(): Promise<void>;

  /** Back to the configured users and REST clients, no fault rules, no tokens, no clock offset; then `reload()`. */
  reset(): Promise<void>;

  /** Stops any background work (a shared state's refresh); the store is closed by its owner. */
  close(): Promise<void>;
}

/**
 * The rule that fires for this call, its count claimed: a candidate whose last firing another call
 * took is passed over for the next match. Rules without a count cost no round trip.
 */
export async function fireFaultRule(
  state: OperatorState,
  operation: string,
  userId: string,
  api: 'soap' | 'rest' = 'soap',
): Promise<FaultRule | undefined> {
  for (;;) {
    const rule = state.matchFaultRule(operation, userId, api);
    if (rule?.remaining === undefined || (await state.claimFaultRule(rule))) return rule;
  }
}
