/**
 * REST reads beside SOAP getLead, in the same run and on the same 10,000-lead SQLite store:
 * (a) REST `GET /rest/v1/lead/{id}.json` and (b) `GET /rest/v1/leads.json?filterType=id&filterValues=…`
 * on `mktows serve` (REST limits raised so that none is refused), (c) SOAP getLead on mktows and
 * (d) getLead on node-soap; autocannon, 50 keep-alive connections, one bearer token reused.
 * (e) createOrUpdate in batches of 300 new leads (2 in flight) when the server has
 * `POST /rest/v1/leads.json`; skipped with the reason otherwise.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA_DIR,
  dist,
  envelope,
  hasMarketoWsdl,
  KEY,
  MARKETO_WSDL,
  startBenchServer,
  startMktows,
  USER,
} from '../lib/common.mjs';
import { cachedStore, leadAttributes, leadEmail, removeWork, workCopy } from '../lib/data.mjs';
import { CONNECTIONS, LEADS, measure, soapRequest } from './getlead.mjs';

const CLIENT = 'bench-rest';
const SECRET = 'bench-rest-secret';
const HIGH = 1_000_000_000;
const LEAD_ID = 4242;
const BATCH = 300;
const IN_FLIGHT = 2;

function startRest(db) {
  return startMktows(db, [
    '--rest-client',
    `${CLIENT}:${SECRET}`,
    '--rest-quota-per-day',
    String(HIGH),
    '--rest-rate-limit',
    `${HIGH}/20s`,
    '--rest-concurrency',
    String(1_000_000),
  ]);
}

async function token(origin) {
  const q = new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET });
  const r = await fetch(`${origin}/identity/oauth/token?${q}`);
  const body = await r.json();
  if (!body.access_token) throw new Error(`identity: HTTP ${r.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** One call checked before the load: the lead must come back, else the figures measure errors. */
async function restOk(url, headers) {
  const r = await fetch(url, { headers });
  const body = await r.json();
  if (!body.success || body.result?.[0]?.id !== LEAD_ID)
    throw new Error(`${url}: ${JSON.stringify(body).slice(0, 500)}`);
}

/**
 * The bench's lead attributes under their REST names (the SOAP name with a lower-case first letter
 * for each of these standard fields, domain/lead-fields.ts) and typed as REST takes them: integers
 * as numbers. Written with SOAP names, every record would be skipped with 1006.
 */
function restAttributes(attrs) {
  const out = {};
  for (const [name, value] of Object.entries(attrs)) {
    const rest = name[0].toLowerCase() + name.slice(1);
    out[rest] = rest === 'leadScore' || rest === 'numberOfEmployees' ? Number(value) : value;
  }
  return out;
}

/** createOrUpdate batches of 300 new leads, 2 in flight: leads/s. */
async function createOrUpdate(origin, headers, leads) {
  const batches = Math.ceil(leads / BATCH);
  const bodies = Array.from({ length: batches }, (_, b) =>
    JSON.stringify({
      action: 'createOrUpdate',
      lookupField: 'email',
      input: Array.from({ length: BATCH }, (_, i) => {
        const n = 7_000_001 + b * BATCH + i;
        return { email: leadEmail(n, 'rest'), ...restAttributes(leadAttributes(n)) };
      }),
    }),
  );
  const t0 = performance.now();
  let next = 0;
  let created = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const r = await fetch(`${origin}/rest/v1/leads.json`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: bodies[next++],
      });
      const body = await r.json();
      if (!body.success) throw new Error(`createOrUpdate: ${JSON.stringify(body).slice(0, 500)}`);
      created += body.result.filter((x) => x.status === 'created').length;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - t0) / 1000;
  if (created !== batches * BATCH) throw new Error(`createOrUpdate: ${created} of ${batches * BATCH} created`);
  return { leads: created, seconds, leadsPerSec: created / seconds };
}

export async function runRest(opts, log) {
  const store = await cachedStore(LEADS, log);
  const db = workCopy(store.path, 'rest');
  const { REST_ROUTER } = await dist('server', 'rest/registry.js');
  const hasWrites = Boolean(REST_ROUTER.match('POST', '/rest/v1/leads.json')?.route);
  const email = leadEmail(LEAD_ID);
  const soapBody = envelope(
    `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>${email}</keyValue></leadKey></ns1:paramsGetLead>`,
  );
  const wsdl = hasMarketoWsdl() ? MARKETO_WSDL : join(DATA_DIR, 'mktows-2_6.generated.wsdl');
  const results = {};
  const keep = (key, label, r) => {
    log(`  ${label.padEnd(28)} ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
    if (!results[key] || r.reqPerSec > results[key].reqPerSec) results[key] = r;
  };
  let writes;
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const server = await startRest(db);
      try {
        const headers = { authorization: `Bearer ${await token(server.origin)}` };
        const byId = `${server.origin}/rest/v1/lead/${LEAD_ID}.json`;
        const query = `${server.origin}/rest/v1/leads.json?filterType=id&filterValues=${LEAD_ID}`;
        await restOk(byId, headers);
        await restOk(query, headers);
        if (!hasMarketoWsdl()) writeFileSync(wsdl, await (await fetch(`${server.origin}/soap/mktows/2_6?WSDL`)).text());
        // The first target after a start ran at a tenth of its speed on a loaded machine (JIT, page
        // cache): one discarded pass first, on each server, so no target pays for its start.
        await measure(server, { url: query, method: 'GET', headers }, opts);
        keep('restById', '(a) REST lead by id', await measure(server, { url: byId, method: 'GET', headers }, opts));
        keep('restQuery', '(b) REST leads query', await measure(server, { url: query, method: 'GET', headers }, opts));
        keep('soap', '(c) SOAP getLead, mktows', await measure(server, soapRequest(server.url, soapBody), opts));
        if (hasWrites && round === 0) writes = await createOrUpdate(server.origin, headers, opts.syncLeads);
      } finally {
        await server.stop();
      }
      const nodeSoap = await startBenchServer('node-soap-server.mjs', [db, wsdl, USER, KEY]);
      try {
        // The same discarded pass as mktows gets, so the ratio does not favour it.
        await measure(nodeSoap, soapRequest(nodeSoap.url, soapBody), opts);
        keep('nodeSoap', '(d) getLead, node-soap', await measure(nodeSoap, soapRequest(nodeSoap.url, soapBody), opts));
      } finally {
        await nodeSoap.stop();
      }
    }
  } finally {
    removeWork(db);
  }
  if (writes) log(`  (e) createOrUpdate, batches of 300: ${Math.round(writes.leadsPerSec)} leads/s`);
  return {
    connections: CONNECTIONS,
    seconds: opts.seconds,
    rounds: opts.rounds,
    ...results,
    writes,
    writesSkipped: hasWrites ? undefined : 'POST /rest/v1/leads.json lands with the lead writes group',
    ratioQueryVsNodeSoap: results.restQuery.reqPerSec / results.nodeSoap.reqPerSec,
    ratioByIdVsNodeSoap: results.restById.reqPerSec / results.nodeSoap.reqPerSec,
    ratioQueryVsSoap: results.restQuery.reqPerSec / results.soap.reqPerSec,
  };
}
