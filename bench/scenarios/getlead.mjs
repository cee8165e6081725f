/**
 * getLead over keep-alive HTTP, 50 connections, autocannon in this process (each server runs in
 * its own child process): (a) `mktows serve` with SQLite, full auth and limits; (b) node-soap with
 * Marketo's 2_6 WSDL (ours when ../shared is absent) and a better-sqlite3 lookup in the same file;
 * (c) bare node:http returning mktows's response bytes (the ceiling). One pre-signed envelope,
 * reused by every request: Marketo's signature covers the timestamp and user, not the body.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
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

const CONNECTIONS = 50;

function load(url, body, seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://www.marketo.com/mktows/getLead"' },
        body,
        connections: CONNECTIONS,
        pipelining: 1,
        duration: seconds,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

async function measure(server, body, opts) {
  await load(server.url, body, opts.warmupSeconds);
  const cpu0 = cpuSecondsOf(server.pid);
  const r = await load(server.url, body, opts.seconds);
  const cpu = cpuSecondsOf(server.pid) - cpu0;
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
  };
}

export async function runGetLead(opts, log) {
  const store = await cachedStore(10_000, log);
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
  try {
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
          const r = await measure(server, body, opts);
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
  }
  return {
    wsdl: wsdlLabel,
    connections: CONNECTIONS,
    seconds: opts.seconds,
    rounds: opts.rounds,
    ...results,
    ratioVsNodeSoap: results.mktows.reqPerSec / results.nodeSoap.reqPerSec,
    ratioVsBare: results.mktows.reqPerSec / results.bare.reqPerSec,
  };
}
