/**
 * The `mktows` command as users run it: a child process of packages/server/bin/mktows.js, started
 * from the repository root, with no MKTOWS_* variables inherited.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAULTS } from '@mktows/protocol';
import { run } from '../src/cli/main.js';
import { VERSION } from '../src/version.js';
import { authHeader, envelope, getLeadBody } from './support/harness.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages', 'server', 'bin', 'mktows.js');
const MEMORY = ['--port', '0', '--store', 'sqlite::memory:', '--seed', 'none'];
const USER = 'cli_user';
const KEY = 'cli-encryption-key-0123';

interface Cli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once stdout contains the text (rejects on exit or timeout). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MKTOWS_')) env[k] = v;
  return { ...env, ...extra };
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, timeoutMs = 10_000) {
      const has = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      return new Promise<string>((resolve, reject) => {
        if (has()) return resolve(out);
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${String(text)}; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onData = () => {
          if (has()) {
            cleanup();
            resolve(out);
          }
        };
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`exited (${code}) before ${String(text)}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
        };
        child.stdout?.on('data', onData);
        child.once('exit', onExit);
      });
    },
  };
}

/** Runs to the end; fails if it takes longer than timeoutMs. */
async function finish(c: Cli, timeoutMs = 10_000): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      c.child.kill('SIGKILL');
      reject(new Error(`did not exit within ${timeoutMs} ms; stdout:\n${c.stdout()}\nstderr:\n${c.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([c.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The lines of stderr that are not structured (JSON) log lines. */
function plainErr(c: Cli): string[] {
  return c
    .stderr()
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('{'));
}

const BANNER = /SOAP endpoint {2}(http:\/\/127\.0\.0\.1:(\d+))\/soap\/mktows\/3_1 /;

async function started(c: Cli): Promise<{ base: string; port: number }> {
  const out = await c.waitFor(/Credentials .*\n/);
  const m = BANNER.exec(out);
  assert.ok(m, `no SOAP endpoint line in:\n${out}`);
  return { base: m[1], port: Number(m[2]) };
}

function listenOnFreePort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
  });
}

async function soap(base: string, inner: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}/soap/mktows/3_1`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    body: envelope(inner, authHeader({ userId: USER, key: KEY })),
  });
  return { status: r.status, text: await r.text() };
}

/** Adds a fault rule through the admin API, as a test script would. */
async function addFaultRule(base: string, rule: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${base}/_mktows/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(rule),
  });
  assert.equal(r.status, 200, await r.text());
}

describe('mktows serve', () => {
  test('prints the banner with the real port, answers health, exits 0 within 5 s of SIGTERM', async () => {
    const c = cli(['serve', ...MEMORY]);
    try {
      const { base, port } = await started(c);
      assert.ok(port > 0);
      const lines = c.stdout().split('\n');
      assert.equal(lines[0], `mktows ${VERSION} listening`);
      assert.equal(lines[1], `  SOAP endpoint  ${base}/soap/mktows/3_1   (any version 1_0…3_1)`);
      assert.equal(lines[2], `  WSDL           ${base}/soap/mktows/3_1?WSDL`);
      assert.equal(lines[3], `  Admin API      ${base}/_mktows/health   (loopback only)`);
      assert.equal(lines[4], `  Console        ${base}/_mktows/console/`);
      assert.equal(lines[5], `  Metrics        ${base}/metrics`);
      assert.equal(lines[6], '  Store          sqlite::memory: (empty)');
      assert.equal(lines[7], '  Limits         memory · 10000 calls/day (America/Chicago) · 100/20 s · 10 in flight');
      assert.equal(lines[8], '  Credentials    user mktows_demo_user  key mktows-demo-encryption-key');
      assert.equal(lines[9], `  REST API       ${base}/rest/v1/…   token: ${base}/identity/oauth/token`);
      assert.equal(lines[10], '  REST limits    50000 calls/day · 100/20 s · 10 in flight (whole instance)');
      assert.equal(lines[11], '  REST client    client_id mktows-demo-client  client_secret mktows-demo-client-secret');

      const health = await fetch(`${base}/_mktows/health`);
      assert.equal(health.status, 200);
      const body = (await health.json()) as Record<string, unknown>;
      assert.equal(body.status, 'ok');
      assert.equal(body.version, VERSION);
      const wsdl = await fetch(`${base}/soap/mktows/3_1?WSDL`);
      assert.equal(wsdl.status, 200);
      await wsdl.text();

      const t0 = Date.now();
      c.child.kill('SIGTERM');
      assert.equal(await finish(c, 5000), 0);
      assert.ok(Date.now() - t0 < 5000);
      // The server runs in a worker thread; its last words still reach stdout before the process ends.
      assert.match(c.stdout(), /shutting down \(SIGTERM\); waiting up to 10 s for calls in flight\nstopped\n$/);
      assert.deepEqual(plainErr(c), []);
    } finally {
      c.child.kill('SIGKILL');
    }
  });

  test('MKTOWS_SERVE_THREAD=0 serves from the main thread, with the same banner and shutdown', async () => {
    const c = cli(['serve', ...MEMORY, '--user', `${USER}:${KEY}`], { MKTOWS_SERVE_THREAD: '0' });
    try {
      const { base } = await started(c);
      assert.equal(c.stdout().split('\n')[0], `mktows ${VERSION} listening`);
      const r = await soap(base, getLeadBody('EMAIL', 'nobody@x.example'));
      assert.equal(r.status, 500);
      assert.match(r.text, /<code>20103<\/code>/);
      c.child.kill('SIGTERM');
      assert.equal(await finish(c, 5000), 0);
      assert.match(c.stdout(), /shutting down \(SIGTERM\); waiting up to 10 s for calls in flight\nstopped\n$/);
    } finally {
      c.child.kill('SIGKILL');
    }
  });

  test('SIGINT shuts down too; the demo seed is reported', async () => {
    const c = cli(['serve', '--port=0', '--store=sqlite::memory:', '--rate-limit=5/1500ms', '--admin-token=tok']);
    try {
      const { base } = await started(c);
      assert.match(c.stdout(), /\n {2}Store {10}sqlite::memory: \(seeded: demo, 500 leads\)\n/);
      assert.match(
        c.stdout(),
        /\n {2}Limits {9}memory · 10000 calls\/day \(America\/Chicago\) · 5\/1500 ms · 10 in flight\n/,
      );
      assert.ok(c.stdout().includes(`Admin API      ${base}/_mktows/health   (bearer token)`));
      const unauth = await fetch(`${base}/_mktows/health`);
      await unauth.text();
      assert.notEqual(unauth.status, 200);
      const auth = await fetch(`${base}/_mktows/health`, { headers: { Authorization: 'Bearer tok' } });
      assert.equal(auth.status, 200);
      await auth.text();
      c.child.kill('SIGINT');
      assert.equal(await finish(c, 5000), 0);
    } finally {
      c.child.kill('SIGKILL');
    }
  });

  test('keys of configured users are not printed', async () => {
    const c = cli(['serve', ...MEMORY, '--user', `${USER}:${KEY}`, '--user', 'other:other-key-0123'], {});
    try {
      await started(c);
      const out = c.stdout();
      assert.ok(out.includes(`  Credentials    user ${USER}  key (from --user)\n`), out);
      assert.ok(out.includes('                 user other  key (from --user)\n'), out);
      assert.ok(!out.includes(KEY) && !out.includes('other-key-0123'));
      assert.ok(!out.includes('mktows_demo_user'));
      c.child.kill('SIGTERM');
      assert.equal(await finish(c, 5000), 0);
    } finally {
      c.child.kill('SIGKILL');
    }
    const e = cli(['serve', ...MEMORY], { MKTOWS_USER: `${USER}:${KEY}` });
    try {
      await started(e);
      assert.ok(e.stdout().includes(`user ${USER}  key (from MKTOWS_USER)`));
      assert.ok(!e.stdout().includes(KEY));
      e.child.kill('SIGTERM');
      assert.equal(await finish(e, 5000), 0);
    } finally {
      e.child.kill('SIGKILL');
    }
  });

  test('a call in flight finishes before the process exits', async () => {
    const c = cli(['serve', ...MEMORY, '--user', `${USER}:${KEY}`]);
    try {
      const { base } = await started(c);
      await addFaultRule(base, { operation: '*', delayMs: 800 });
      const call = soap(base, getLeadBody('EMAIL', 'nobody@example.com'));
      await new Promise((r) => setTimeout(r, 300));
      c.child.kill('SIGTERM');
      const res = await call;
      assert.equal(res.status, 500);
      assert.match(res.text, /20103 - Lead Not Found/);
      assert.equal(await finish(c, 5000), 0);
    } finally {
      c.child.kill('SIGKILL');
    }
  });

  for (const thread of ['1', '0']) {
    test(`a second signal forces exit 1 (thread ${thread})`, async () => {
      const c = cli(['serve', ...MEMORY, '--user', `${USER}:${KEY}`], { MKTOWS_SERVE_THREAD: thread });
      try {
        const { base } = await started(c);
        await addFaultRule(base, { operation: '*', delayMs: 30_000 });
        const call = soap(base, getLeadBody('EMAIL', 'nobody@example.com')).catch((e: unknown) => e);
        await new Promise((r) => setTimeout(r, 300));
        c.child.kill('SIGTERM');
        await c.waitFor('shutting down');
        c.child.kill('SIGTERM');
        assert.equal(await finish(c, 5000), 1);
        assert.ok(plainErr(c).some((l) => l.includes('SIGTERM again')));
        await call;
      } finally {
        c.child.kill('SIGKILL');
      }
    });
  }

  test('a port in use: exit code 1 and one line', async () => {
    const { server, port } = await listenOnFreePort();
    try {
      const c = cli(['serve', '--port', String(port), '--store', 'sqlite::memory:', '--seed', 'none']);
      assert.equal(await finish(c), 1);
      assert.deepEqual(plainErr(c), [`mktows: port ${port} is in use; choose another with --port`]);
      assert.equal(c.stdout(), '');
    } finally {
      server.close();
    }
  });

  test('a user added through the admin API still authenticates after a restart on the same file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mktows-cli-'));
    const args = ['serve', '--port', '0', '--store', `sqlite:${join(dir, 'x.db')}`, '--seed', 'none'];
    const added = { userId: 'restart_user', key: 'restart-user-key-0123' };
    const getLead = async (base: string) => {
      const r = await fetch(`${base}/soap/mktows/3_1`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body: envelope(getLeadBody('IDNUM', '1'), authHeader(added)),
      });
      return r.text();
    };
    try {
      const first = cli(args);
      try {
        const { base } = await started(first);
        const r = await fetch(`${base}/_mktows/users`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ userId: added.userId, encryptionKey: added.key }),
        });
        assert.equal(r.status, 200, await r.text());
        // Authenticated: the lead is missing (20103), not the user (20014).
        assert.match(await getLead(base), /20103/);
        first.child.kill('SIGTERM');
        assert.equal(await finish(first), 0);
      } finally {
        first.child.kill('SIGKILL');
      }
      const second = cli(args);
      try {
        const { base } = await started(second);
        assert.match(await getLead(base), /20103/);
        const users = await (await fetch(`${base}/_mktows/users`)).text();
        const listed = (JSON.parse(users) as { users: { userId: string; source: string }[] }).users;
        assert.ok(
          listed.some((u) => u.userId === added.userId && u.source === 'admin'),
          users,
        );
        assert.ok(!users.includes(added.key));
        second.child.kill('SIGTERM');
        assert.equal(await finish(second), 0);
      } finally {
        second.child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a store that cannot be opened: exit code 1 and one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mktows-cli-'));
    try {
      const file = join(dir, 'not-a-dir');
      writeFileSync(file, 'x');
      const store = `sqlite:${join(file, 'x.db')}`;
      const c = cli(['serve', '--port', '0', '--store', store]);
      assert.equal(await finish(c), 1);
      const lines = plainErr(c);
      assert.equal(lines.length, 1, c.stderr());
      assert.ok(lines[0].startsWith(`mktows: cannot open store ${store}: `), lines[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL unreachable at start: exit code 1, one line naming host and database, never the password', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const c = cli(['serve', '--port', '0', '--store', 'postgres://mk:s3cret@127.0.0.1:1/mkdb?pool=2']);
    assert.equal(await finish(c, 8000), 1);
    const lines = plainErr(c);
    assert.equal(lines.length, 1, c.stderr());
    assert.ok(lines[0].startsWith('mktows: cannot open store postgres://mk:***@127.0.0.1:1/mkdb'), lines[0]);
    assert.match(lines[0], /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/mkdb: .*ECONNREFUSED/);
    assert.ok(!c.stderr().includes('s3cret'), c.stderr());
  });

  for (const thread of ['1', '0']) {
    test(`a store under /proc (mkdir never returns there): exit 1 at once, MKTOWS_SERVE_THREAD=${thread}`, async () => {
      const store = 'sqlite:/proc/nope/x.db';
      const c = cli(['serve', '--port', '0', '--store', store], { MKTOWS_SERVE_THREAD: thread });
      try {
        assert.equal(await finish(c, 8000), 1);
        const lines = plainErr(c);
        assert.equal(lines.length, 1, c.stderr());
        assert.ok(lines[0].startsWith(`mktows: cannot open store ${store}: `), lines[0]);
        assert.match(lines[0], /\/proc\/nope/);
      } finally {
        c.child.kill('SIGKILL');
      }
    });
  }

  test('a seed file that cannot be read: exit code 1 and one line', async () => {
    const c = cli(['serve', '--port', '0', '--store', 'sqlite::memory:', '--seed', 'no/such/seed.json']);
    assert.equal(await finish(c), 1);
    assert.deepEqual(plainErr(c), ['mktows: seed file no/such/seed.json cannot be read: ENOENT']);
  });

  test('bad options: exit code 2 and one line naming the flag and value', async () => {
    const c = cli(['serve', '--port', 'abc']);
    assert.equal(await finish(c), 2);
    assert.deepEqual(plainErr(c), ['mktows: --port must be an integer from 0 to 65535; got "abc"']);
    const e = cli(['serve'], { MKTOWS_QUOTA_PER_DAY: 'lots' });
    assert.equal(await finish(e), 2);
    assert.deepEqual(plainErr(e), ['mktows: MKTOWS_QUOTA_PER_DAY must be a whole number of at least 0; got "lots"']);
    const u = cli(['serve', '--prot=1']);
    assert.equal(await finish(u), 2);
    assert.deepEqual(plainErr(u), ['mktows: unknown option --prot; did you mean --port?']);
  });

  test('--config FILE is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mktows-cli-'));
    const c = cli(['serve', '--config', join(dir, 'c.json')]);
    try {
      writeFileSync(
        join(dir, 'c.json'),
        JSON.stringify({
          port: 0,
          store: 'sqlite::memory:',
          seed: 'none',
          quotaPerDay: 50,
          concurrency: 2,
          users: [{ userId: USER, encryptionKey: KEY }],
        }),
      );
    } catch (e) {
      c.child.kill('SIGKILL');
      throw e;
    }
    try {
      // The file is written before the child reads it: node takes longer to start than that.
      await started(c);
      assert.match(c.stdout(), /50 calls\/day .* 2 in flight/);
      assert.ok(c.stdout().includes(`user ${USER}  key (from ${join(dir, 'c.json')})`));
      c.child.kill('SIGTERM');
      assert.equal(await finish(c, 5000), 0);
    } finally {
      c.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A raw connection to the server, left as the test leaves it (idle, or mid-request). */
async function openSocket(port: number, text: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(text);
  return socket;
}

/** Milliseconds from SIGTERM to the process's exit; fails past limitMs. */
async function exitTime(c: Cli, limitMs: number): Promise<{ code: number | string; ms: number }> {
  const t0 = performance.now();
  c.child.kill('SIGTERM');
  const code = await finish(c, limitMs);
  return { code, ms: performance.now() - t0 };
}

const HALF_BODY =
  'POST /soap/mktows/3_1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<soapenv:Envelope';

describe('mktows serve: shutdown has a deadline', () => {
  for (const thread of ['1', '0']) {
    test(`an idle keep-alive connection and a half-sent body do not hold the process (thread ${thread})`, async () => {
      const c = cli(['serve', ...MEMORY, '--shutdown-grace', '1s'], { MKTOWS_SERVE_THREAD: thread });
      const sockets: Socket[] = [];
      try {
        const { port } = await started(c);
        const idle = await openSocket(port, 'GET /_mktows/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        sockets.push(idle, await openSocket(port, HALF_BODY));
        await new Promise<void>((resolve) => idle.once('data', () => resolve()));
        const { code, ms } = await exitTime(c, 5000);
        assert.equal(code, 0, c.stderr());
        assert.ok(ms < 2000, `exited ${Math.round(ms)} ms after SIGTERM; grace 1 s`);
        assert.match(c.stdout(), /shutting down \(SIGTERM\); waiting up to 1 s for calls in flight\nstopped\n$/);
      } finally {
        for (const s of sockets) s.destroy();
        c.child.kill('SIGKILL');
      }
    });
  }

  test('an idle connection alone: the process exits at once', async () => {
    const c = cli(['serve', ...MEMORY]);
    let socket: Socket | undefined;
    try {
      const { port } = await started(c);
      socket = await openSocket(port, 'GET /_mktows/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await new Promise<void>((resolve) => socket?.once('data', () => resolve()));
      const { code, ms } = await exitTime(c, 5000);
      assert.equal(code, 0);
      assert.ok(ms < 1000, `exited ${Math.round(ms)} ms after SIGTERM`);
    } finally {
      socket?.destroy();
      c.child.kill('SIGKILL');
    }
  });

  test('a call longer than the grace is cut when it ends; one within it completes', async () => {
    const c = cli(['serve', ...MEMORY, '--user', `${USER}:${KEY}`, '--shutdown-grace', '1500ms']);
    try {
      const { base } = await started(c);
      await addFaultRule(base, { operation: 'getLead', delayMs: 30_000 });
      await addFaultRule(base, { operation: 'getMultipleLeads', delayMs: 700 });
      const slow = soap(base, getLeadBody('EMAIL', 'nobody@example.com')).catch((e: unknown) => e);
      const within = soap(
        base,
        '<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LeadKeySelector" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><keyType>EMAIL</keyType><keyValues><stringItem>nobody@example.com</stringItem></keyValues></leadSelector></ns1:paramsGetMultipleLeads>',
      );
      await new Promise((r) => setTimeout(r, 300));
      const { code, ms } = await exitTime(c, 6000);
      assert.equal(code, 0, c.stderr());
      assert.ok(ms >= 1400 && ms < 3000, `exited ${Math.round(ms)} ms after SIGTERM; grace 1.5 s`);
      const done = await within;
      assert.equal(done.status, 200, done.text);
      assert.ok((await slow) instanceof Error, 'the 30 s call was cut');
    } finally {
      c.child.kill('SIGKILL');
    }
  });
});

describe('mktows serve: what clients cannot make the log say', () => {
  test('an oversized admin body gets 413; aborted uploads log no error and no stack', async () => {
    const c = cli(['serve', ...MEMORY, '--max-body', '1kb', '--log-level', 'debug']);
    const sockets: Socket[] = [];
    try {
      const { base, port } = await started(c);
      const big = await fetch(`${base}/_mktows/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ userId: 'big', encryptionKey: 'k'.repeat(4000) }),
      });
      assert.equal(big.status, 413);
      assert.deepEqual(await big.json(), { error: 'the body exceeds the limit of 1024 bytes (--max-body)' });
      const admin =
        'POST /_mktows/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"userId":';
      for (const text of [HALF_BODY, admin]) {
        const s = await openSocket(port, text);
        sockets.push(s);
        await new Promise((r) => setTimeout(r, 100));
        s.destroy();
      }
      // The server still answers, and has logged the aborts at debug level at most.
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await fetch(`${base}/_mktows/health`)).status, 200);
      const { code } = await exitTime(c, 5000);
      assert.equal(code, 0);
      const log = c
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: string; msg: string });
      assert.deepEqual(
        log.filter((l) => l.level === 'error' || l.level === 'warn'),
        [],
      );
      assert.equal(log.filter((l) => l.msg === 'client closed the connection during its request').length, 2);
      assert.ok(!/\n\s+at /.test(c.stderr()) && !c.stderr().includes('\\n    at '), c.stderr());
    } finally {
      for (const s of sockets) s.destroy();
      c.child.kill('SIGKILL');
    }
  });
});

describe('mktows serve --public-url', () => {
  test('the banner and the WSDL show the public URL; the banner also says where it listens', async () => {
    const c = cli(['serve', ...MEMORY, '--public-url', 'https://mkto.example.com/api/']);
    try {
      const out = await c.waitFor(/Credentials .*\n/);
      const m = /^mktows \S+ listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      assert.ok(m, out);
      assert.ok(
        out.includes('  SOAP endpoint  https://mkto.example.com/api/soap/mktows/3_1   (any version 1_0…3_1)\n'),
      );
      assert.ok(out.includes('  WSDL           https://mkto.example.com/api/soap/mktows/3_1?WSDL\n'));
      // Without a token the admin API answers local clients only: its local address is shown.
      assert.ok(out.includes(`  Admin API      ${m[1]}/_mktows/health   (loopback only)\n`), out);
      const wsdl = await (await fetch(`${m[1]}/soap/mktows/3_1?WSDL`)).text();
      assert.ok(wsdl.includes('location="https://mkto.example.com/api/soap/mktows/3_1"'));
      c.child.kill('SIGTERM');
      assert.equal(await finish(c, 5000), 0);
    } finally {
      c.child.kill('SIGKILL');
    }
    const bad = cli(['serve', '--public-url', 'https://x.example/?a=1']);
    assert.equal(await finish(bad), 2);
    assert.deepEqual(plainErr(bad), [
      'mktows: --public-url must be a URL without a query; got "https://x.example/?a=1"',
    ]);
  });
});

describe('mktows commands', () => {
  test('no command: help on stderr, exit code 1', async () => {
    const c = cli([]);
    assert.equal(await finish(c), 1);
    assert.match(c.stderr(), /Usage: mktows <command>/);
  });

  test('--version, help, serve --help', async () => {
    const v = cli(['--version']);
    assert.equal(await finish(v), 0);
    assert.equal(v.stdout(), `${VERSION}\n`);
    for (const args of [['help'], ['--help'], ['-h'], ['serve', '--help'], ['help', 'serve']]) {
      const h = cli(args);
      assert.equal(await finish(h), 0, args.join(' '));
      assert.match(h.stdout(), /--signature-window DURATION +15m +MKTOWS_SIGNATURE_WINDOW/);
    }
  });

  test('an unknown command: exit code 2 with a suggestion', async () => {
    const c = cli(['serv']);
    assert.equal(await finish(c), 2);
    assert.deepEqual(plainErr(c), ['mktows: unknown command "serv"; did you mean serve? (run mktows --help)']);
  });

  test('errors prints every code with its side, message and retry advice', async () => {
    const c = cli(['errors']);
    assert.equal(await finish(c), 0);
    const out = c.stdout();
    for (const f of FAULTS) {
      const line = out.split('\n').find((l) => l.startsWith(`${f.code} `));
      assert.ok(line, `no line for ${f.code}`);
      assert.ok(line.includes(`SOAP-ENV:${f.side}`), `${f.code} side`);
      assert.ok(line.includes(f.message), `${f.code} message`);
      assert.ok(line.includes(f.retry), `${f.code} retry`);
      assert.ok(line.includes(f.trigger), `${f.code} trigger`);
    }
  });

  test('errors CODE, errors --json, bad errors arguments (in process)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) };
    assert.equal(await run(['errors', '20103', '--json'], io), 0);
    assert.deepEqual(JSON.parse(out.join('')), [FAULTS.find((f) => f.code === 20103)]);
    assert.equal(await run(['errors', '99999'], io), 2);
    assert.equal(await run(['errors', '--jsno'], io), 2);
    assert.deepEqual(err, [
      'mktows: unknown error code 99999 (run mktows errors for the list)\n',
      'mktows: unknown option --jsno; did you mean --json?\n',
    ]);
  });
});
