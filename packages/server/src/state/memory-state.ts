/** Operator state held by one process: users, fault rules and clock offset live and die with it. */
import type { RestClientConfig, UserConfig } from '../config.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import type { StreamCodec } from '../domain/stream-position.js';
import type { Store } from '../store/store.js';
import { type FaultRule, type FaultRuleSpec, FaultRules } from './fault-rules.js';
import type { OperatorState } from './operator-state.js';
import { loadStoreDerived, type StoreDerived } from './store-derived.js';
import { UserRegistry } from './users.js';

export class MemoryOperatorState implements OperatorState {
  private readonly registry: UserRegistry;
  private readonly rules: FaultRules;
  private offsetMs = 0;
  private readonly fixedClients: ReadonlyMap<string, RestClientConfig>;
  private clients: Map<string, RestClientConfig>;
  private stored: StoreDerived;

  private constructor(
    private readonly store: Store,
    users: readonly UserConfig[],
    stored: StoreDerived,
    random?: () => number,
    restClients: readonly RestClientConfig[] = [],
  ) {
    this.registry = new UserRegistry(users);
    this.fixedClients = new Map(restClients.map((c) => [c.clientId, { ...c }]));
    this.clients = new Map(this.fixedClients);
    this.rules = new FaultRules(random);
    this.stored = stored;
  }

  /** Opens the state over a store: `users` are the configured (fixed) ones. */
  static async open(
    store: Store,
    users: readonly UserConfig[],
    random?: () => number,
    restClients: readonly RestClientConfig[] = [],
  ): Promise<MemoryOperatorState> {
    return new MemoryOperatorState(store, users, await loadStoreDerived(store), random, restClients);
  }

  restClient(clientId: string): RestClientConfig | undefined {
    return this.clients.get(clientId);
  }

  restClients(): RestClientConfig[] {
    return [...this.clients.values()];
  }

  async upsertRestClient(client: RestClientConfig): Promise<void> {
    this.clients.set(client.clientId, { ...client });
  }

  user(userId: string): UserConfig | undefined {
    return this.registry.get(userId);
  }

  users(): UserConfig[] {
    return this.registry.list();
  }

  async upsertUser(user: UserConfig): Promise<UserConfig> {
    return this.registry.upsert(user);
  }

  matchFaultRule(operation: string, userId: string, api: 'soap' | 'rest' = 'soap'): FaultRule | undefined {
    return this.rules.match(operation, userId, api);
  }

  faultRules(): FaultRule[] {
    return this.rules.list();
  }

  async addFaultRule(spec: FaultRuleSpec): Promise<FaultRule> {
    return this.rules.add(spec);
  }

  async claimFaultRule(rule: FaultRule): Promise<boolean> {
    return this.rules.claim(rule.id);
  }

  async deleteFaultRule(id: number): Promise<boolean> {
    return this.rules.remove(id);
  }

  async clearFaultRules(): Promise<void> {
    this.rules.clear();
  }

  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  async setClockOffset(ms: number): Promise<void> {
    this.offsetMs = ms;
  }

  get leadSchema(): LeadSchema {
    return this.stored.leadSchema;
  }

  get streams(): StreamCodec {
    return this.stored.streams;
  }

  async reload(): Promise<void> {
    // Swapped in one assignment: a call in flight sees the old pair or the new one, never a mix.
    this.stored = await loadStoreDerived(this.store);
  }

  async reset(): Promise<void> {
    this.registry.reset();
    this.clients = new Map(this.fixedClients);
    // Tokens live in the store whichever state keeps the rest.
    await this.store.operator.clear();
    this.rules.clear();
    this.offsetMs = 0;
    await this.reload();
  }

  async close(): Promise<void> {}
}
