/**
 * Real `mktows serve` processes for the replica tests: each started on a free port with the store
 * and limits given, then driven over HTTP as a load balancer's clients would.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLeadByEmail } from './fault-helpers.js';
import { authHeader, envelope } from './harness.js';

const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const BIN = join(ROOT, 'packages', 'server', 'bin', 'mktows.js');
const GET_ADA = getLeadByEmail('ada@demo.example');

export interface Replica {
  child: ChildProcess;
  base: string;
  exited: Promise<unknown>;
  /** Everything the process printed so far, stdout then stderr. */
  output(): string;
}

/** The environment of a child `mktows`: the test's own MKTOWS_* settings left out, `extra` added. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MKTOWS_')) env[k] = v;
  return { ...env, ...extra };
}

/** Runs the real `mktows ARGS` to its end: exit code and output. */
export function runMktows(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

/** Starts `mktows serve --port 0` with these extra arguments; resolves once it has printed its banner. */
export function startReplica(args: string[]): Promise<Replica> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: ROOT,
    env: childEnv(),
    stdio: 'pipe',
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica did not start in 15 s:\n${out}\n${err}`));
    }, 15_000);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /SOAP endpoint {2}(http:\/\/[^/]+)\/soap/.exec(out);
      if (m && out.includes('Credentials')) {
        clearTimeout(timer);
        resolve({ child, base: m[1], exited, output: () => `${out}${err}` });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica exited (${code}):\n${out}\n${err}`));
    });
  });
}

export async function admin(
  r: Replica,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${r.base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}

/** A signed SOAP call to one replica: its HTTP status and body. */
export async function callReplica(
  r: Replica,
  user: { userId: string; key: string },
  body: string = GET_ADA,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${r.base}/soap/mktows/3_1`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    body: envelope(body, authHeader(user)),
  });
  return { status: res.status, text: await res.text() };
}

/** The fault code of a call, or 0 when it was answered. */
export async function callCode(
  r: Replica,
  user: { userId: string; key: string },
  body: string = GET_ADA,
): Promise<number> {
  const { status, text } = await callReplica(r, user, body);
  if (status === 200) return 0;
  return Number(/<code>(\d+)<\/code>/.exec(text)?.[1] ?? -1);
}
