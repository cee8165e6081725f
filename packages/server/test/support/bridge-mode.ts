/**
 * MKTOWS_TEST_BRIDGE=1: every suite's server is a bridge in front of an emulator. startTestServer
 * starts the emulator with the suite's config (its data, seed, REST API) and a bridge with the
 * suite's SOAP settings (users, limits, signature window) whose store is the emulator's REST API;
 * SOAP calls go to the bridge. `runtime.store` is the emulator's (tests read the data there), the
 * clock moves on both, fault rules and the journal are the bridge's. So the project's own suites
 * prove the bridge answers as the emulator does, apart from the documented differences.
 */
import type { ServerConfig } from '../../src/config.js';
import type { Runtime } from '../../src/runtime.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { dumpBridgeCalls } from './bridge-calls.js';
import { adminCall, soapCall, type TestServer } from './harness.js';
import { testLimitsUrl } from './limits-backends.js';

export function bridgeModeWanted(config: Partial<ServerConfig>): boolean {
  return process.env.MKTOWS_TEST_BRIDGE === '1' && !config.store?.startsWith('marketo+');
}

const UPSTREAM = { clientId: 'bridge-mode', clientSecret: 'bridge-mode-secret-0123' };

/** Admin paths both servers must see (the clock, users; a reset too); the bridge's own (rules, journal, limits). */
const BOTH = /^\/_mktows\/(clock|users)\b/;
const RESET = /^\/_mktows\/reset\b/;
const BRIDGE_ONLY = /^\/_mktows\/(faults|journal|limits|health)\b/;

export async function startBridged(
  config: Partial<ServerConfig>,
  startEmulator: (config: Partial<ServerConfig>) => Promise<RunningServer>,
): Promise<TestServer> {
  const upstream = upstreamClient(config);
  const emulator = await startEmulator({
    ...config,
    restClients: [...(config.restClients ?? []), upstream],
    restRatePerWindow: 1_000_000,
    restConcurrency: 10_000,
    restQuotaPerDay: 100_000_000,
  });
  let bridge: RunningServer;
  try {
    bridge = await startServer({
      port: 0,
      logLevel: 'silent',
      limits: testLimitsUrl(),
      ...soapSettings(config),
      store: `marketo+http://${encodeURIComponent(upstream.clientId)}:${upstream.clientSecret}@${new URL(emulator.url).host}`,
      bridgeState: 'sqlite::memory:',
      upstreamRatePerWindow: 1_000_000,
      upstreamConcurrency: 10_000,
      upstreamQuotaPerDay: 100_000_000,
    });
  } catch (e) {
    await emulator.close();
    throw e;
  }
  const runtime: Runtime = {
    ...bridge.runtime,
    store: emulator.runtime.store,
    imports: emulator.runtime.imports,
    restTokens: emulator.runtime.restTokens,
  };
  const s = Object.assign(Object.create(bridge) as RunningServer, {
    url: bridge.url,
    soapUrl: bridge.soapUrl,
    restUrl: emulator.restUrl,
    port: bridge.port,
    runtime,
    seeded: emulator.seeded,
    async close() {
      await dumpBridgeCalls(bridge);
      await bridge.close();
      await emulator.close();
    },
  }) as TestServer;
  s.soap = (inner, opts = {}) => soapCall(s, inner, opts);
  s.admin = async (method, path, body) => {
    if (RESET.test(path)) {
      // The emulator takes the seed (the instance's data); the bridge, which takes none, resets its
      // own state, caches and token after it. The answer names what was seeded.
      const e = await adminCall(emulator, method, path, body);
      if (e.status !== 200) return e;
      const { seed: _seed, ...rest } = (body ?? {}) as Record<string, unknown>;
      const b = await adminCall(bridge, method, path, rest);
      return b.status === 200 ? e : b;
    }
    if (BOTH.test(path)) {
      const [b] = await Promise.all([adminCall(bridge, method, path, body), adminCall(emulator, method, path, body)]);
      return b;
    }
    if (BRIDGE_ONLY.test(path)) return adminCall(bridge, method, path, body);
    const r = await adminCall(emulator, method, path, body);
    // A seed may declare lead fields: the bridge reads them from describe again, as after a reset.
    if (/^\/_mktows\/seed\b/.test(path)) bridge.runtime.bridge?.clearCaches();
    return r;
  };
  return s;
}

/**
 * The bridge's REST client on the emulator, named after the suite's first SOAP user: what the
 * emulator records per user (campaign runs, imports) then names the user the suite called as, as
 * it would without a bridge. (On Marketo every call is the API user's: a suite with several SOAP
 * users still sees the one REST client.)
 */
function upstreamClient(config: Partial<ServerConfig>): { clientId: string; clientSecret: string } {
  const user = config.users?.[0]?.userId;
  const taken = (config.restClients ?? []).some((c) => c.clientId === user);
  return user && !taken ? { ...UPSTREAM, clientId: user } : UPSTREAM;
}

/** What a SOAP client meets: the bridge takes these from the suite's config. */
function soapSettings(c: Partial<ServerConfig>): Partial<ServerConfig> {
  const keys = [
    'users',
    'quotaPerDay',
    'quotaTimeZone',
    'ratePerWindow',
    'windowMs',
    'concurrency',
    'signatureWindowMs',
    'maxBodyBytes',
    'journalSize',
    'journalBytes',
    'adminToken',
    'metricsToken',
    'publicUrl',
    'shutdownGraceMs',
  ] as const;
  const out: Partial<ServerConfig> = {};
  for (const k of keys) if (c[k] !== undefined) (out as Record<string, unknown>)[k] = c[k];
  return out;
}

/**
 * For a test whose subject is a documented difference of the bridge (README "Bridge to a live
 * Marketo"): `test(name, { skip: onBridge('SFDC fields have no REST field') }, …)` skips it, with
 * its reason, only when the suite runs through a bridge.
 */
export function onBridge(reason: string): string | false {
  return process.env.MKTOWS_TEST_BRIDGE === '1' ? `bridge difference: ${reason}` : false;
}
