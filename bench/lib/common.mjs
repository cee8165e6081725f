/**
 * Shared by the bench scenarios: paths, the bench user, starting servers in child processes,
 * reading a child's peak RSS from /proc, signed envelopes and a keep-alive HTTP POST.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH_DIR, '..');
export const DATA_DIR = join(BENCH_DIR, '.data');
export const MKTOWS_BIN = join(ROOT, 'packages', 'server', 'bin', 'mktows.js');
export const NS = 'http://www.marketo.com/mktows/';
/** Marketo's own 2_6 WSDL: test data in ../shared, read at run time, never copied into the repo. */
export const MARKETO_WSDL = join(ROOT, '..', 'shared', 'reference', 'mktows-2_6.wsdl');
export const VERSION = '2_6';
export const SOAP_PATH = `/soap/mktows/${VERSION}`;

/** The bench user: full auth, limits raised far above anything the bench can reach. */
export const USER = 'bench_user';
export const KEY = 'bench-encryption-key-0123456789';
export const HIGH_LIMITS = { quotaPerDay: 1_000_000_000, ratePerWindow: 1_000_000_000, concurrency: 1_000_000 };

/** A module of a built workspace package (dist/), by path. */
export function dist(pkg, path) {
  return import(pathToFileURL(join(ROOT, 'packages', pkg, 'dist', 'src', path)).href);
}

const protocol = await dist('protocol', 'index.js');
export const { computeSignature, formatW3C } = protocol;

/** A header signed for `now`: valid for the server's 15-minute window, reused by every request of a load test. */
export function authHeader(now = new Date()) {
  const ts = formatW3C(now);
  const sig = computeSignature(ts, USER, KEY);
  return `<ns1:AuthenticationHeader><mktowsUserId>${USER}</mktowsUserId><requestSignature>${sig}</requestSignature><requestTimestamp>${ts}</requestTimestamp></ns1:AuthenticationHeader>`;
}

export function envelope(inner, header = authHeader()) {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Header>${header}</SOAP-ENV:Header><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

export function escapeXml(s) {
  return String(s).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Peak and current resident set of a process, in MiB (Linux /proc). */
export function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { hwmMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
}

/** Seconds of CPU (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; fields[] starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Starts a child process and waits for a line that matches `ready` on its stdout; resolves with the
 * match, the child and a stop() that ends it (SIGTERM, then SIGKILL) and waits for its exit.
 */
export function startChild(command, args, { ready, env, timeoutMs = 120_000, label = command } = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => {
    err += c;
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const r = await exited;
    clearTimeout(t);
    return r;
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} did not start within ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    const onData = (c) => {
      out += c;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolvePromise({ child, pid: child.pid, match: m, stop, stderr: () => err });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited (${code ?? signal}) before it was ready\n${out}\n${err}`));
    });
  });
}

let profileDir;
let profileSeq = 0;

/** With `--profile`, servers started after this run under --cpu-prof, writing into `dir`. */
export function enableProfiling(dir) {
  profileDir = dir;
}

/**
 * Node flags that make a server child write its CPU profiles, one per thread, into a directory
 * named after `label` when it exits (`mktows serve` serves from a worker thread).
 */
export function profileArgs(label) {
  if (!profileDir) return [];
  profileSeq++;
  return ['--cpu-prof', '--cpu-prof-dir', join(profileDir, `${String(profileSeq).padStart(2, '0')}-${label}`)];
}

/**
 * `mktows serve` on a free port with the bench user and raised limits; `db` is a SQLite file's path
 * or a `postgres://` store URL.
 */
export async function startMktows(db, extraArgs = [], nodeArgs = profileArgs('mktows')) {
  const args = [
    ...nodeArgs,
    MKTOWS_BIN,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--store',
    /^postgres(ql)?:\/\//.test(db) ? db : `sqlite:${db}`,
    '--seed',
    'none',
    '--user',
    `${USER}:${KEY}`,
    '--quota-per-day',
    String(HIGH_LIMITS.quotaPerDay),
    '--rate-limit',
    `${HIGH_LIMITS.ratePerWindow}/20s`,
    '--concurrency',
    String(HIGH_LIMITS.concurrency),
    '--log-level',
    'error',
    ...extraArgs,
  ];
  const s = await startChild(process.execPath, args, {
    ready: /SOAP endpoint\s+(http:\/\/[^/\s]+)\//,
    label: 'mktows serve',
  });
  return { ...s, url: `${s.match[1]}${SOAP_PATH}`, origin: s.match[1] };
}

/** A bench server script in bench/servers/ that prints `READY <url>`. */
export async function startBenchServer(script, args = []) {
  const s = await startChild(process.execPath, [join(BENCH_DIR, 'servers', script), ...args], {
    ready: /READY (\S+)/,
    label: script,
  });
  return { ...s, url: s.match[1] };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** POSTs a SOAP body over a keep-alive connection; resolves with status and text. */
export function post(url, body) {
  return new Promise((resolvePromise, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs and fails unless the answer is HTTP 200 holding `expect`. */
export async function postOk(url, body, expect) {
  const r = await post(url, body);
  if (r.status !== 200 || (expect && !r.text.includes(expect))) {
    throw new Error(`POST ${url}: HTTP ${r.status}, expected ${expect}\n${r.text.slice(0, 2000)}`);
  }
  return r.text;
}

export function closeAgent() {
  agent.destroy();
}

export function hasMarketoWsdl() {
  return existsSync(MARKETO_WSDL);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function fmtInt(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmt(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
