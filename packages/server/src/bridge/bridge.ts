/**
 * The bridge: the SOAP API served from a live Marketo instance through its REST API. One Bridge per
 * server holds the REST client (upstream.ts) and what it has learnt from the instance (caches);
 * each SOAP call gets a BridgeCall, which records the REST exchanges it made for the journal.
 * Operator state (SOAP users, fault rules, clock, journal, stream secret) and the bridge's own
 * records (importToList batch ids) stay in the local state store (`--bridge-state`).
 *
 * The bridge sits at the operation level (bridge/operations/ beside operations/), not under store/:
 * it answers whole SOAP operations from REST and reuses the domain's checks and converters, while
 * store/ stays plain storage that imports nothing from domain/ (test/import-cycles.test.ts).
 */
import type { ServerConfig } from '../config.js';
import type { Limits } from '../limits/limits.js';
import { LeadFieldMap } from './lead-field-map.js';
import type { MarketoTarget } from './target.js';
import { TtlCache } from './ttl-cache.js';
import { type RestBody, Upstream, type UpstreamCallRecord, type UpstreamRequest } from './upstream.js';

/** How long describe, activity types and names → ids are kept unless a cache says otherwise. */
export const DEFAULT_CACHE_TTL_MS = 10 * 60_000;

export interface BridgeCall {
  readonly bridge: Bridge;
  /** Every REST exchange this SOAP call made, in order (token requests included). */
  readonly calls: UpstreamCallRecord[];
  /** One REST request; answers the `success:true` body or throws an UpstreamFault. */
  rest(req: UpstreamRequest): Promise<RestBody>;
  /** The instance's lead fields (describe, cached). */
  leadFields(): Promise<LeadFieldMap>;
}

export class Bridge {
  private readonly caches = new Map<string, TtlCache<unknown>>();

  constructor(
    readonly upstream: Upstream,
    readonly cacheTtlMs: number = DEFAULT_CACHE_TTL_MS,
  ) {}

  get target(): MarketoTarget {
    return this.upstream.target;
  }

  /** A named cache, made on first use: `bridge.cache<number>('list-id')`. */
  cache<V>(name: string, ttlMs: number = this.cacheTtlMs): TtlCache<V> {
    let c = this.caches.get(name);
    if (!c) {
      c = new TtlCache<unknown>(ttlMs);
      this.caches.set(name, c);
    }
    return c as TtlCache<V>;
  }

  /** Forgets everything learnt from the instance (admin reset). */
  clearCaches(): void {
    for (const c of this.caches.values()) c.clear();
  }

  forCall(): BridgeCall {
    const calls: UpstreamCallRecord[] = [];
    const call: BridgeCall = {
      bridge: this,
      calls,
      rest: (req) => this.upstream.call(req, calls),
      leadFields: () =>
        this.cache<LeadFieldMap>('lead-fields').get('describe', async () => {
          const body = await call.rest({ method: 'GET', path: '/rest/v1/leads/describe.json' });
          return new LeadFieldMap(body.result ?? []);
        }),
    };
    return call;
  }
}

/** A bridge to `target` within the `--upstream-*` limits of `config` (the server, `mktows bridge check`). */
export function openBridge(
  target: MarketoTarget,
  config: ServerConfig,
  limits: Limits,
  o: { now(): number; onExchange?(r: UpstreamCallRecord): void; timeoutMs?: number },
): Bridge {
  const upstream = new Upstream({
    target,
    limits,
    instanceLimits: {
      quotaPerDay: config.upstreamQuotaPerDay,
      ratePerWindow: config.upstreamRatePerWindow,
      windowMs: config.upstreamWindowMs,
      concurrency: config.upstreamConcurrency,
    },
    maxWaitMs: config.upstreamMaxWaitMs,
    ...o,
  });
  return new Bridge(upstream);
}
