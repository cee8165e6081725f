/** The server's settings, after flags, environment and config file were merged (cli/options.ts). */
import type { SeedDocument } from './seed/seed-document.js';

export interface UserConfig {
  userId: string;
  encryptionKey: string;
  blocked?: boolean;
  quotaPerDay?: number;
  ratePerWindow?: number;
  concurrency?: number;
}

/** A REST API client (OAuth client_credentials). */
export interface RestClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * `sqlite:PATH`, `sqlite::memory:`, `postgres://…`, or the bridge's
   * `marketo+https://CLIENT_ID:CLIENT_SECRET@HOST` (data in a live Marketo, through its REST API).
   */
  store: string;
  /**
   * The bridge's own state (SOAP users, fault rules, clock, journal, importToList batch ids):
   * `sqlite:PATH`, `sqlite::memory:` or `postgres://…` for several bridge replicas. Bridge only.
   */
  bridgeState: string;
  /** Bridge only: the Marketo instance's REST limits, kept by the bridge for all SOAP users (and replicas, with Redis). */
  upstreamQuotaPerDay: number;
  upstreamRatePerWindow: number;
  upstreamWindowMs: number;
  upstreamConcurrency: number;
  /** Bridge only: how long a SOAP call may wait for the instance's limits before it faults (20023/20024). */
  upstreamMaxWaitMs: number;
  /** `memory` or `redis://…`. */
  limits: string;
  users: UserConfig[];
  /** REST API clients; none configured means the demo client. */
  restClients: RestClientConfig[];
  /** REST limits are per instance (all REST clients together), not per client. */
  restQuotaPerDay: number;
  restRatePerWindow: number;
  restWindowMs: number;
  restConcurrency: number;
  /** Lifetime of an access token. */
  restTokenTtlMs: number;
  /**
   * `demo`, `none`, a path to a seed JSON file, or (in-process use) a seed document; applied when
   * the store is new (has no leads).
   */
  seed: string | SeedDocument;
  quotaPerDay: number;
  quotaTimeZone: string;
  ratePerWindow: number;
  windowMs: number;
  concurrency: number;
  signatureWindowMs: number;
  maxBodyBytes: number;
  adminToken?: string;
  /** Bearer token for GET /metrics; unset, /metrics takes the admin token, or is open without one. */
  metricsToken?: string;
  journalSize: number;
  /** Names this process in the journal's entries (`replica`); unset, hostname:pid. */
  replicaId?: string;
  /** Byte budget of the journal's kept bodies; older entries keep their fields but lose their bodies. */
  journalBytes: number;
  /** Log level for the structured log on stderr. */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Base URL written into WSDLs, the banner and `GET /` (behind a proxy or TLS terminator), without
   * a trailing slash; unset, the base follows the request's Host and X-Forwarded-* headers.
   */
  publicUrl?: string;
  /** How long in-flight calls may run after a shutdown signal before their connections are cut. */
  shutdownGraceMs: number;
  /** Directory the admin API may read seed files from; unset, it reads none (only documents and names). */
  seedDir?: string;
  /** Directory POST /_mktows/backup may write into; unset, it writes nowhere. */
  backupDir?: string;
}

/** The demo credentials, printed by the banner and used by the README's first call. */
export const DEMO_USER: UserConfig = {
  userId: 'mktows_demo_user',
  encryptionKey: 'mktows-demo-encryption-key',
};

/** The demo REST client, printed by the banner beside the demo user. */
export const DEMO_REST_CLIENT: RestClientConfig = {
  clientId: 'mktows-demo-client',
  clientSecret: 'mktows-demo-client-secret',
};

export const DEFAULT_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  store: 'sqlite:./mktows.db',
  bridgeState: 'sqlite:./mktows-bridge.db',
  upstreamQuotaPerDay: 50_000,
  upstreamRatePerWindow: 100,
  upstreamWindowMs: 20_000,
  upstreamConcurrency: 10,
  upstreamMaxWaitMs: 30_000,
  limits: 'memory',
  users: [],
  restClients: [],
  restQuotaPerDay: 50_000,
  restRatePerWindow: 100,
  restWindowMs: 20_000,
  restConcurrency: 10,
  restTokenTtlMs: 3600_000,
  seed: 'demo',
  quotaPerDay: 10_000,
  quotaTimeZone: 'America/Chicago',
  ratePerWindow: 100,
  windowMs: 20_000,
  concurrency: 10,
  signatureWindowMs: 15 * 60_000,
  maxBodyBytes: 10 * 1024 * 1024,
  journalSize: 1000,
  journalBytes: 64 * 1024 * 1024,
  logLevel: 'info',
  shutdownGraceMs: 10_000,
};
