/**
 * The admin API against browsers and nosy clients: Host and Origin checks, JSON-only bodies, seed
 * files only from --seed-dir, 413 for oversized bodies, and the base URL of WSDLs (--public-url,
 * X-Forwarded-*). Raw HTTP requests, so that Host, Origin and Sec-Fetch-Site are what a browser sends.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/harness.js';

interface Raw {
  status: number;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field.
  json(): any;
}

/** One HTTP request with exactly these headers (fetch would not let a test set Host or Origin). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const url = new URL(path, base);
  return new Promise<Raw>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function hasUser(s: TestServer, userId: string): boolean {
  return s.runtime.state.user(userId) !== undefined;
}

describe('admin API: requests from browsers', () => {
  let s: TestServer;
  let host: string;
  before(async () => {
    s = await startTestServer({ seed: 'none', publicUrl: 'https://mkto.example.com/api' });
    host = new URL(s.url).host;
  });
  after(() => s.close());

  const newUser = JSON.stringify({ userId: 'csrf_user', encryptionKey: 'csrf-key-0123456789' });

  test('clients that are not browsers (no Origin) keep working, on loopback names and the public host', async () => {
    for (const h of [host, `localhost:${s.port}`, 'localhost', `[::1]:${s.port}`, '127.0.0.2', 'mkto.example.com']) {
      const r = await raw(s.url, 'GET', '/_mktows/health', { Host: h });
      assert.equal(r.status, 200, `${h}: ${r.text}`);
    }
    const r = await raw(s.url, 'POST', '/_mktows/clock', JSON_HEADERS, '{"offsetSeconds":0}');
    assert.equal(r.status, 200, r.text);
  });

  test('a Host that is not this server (DNS rebinding) is refused with 403 and changes nothing', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${s.port}`,
      'mkto.example.com.evil.example',
      '127.0.0.1.evil.example',
    ]) {
      const r = await raw(s.url, 'POST', '/_mktows/users', { ...JSON_HEADERS, Host: h }, newUser);
      assert.equal(r.status, 403, `${h}: ${r.text}`);
      assert.match(r.json().error, /Host .* is not a name of this server/);
    }
    const reset = await raw(s.url, 'POST', '/_mktows/reset', { Host: 'evil.example', Origin: 'http://evil.example' });
    assert.equal(reset.status, 403);
    assert.ok(!hasUser(s, 'csrf_user'));
  });

  test('a cross-origin page cannot reset or create users, whatever its Content-Type', async () => {
    const before = (await s.admin('POST', '/_mktows/faults', { operation: '*', delayMs: 1 })).body.id;
    const attempts: [Record<string, string>, RegExp][] = [
      [{ Origin: 'http://evil.example' }, /cross-origin/],
      [{ Origin: 'null' }, /cross-origin/],
      [{ Origin: `https://${host}` }, /cross-origin/],
      [{ 'Sec-Fetch-Site': 'cross-site' }, /other sites/],
      [{ 'Sec-Fetch-Site': 'same-site' }, /other sites/],
    ];
    for (const [headers, why] of attempts) {
      for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
        const r = await raw(s.url, 'POST', '/_mktows/users', { ...headers, 'Content-Type': type }, newUser);
        assert.equal(r.status, 403, `${JSON.stringify(headers)} ${type}: ${r.text}`);
        assert.match(r.json().error, why);
        const reset = await raw(s.url, 'POST', '/_mktows/reset', { ...headers, 'Content-Type': type }, '{}');
        assert.equal(reset.status, 403);
      }
    }
    assert.ok(!hasUser(s, 'csrf_user'));
    const rules = (await s.admin('GET', '/_mktows/faults')).body.rules as { id: unknown }[];
    assert.ok(
      rules.some((r) => r.id === before),
      'the reset attempts removed nothing',
    );
    await s.admin('DELETE', '/_mktows/faults');
  });

  test('the same origin passes: the console served at /_mktows/console/ may call the API', async () => {
    for (const origin of [`http://${host}`, 'https://mkto.example.com']) {
      const r = await raw(
        s.url,
        'POST',
        '/_mktows/clock',
        { ...JSON_HEADERS, Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
        '{"offsetSeconds":0}',
      );
      assert.equal(r.status, 200, `${origin}: ${r.text}`);
    }
  });

  test('following a link from another site to a GET page is a navigation and passes; its fetches do not', async () => {
    const nav = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };
    assert.equal((await raw(s.url, 'GET', '/_mktows/health', nav)).status, 200);
    const post = await raw(s.url, 'POST', '/_mktows/reset', { ...nav, ...JSON_HEADERS }, '{}');
    assert.equal(post.status, 403);
    const script = await raw(s.url, 'GET', '/_mktows/journal', {
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'no-cors',
    });
    assert.equal(script.status, 403);
  });

  test('without a token, a request relayed by a proxy (Forwarded, X-Forwarded-For) is refused', async () => {
    const relayed: Record<string, string>[] = [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }];
    for (const h of relayed) {
      const r = await raw(
        s.url,
        'POST',
        '/_mktows/users',
        { ...JSON_HEADERS, ...h, Host: 'mkto.example.com' },
        newUser,
      );
      assert.equal(r.status, 403, r.text);
      assert.match(r.json().error, /came through a proxy.*--admin-token/);
    }
    assert.ok(!hasUser(s, 'csrf_user'));
  });

  test('a body that is not application/json is refused with 415 (a form or text/plain needs no preflight)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw(s.url, 'POST', '/_mktows/users', { 'Content-Type': type }, newUser);
      assert.equal(r.status, 415, `${type}: ${r.text}`);
      assert.match(r.json().error, /Content-Type: application\/json/);
    }
    const none = await raw(s.url, 'POST', '/_mktows/users', {}, newUser);
    assert.equal(none.status, 415);
    assert.ok(!hasUser(s, 'csrf_user'));
    const charset = await raw(
      s.url,
      'POST',
      '/_mktows/users',
      { 'Content-Type': 'application/json; charset=utf-8' },
      newUser,
    );
    assert.equal(charset.status, 200, charset.text);
    // A POST without a body needs no Content-Type.
    assert.equal((await raw(s.url, 'DELETE', '/_mktows/faults')).status, 200);
  });
});

describe('admin API: Host with an admin token', () => {
  test('any Host is accepted with the token (a page cannot send it cross-origin); Origin is still checked', async () => {
    const s = await startTestServer({ seed: 'none', adminToken: 'tok' });
    try {
      const auth = { Authorization: 'Bearer tok' };
      assert.equal((await raw(s.url, 'GET', '/_mktows/health', { ...auth, Host: 'mktows.internal' })).status, 200);
      assert.equal((await raw(s.url, 'GET', '/_mktows/health', { Host: 'mktows.internal' })).status, 401);
      const proxied = { ...auth, Host: 'mkto.example.com', 'X-Forwarded-For': '203.0.113.7' };
      assert.equal((await raw(s.url, 'GET', '/_mktows/health', proxied)).status, 200);
      const cross = await raw(s.url, 'GET', '/_mktows/health', { ...auth, Origin: 'http://evil.example' });
      assert.equal(cross.status, 403);
    } finally {
      await s.close();
    }
  });
});

describe('admin API: seed files', () => {
  let dir: string;
  let seeds: string;
  const secret = 'top-secret-line-of-a-private-file';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-seeds-'));
    seeds = join(dir, 'seeds');
    mkdirSync(join(seeds, 'sub'), { recursive: true });
    writeFileSync(join(seeds, 'one.json'), JSON.stringify({ leads: [{ Email: 'one@seed.example' }] }));
    writeFileSync(join(seeds, 'sub', 'two.json'), JSON.stringify({ leads: [{ Email: 'two@seed.example' }] }));
    writeFileSync(join(seeds, 'broken.json'), `${secret}\n`);
    writeFileSync(join(dir, 'outside.json'), JSON.stringify({ leads: [{ Email: 'outside@seed.example' }] }));
    writeFileSync(join(dir, 'private.txt'), `${secret}\n`);
    symlinkSync(join(dir, 'outside.json'), join(seeds, 'link.json'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('without --seed-dir, a file name is refused for reset and seed, and nothing is read', async () => {
    const s = await startTestServer({ seed: 'none' });
    try {
      for (const [path, body] of [
        ['/_mktows/reset', { seed: '/etc/passwd' }],
        ['/_mktows/reset', { seed: join(dir, 'private.txt') }],
        ['/_mktows/seed', '/etc/passwd'],
        ['/_mktows/seed', join(dir, 'outside.json')],
      ] as const) {
        const r = await s.admin('POST', path, body);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.match(r.body.error, /--seed-dir DIR/);
        assert.ok(!r.body.error.includes('root:') && !r.body.error.includes(secret));
      }
      // Documents and the built-in names still work.
      assert.equal((await s.admin('POST', '/_mktows/seed', { leads: [{ Email: 'doc@seed.example' }] })).status, 200);
      assert.equal((await s.admin('POST', '/_mktows/reset', { seed: 'none' })).status, 200);
    } finally {
      await s.close();
    }
  });

  test('a --seed-dir that is not a directory stops the start with a message', async () => {
    await assert.rejects(
      startTestServer({ seedDir: join(dir, 'no-such-dir') }),
      /--seed-dir .*no-such-dir cannot be used: ENOENT/,
    );
    await assert.rejects(
      startTestServer({ seedDir: join(dir, 'private.txt') }),
      /--seed-dir .*private\.txt is not a directory/,
    );
  });

  test('with --seed-dir, files in it load; outside it, missing, or unreadable, all get the same message', async () => {
    const s = await startTestServer({ seed: 'none', seedDir: seeds });
    try {
      const one = await s.admin('POST', '/_mktows/reset', { seed: 'one.json' });
      assert.equal(one.status, 200, JSON.stringify(one.body));
      assert.deepEqual(one.body.seed.leads, { created: 1, updated: 0 });
      const two = await s.admin('POST', '/_mktows/seed', 'sub/two.json');
      assert.equal(two.status, 200, JSON.stringify(two.body));
      assert.deepEqual(two.body.leads, { created: 1, updated: 0 });
      assert.equal((await s.admin('POST', '/_mktows/seed', join(seeds, 'one.json'))).status, 200);

      const refusals = new Set<string>();
      for (const name of [
        'missing.json',
        '../outside.json',
        '../private.txt',
        'sub/../../private.txt',
        join(dir, 'private.txt'),
        '/etc/passwd',
        '/etc/shadow',
        'link.json',
        'sub',
        '.',
      ]) {
        for (const [path, body] of [
          ['/_mktows/reset', { seed: name }],
          ['/_mktows/seed', name],
        ] as const) {
          const r = await s.admin('POST', path, body);
          assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
          assert.ok(!r.body.error.includes(secret) && !r.body.error.includes('root:'), r.body.error);
          refusals.add(r.body.error.replace(JSON.stringify(name), 'NAME'));
        }
      }
      assert.deepEqual([...refusals], ['seed file NAME: no readable seed file of that name in --seed-dir']);
      // A file in the directory that is not JSON: said so, without quoting it.
      const broken = await s.admin('POST', '/_mktows/seed', 'broken.json');
      assert.equal(broken.status, 400);
      assert.equal(broken.body.error, 'seed file broken.json is not valid JSON');
      // Nothing was loaded from outside.
      assert.equal(await s.runtime.store.countLeads(), 2);
    } finally {
      await s.close();
    }
  });
});

describe('admin API: body size', () => {
  test('an admin body over --max-body answers 413 with a JSON message', async () => {
    const s = await startTestServer({ seed: 'none', maxBodyBytes: 1024 });
    try {
      const big = JSON.stringify({ userId: 'big_user', encryptionKey: 'x'.repeat(4096) });
      const r = await raw(s.url, 'POST', '/_mktows/users', JSON_HEADERS, big);
      assert.equal(r.status, 413, r.text);
      assert.equal(r.json().error, 'the body exceeds the limit of 1024 bytes (--max-body)');
      assert.ok(!hasUser(s, 'big_user'));
    } finally {
      await s.close();
    }
  });
});

describe('base URL of WSDLs and GET /', () => {
  test('--public-url is written into every WSDL and GET /, path prefix kept', async () => {
    const s = await startTestServer({ seed: 'none', publicUrl: 'https://mkto.example.com/api/' });
    try {
      const wsdl = await raw(s.url, 'GET', '/soap/mktows/3_1?WSDL', { 'X-Forwarded-Host': 'other.example' });
      assert.match(wsdl.text, /<soap:address location="https:\/\/mkto\.example\.com\/api\/soap\/mktows\/3_1"\/>/);
      const old = await raw(s.url, 'GET', '/soap/mktows/2_2?wsdl');
      assert.match(old.text, /location="https:\/\/mkto\.example\.com\/api\/soap\/mktows\/2_2"/);
      const home = await raw(s.url, 'GET', '/');
      assert.match(home.text, /SOAP endpoint: https:\/\/mkto\.example\.com\/api\/soap\/mktows\/3_1\n/);
      assert.match(home.text, /WSDL: https:\/\/mkto\.example\.com\/api\/soap\/mktows\/3_1\?WSDL\n/);
    } finally {
      await s.close();
    }
  });

  test('without it, Host, X-Forwarded-Proto and the first X-Forwarded-Host give the base', async () => {
    const s = await startTestServer({ seed: 'none' });
    try {
      const plain = await raw(s.url, 'GET', '/soap/mktows/3_1?WSDL', { Host: 'mkto.local:9000' });
      assert.match(plain.text, /location="http:\/\/mkto\.local:9000\/soap\/mktows\/3_1"/);
      const proxied = await raw(s.url, 'GET', '/soap/mktows/3_1?WSDL', {
        'X-Forwarded-Proto': 'https, http',
        'X-Forwarded-Host': 'edge.example.com, inner.example',
      });
      assert.match(proxied.text, /location="https:\/\/edge\.example\.com\/soap\/mktows\/3_1"/);
      const home = await raw(s.url, 'GET', '/', { 'X-Forwarded-Host': 'edge.example.com' });
      assert.match(home.text, /SOAP endpoint: http:\/\/edge\.example\.com\/soap\/mktows\/3_1\n/);
      // A forwarded host that would break out of the URL is ignored.
      const bad = await raw(s.url, 'GET', '/soap/mktows/3_1?WSDL', { 'X-Forwarded-Host': 'a"/><x' });
      assert.match(bad.text, /location="http:\/\/127\.0\.0\.1:\d+\/soap\/mktows\/3_1"/);
    } finally {
      await s.close();
    }
  });
});
