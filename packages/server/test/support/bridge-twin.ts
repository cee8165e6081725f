/**
 * For bridge write tests: a bridge pair and a twin emulator on the same demo data, so that a write
 * through the bridge can be compared with the same write on an emulator of its own; and the REST
 * calls of the bridge's last SOAP call without its token requests.
 */
import { after, before } from 'node:test';
import { type BridgePair, startBridgePair } from './bridge.js';
import { startTestServer, type TestServer } from './harness.js';

export interface BridgeWithTwin {
  p: BridgePair;
  twin: TestServer;
  close(): Promise<void>;
}

export async function startBridgeWithTwin(): Promise<BridgeWithTwin> {
  const [p, twin] = await Promise.all([startBridgePair(), startTestServer({ seed: 'demo' })]);
  return { p, twin, close: async () => void (await Promise.all([p.close(), twin.close()])) };
}

/** `METHOD /path` of each REST call the bridge's last SOAP call made, token requests left out. */
export async function restCalls(p: BridgePair): Promise<string[]> {
  return (await p.lastUpstream()).filter((c) => c.path !== '/identity/oauth/token').map((c) => `${c.method} ${c.path}`);
}

/** A pair and twin for the enclosing suite: started before its tests, closed after them. */
export function bridgeWithTwin(): { readonly p: BridgePair; readonly twin: TestServer } {
  let started: BridgeWithTwin | undefined;
  before(async () => {
    started = await startBridgeWithTwin();
  });
  after(() => started?.close());
  const get = () => {
    if (!started) throw new Error('the bridge pair is started by the suite');
    return started;
  };
  return {
    get p() {
      return get().p;
    },
    get twin() {
      return get().twin;
    },
  };
}
