/**
 * Operator state as stored: users added through the admin API, fault rules and the clock offset,
 * so that they survive a restart and every replica sharing the store sees the same. Reached as
 * `store.operator`; state/stored-state.ts keeps a local copy of it for the request path.
 */
import type { RestClientConfig, UserConfig } from '../config.js';
import type { FaultRule, FaultRuleSpec } from '../state/fault-rules.js';

export interface OperatorSnapshot {
  /** Users added or changed through the admin API (a configured user changed there too). */
  users: UserConfig[];
  /** Rules still in force, by id: count rules not yet used up. */
  rules: FaultRule[];
  clockOffsetMs: number;
  /** REST clients added or changed through the admin API. */
  restClients: RestClientConfig[];
}

/** An access token issued to a REST client. */
export interface RestToken {
  token: string;
  clientId: string;
  /** Epoch ms on the server clock. */
  expiresAt: number;
}

export interface OperatorStore {
  /** Everything at once, for a replica's local copy. */
  snapshot(): Promise<OperatorSnapshot>;
  /** Writes the user as given (already merged with any earlier settings). */
  putUser(user: UserConfig, at: number): Promise<void>;
  addFaultRule(spec: FaultRuleSpec, at: number): Promise<FaultRule>;
  /**
   * Uses up one firing of a count rule, atomically: true when this caller got it. Across replicas
   * a rule with `count: N` is claimed exactly N times.
   */
  claimFaultRule(id: number): Promise<boolean>;
  /** False when no rule has this id. */
  deleteFaultRule(id: number): Promise<boolean>;
  clearFaultRules(): Promise<void>;
  setClockOffset(ms: number): Promise<void>;
  putRestClient(client: RestClientConfig, at: number): Promise<void>;
  /** The token with this value, expired or not; undefined when none was issued (or a reset removed it). */
  restToken(token: string): Promise<RestToken | undefined>;
  /** The client's token that lives longest, if it is still valid at `now`. */
  currentRestToken(clientId: string, now: number): Promise<RestToken | undefined>;
  /** Stores a new token and forgets the client's tokens that expired long ago. */
  addRestToken(token: RestToken, now: number): Promise<void>;
  /** Removes admin-added users and REST clients, every rule, every token and the offset (the admin API's reset). */
  clear(): Promise<void>;
}
