/**
 * syncMultipleLeads: batches of 300 new leads (e-mail + 14 attributes, dedup on) into an empty
 * store and into a 1,000,000-lead store, `mktows serve` in a child process, two calls in flight so
 * that the server never waits for the client. Bodies are built (and signed once) before the clock starts.
 */
import { cpuSecondsOf, envelope, escapeXml, post, startMktows } from '../lib/common.mjs';
import { cachedStore, emptyStore, leadAttributes, leadEmail, removeWork, workCopy } from '../lib/data.mjs';

export const BATCH = 300;
const IN_FLIGHT = 2;

export function batchBody(first, count) {
  const records = [];
  for (let n = first; n < first + count; n++) {
    const attrs = Object.entries(leadAttributes(n))
      .map(([k, v]) => `<attribute><attrName>${k}</attrName><attrValue>${escapeXml(v)}</attrValue></attribute>`)
      .join('');
    records.push(
      `<leadRecord><Email>${leadEmail(n, 'sync')}</Email><leadAttributeList>${attrs}</leadAttributeList></leadRecord>`,
    );
  }
  return envelope(
    `<ns1:paramsSyncMultipleLeads><leadRecordList>${records.join('')}</leadRecordList><dedupEnabled>true</dedupEnabled></ns1:paramsSyncMultipleLeads>`,
  );
}

async function syncInto(db, leads) {
  const batches = Math.ceil(leads / BATCH);
  // Lead numbers far above the store's, so every record is new (CREATED) after a dedup lookup.
  const bodies = Array.from({ length: batches }, (_, b) => batchBody(5_000_001 + b * BATCH, BATCH));
  const server = await startMktows(db);
  try {
    const cpu0 = cpuSecondsOf(server.pid);
    const t0 = performance.now();
    let next = 0;
    let created = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const r = await post(server.url, bodies[next++]);
        if (r.status !== 200) throw new Error(`syncMultipleLeads: HTTP ${r.status}\n${r.text.slice(0, 1000)}`);
        created += r.text.split('<status>CREATED</status>').length - 1;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSecondsOf(server.pid) - cpu0;
    if (created !== batches * BATCH) throw new Error(`syncMultipleLeads: ${created} of ${batches * BATCH} created`);
    return { leads: created, seconds, leadsPerSec: created / seconds, serverCpuUsPerLead: (cpu / created) * 1e6 };
  } finally {
    await server.stop();
  }
}

export async function runSync(opts, log) {
  const big = await cachedStore(1_000_000, log);
  const empty = await emptyStore('sync-empty');
  let intoEmpty;
  try {
    intoEmpty = await syncInto(empty, opts.syncLeads);
  } finally {
    removeWork(empty);
  }
  log(`  into an empty store: ${Math.round(intoEmpty.leadsPerSec)} leads/s`);
  const full = workCopy(big.path, 'sync-1m');
  let intoBig;
  try {
    intoBig = await syncInto(full, opts.syncLeads);
  } finally {
    removeWork(full);
  }
  log(`  into a 1,000,000-lead store: ${Math.round(intoBig.leadsPerSec)} leads/s`);
  return {
    batch: BATCH,
    inFlight: IN_FLIGHT,
    empty: intoEmpty,
    million: intoBig,
    ratio: intoBig.leadsPerSec / intoEmpty.leadsPerSec,
  };
}
