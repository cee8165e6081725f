/**
 * getLead over keep-alive HTTP, 50 connections, autocannon in this process (each server runs in
 * its own child process): (a) `mktows serve` with SQLite, full auth and limits; (b) node-soap with
 * Marketo's 2_6 WSDL (ours when ../shared is absent) and a better-sqlite3 lookup in the same file;
 * (c) bare node:http returning mktows's response bytes (the ceiling); (d) `mktows serve` as one of
 * several replicas, on PostgreSQL (a fresh database holding the same 10,000 leads) with its limits in
 * Redis, when both are reachable. One pre-signed envelope, reused by every request: Marketo's
 * signature covers the timestamp and user, not the body.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  backendCpu,
  backendCpuSince,
  benchRedisNamespace,
  createBenchDatabase,
  fillBenchLeads,
  postgresProblem,
  redisProblem,
} from '../lib/backends.mjs';
import {
  cpuSecondsOf,
  DATA_DIR,
  envelope,
  hasMarketoWsdl,
  KEY,
  MARKETO_WSDL,
  postOk,
  startBenchServer,
  startMktows,
  USER,
} from '../lib/common.mjs';
import { cachedStore, leadEmail, removeWork, workCopy } from '../lib/data.mjs';

export const CONNECTIONS = 50;
export const LEADS = 10_000;
/** Connections of (d) to PostgreSQL: more than the cores, fewer than the 50 calls in flight. */
const PG_POOL = 10;

/** The getLead call as autocannon sends it. */
export function soapRequest(url, body) {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://www.marketo.com/mktows/getLead"' },
    body,
  };
}

function load(request, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ ...request, connections: CONNECTIONS, pipelining: 1, duration: seconds }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}

/** One server under `request` (autocannon options): a warm-up, then the measured seconds. */
export async function measure(server, request, opts, readBackendCpu) {
  await load(request, opts.warmupSeconds);
  const backend0 = readBackendCpu ? await readBackendCpu() : undefined;
  const cpu0 = cpuSecondsOf(server.pid);
  const r = await load(request, opts.seconds);
  const cpu = cpuSecondsOf(server.pid) - cpu0;
  const backend = backend0 ? backendCpuSince(backend0, await readBackendCpu()) : Number.NaN;
  const ok = r.requests.total - r.non2xx;
  if (r.errors || r.timeouts || r.non2xx) {
    throw new Error(`${server.name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`);
  }
  return {
    reqPerSec: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: ok,
    serverCpuUsPerReq: (cpu / ok) * 1e6,
    backendCpuUsPerReq: (backend / ok) * 1e6,
  };
}

/**
 * PostgreSQL and Redis for (d): a fresh database with the SQLite store's leads and a Redis
 * namespace of its own; `skipped` says why not when either is missing.
 */
async function replicaBackends(log) {
  const problem = (await postgresProblem()) ?? (await redisProblem());
  if (problem) {
    log(`  (d) skipped: ${problem}`);
    return { skipped: problem };
  }
  const db = await createBenchDatabase({ pool: PG_POOL, migrate: true });
  const redis = benchRedisNamespace();
  try {
    await fillBenchLeads(db, LEADS);
  } catch (e) {
    await db.drop().catch(() => {});
    throw e;
  }
  return {
    db,
    redis,
    async release() {
      await db.drop();
      await redis.deleteKeys();
    },
  };
}

export async function runGetLead(opts, log) {
  const store = await cachedStore(LEADS, log);
  const db = workCopy(store.path, 'getlead');
  const email = leadEmail(4242);
  const body = envelope(
    `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>${email}</keyValue></leadKey></ns1:paramsGetLead>`,
  );
  const wsdl = hasMarketoWsdl() ? MARKETO_WSDL : join(DATA_DIR, 'mktows-2_6.generated.wsdl');
  const wsdlLabel = hasMarketoWsdl() ? "Marketo's 2_6 WSDL" : 'our generated 2_6 WSDL (../shared absent)';
  const responseFile = join(DATA_DIR, 'getlead-response.xml');
  const targets = [
    { key: 'mktows', name: '(a) mktows serve', start: () => startMktows(db) },
    {
      key: 'nodeSoap',
      name: '(b) node-soap',
      start: () => startBenchServer('node-soap-server.mjs', [db, wsdl, USER, KEY]),
    },
    { key: 'bare', name: '(c) bare node:http', start: () => startBenchServer('bare-server.mjs', [responseFile]) },
  ];
  const results = {};
  let replica = {};
  try {
    replica = await replicaBackends(log);
    if (!replica.skipped) {
      targets.push({
        key: 'pgRedis',
        name: '(d) mktows serve (PostgreSQL + Redis)',
        start: () => startMktows(replica.db.storeUrl, ['--limits', replica.redis.limitsUrl]),
        readBackendCpu: () => backendCpu(replica.db, { redis: true }),
      });
    }
    for (let round = 0; round < opts.rounds; round++) {
      for (const t of targets) {
        const server = await t.start();
        server.name = t.name;
        try {
          if (t.key === 'mktows') {
            const text = await postOk(server.url, body, email);
            writeFileSync(responseFile, text);
            if (!hasMarketoWsdl()) {
              const res = await fetch(`${server.origin}/soap/mktows/2_6?WSDL`);
              writeFileSync(wsdl, await res.text());
            }
          } else {
            await postOk(server.url, body, email);
          }
          const r = await measure(server, soapRequest(server.url, body), opts, t.readBackendCpu);
          log(
            `  ${t.name.padEnd(20)} round ${round + 1}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
          );
          // Keep each target's best round: the other tenants of the machine only ever slow a round down.
          if (!results[t.key] || r.reqPerSec > results[t.key].reqPerSec) results[t.key] = r;
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    removeWork(db);
    await replica.release?.();
  }
  return {
    wsdl: wsdlLabel,
    connections: CONNECTIONS,
    seconds: opts.seconds,
    rounds: opts.rounds,
    ...results,
    ratioVsNodeSoap: results.mktows.reqPerSec / results.nodeSoap.reqPerSec,
    ratioVsBare: results.mktows.reqPerSec / results.bare.reqPerSec,
    pgRedisSkipped: replica.skipped,
    pgPool: PG_POOL,
    ratioPgRedisVsNodeSoap: results.pgRedis ? results.pgRedis.reqPerSec / results.nodeSoap.reqPerSec : Number.NaN,
    ratioPgRedisVsSqlite: results.pgRedis ? results.pgRedis.reqPerSec / results.mktows.reqPerSec : Number.NaN,
  };
}
