/**
 * API users. Those from flags, environment or config file are fixed; the admin API adds or
 * updates others, and a reset removes what it added (restoring the fixed ones as configured).
 */
import type { ServerConfig, UserConfig } from '../config.js';
import type { UserLimits } from '../limits/limits.js';

export class UserRegistry {
  private readonly fixed: Map<string, UserConfig>;
  private users: Map<string, UserConfig>;

  constructor(initial: readonly UserConfig[]) {
    this.fixed = new Map(initial.map((u) => [u.userId, { ...u }]));
    this.users = new Map([...this.fixed].map(([k, v]) => [k, { ...v }]));
  }

  get(userId: string): UserConfig | undefined {
    return this.users.get(userId);
  }

  upsert(user: UserConfig): UserConfig {
    const merged = { ...this.users.get(user.userId), ...user };
    this.users.set(user.userId, merged);
    return merged;
  }

  list(): UserConfig[] {
    return [...this.users.values()];
  }

  reset(): void {
    this.users = new Map([...this.fixed].map(([k, v]) => [k, { ...v }]));
  }
}

/** The user's limits: server flags, overridden per user. */
export function userLimits(
  config: Pick<ServerConfig, 'quotaPerDay' | 'ratePerWindow' | 'windowMs' | 'concurrency'>,
  user: UserConfig,
): UserLimits {
  return {
    quotaPerDay: user.quotaPerDay ?? config.quotaPerDay,
    ratePerWindow: user.ratePerWindow ?? config.ratePerWindow,
    windowMs: config.windowMs,
    concurrency: user.concurrency ?? config.concurrency,
  };
}
