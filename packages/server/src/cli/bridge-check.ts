/**
 * `mktows bridge check --store marketo+https://CLIENT_ID:CLIENT_SECRET@HOST`: before pointing SOAP
 * clients at a bridge, an operator checks that its REST client is accepted (a token), reads the
 * instance's lead fields (describe) and sees which SOAP operations the bridge serves and under which
 * SOAP and REST names each lead field goes. It takes `mktows serve`'s options (flags, MKTOWS_* env,
 * --config), so the check reads exactly the settings the server would. The client secret and the
 * token are never printed: the instance is shown as `marketo+https://CLIENT_ID:***@HOST`.
 */
import { OPERATIONS } from '@mktows/protocol';
import { openBridge } from '../bridge/bridge.js';
import type { LeadFieldMap } from '../bridge/lead-field-map.js';
import { BRIDGE_OPERATIONS } from '../bridge/operations/index.js';
import { isMarketoStoreUrl, parseMarketoTarget } from '../bridge/target.js';
import type { UpstreamCallRecord } from '../bridge/upstream.js';
import { DEFAULT_CONFIG } from '../config.js';
import { MemoryLimits } from '../limits/memory.js';
import { OptionsError, type ReadFile, resolveServe } from './options.js';

export interface BridgeCheckIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  readFile?: ReadFile;
}

/** How long the check waits for each answer of the instance. */
const CHECK_TIMEOUT_MS = 30_000;

export function bridgeHelp(): string {
  return [
    'Usage: mktows bridge check --store marketo+https://CLIENT_ID:CLIENT_SECRET@HOST [serve options]',
    '',
    "Checks a bridge's Marketo instance before serving it: asks for a REST token with the client id and",
    'secret (exit 1 with the reason if refused or unreachable), reads the lead fields (describe), and prints',
    'the SOAP operations the bridge serves and every lead field with its SOAP and REST names. The store may',
    'also come from MKTOWS_STORE or --config, as for `mktows serve`. The secret is never printed.',
    '',
  ].join('\n');
}

/** Exit codes as run(): 0 checked, 1 the instance refused or could not be reached, 2 usage. */
export async function bridgeCommand(args: string[], io: BridgeCheckIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h')) {
    (sub === undefined ? io.err : io.out)(bridgeHelp());
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') {
    io.err(`mktows: unknown bridge command ${JSON.stringify(sub)}; the one command is: mktows bridge check\n`);
    return 2;
  }
  let store: string;
  let config: ReturnType<typeof resolveServe>['config'];
  try {
    ({ config } = resolveServe(rest, io.env, io.readFile));
    store = config.store;
  } catch (e) {
    if (e instanceof OptionsError) {
      io.err(`mktows: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (store === DEFAULT_CONFIG.store || !isMarketoStoreUrl(store)) {
    io.err(
      'mktows: bridge check needs the instance: --store marketo+https://CLIENT_ID:CLIENT_SECRET@HOST (or MKTOWS_STORE)\n',
    );
    return 2;
  }
  const target = parseMarketoTarget(store);
  const limits = new MemoryLimits({ quotaTimeZone: config.quotaTimeZone });
  const bridge = openBridge(target, config, limits, { now: () => Date.now(), timeoutMs: CHECK_TIMEOUT_MS });
  const calls: UpstreamCallRecord[] = [];
  try {
    io.out(`Marketo instance  ${target.redacted}\n`);
    await bridge.upstream.checkToken(calls);
    io.out(
      `Credentials       accepted: client ${target.clientId} got a REST token (${Math.round(calls[0]?.ms ?? 0)} ms)\n`,
    );
    const fields = await bridge.forCall().leadFields();
    io.out(report(fields));
    return 0;
  } catch (e) {
    // The fault's text names the client id and the host, never the secret (upstream.ts).
    io.err(`mktows: bridge check failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await limits.close();
  }
}

function report(fields: LeadFieldMap): string {
  const soap = fields.soapFields();
  const served = OPERATIONS.filter((o) => BRIDGE_OPERATIONS[o.name as keyof typeof BRIDGE_OPERATIONS] !== undefined);
  const lines = [
    `Lead fields       ${fields.fields.length} from describe, ${soap.length} with a SOAP name`,
    `Operations        ${served.length} of ${OPERATIONS.length} served by this bridge`,
  ];
  const w = Math.max(...OPERATIONS.map((o) => o.name.length));
  for (const o of OPERATIONS) {
    const ok = BRIDGE_OPERATIONS[o.name as keyof typeof BRIDGE_OPERATIONS] !== undefined;
    lines.push(`  ${o.name.padEnd(w)}  ${ok ? 'available' : 'not served by this bridge (answers 20019)'}`);
  }
  lines.push('', 'Lead fields (SOAP name, REST name, type; "–": REST only, not shown over SOAP)');
  const ws = Math.max(9, ...fields.fields.map((f) => (f.soap ?? '–').length));
  const wr = Math.max(9, ...fields.fields.map((f) => f.rest.length));
  lines.push(`  ${'SOAP name'.padEnd(ws)}  ${'REST name'.padEnd(wr)}  type`);
  for (const f of fields.fields) {
    lines.push(
      `  ${(f.soap ?? '–').padEnd(ws)}  ${f.rest.padEnd(wr)}  ${f.dataType}${f.soapReadOnly ? ' (read-only)' : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
