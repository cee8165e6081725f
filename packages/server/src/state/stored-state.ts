/**
 * Operator state kept in the store (store/operator-store.ts), for every replica sharing it and
 * across restarts. The request path reads a local copy synchronously; every change is written to
 * the store and the copy is then read again, and a timer refreshes the copy every `refreshMs`
 * (REFRESH_MS by default), so a change made on one replica is seen by the others within that bound
 * (plus one read of the store).
 *
 * Count rules: `matchFaultRule` matches the local copy without using anything up; the pipeline
 * then claims the firing with one atomic decrement in the store (`claimFaultRule`), so a rule with
 * `count: N` fires exactly N times across all replicas, whatever their copies say.
 */
import type { RestClientConfig, UserConfig } from '../config.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import type { StreamCodec } from '../domain/stream-position.js';
import type { OperatorSnapshot } from '../store/operator-store.js';
import type { Store } from '../store/store.js';
import { type FaultRule, type FaultRuleSpec, matchRule } from './fault-rules.js';
import type { OperatorState } from './operator-state.js';
import { loadStoreDerived, type StoreDerived } from './store-derived.js';

/** How often each replica reads the shared state again: the bound on seeing another's change. */
export const REFRESH_MS = 500;

export interface StoredStateOptions {
  refreshMs?: number;
  random?: () => number;
  /** A failed background refresh keeps the old copy; this hears why (a log line). */
  onRefreshError?: (error: unknown) => void;
}

interface LocalCopy {
  users: Map<string, UserConfig>;
  restClients: Map<string, RestClientConfig>;
  rules: FaultRule[];
  clockOffsetMs: number;
}

export class StoredOperatorState implements OperatorState {
  private readonly configured: ReadonlyMap<string, UserConfig>;
  private readonly configuredClients: ReadonlyMap<string, RestClientConfig>;
  private copy: LocalCopy;
  private derived: StoreDerived;
  private readonly random: () => number;
  private readonly timer: NodeJS.Timeout;
  /** Refreshes are numbered as they start; an older one finishing late is not applied. */
  private started = 0;
  private applied = 0;

  private constructor(
    private readonly store: Store,
    users: readonly UserConfig[],
    restClients: readonly RestClientConfig[],
    snapshot: OperatorSnapshot,
    derived: StoreDerived,
    private readonly options: StoredStateOptions,
  ) {
    this.configured = new Map(users.map((u) => [u.userId, { ...u }]));
    this.configuredClients = new Map(restClients.map((c) => [c.clientId, { ...c }]));
    this.copy = this.localCopy(snapshot);
    this.derived = derived;
    this.random = options.random ?? Math.random;
    this.timer = setInterval(() => {
      this.refresh().catch((e) => this.options.onRefreshError?.(e));
    }, options.refreshMs ?? REFRESH_MS);
    // The refresh never holds a process up that has nothing else to do.
    this.timer.unref();
  }

  /** Opens the state over a store: `users` and `restClients` are the configured ones; stored changes apply over them. */
  static async open(
    store: Store,
    users: readonly UserConfig[],
    options: StoredStateOptions = {},
    restClients: readonly RestClientConfig[] = [],
  ): Promise<StoredOperatorState> {
    const snapshot = await store.operator.snapshot();
    return new StoredOperatorState(store, users, restClients, snapshot, await loadStoreDerived(store), options);
  }

  private localCopy(snapshot: OperatorSnapshot): LocalCopy {
    const users = new Map([...this.configured].map(([k, v]) => [k, { ...v }]));
    for (const u of snapshot.users) users.set(u.userId, u);
    const restClients = new Map([...this.configuredClients].map(([k, v]) => [k, { ...v }]));
    for (const c of snapshot.restClients) restClients.set(c.clientId, c);
    return { users, restClients, rules: snapshot.rules, clockOffsetMs: snapshot.clockOffsetMs };
  }

  /** Reads the shared state again into the local copy. */
  async refresh(): Promise<void> {
    const n = ++this.started;
    const snapshot = await this.store.operator.snapshot();
    if (n < this.applied) return;
    this.applied = n;
    // Swapped in one assignment: a call in flight sees the old copy or the new one, never a mix.
    this.copy = this.localCopy(snapshot);
  }

  user(userId: string): UserConfig | undefined {
    return this.copy.users.get(userId);
  }

  users(): UserConfig[] {
    return [...this.copy.users.values()];
  }

  async upsertUser(user: UserConfig): Promise<UserConfig> {
    // Merged over what this replica sees: a change is a whole user, as the admin API sends it.
    const merged = { ...this.copy.users.get(user.userId), ...user };
    await this.store.operator.putUser(merged, Date.now());
    await this.refresh();
    return merged;
  }

  restClient(clientId: string): RestClientConfig | undefined {
    return this.copy.restClients.get(clientId);
  }

  restClients(): RestClientConfig[] {
    return [...this.copy.restClients.values()];
  }

  async upsertRestClient(client: RestClientConfig): Promise<void> {
    await this.store.operator.putRestClient(client, Date.now());
    await this.refresh();
  }

  matchFaultRule(operation: string, userId: string, api: 'soap' | 'rest' = 'soap'): FaultRule | undefined {
    return matchRule(this.copy.rules, operation, userId, this.random, api);
  }

  async claimFaultRule(rule: FaultRule): Promise<boolean> {
    const claimed = await this.store.operator.claimFaultRule(rule.id);
    // The local copy follows at once, so this replica stops matching a used-up rule before the
    // next refresh.
    const local = this.copy.rules.find((r) => r.id === rule.id);
    if (local?.remaining !== undefined) local.remaining = claimed ? Math.max(0, local.remaining - 1) : 0;
    return claimed;
  }

  faultRules(): FaultRule[] {
    return this.copy.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
  }

  async addFaultRule(spec: FaultRuleSpec): Promise<FaultRule> {
    const rule = await this.store.operator.addFaultRule(spec, Date.now());
    await this.refresh();
    return rule;
  }

  async deleteFaultRule(id: number): Promise<boolean> {
    const deleted = await this.store.operator.deleteFaultRule(id);
    await this.refresh();
    return deleted;
  }

  async clearFaultRules(): Promise<void> {
    await this.store.operator.clearFaultRules();
    await this.refresh();
  }

  get clockOffsetMs(): number {
    return this.copy.clockOffsetMs;
  }

  async setClockOffset(ms: number): Promise<void> {
    await this.store.operator.setClockOffset(ms);
    await this.refresh();
  }

  get leadSchema(): LeadSchema {
    return this.derived.leadSchema;
  }

  get streams(): StreamCodec {
    return this.derived.streams;
  }

  async reload(): Promise<void> {
    this.derived = await loadStoreDerived(this.store);
  }

  async reset(): Promise<void> {
    await this.store.operator.clear();
    await this.refresh();
    await this.reload();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}
