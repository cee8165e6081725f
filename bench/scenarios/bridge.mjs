/**
 * The bridge's overhead: what a SOAP call through the bridge costs beyond the REST calls it makes.
 * On the same 10,000-lead SQLite store, one `mktows serve` is the Marketo instance (its REST API)
 * and a second is the bridge in front of it (`--store marketo+http://…`). Sequential calls over
 * one keep-alive connection, so that latencies are not queueing:
 *   (a) the REST call the bridge makes for getLead, sent straight to the instance;
 *   (b) SOAP getLead through the bridge (caches warm: one REST call each, checked in its journal);
 *   (c) SOAP getLead on the instance itself (the emulator), for scale.
 * The overhead is p50(b) − p50(a); the target is ≤ 2 ms.
 * Then the REST calls per SOAP operation: the bridge's differential suites (test/bridge-*.test.ts,
 * several hundred SOAP calls of every operation against the demo data, cold and warm caches) run
 * with MKTOWS_BRIDGE_CALLS_FILE, and each successful call's REST calls are counted, with and
 * without the look-ups the caches spare a warm call (token, describe, types, names → ids).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import {
  DATA_DIR,
  envelope,
  KEY,
  MKTOWS_BIN,
  profileArgs,
  ROOT,
  startChild,
  startMktows,
  USER,
} from '../lib/common.mjs';
import { cachedStore, leadEmail, removeWork, workCopy } from '../lib/data.mjs';
import { LEADS } from './getlead.mjs';

const CLIENT = 'bench-bridge';
const SECRET = 'bench-bridge-secret';
const HIGH = 1_000_000_000;
const LEAD_ID = 4242;

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Latencies of `n` sequential calls after `warm` unmeasured ones: p50, p90, p99 in ms. */
async function latencies(n, warm, call) {
  for (let i = 0; i < warm; i++) await call();
  const ms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call();
    ms[i] = performance.now() - t0;
  }
  ms.sort();
  const at = (q) => Math.round(ms[Math.min(n - 1, Math.floor(q * n))] * 1000) / 1000;
  return { calls: n, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function startInstance(db) {
  return startMktows(db, [
    '--rest-client',
    `${CLIENT}:${SECRET}`,
    '--rest-quota-per-day',
    String(HIGH),
    '--rest-rate-limit',
    `${HIGH}/20s`,
    '--rest-concurrency',
    '1000000',
  ]);
}

async function startBridge(instanceOrigin) {
  const host = new URL(instanceOrigin).host;
  const args = [
    ...profileArgs('bridge'),
    MKTOWS_BIN,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--store',
    `marketo+http://${CLIENT}:${SECRET}@${host}`,
    '--bridge-state',
    'sqlite::memory:',
    '--user',
    `${USER}:${KEY}`,
    '--quota-per-day',
    String(HIGH),
    '--rate-limit',
    `${HIGH}/20s`,
    '--concurrency',
    '1000000',
    '--upstream-quota-per-day',
    String(HIGH),
    '--upstream-rate-limit',
    `${HIGH}/20s`,
    '--upstream-concurrency',
    '1000000',
    '--log-level',
    'error',
  ];
  const s = await startChild(process.execPath, args, {
    ready: /SOAP endpoint\s+(http:\/\/[^/\s]+)\//,
    label: 'bridge',
  });
  return { ...s, origin: s.match[1] };
}

async function journalUpstream(origin) {
  const r = await request(`${origin}/_mktows/journal?limit=1&api=soap`);
  const entries = JSON.parse(r.text);
  const list = Array.isArray(entries) ? entries : entries.entries;
  return list?.[0]?.upstream ?? [];
}

/** Look-ups a warm call finds in the bridge's caches. */
const CACHED = [
  /^POST \/identity\/oauth\/token$/,
  /describe\.json$/,
  /^GET \/rest\/v1\/activities\/types\.json$/,
  /^GET \/rest\/v1\/lists\.json$/,
  /^GET \/rest\/v1\/campaigns\.json$/,
  /^GET \/rest\/asset\/v1\/program\/byName\.json$/,
];

/** REST calls per SOAP operation over the bridge suites' successful calls. */
function restCallsPerOperation(log) {
  const file = join(DATA_DIR, 'bridge-calls.jsonl');
  rmSync(file, { force: true });
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-tests.mjs'), 'server/dist/test/bridge-'], {
    env: { ...process.env, MKTOWS_BRIDGE_CALLS_FILE: file },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`the bridge suites failed:\n${(r.stdout ?? '').slice(-2000)}`);
  const byOp = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const c = JSON.parse(line);
    if (c.faultCode !== null) continue;
    const all = c.rest.length;
    const warm = c.rest.filter((x) => !CACHED.some((re) => re.test(x))).length;
    const o = byOp.get(c.operation) ?? { calls: 0, all: [], warm: [] };
    o.calls++;
    o.all.push(all);
    o.warm.push(warm);
    byOp.set(c.operation, o);
  }
  rmSync(file, { force: true });
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const rows = [...byOp.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([operation, o]) => ({
      operation,
      soapCalls: o.calls,
      restMin: Math.min(...o.all),
      restMedian: med(o.all),
      restMax: Math.max(...o.all),
      warmMedian: med(o.warm),
    }));
  for (const x of rows) {
    log(
      `  ${x.operation.padEnd(22)} ${String(x.soapCalls).padStart(4)} calls: REST ${x.restMin}–${x.restMax} (median ${x.restMedian}), without cached look-ups median ${x.warmMedian}`,
    );
  }
  return rows;
}

export async function runBridge(opts, log) {
  const store = await cachedStore(LEADS, log);
  const db = workCopy(store.path, 'bridge');
  const calls = opts.rounds * (opts.seconds >= 10 ? 3000 : 1000);
  const warm = Math.min(500, calls / 4);
  const instance = await startInstance(db);
  let bridge;
  try {
    bridge = await startBridge(instance.origin);
    const q = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET });
    const token = JSON.parse((await request(`${instance.origin}/identity/oauth/token?${q}`)).text).access_token;
    // The exact REST call the bridge makes for getLead: the fields with a SOAP name, from describe.
    const describe = JSON.parse(
      (
        await request(`${instance.origin}/rest/v1/leads/describe.json`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).text,
    );
    const fields = ['id', 'email', ...describe.result.filter((f) => f.soap && f.rest).map((f) => f.rest.name)];
    const email = leadEmail(LEAD_ID);
    const restUrl = `${instance.origin}/rest/v1/leads.json?${new URLSearchParams({ filterType: 'email', filterValues: email, fields: [...new Set(fields)].join(',') })}`;
    const soapBody = () =>
      envelope(
        `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>${email}</keyValue></leadKey></ns1:paramsGetLead>`,
      );
    const soap = (origin) => async () => {
      const r = await request(`${origin}/soap/mktows/2_6`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
        body: soapBody(),
      });
      if (r.status !== 200) throw new Error(`${origin}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    };
    const rest = async () => {
      const r = await request(restUrl, { headers: { authorization: `Bearer ${token}` } });
      if (!r.text.includes(`"id":${LEAD_ID}`)) throw new Error(`REST: ${r.text.slice(0, 300)}`);
    };
    // The first call fills the caches (token, describe); the second shows a warm call's REST calls.
    await soap(bridge.origin)();
    await soap(bridge.origin)();
    const upstream = await journalUpstream(bridge.origin);
    const direct = await latencies(calls, warm, rest);
    const bridged = await latencies(calls, warm, soap(bridge.origin));
    const emulator = await latencies(calls, warm, soap(instance.origin));
    const overhead = Math.round((bridged.p50 - direct.p50) * 1000) / 1000;
    log(`  (a) the REST call, direct        p50 ${direct.p50} ms, p90 ${direct.p90} ms, p99 ${direct.p99} ms`);
    log(`  (b) SOAP getLead via the bridge  p50 ${bridged.p50} ms, p90 ${bridged.p90} ms, p99 ${bridged.p99} ms`);
    log(`  (c) SOAP getLead, emulator       p50 ${emulator.p50} ms, p90 ${emulator.p90} ms, p99 ${emulator.p99} ms`);
    log(
      `  bridge overhead p50 (b − a): ${overhead} ms (target ≤ 2 ms); REST calls per warm getLead: ${upstream.length}`,
    );
    await bridge.stop();
    bridge = undefined;
    await instance.stop();
    log("  REST calls per SOAP operation (the bridge suites' successful calls):");
    const perOperation = restCallsPerOperation(log);
    return {
      calls,
      direct,
      bridged,
      emulator,
      overheadP50Ms: overhead,
      restCallsPerWarmGetLead: upstream.length,
      perOperation,
    };
  } finally {
    await bridge?.stop();
    await instance.stop();
    removeWork(db);
  }
}
