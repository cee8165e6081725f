/**
 * getMultipleLeads: a LastUpdateAtSelector covering every lead, batchSize 1000, paged with
 * streamPosition to the end, from a 1,000,000-lead and a 10,000-lead store, the same number of leads
 * (and calls) from each: the small store is paged again and again. Figures: leads/s and the server's
 * peak RSS (VmHWM from /proc/<pid>/status; the server is a child process). The small store is paged
 * once more with --journal-size 0: the difference is what the default journal (1000 calls) holds.
 */
import { cpuSecondsOf, envelope, post, rssOf, startMktows } from '../lib/common.mjs';
import { cachedStore, removeWork, workCopy } from '../lib/data.mjs';

const BATCH = 1000;

function pageBody(store, position) {
  const from = new Date(store.from - 60_000).toISOString();
  const to = new Date(store.to + 60_000).toISOString();
  const pos = position ? `<streamPosition>${position}</streamPosition>` : '';
  return envelope(
    `<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LastUpdateAtSelector"><oldestUpdatedAt>${from}</oldestUpdatedAt><latestUpdatedAt>${to}</latestUpdatedAt></leadSelector>${pos}<batchSize>${BATCH}</batchSize></ns1:paramsGetMultipleLeads>`,
  );
}

function between(text, open, close) {
  const i = text.indexOf(open);
  if (i < 0) return undefined;
  const j = text.indexOf(close, i + open.length);
  return text.slice(i + open.length, j);
}

/**
 * Pages through the store to its end, again and again, until `total` leads came back (a store
 * smaller than `total` is paged several times, so every store serves the same calls); the server
 * is started fresh for it.
 */
async function page(store, db, total, journal) {
  const server = await startMktows(db, journal ? [] : ['--journal-size', '0']);
  try {
    const startRss = rssOf(server.pid);
    const cpu0 = cpuSecondsOf(server.pid);
    const t0 = performance.now();
    let leads = 0;
    let pages = 0;
    while (leads < total) {
      let position = '';
      let remaining = Number.NaN;
      do {
        const r = await post(server.url, pageBody(store, position));
        if (r.status !== 200) throw new Error(`getMultipleLeads: HTTP ${r.status}\n${r.text.slice(0, 1000)}`);
        leads += Number(between(r.text, '<returnCount>', '</returnCount>'));
        remaining = Number(between(r.text, '<remainingCount>', '</remainingCount>'));
        position = between(r.text, '<newStreamPosition>', '</newStreamPosition>') ?? '';
        pages++;
      } while (remaining > 0 && position && leads < total);
      if (remaining > 0 && leads < total) throw new Error(`getMultipleLeads: the stream ended with ${remaining} left`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSecondsOf(server.pid) - cpu0;
    const rss = rssOf(server.pid);
    return {
      leads,
      pages,
      seconds,
      leadsPerSec: leads / seconds,
      serverCpuUsPerLead: (cpu / leads) * 1e6,
      startRssMiB: startRss.rssMiB,
      peakRssMiB: rss.hwmMiB,
    };
  } finally {
    await server.stop();
  }
}

export async function runGetMultiple(opts, log) {
  const total = opts.pageLeads;
  const out = { batchSize: BATCH, leadsPerRun: total };
  const small = await cachedStore(10_000, log);
  const big = await cachedStore(1_000_000, log);
  const smallDb = workCopy(small.path, 'page-10k');
  try {
    out.tenK = await page(small, smallDb, total, true);
    log(
      `  10,000-lead store: ${Math.round(out.tenK.leadsPerSec)} leads/s, peak RSS ${out.tenK.peakRssMiB.toFixed(0)} MiB`,
    );
    out.tenKNoJournal = await page(small, smallDb, total, false);
    log(`  10,000-lead store, --journal-size 0: peak RSS ${out.tenKNoJournal.peakRssMiB.toFixed(0)} MiB`);
  } finally {
    removeWork(smallDb);
  }
  const bigDb = workCopy(big.path, 'page-1m');
  try {
    out.million = await page(big, bigDb, total, true);
    log(
      `  1,000,000-lead store: ${Math.round(out.million.leadsPerSec)} leads/s, peak RSS ${out.million.peakRssMiB.toFixed(0)} MiB`,
    );
  } finally {
    removeWork(bigDb);
  }
  out.rssRatio = out.million.peakRssMiB / out.tenK.peakRssMiB;
  out.journalMiB = out.tenK.peakRssMiB - out.tenKNoJournal.peakRssMiB;
  out.speedRatio = out.million.leadsPerSec / out.tenK.leadsPerSec;
  return out;
}
