/**
 * REST access tokens. They live in the store (store/operator-store.ts), so a token issued by one
 * replica works on all of them and every replica hands out the same token until it expires. A
 * replica caches the tokens it has seen for REFRESH_MS, the bound of the operator state: checking a
 * known token costs no round trip, and a token removed by another replica's reset is refused
 * within that bound.
 */
import { randomUUID } from 'node:crypto';
import { REFRESH_MS } from '../state/stored-state.js';
import type { OperatorStore, RestToken } from '../store/operator-store.js';

export type TokenCheck = { ok: true; clientId: string } | { ok: false; code: 600 | 601 | 602 };

/** At most this many tokens are cached; past it the cache starts again (the store still answers). */
const CACHE_MAX = 10_000;

export class RestTokens {
  /** Tokens seen, with the wall time they were read from the store. */
  private readonly cache = new Map<string, { token: RestToken; readAt: number }>();

  constructor(private readonly store: OperatorStore) {}

  /** The client's live token, or a new one of `ttlMs`. */
  async issue(clientId: string, now: number, ttlMs: number): Promise<RestToken> {
    const current = await this.store.currentRestToken(clientId, now);
    if (current) return this.remember(current);
    // Marketo's tokens are a UUID and a colon-separated pod suffix; clients treat them as opaque.
    const token: RestToken = { token: `${randomUUID()}:mk`, clientId, expiresAt: now + ttlMs };
    await this.store.addRestToken(token, now);
    return this.remember(token);
  }

  /** 600 for no token, 601 for one never issued (or removed by a reset), 602 for an expired one. */
  async check(token: string | undefined, now: number): Promise<TokenCheck> {
    if (!token) return { ok: false, code: 600 };
    const cached = this.cache.get(token);
    let known: RestToken | undefined;
    if (cached && Date.now() - cached.readAt < REFRESH_MS) known = cached.token;
    else {
      known = await this.store.restToken(token);
      if (!known) {
        this.cache.delete(token);
        return { ok: false, code: 601 };
      }
      this.remember(known);
    }
    if (known.expiresAt <= now) return { ok: false, code: 602 };
    return { ok: true, clientId: known.clientId };
  }

  /** Forgets the cached tokens (after an admin reset removed them from the store). */
  clear(): void {
    this.cache.clear();
  }

  private remember(t: RestToken): RestToken {
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(t.token, { token: t, readAt: Date.now() });
    return t;
  }
}
