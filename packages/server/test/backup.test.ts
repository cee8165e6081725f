/**
 * Backups as an operator meets them: `mktows backup` against a live `mktows serve` process taking
 * writes on the same WAL file, the copy checked by SQLite and served by a second server; the
 * command's errors; and POST /_mktows/backup confined to --backup-dir.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { backupSqliteFile } from '../src/backup/sqlite-backup.js';
import { run } from '../src/cli/main.js';
import { getLeadByEmail } from './support/fault-helpers.js';
import { authHeader, envelope, KEY, startTestServer, USER } from './support/harness.js';
import { syncLeadBody } from './support/leads.js';
import { type Replica, runMktows, startReplica } from './support/replicas.js';

const CREDS = { userId: USER, key: KEY };
const SERVE_ARGS = ['--user', `${USER}:${KEY}`, '--rate-limit', '100000/20s', '--quota-per-day', '1000000'];

async function soap(r: Replica, inner: string): Promise<string> {
  const res = await fetch(`${r.base}/soap/mktows/3_1`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    body: envelope(inner, authHeader(CREDS)),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return text;
}

/** `mktows backup ARGS` as a separate process. */
function backupProcess(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return runMktows(['backup', ...args]);
}

/** run() with its output captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env: {},
  });
  return { code, out, err };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mktows-backup-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('mktows backup while mktows serve writes to the same file', () => {
  test('the copy passes integrity_check, holds every lead written before it started, and serves them', async () => {
    const db = join(dir, 'live.db');
    const copy = join(dir, 'live-copy.db');
    const live = await startReplica(['--store', `sqlite:${db}`, '--seed', 'demo', ...SERVE_ARGS]);
    let restored: Replica | undefined;
    try {
      const written: string[] = [];
      let stop = false;
      const writer = (async () => {
        for (let i = 0; !stop; i++) {
          const email = `w${i}@backup.example`;
          await soap(live, syncLeadBody({ Email: email }));
          written.push(email);
        }
      })();
      while (written.length < 100) await new Promise((r) => setTimeout(r, 10));
      const before = written.length;
      const done = await backupProcess(['--store', `sqlite:${db}`, copy]);
      const during = written.length - before;
      stop = true;
      await writer;
      assert.equal(done.code, 0, done.err);
      assert.match(
        done.out,
        new RegExp(`^backed up sqlite:${db} to ${copy} \\(\\d+ pages, [\\d.]+ MB, \\d+ ms\\)\\n$`),
      );
      assert.equal(done.err, '', 'a small store reports no progress');
      assert.ok(during > 0, 'the server kept writing while the backup ran');
      // The copy is one self-contained file.
      assert.equal(existsSync(`${copy}-wal`), false);
      const c = new BetterSqlite3(copy, { readonly: true });
      try {
        assert.equal(c.pragma('integrity_check', { simple: true }), 'ok');
        assert.equal(c.pragma('journal_mode', { simple: true }), 'delete');
        const emails = new Set(
          (c.prepare("select email from leads where email like '%@backup.example'").all() as { email: string }[]).map(
            (r) => r.email,
          ),
        );
        const missing = written.slice(0, before).filter((e) => !emails.has(e));
        assert.deepEqual(missing, []);
        // The demo leads too.
        assert.equal(
          (c.prepare("select count(*) as n from leads where email like '%@demo.example'").get() as { n: number }).n,
          500,
        );
      } finally {
        c.close();
      }
      restored = await startReplica(['--store', `sqlite:${copy}`, ...SERVE_ARGS]);
      for (const email of [written[0], written[before - 1], 'ada@demo.example'])
        assert.match(await soap(restored, getLeadByEmail(email)), new RegExp(`<Email>${email}</Email>`));
    } finally {
      live.child.kill('SIGTERM');
      restored?.child.kill('SIGTERM');
      await live.exited;
      await restored?.exited;
    }
  });
});

describe('mktows backup: errors and options', () => {
  test('a missing store, a PostgreSQL store, a memory store and a file that is not SQLite: exit 1 with a reason', async () => {
    const missing = await cli(['backup', '--store', `sqlite:${join(dir, 'nope.db')}`, join(dir, 'x.db')]);
    assert.deepEqual(missing, {
      code: 1,
      out: '',
      err: `mktows backup: no SQLite database at ${join(dir, 'nope.db')}\n`,
    });
    const pg = await cli(['backup', '--store', 'postgres://root@127.0.0.1/test', join(dir, 'x.db')]);
    assert.equal(pg.code, 1);
    assert.match(pg.err, /^mktows backup: a PostgreSQL store is backed up with pg_dump .*pg_restore/);
    const mem = await cli(['backup', '--store', 'sqlite::memory:', join(dir, 'x.db')]);
    assert.deepEqual(mem.err, 'mktows backup: an in-memory store (sqlite::memory:) has no file to back up\n');
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'secret words that must never be echoed '.repeat(200));
    const notDb = await cli(['backup', '--store', `sqlite:${text}`, join(dir, 'x.db')]);
    assert.equal(notDb.code, 1);
    assert.match(notDb.err, /^mktows backup: .*notes\.txt is not a SQLite database: file is not a database\n$/);
    assert.doesNotMatch(notDb.err, /secret words/);
    assert.equal(existsSync(join(dir, 'x.db')), false);
  });

  test('an existing FILE is kept unless --force; usage errors exit 2', async () => {
    const src = join(dir, 'small.db');
    const s = await startTestServer({ store: `sqlite:${src}`, seed: 'none' });
    await s.soap(syncLeadBody({ Email: 'kept@backup.example' }));
    await s.close();
    const target = join(dir, 'existing.db');
    writeFileSync(target, 'an older backup');
    const refused = await cli(['backup', '--store', `sqlite:${src}`, target]);
    assert.deepEqual(refused, {
      code: 1,
      out: '',
      err: `mktows backup: ${target} exists; choose another file or pass --force\n`,
    });
    assert.equal(readFileSync(target, 'utf8'), 'an older backup');
    const forced = await cli(['backup', `--store=sqlite:${src}`, target, '--force']);
    assert.equal(forced.code, 0, forced.err);
    const c = new BetterSqlite3(target, { readonly: true });
    assert.equal((c.prepare('select email from leads').get() as { email: string }).email, 'kept@backup.example');
    c.close();
    assert.deepEqual(await cli(['backup', '--store', `sqlite:${src}`]), {
      code: 2,
      out: '',
      err: 'mktows backup: name the backup FILE (run mktows backup --help)\n',
    });
    assert.equal(
      (await cli(['backup', '--stor', 'x', 'y'])).err,
      'mktows backup: unknown option --stor; did you mean --store? (run mktows backup --help)\n',
    );
    assert.match((await cli(['help', 'backup'])).out, /^Usage: mktows backup \[--store URL\] FILE \[--force\]/);
  });

  test('a large store reports progress on stderr, ending at 100 %', async () => {
    const big = join(dir, 'big.db');
    const b = new BetterSqlite3(big);
    b.exec('create table filler (x blob)');
    const insert = b.prepare('insert into filler values (?)');
    for (let i = 0; i < 40; i++) insert.run(Buffer.alloc(1 << 20, i));
    b.close();
    const r = await cli(['backup', '--store', `sqlite:${big}`, join(dir, 'big-copy.db')]);
    assert.equal(r.code, 0);
    const lines = r.err.trimEnd().split('\n');
    assert.ok(lines.length >= 5, r.err);
    for (const l of lines) assert.match(l, /^backup: \d+% \(\d+ of \d+ pages\)$/);
    assert.match(lines[lines.length - 1], /^backup: 100% \((\d+) of \1 pages\)$/);
  });
});

describe('backupSqliteFile under a writer that never pauses', () => {
  test('a copy restarted by a write finishes in one more step instead of restarting forever', async () => {
    const src = join(dir, 'busy.db');
    const w = new BetterSqlite3(src);
    w.pragma('journal_mode = WAL');
    w.exec('create table filler (x blob); create table ticks (n integer)');
    const fill = w.prepare('insert into filler values (?)');
    for (let i = 0; i < 8; i++) fill.run(Buffer.alloc(256 * 1024, i));
    // Another connection writes between every step of the copy.
    const tick = w.prepare('insert into ticks values (?)');
    let n = 0;
    let stop = false;
    const write = () => {
      if (stop) return;
      tick.run(n++);
      setImmediate(write);
    };
    write();
    const steps: number[] = [];
    try {
      const done = await backupSqliteFile(src, join(dir, 'busy-copy.db'), {
        onProgress: (p) => steps.push(p.remainingPages),
      });
      assert.ok(done.pages > 500);
    } finally {
      stop = true;
    }
    assert.ok(n > 0, 'the writer ran during the copy');
    // The first step, the one that met a restart, the single step of the rest, and the final report.
    assert.ok(steps.length <= 25, `${steps.length} steps`);
    assert.equal(steps[steps.length - 1], 0);
    const c = new BetterSqlite3(join(dir, 'busy-copy.db'), { readonly: true });
    assert.equal(c.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal((c.prepare('select count(*) as n from filler').get() as { n: number }).n, 8);
    c.close();
    w.close();
  });
});

describe('POST /_mktows/backup', () => {
  test('without --backup-dir nothing is written', async () => {
    const s = await startTestServer({ store: `sqlite:${join(dir, 'admin-none.db')}`, seed: 'none' });
    try {
      const r = await s.admin('POST', '/_mktows/backup', { path: join(dir, 'anywhere.db') });
      assert.equal(r.status, 400);
      assert.match(r.body.error, /--backup-dir DIR/);
      assert.equal(existsSync(join(dir, 'anywhere.db')), false);
    } finally {
      await s.close();
    }
  });

  test('with --backup-dir: a copy inside it; outside it, existing, or a memory store: refused', async () => {
    const backups = join(dir, 'backups');
    mkdirSync(join(backups, 'daily'), { recursive: true });
    symlinkSync(dir, join(backups, 'out'));
    const s = await startTestServer({ store: `sqlite:${join(dir, 'admin.db')}`, seed: 'none', backupDir: backups });
    try {
      await s.soap(syncLeadBody({ Email: 'admin@backup.example' }));
      const ok = await s.admin('POST', '/_mktows/backup', { path: 'daily/one.db' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.deepEqual(Object.keys(ok.body).sort(), ['bytes', 'durationMs', 'pages', 'path']);
      assert.equal(ok.body.path, 'daily/one.db');
      const c = new BetterSqlite3(join(backups, 'daily', 'one.db'), { readonly: true });
      assert.equal((c.prepare('select email from leads').get() as { email: string }).email, 'admin@backup.example');
      c.close();
      const again = await s.admin('POST', '/_mktows/backup', { path: 'daily/one.db' });
      assert.deepEqual(again, {
        status: 409,
        body: { error: 'path "daily/one.db" exists; choose another name or send "force": true' },
      });
      assert.equal((await s.admin('POST', '/_mktows/backup', { path: 'daily/one.db', force: true })).status, 200);
      for (const path of ['../escape.db', 'daily/../../escape.db', 'out/escape.db', join(dir, 'escape.db')]) {
        const r = await s.admin('POST', '/_mktows/backup', { path });
        assert.deepEqual(r, {
          status: 400,
          body: { error: `path ${JSON.stringify(path)} must name a file inside --backup-dir` },
        });
      }
      assert.equal(existsSync(join(dir, 'escape.db')), false);
      assert.equal((await s.admin('POST', '/_mktows/backup', { path: 'none/x.db' })).status, 400);
      assert.equal((await s.admin('POST', '/_mktows/backup', {})).status, 400);
      assert.equal((await s.admin('POST', '/_mktows/backup', { path: 'x.db', force: 'yes' })).status, 400);
    } finally {
      await s.close();
    }
    const mem = await startTestServer({ store: 'sqlite::memory:', seed: 'none', backupDir: backups });
    try {
      assert.deepEqual(await mem.admin('POST', '/_mktows/backup', { path: 'mem.db' }), {
        status: 400,
        body: { error: 'an in-memory store (sqlite::memory:) has no file to back up' },
      });
    } finally {
      await mem.close();
    }
  });

  test('the admin token guards it like the rest of the admin API', async () => {
    const s = await startTestServer({
      store: `sqlite:${join(dir, 'guarded.db')}`,
      seed: 'none',
      backupDir: dir,
      adminToken: 'backup-token-0123456789',
    });
    try {
      const res = await fetch(`${s.url}/_mktows/backup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ path: 'guarded-copy.db' }),
      });
      assert.equal(res.status, 401);
      assert.equal(existsSync(join(dir, 'guarded-copy.db')), false);
    } finally {
      await s.close();
    }
  });
});
