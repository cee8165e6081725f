/**
 * syncMultipleLeads: batches of 300 new leads (e-mail + 14 attributes, dedup on) into an empty
 * store and into a 1,000,000-lead store, `mktows serve` in a child process, two calls in flight so
 * that the server never waits for the client. Bodies are built (and signed once) before the clock starts.
 * The same into an empty PostgreSQL database (a fresh one, dropped afterwards) when PostgreSQL is
 * reachable; not into a 1,000,000-lead one, which takes too long to fill on the bench machine.
 */
import { backendCpu, backendCpuSince, createBenchDatabase, postgresProblem } from '../lib/backends.mjs';
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

/**
 * `db` is a SQLite file or a store URL; `pgDb` the bench database that URL names, whose backends'
 * CPU is then counted too.
 */
async function syncInto(db, leads, pgDb) {
  const batches = Math.ceil(leads / BATCH);
  // Lead numbers far above the store's, so every record is new (CREATED) after a dedup lookup.
  const bodies = Array.from({ length: batches }, (_, b) => batchBody(5_000_001 + b * BATCH, BATCH));
  const server = await startMktows(db);
  try {
    const backend0 = pgDb ? await backendCpu(pgDb) : undefined;
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
    const backend = backend0 ? backendCpuSince(backend0, await backendCpu(pgDb)) : Number.NaN;
    if (created !== batches * BATCH) throw new Error(`syncMultipleLeads: ${created} of ${batches * BATCH} created`);
    return {
      leads: created,
      seconds,
      leadsPerSec: created / seconds,
      serverCpuUsPerLead: (cpu / created) * 1e6,
      backendCpuUsPerLead: (backend / created) * 1e6,
    };
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
  const postgres = await syncIntoPostgres(opts.syncLeads, log);
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
    postgres,
    ratioPostgresVsSqlite: postgres.empty ? postgres.empty.leadsPerSec / intoEmpty.leadsPerSec : Number.NaN,
  };
}

/** The empty-store figure on a fresh PostgreSQL database (the server migrates it as it starts). */
async function syncIntoPostgres(leads, log) {
  const problem = await postgresProblem();
  if (problem) {
    log(`  into an empty PostgreSQL database: skipped: ${problem}`);
    return { skipped: problem };
  }
  const db = await createBenchDatabase();
  let empty;
  try {
    empty = await syncInto(db.storeUrl, leads, db);
  } finally {
    await db.drop();
  }
  log(`  into an empty PostgreSQL database: ${Math.round(empty.leadsPerSec)} leads/s`);
  log('  into a 1,000,000-lead PostgreSQL database: not run (filling it takes too long here)');
  return { empty, pool: '10 (the default)' };
}
