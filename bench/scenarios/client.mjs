/**
 * Client CPU per call: @mktows/client against node-soap's client, the same getLead, each client in
 * a process of its own (process.cpuUsage over sequential calls). Two figures: the library alone
 * (sign, serialize, parse: each client's transport hook answers with mktows's recorded response),
 * and whole calls over HTTP to the same `mktows serve` (the HTTP stacks and the kernel included).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BENCH_DIR,
  DATA_DIR,
  envelope,
  hasMarketoWsdl,
  KEY,
  MARKETO_WSDL,
  postOk,
  startMktows,
  USER,
} from '../lib/common.mjs';
import { cachedStore, leadEmail, removeWork, workCopy } from '../lib/data.mjs';

const run = promisify(execFile);

/** Whether @mktows/client is built and loads. */
async function clientAvailable() {
  try {
    const m = await import('@mktows/client');
    return typeof m.MktowsClient === 'function';
  } catch {
    return false;
  }
}

async function measure(kind, transport, url, email, calls, wsdl, responseFile) {
  const script = join(BENCH_DIR, 'clients', 'client-cpu.mjs');
  const args = [script, kind, transport, url, USER, KEY, email, String(calls), wsdl, responseFile];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

export async function runClient(opts, log) {
  if (!(await clientAvailable())) {
    log('  client SDK not available yet');
    return { available: false };
  }
  const store = await cachedStore(10_000, log);
  const db = workCopy(store.path, 'client');
  const email = leadEmail(4242);
  const server = await startMktows(db);
  try {
    const wsdl = hasMarketoWsdl() ? MARKETO_WSDL : `${server.origin}/soap/mktows/2_6?WSDL`;
    const responseFile = join(DATA_DIR, 'client-getlead-response.xml');
    const body = envelope(
      `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>${email}</keyValue></leadKey></ns1:paramsGetLead>`,
    );
    writeFileSync(responseFile, await postOk(server.url, body, email));
    const out = { available: true, wsdl: hasMarketoWsdl() ? "Marketo's 2_6" : 'ours' };
    for (const [transport, calls] of [
      ['canned', opts.clientCalls * 4],
      ['http', opts.clientCalls],
    ]) {
      const r = { calls };
      for (let round = 0; round < opts.rounds; round++) {
        for (const kind of ['mktows', 'node-soap']) {
          const m = await measure(kind, transport, server.url, email, calls, wsdl, responseFile);
          log(
            `  ${transport.padEnd(6)} ${kind.padEnd(10)} round ${round + 1}: ${m.cpuUsPerCall.toFixed(1)} µs CPU per call`,
          );
          // The least CPU of the rounds: other tenants of the machine only ever add to it.
          if (!r[kind] || m.cpuUsPerCall < r[kind].cpuUsPerCall) r[kind] = m;
        }
      }
      r.ratio = r.mktows.cpuUsPerCall / r['node-soap'].cpuUsPerCall;
      out[transport === 'canned' ? 'library' : 'overHttp'] = r;
    }
    return out;
  } finally {
    await server.stop();
    removeWork(db);
  }
}
