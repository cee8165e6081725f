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
import type { UserConfig } from '../config.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import type { StreamCodec } from '../domain/stream-position.js';
import type { FaultRule, FaultRuleSpec } from './fault-rules.js';

export interface OperatorState {
  /** The user with this id, if any: one map lookup (authentication calls it on every request). */
  user(userId: string): UserConfig | undefined;
  users(): UserConfig[];
  /** Adds a user or merges these settings into an existing one; resolves to the user as now stored. */
  upsertUser(user: UserConfig): Promise<UserConfig>;

  /** The first rule that fires for this call; a `count` rule is used up as it fires. */
  matchFaultRule(operation: string, userId: string): FaultRule | undefined;
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

  /** Back to the configured users, no fault rules, no clock offset; then `reload()`. */
  reset(): Promise<void>;
}
