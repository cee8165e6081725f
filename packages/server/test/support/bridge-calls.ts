/**
 * MKTOWS_BRIDGE_CALLS_FILE=PATH: each bridge a test starts appends, when it closes, one JSON line
 * per SOAP call it served: the operation, its fault code and the REST calls it made. The bench
 * (bench/scenarios/bridge.mjs) runs the bridge suites so and counts REST calls per operation.
 */
import { appendFileSync } from 'node:fs';
import type { RunningServer } from '../../src/server.js';

export const CALLS_FILE = process.env.MKTOWS_BRIDGE_CALLS_FILE;

/** Every call must stay in the journal until the bridge closes. */
export const CALLS_JOURNAL_SIZE = 1_000_000;

export async function dumpBridgeCalls(bridge: RunningServer): Promise<void> {
  if (!CALLS_FILE) return;
  const entries = await bridge.runtime.journal.query({ api: 'soap' });
  const lines = entries
    .filter((e) => e.operation !== null)
    .map((e) =>
      JSON.stringify({
        operation: e.operation,
        faultCode: e.faultCode,
        rest: (e.upstream ?? []).map((u) => `${u.method} ${u.path}`),
      }),
    );
  if (lines.length) appendFileSync(CALLS_FILE, `${lines.join('\n')}\n`);
}
