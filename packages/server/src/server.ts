/** Starting and stopping a server: open the backends, seed a new store, listen, shut down gracefully. */
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { openBridge } from './bridge/bridge.js';
import { isMarketoStoreUrl, parseMarketoTarget } from './bridge/target.js';
import { DEFAULT_CONFIG, DEMO_REST_CLIENT, DEMO_USER, type ServerConfig } from './config.js';
import { normalisePublicUrl, PublicUrlError } from './http/public-url.js';
import { createHttpServer } from './http/server.js';
import { ImportRunner } from './jobs/import-runner.js';
import { type Journal, LocalJournal } from './journal.js';
import { openLimits } from './limits/open.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import { operatorDirectory } from './operator-dir.js';
import { RestTokens } from './rest/tokens.js';
import type { Runtime } from './runtime.js';
import { resolveSeed, seedDirectory } from './seed/load.js';
import { applySeed, type SeedSummary } from './seed/seed.js';
import { SharedJournal } from './shared-journal.js';
import { maskSecrets } from './signature-mask.js';
import { Clock } from './state/clock.js';
import { StoredOperatorState } from './state/stored-state.js';
import { openStore } from './store/open.js';

export interface RunningServer {
  readonly url: string;
  /** The SOAP endpoint of the newest API version (`<url>/soap/mktows/3_1`). */
  readonly soapUrl: string;
  /** The REST base URL, Marketo's `https://<munchkin>.mktorest.com`: `/identity/oauth/token` and `/rest/v1/…` are under it. */
  readonly restUrl: string;
  readonly port: number;
  readonly runtime: Runtime;
  /** What the seed wrote at start, if the store was new. */
  readonly seeded: SeedSummary | undefined;
  /** Stops accepting, lets in-flight calls finish, closes the backends. */
  close(): Promise<void>;
}

function publicUrlSetting(value: string): string {
  try {
    return normalisePublicUrl(value);
  } catch (e) {
    if (e instanceof PublicUrlError) throw new Error(`publicUrl must be ${e.message}; got ${JSON.stringify(value)}`);
    throw e;
  }
}

export async function startServer(partial: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...partial };
  if (config.users.length === 0) config.users = [DEMO_USER];
  if (config.restClients.length === 0) config.restClients = [DEMO_REST_CLIENT];
  if (config.publicUrl !== undefined) config.publicUrl = publicUrlSetting(config.publicUrl);
  if (config.seedDir !== undefined) config.seedDir = await seedDirectory(config.seedDir);
  if (config.backupDir !== undefined) config.backupDir = await operatorDirectory('--backup-dir', config.backupDir);
  const log = createLogger(config.logLevel);
  // The limits open first (a wrong --limits stops the start early); the clock offset they read
  // comes from the operator state opened below.
  let clockOffset: { readonly clockOffsetMs: number } = { clockOffsetMs: 0 };
  const limits = await openLimits(config.limits, {
    quotaTimeZone: config.quotaTimeZone,
    clockOffsetMs: () => clockOffset.clockOffsetMs,
  });
  const target = isMarketoStoreUrl(config.store) ? parseMarketoTarget(config.store) : undefined;
  // A bridge keeps its data in the Marketo instance; only its own state is stored here.
  const store = await openStore(target ? config.bridgeState : config.store);
  const metrics = new Metrics();
  const replica = config.replicaId ?? `${hostname()}:${process.pid}`;
  // A SQLite store has one process: its journal stays in memory, off the benchmarked call path. A
  // PostgreSQL store may have several replicas: each writes its calls to the store, behind them.
  const journal: Journal =
    store.kind === 'postgres'
      ? new SharedJournal(store.journal, { size: config.journalSize, replica, log, metrics })
      : new LocalJournal(config.journalSize, config.journalBytes, replica);
  let rt: Runtime;
  let state: StoredOperatorState | undefined;
  let seeded: SeedSummary | undefined;
  try {
    // A new store is seeded at wall time: no clock offset can be set before the server starts. A
    // bridge is never seeded: its leads are the instance's.
    if (!target && (await store.countLeads()) === 0) {
      const doc = await resolveSeed(config.seed);
      if (doc) seeded = await applySeed(store, doc, Date.now());
    }
    // Users, fault rules and clock offset live in the store: shared by replicas, kept across restarts.
    const opened = await StoredOperatorState.open(
      store,
      config.users,
      { onRefreshError: (e) => log.warn('operator state refresh failed', { error: String(e) }) },
      config.restClients,
    );
    state = opened;
    const clock = new Clock(opened);
    clockOffset = opened;
    const bridge =
      target &&
      openBridge(target, config, limits, { now: () => clock.now(), onExchange: (r) => metrics.recordUpstream(r) });
    rt = {
      config,
      store,
      ...(bridge ? { bridge } : {}),
      limits,
      clock,
      state: opened,
      journal,
      metrics,
      log,
      replica,
      mask: maskSecrets,
      restTokens: new RestTokens(store.operator),
      imports: new ImportRunner({ store, schema: () => opened.leadSchema, now: () => clock.now(), log }),
    };
  } catch (e) {
    await state?.close();
    await limits.close();
    await store.close();
    throw e;
  }
  const http = createHttpServer(rt);
  try {
    await new Promise<void>((resolve, reject) => {
      http.server.once('error', reject);
      http.server.listen(config.port, config.host, () => {
        http.server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    // Nothing may stay open after a failed start (port in use, bad host).
    await rt.state.close();
    await limits.close();
    await store.close();
    throw e;
  }
  const port = (http.server.address() as AddressInfo).port;
  // Imports that were PROCESSING when the server last stopped resume now.
  rt.imports.wake();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  const url = `http://${host}:${port}`;
  return {
    url,
    soapUrl: `${url}/soap/mktows/3_1`,
    restUrl: url,
    port,
    runtime: rt,
    seeded,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
        http.server.closeIdleConnections();
        // In-flight calls finish; their keep-alive sockets close once idle.
        const timer = setInterval(() => http.server.closeIdleConnections(), 50);
        // Past the grace, whatever is still open (a slow call, a half-sent body) is cut: one
        // client must not hold the process up.
        const deadline = setTimeout(() => http.server.closeAllConnections(), config.shutdownGraceMs);
        await closed;
        clearInterval(timer);
        clearTimeout(deadline);
        await rt.imports.stop();
        await journal.close();
        await rt.state.close();
        await limits.close();
        await store.close();
      })();
      return closing;
    },
  };
}
