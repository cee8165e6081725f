#!/usr/bin/env node
/**
 * The mktows benchmarks (issue 6): `npm run bench` (full) or `npm run bench -- --quick` (same
 * figures, fewer samples, under a minute once bench/.data/ holds the stores).
 *
 *   --quick            fewer and shorter samples; pages 30,000 of the 1,000,000 leads
 *   --only=a,b         run only these scenarios (getlead, sync, getmultiple, client, hostile, limits, rest, bridge)
 *   --profile[=DIR]    run every mktows server under --cpu-prof and print its top frames
 *   --no-build         use the packages' dist/ as it is
 *
 * Servers run in child processes, the load generator (autocannon) and clients in this one or in
 * their own. Prints every figure with its ratios, and writes bench/.data/last-{quick,full}.{json,md}.
 *
 * getlead and sync add rows for a replica's backends when they answer: PostgreSQL (a fresh database
 * per run, made through MKTOWS_BENCH_PG, default postgres://<login user>@127.0.0.1:5432/test, and
 * dropped at the end) and Redis (MKTOWS_BENCH_REDIS_URL, default redis://127.0.0.1:6379/0, a random
 * namespace whose keys are deleted at the end); otherwise they say why those rows were skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noBuild = args.includes('--no-build');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const profileArg = args.find((a) => a === '--profile' || a.startsWith('--profile='));
for (const a of args) {
  if (!/^--(quick|no-build|only=.+|profile(=.+)?)$/.test(a)) {
    console.error(
      `bench: unknown option ${a}\nusage: npm run bench [-- --quick] [--only=getlead,sync,getmultiple,client,hostile,limits,rest,bridge] [--profile[=DIR]] [--no-build]`,
    );
    process.exit(2);
  }
}

const ROOT = new URL('..', import.meta.url).pathname;
const started = Date.now();
const notes = [];

function log(line) {
  process.stdout.write(`${line}\n`);
}

// Build first: the scenarios load the packages' dist/. Other work in progress may break the build;
// then the existing dist/ is measured, and the run says so.
if (!noBuild) {
  for (const projects of [['packages/protocol', 'packages/server'], ['packages/client']]) {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', ...projects], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      const first = (r.stdout || r.stderr).split('\n').find((l) => l.includes('error')) ?? '';
      const note = `build of ${projects.join(' ')} failed; measuring the existing dist/ (${first.trim().slice(0, 160)})`;
      notes.push(note);
      log(`warning: ${note}`);
    }
  }
}

const common = await import('./lib/common.mjs');
const { summarizeProfile, formatProfile } = await import('./lib/profile.mjs');
const { fmt, fmtInt } = common;

let profileDir;
if (profileArg) {
  profileDir = profileArg.includes('=') ? profileArg.slice(10) : join(common.DATA_DIR, 'profiles');
  rmSync(profileDir, { recursive: true, force: true });
  mkdirSync(profileDir, { recursive: true });
  common.enableProfiling(profileDir);
}

const opts = quick
  ? {
      rounds: 1,
      seconds: 4,
      warmupSeconds: 1,
      syncLeads: 15_000,
      pageLeads: 30_000,
      clientCalls: 1000,
      hostileMB: 1,
      limitsCalls: 5_000,
    }
  : {
      rounds: 2,
      seconds: 15,
      warmupSeconds: 3,
      syncLeads: 99_900,
      pageLeads: 1_000_000,
      clientCalls: 4000,
      hostileMB: 4,
      limitsCalls: 20_000,
    };

function loadavg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

const machine = {
  nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  loadavgStart: loadavg(),
};
const mode = quick ? 'quick' : 'full';
log(
  `mktows bench (${mode}) · ${machine.nproc} cores · ${machine.cpu} · node ${machine.node} · load ${machine.loadavgStart}`,
);

const { runGetLead } = await import('./scenarios/getlead.mjs');
const { runSync } = await import('./scenarios/sync.mjs');
const { runGetMultiple } = await import('./scenarios/getmultiple.mjs');
const { runClient } = await import('./scenarios/client.mjs');
const { runHostile } = await import('./scenarios/hostile.mjs');
const { runLimits } = await import('./scenarios/limits.mjs');
const { runRest } = await import('./scenarios/rest.mjs');
const { runBridge } = await import('./scenarios/bridge.mjs');

const scenarios = [
  ['getlead', 'getLead, 50 keep-alive connections', runGetLead],
  ['sync', 'syncMultipleLeads, batches of 300', runSync],
  ['getmultiple', 'getMultipleLeads, batchSize 1000', runGetMultiple],
  ['client', 'client CPU per getLead call', runClient],
  ['hostile', 'hostile shapes: the parser alone, one process per shape', runHostile],
  ['limits', 'limits: admit + release per call, memory and Redis', runLimits],
  ['rest', 'REST lead reads beside SOAP getLead, 50 keep-alive connections', runRest],
  ['bridge', 'the bridge: SOAP getLead through REST, overhead over the REST call it makes', runBridge],
];
const results = {};
for (const [key, title, fn] of scenarios) {
  if (only && !only.includes(key)) continue;
  log(`\n${title}`);
  const t0 = performance.now();
  results[key] = await fn(opts, log);
  results[key].elapsedSeconds = (performance.now() - t0) / 1000;
}
common.closeAgent();
machine.loadavgEnd = loadavg();

// ------------------------------------------------------------------------------------------------
// The report: one markdown document, printed and saved.

const rows = [];
const targets = [];
const target = (name, met, detail) => targets.push({ name, met, detail });
const x = (r) => `${fmt(r, 2)}×`;

const g = results.getlead;
if (g) {
  rows.push('### getLead: keep-alive HTTP, 50 connections, autocannon', '');
  rows.push(
    `${g.rounds} round(s) of ${g.seconds} s per server, best round kept; node-soap with ${g.wsdl}.`,
    '',
    '| server | req/s | p50 ms | p99 ms | server CPU µs/req | PostgreSQL + Redis CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const [k, label] of [
    ['mktows', '(a) mktows serve (SQLite, auth, limits)'],
    ['nodeSoap', '(b) node-soap (same SQLite file)'],
    ['bare', '(c) bare node:http, fixed response'],
    ['pgRedis', `(d) mktows serve (PostgreSQL + Redis, pool ${g.pgPool})`],
  ]) {
    const r = g[k];
    if (!r) continue;
    const backend = Number.isFinite(r.backendCpuUsPerReq) ? fmt(r.backendCpuUsPerReq) : '';
    rows.push(`| ${label} | ${fmtInt(r.reqPerSec)} | ${r.p50} | ${r.p99} | ${fmt(r.serverCpuUsPerReq)} | ${backend} |`);
  }
  rows.push('', `Ratios: a/b = **${x(g.ratioVsNodeSoap)}**, a/c = **${x(g.ratioVsBare)}**.`, '');
  target('getLead ≥ 5× node-soap', g.ratioVsNodeSoap >= 5, x(g.ratioVsNodeSoap));
  target('getLead p99 < 10 ms', g.mktows.p99 < 10, `${g.mktows.p99} ms`);
  if (g.pgRedis) {
    rows.push(
      `(d) is one replica's setup: a fresh PostgreSQL database holding the same 10,000 leads, limits in Redis. Ratios: d/b = **${x(g.ratioPgRedisVsNodeSoap)}**, d/a = **${x(g.ratioPgRedisVsSqlite)}**. Its last column is the CPU of the database's backends and of the Redis server over the same seconds, which share the 2 cores with the server and the load generator.`,
      '',
    );
    target('getLead on PostgreSQL + Redis ≥ 3× node-soap', g.ratioPgRedisVsNodeSoap >= 3, x(g.ratioPgRedisVsNodeSoap));
  } else {
    rows.push(`(d) mktows serve (PostgreSQL + Redis) skipped: ${g.pgRedisSkipped}.`, '');
  }
}

const s = results.sync;
if (s) {
  rows.push('### syncMultipleLeads: batches of 300 new leads, 2 calls in flight', '');
  rows.push('| store | leads | leads/s | server CPU µs/lead |', '|---|---:|---:|---:|');
  rows.push(
    `| empty | ${fmtInt(s.empty.leads)} | ${fmtInt(s.empty.leadsPerSec)} | ${fmt(s.empty.serverCpuUsPerLead)} |`,
  );
  rows.push(
    `| 1,000,000 leads | ${fmtInt(s.million.leads)} | ${fmtInt(s.million.leadsPerSec)} | ${fmt(s.million.serverCpuUsPerLead)} |`,
  );
  const pg = s.postgres;
  if (pg.empty) {
    rows.push(
      `| empty, PostgreSQL | ${fmtInt(pg.empty.leads)} | ${fmtInt(pg.empty.leadsPerSec)} | ${fmt(pg.empty.serverCpuUsPerLead)} (+ ${fmt(pg.empty.backendCpuUsPerLead)} in PostgreSQL) |`,
      '| 1,000,000 leads, PostgreSQL | not run: filling a million leads takes too long on this machine | | |',
    );
  }
  rows.push('', `Ratio 1M/empty = **${x(s.ratio)}**.`);
  if (pg.empty) {
    rows.push(
      `Ratio PostgreSQL/SQLite (empty) = **${x(s.ratioPostgresVsSqlite)}** (a fresh database, pool of ${pg.pool}, limits in memory as for SQLite).`,
    );
  } else {
    rows.push(`PostgreSQL rows skipped: ${pg.skipped}.`);
  }
  rows.push('');
  target(
    'syncMultipleLeads ≥ 30,000 leads/s (empty store)',
    s.empty.leadsPerSec >= 30_000,
    fmtInt(s.empty.leadsPerSec),
  );
  target(
    'syncMultipleLeads ≥ 30,000 leads/s (1M store)',
    s.million.leadsPerSec >= 30_000,
    fmtInt(s.million.leadsPerSec),
  );
  if (pg.empty) {
    target(
      'syncMultipleLeads into PostgreSQL ≥ 20,000 leads/s (empty store)',
      pg.empty.leadsPerSec >= 20_000,
      fmtInt(pg.empty.leadsPerSec),
    );
  }
}

const m = results.getmultiple;
if (m) {
  const partial = m.leadsPerRun < 1_000_000 ? ' (first pages only)' : '';
  rows.push('### getMultipleLeads: LastUpdateAtSelector over every lead, batchSize 1000', '');
  rows.push(
    `${fmtInt(m.leadsPerRun)} leads from each store: the 1,000,000-lead store paged from its start, the 10,000-lead store paged to its end again and again, so both servers answer the same calls.`,
    '',
    '| store | leads | calls | leads/s | server CPU µs/lead | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const [label, r] of [
    ['10,000 leads', m.tenK],
    ['10,000 leads, --journal-size 0', m.tenKNoJournal],
    [`1,000,000 leads${partial}`, m.million],
  ]) {
    rows.push(
      `| ${label} | ${fmtInt(r.leads)} | ${fmtInt(r.pages)} | ${fmtInt(r.leadsPerSec)} | ${fmt(r.serverCpuUsPerLead)} | ${fmt(r.peakRssMiB, 0)} |`,
    );
  }
  rows.push(
    '',
    `Ratios 1M/10k: speed **${x(m.speedRatio)}**, peak RSS **${x(m.rssRatio)}**. Of the 10k figure, about ${fmt(m.journalMiB, 0)} MiB is the journal (the last 1000 calls, ${fmtInt(m.tenK.pages)} made).`,
    '',
  );
  target(
    'getMultipleLeads ≥ 100,000 leads/s (1M store)',
    m.million.leadsPerSec >= 100_000,
    `${fmtInt(m.million.leadsPerSec)}${partial}`,
  );
  target('getMultipleLeads peak RSS at 1M within 20 % of 10k', m.rssRatio <= 1.2, `${x(m.rssRatio)}${partial}`);
}

const c = results.client;
if (c) {
  rows.push('### Client CPU per getLead call (process.cpuUsage, each client in its own process)', '');
  if (!c.available) {
    rows.push('client SDK not available yet', '');
  } else {
    rows.push(`node-soap's client with ${c.wsdl} WSDL, signing each call as its users do.`, '');
    rows.push('| what | calls | @mktows/client µs | node-soap µs | ratio |', '|---|---:|---:|---:|---:|');
    rows.push(
      `| library: sign, serialize, parse (transport hook answers at once) | ${fmtInt(c.library.calls)} | ${fmt(c.library.mktows.cpuUsPerCall)} | ${fmt(c.library['node-soap'].cpuUsPerCall)} | ${x(c.library.ratio)} |`,
    );
    rows.push(
      `| whole call over HTTP to mktows serve | ${fmtInt(c.overHttp.calls)} | ${fmt(c.overHttp.mktows.cpuUsPerCall)} | ${fmt(c.overHttp['node-soap'].cpuUsPerCall)} | ${x(c.overHttp.ratio)} |`,
    );
    rows.push('');
    target('client CPU ≤ 1/10 of node-soap (library)', c.library.ratio <= 0.1, x(c.library.ratio));
    target('client CPU ≤ 1/10 of node-soap (over HTTP)', c.overHttp.ratio <= 0.1, x(c.overHttp.ratio));
  }
}

const h = results.hostile;
if (h) {
  rows.push('### Hostile shapes: the parser alone (parseXmlBytes), one process per shape', '');
  rows.push(
    `Bodies of about ${h.mb} MB, parsed after a warm-up on normal requests, with the young generation of \`mktows serve\`. MB/s is the best of 5 parses (a body over a cap is refused where it breaks it: the rate at which it is disposed of); peak RSS is the growth of VmHWM over the first parse, per MB of body; "vs normal" is MB/s over the normal request's in this run.`,
    '',
    '| shape | MB/s | vs normal | peak RSS MB per MB | outcome |',
    '|---|---:|---:|---:|---|',
  );
  for (const [name, r] of Object.entries(h.shapes)) {
    rows.push(`| ${name}: ${r.what} | ${fmt(r.mbPerSec)} | ${x(r.ratio)} | ${fmt(r.rssPerMb)} | ${r.outcome} |`);
  }
  rows.push('');
  const worst = Math.max(...Object.values(h.shapes).map((r) => r.rssPerMb));
  target('hostile shapes: peak RSS ≤ 30 MB per MB of body', worst <= 30, `${fmt(worst)} MB per MB`);
}

const l = results.limits;
if (l) {
  rows.push('### Limits: admit + release per call, memory and Redis, in this process', '');
  if (!l.available) {
    rows.push('Redis not reachable: no Redis rows.', '');
  } else {
    rows.push(
      `${fmtInt(l.calls)} calls per round over 100 users, best of ${l.rounds} rounds; Redis at 127.0.0.1:6379 (ioredis, one connection).`,
      '',
      '| backend | µs/call, one at a time | µs/call, 50 in flight |',
      '|---|---:|---:|',
      `| memory | ${fmt(l.memory.sequentialUs)} | ${fmt(l.memory.concurrentUs)} |`,
      `| redis | ${fmt(l.redis.sequentialUs)} | ${fmt(l.redis.concurrentUs)} |`,
      `| added by Redis | ${fmt(l.addedSequentialUs)} | ${fmt(l.addedConcurrentUs)} |`,
      '',
    );
    target(
      'Redis limits add ≤ 60 µs per call over memory (50 in flight)',
      l.addedConcurrentUs <= 60,
      `${fmt(l.addedConcurrentUs)} µs`,
    );
  }
}

const rr = results.rest;
if (rr) {
  rows.push('### REST lead reads beside SOAP getLead: keep-alive HTTP, 50 connections, autocannon', '');
  rows.push(
    `${rr.rounds} round(s) of ${rr.seconds} s per target, best round kept; the same 10,000-lead SQLite store, REST limits raised; one bearer token for every call.`,
    '',
    '| target | req/s | p50 ms | p99 ms | server CPU µs/req |',
    '|---|---:|---:|---:|---:|',
  );
  for (const [k, label] of [
    ['restById', '(a) REST `GET /rest/v1/lead/{id}.json`, mktows'],
    ['restQuery', '(b) REST `GET /rest/v1/leads.json?filterType=id`, mktows'],
    ['soap', '(c) SOAP getLead, mktows'],
    ['nodeSoap', '(d) getLead, node-soap'],
  ]) {
    const r = rr[k];
    rows.push(`| ${label} | ${fmtInt(r.reqPerSec)} | ${r.p50} | ${r.p99} | ${fmt(r.serverCpuUsPerReq)} |`);
  }
  rows.push(
    '',
    `Ratios: b/d = **${x(rr.ratioQueryVsNodeSoap)}**, a/d = **${x(rr.ratioByIdVsNodeSoap)}**, b/c = **${x(rr.ratioQueryVsSoap)}**.`,
  );
  rows.push(
    rr.writes
      ? `(e) createOrUpdate, batches of 300 new leads, 2 in flight: ${fmtInt(rr.writes.leads)} leads, **${fmtInt(rr.writes.leadsPerSec)} leads/s**.`
      : `(e) createOrUpdate skipped: ${rr.writesSkipped}.`,
    '',
  );
  target('REST lead query ≥ 5× node-soap getLead', rr.ratioQueryVsNodeSoap >= 5, x(rr.ratioQueryVsNodeSoap));
}

const br = results.bridge;
if (br) {
  rows.push('### The bridge: SOAP getLead through REST, one keep-alive connection, sequential calls', '');
  rows.push(
    `${fmtInt(br.calls)} calls per target after a warm-up; the instance is a \`mktows serve\` on the same 10,000-lead SQLite store, the bridge a second \`mktows serve --store marketo+http://…\` in front of it.`,
    '',
    '| target | p50 ms | p90 ms | p99 ms |',
    '|---|---:|---:|---:|',
  );
  for (const [k, label] of [
    ['direct', '(a) the REST call the bridge makes, sent straight to the instance'],
    ['bridged', '(b) SOAP getLead through the bridge'],
    ['emulator', '(c) SOAP getLead on the instance (emulator), for scale'],
  ]) {
    const r = br[k];
    rows.push(`| ${label} | ${r.p50} | ${r.p90} | ${r.p99} |`);
  }
  rows.push(
    '',
    `Overhead p50 (b − a): **${br.overheadP50Ms} ms**; REST calls per warm getLead: **${br.restCallsPerWarmGetLead}**.`,
    '',
  );
  rows.push(
    'REST calls per SOAP operation, over the successful calls of the bridge suites (`test/bridge-*.test.ts`, the demo data, cold and warm caches); "warm" leaves out the look-ups the caches spare (token, describe, activity types, names → ids):',
    '',
    '| operation | SOAP calls | REST calls min | median | max | warm median |',
    '|---|---:|---:|---:|---:|---:|',
    ...br.perOperation.map(
      (x) => `| ${x.operation} | ${x.soapCalls} | ${x.restMin} | ${x.restMedian} | ${x.restMax} | ${x.warmMedian} |`,
    ),
    '',
  );
  target('bridge overhead p50 ≤ 2 ms per SOAP call', br.overheadP50Ms <= 2, `${br.overheadP50Ms} ms`);
  target(
    'getLead through the bridge: 1 REST call with warm caches',
    br.restCallsPerWarmGetLead === 1,
    String(br.restCallsPerWarmGetLead),
  );
}

const header = [
  `Run: \`npm run bench${quick ? ' -- --quick' : ''}\` (${mode}), ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${fmt((Date.now() - started) / 1000, 0)} s.`,
  `Machine: ${machine.nproc} cores, ${machine.cpu}, node ${machine.node}; load average ${machine.loadavgStart} at the start, ${machine.loadavgEnd} at the end.`,
  ...notes.map((n) => `Note: ${n}.`),
  '',
];
const targetRows = [
  '### Targets',
  '',
  '| target | figure | met |',
  '|---|---:|:---:|',
  ...targets.map((t) => `| ${t.name} | ${t.detail} | ${t.met ? 'yes' : 'no'} |`),
  '',
];
const markdown = [...header, ...rows, ...targetRows].join('\n');
log(`\n${markdown}`);

if (profileDir) {
  for (const f of readdirSync(profileDir, { recursive: true }).sort()) {
    if (!f.endsWith('.cpuprofile')) continue;
    const summary = summarizeProfile(join(profileDir, f), 12);
    // The main thread of `mktows serve` only waits for signals: its profile says nothing.
    if (summary.busyMs >= 100) log(`\n${formatProfile(summary)}`);
  }
}

mkdirSync(common.DATA_DIR, { recursive: true });
writeFileSync(join(common.DATA_DIR, `last-${mode}.md`), `${markdown}\n`);
writeFileSync(
  join(common.DATA_DIR, `last-${mode}.json`),
  `${JSON.stringify({ mode, started: new Date(started).toISOString(), machine, notes, opts, results, targets }, null, 2)}\n`,
);
