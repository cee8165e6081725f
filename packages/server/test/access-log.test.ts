/**
 * The access log as an operator reads it: a real `mktows serve`, three kinds of call, and the JSON
 * lines it writes at each --log-level.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { computeSignature, formatW3C } from '@mktows/protocol';
import { envelope, getLeadBody } from './support/harness.js';
import { syncLeadBody } from './support/leads.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages', 'server', 'bin', 'mktows.js');
const USER = 'log_user';
const KEY = 'log-encryption-key-0123';
const CLIENT = 'log-client';
const SECRET = 'log-client-secret-0123';

interface Serve {
  child: ChildProcess;
  base: string;
  output(): string;
  stop(): Promise<void>;
}

async function serve(level: string): Promise<Serve> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MKTOWS_')) env[k] = v;
  const args = ['serve', '--port', '0', '--store', 'sqlite::memory:', '--seed', 'none', '--replica-id', 'r1'];
  args.push('--user', `${USER}:${KEY}`, '--rest-client', `${CLIENT}:${SECRET}`, '--log-level', level);
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: 'pipe' });
  let all = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    all += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    all += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started:\n${all}`)), 10_000);
    const check = () => {
      const m = /SOAP endpoint {2}(http:\/\/127\.0\.0\.1:\d+)\//.exec(all);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`exited:\n${all}`)));
  });
  return {
    child,
    base,
    output: () => all,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function soapEnvelope(inner: string): { body: string; signature: string } {
  const ts = formatW3C(new Date());
  const signature = computeSignature(ts, USER, KEY);
  const header = `<ns1:AuthenticationHeader><mktowsUserId>${USER}</mktowsUserId><requestSignature>${signature}</requestSignature><requestTimestamp>${ts}</requestTimestamp></ns1:AuthenticationHeader>`;
  return { body: envelope(inner, header), signature };
}

interface Sent {
  requestBytes: number;
  responseBytes: number;
  status: number;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Sent> {
  const r = await fetch(url, { method: 'POST', headers, body });
  const bytes = (await r.arrayBuffer()).byteLength;
  return { requestBytes: Buffer.byteLength(body), responseBytes: bytes, status: r.status };
}

/** The three calls: a SOAP success, a SOAP fault, a REST token and a REST call. */
async function threeCalls(s: Serve) {
  const soapUrl = `${s.base}/soap/mktows/3_1`;
  const xml = { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' };
  const ok = soapEnvelope(syncLeadBody({ Email: 'ada@example.com' }));
  const okSent = await post(soapUrl, ok.body, xml);
  assert.equal(okSent.status, 200);
  const fault = soapEnvelope(getLeadBody('EMAIL', 'nobody@example.com'));
  const faultSent = await post(soapUrl, fault.body, xml);
  assert.equal(faultSent.status, 500);
  const tokenUrl = `${s.base}/identity/oauth/token?grant_type=client_credentials&client_id=${CLIENT}&client_secret=${SECRET}`;
  const tr = await fetch(tokenUrl);
  const tokenText = await tr.text();
  const token = JSON.parse(tokenText).access_token as string;
  const rr = await fetch(`${s.base}/rest/v1/leads/describe.json`, { headers: { authorization: `Bearer ${token}` } });
  const restBytes = (await rr.arrayBuffer()).byteLength;
  return {
    okSent,
    faultSent,
    tokenBytes: Buffer.byteLength(tokenText),
    restBytes,
    secrets: [ok.signature, fault.signature, KEY, SECRET, token],
  };
}

function callLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((o) => o.msg === 'call');
}

/** Waits until the child has written n call lines (its stderr arrives after the responses). */
async function waitForLines(s: Serve, n: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 100; i++) {
    const lines = callLines(s.output());
    if (lines.length >= n) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
  return callLines(s.output());
}

describe('access log', () => {
  const running: Serve[] = [];
  after(async () => {
    for (const s of running) await s.stop();
  });

  for (const level of ['info', 'debug']) {
    test(`--log-level ${level}: one JSON line per SOAP and REST call, with no secret in any line`, async () => {
      const s = await serve(level);
      running.push(s);
      const sent = await threeCalls(s);
      const lines = await waitForLines(s, 4);
      assert.equal(lines.length, 4, s.output());
      for (const l of lines) {
        assert.equal(l.level, 'info');
        assert.ok(Math.abs(Date.parse(String(l.time)) - Date.now()) < 60_000, String(l.time));
        assert.equal(typeof l.durationMs, 'number');
        assert.ok((l.durationMs as number) >= 0);
      }
      const strip = (l: Record<string, unknown>) => {
        const { time: _t, durationMs: _d, ...rest } = l;
        return rest;
      };
      assert.deepEqual(lines.map(strip), [
        {
          level: 'info',
          msg: 'call',
          replica: 'r1',
          api: 'soap',
          user: USER,
          operation: 'syncLead',
          status: 200,
          faultCode: null,
          requestBytes: sent.okSent.requestBytes,
          responseBytes: sent.okSent.responseBytes,
        },
        {
          level: 'info',
          msg: 'call',
          replica: 'r1',
          api: 'soap',
          user: USER,
          operation: 'getLead',
          status: 500,
          faultCode: 20103,
          requestBytes: sent.faultSent.requestBytes,
          responseBytes: sent.faultSent.responseBytes,
        },
        {
          level: 'info',
          msg: 'call',
          replica: 'r1',
          api: 'rest',
          user: CLIENT,
          operation: 'identityUsingGET',
          status: 200,
          faultCode: null,
          requestBytes: 0,
          responseBytes: sent.tokenBytes,
        },
        {
          level: 'info',
          msg: 'call',
          replica: 'r1',
          api: 'rest',
          user: CLIENT,
          operation: 'describeUsingGET_2',
          status: 200,
          faultCode: null,
          requestBytes: 0,
          responseBytes: sent.restBytes,
        },
      ]);
      const out = s.output();
      for (const secret of sent.secrets) assert.ok(!out.includes(secret), `the output holds ${secret}`);
    });
  }

  test('--log-level warn: no call lines', async () => {
    const s = await serve('warn');
    running.push(s);
    await threeCalls(s);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(callLines(s.output()), []);
  });
});
