/**
 * The bridge's operator tools (issue #13 item 6): `mktows bridge check` as a real process against an
 * emulator; the journal's REST calls per SOAP call on the local and the shared (PostgreSQL) journal;
 * upstream metrics by result; the admin API on a bridge (reset clears caches and token, seeds are
 * refused); mktows's own REST API refused on a bridge; and the client secret and access tokens
 * appear in no output, log, journal or metric of a bridge process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BRIDGE_OPERATIONS } from '../src/bridge/operations/index.js';
import { BRIDGE_REST_REFUSAL } from '../src/http/server.js';
import { type BridgePair, bridgeStoreUrl, startBridgePair } from './support/bridge.js';
import { authHeader, envelope, getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { runMktows, startReplica } from './support/replicas.js';
import { REST_CLIENT, REST_SECRET, tokenCall } from './support/rest.js';
import { createTestDatabase, postgresWanted } from './support/test-database.js';

const ADA = getLeadBody('EMAIL', 'ada@demo.example');

const mktows = runMktows;

describe('mktows bridge check', () => {
  let emulator: TestServer;
  before(async () => {
    emulator = await startTestServer({
      seed: 'demo',
      restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
    });
  });
  after(() => emulator?.close());

  test('good credentials: exit 0, the operations the bridge serves and the lead fields by SOAP and REST name', async () => {
    const r = await mktows(['bridge', 'check', '--store', bridgeStoreUrl(emulator)]);
    assert.equal(r.code, 0, r.err);
    const host = new URL(emulator.url).host;
    const lines = r.out.split('\n');
    assert.equal(lines[0], `Marketo instance  marketo+http://${REST_CLIENT}:***@${host}`);
    assert.match(lines[1], /^Credentials {7}accepted: client test-rest-client got a REST token \(\d+ ms\)$/);
    assert.match(lines[2], /^Lead fields {7}\d+ from describe, \d+ with a SOAP name$/);
    const served = Object.keys(BRIDGE_OPERATIONS).length;
    assert.equal(lines[3], `Operations        ${served} of 23 served by this bridge`);
    assert.equal((r.out.match(/^ {2}\w+ +available$/gm) ?? []).length, served);
    assert.match(r.out, /^ {2}getLead +available$/m);
    assert.match(r.out, /^ {2}listMObjects +available$/m);
    // Each operation without a bridge handler says so (none once all 23 are served).
    assert.equal((r.out.match(/^ {2}\w+ +not served by this bridge \(answers 20019\)$/gm) ?? []).length, 23 - served);
    assert.equal(lines.filter((l) => / (available|not served by this bridge)/.test(l)).length, 23);
    // Pairs of names from describe, not from a case rule.
    assert.match(r.out, /^ {2}Email +email +email$/m);
    assert.match(r.out, /^ {2}DateofBirth +dateOfBirth +date$/m);
    assert.match(r.out, /^ {2}– +createdAt +datetime/m);
    assert.doesNotMatch(r.out + r.err, new RegExp(REST_SECRET));
  });

  test('the store from MKTOWS_STORE, as for serve', async () => {
    const r = await mktows(['bridge', 'check'], { MKTOWS_STORE: bridgeStoreUrl(emulator) });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Credentials {7}accepted/m);
  });

  test('a wrong secret: exit 1 with the reason, the secret never printed', async () => {
    const r = await mktows(['bridge', 'check', '--store', bridgeStoreUrl(emulator, REST_CLIENT, 'not-the-secret-99')]);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      `mktows: bridge check failed: 20014 - Authentication failed: The Marketo instance refused the bridge's REST client ${REST_CLIENT} (HTTP 401: Bad client credentials); check the client id and secret in --store\n`,
    );
    assert.doesNotMatch(r.out + r.err, /not-the-secret-99/);
  });

  test('unreachable: exit 1 naming the instance; no store or not a bridge store: usage, exit 2', async () => {
    const down = await startTestServer({ seed: 'none' });
    const url = bridgeStoreUrl(down);
    await down.close();
    const r = await mktows(['bridge', 'check', '--store', url]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^mktows: bridge check failed: 10001 - Internal Error: The Marketo instance at http:\/\/127\.0\.0\.1:\d+ cannot be reached: ECONNREFUSED\n$/,
    );
    const none = await mktows(['bridge', 'check']);
    assert.equal(none.code, 2);
    assert.match(none.err, /bridge check needs the instance: --store marketo\+https:\/\/CLIENT_ID:CLIENT_SECRET@HOST/);
    assert.equal((await mktows(['bridge', 'check', '--store', 'sqlite::memory:'])).code, 2);
    const other = await mktows(['bridge', 'go']);
    assert.equal(other.code, 2);
    assert.equal(other.err, 'mktows: unknown bridge command "go"; the one command is: mktows bridge check\n');
    assert.match((await mktows(['help', 'bridge'])).out, /^Usage: mktows bridge check --store marketo\+https:/);
  });
});

const stateStores: [string, () => Promise<{ url: string; drop(): Promise<void> }>][] = [
  ['sqlite', async () => ({ url: 'sqlite::memory:', drop: async () => {} })],
];
if (postgresWanted()) stateStores.push(['postgres', createTestDatabase]);

for (const [name, make] of stateStores) {
  describe(`bridge journal on ${name} state`, () => {
    let p: BridgePair;
    let drop: () => Promise<void>;
    before(async () => {
      const db = await make();
      drop = db.drop;
      p = await startBridgePair({ bridge: { bridgeState: db.url } });
    });
    after(async () => {
      await p?.close();
      await drop?.();
    });

    test('GET /_mktows/journal shows each SOAP call with the REST calls it made', async () => {
      assert.equal((await p.bridge.soap(ADA)).status, 200);
      const r = await p.bridge.admin('GET', '/_mktows/journal?limit=1');
      assert.equal(r.status, 200);
      const [entry] = r.body.entries;
      assert.equal(entry.operation, 'getLead');
      assert.deepEqual(
        entry.upstream.map((u: { method: string; path: string; status: number; code: string | null }) => [
          u.method,
          u.path,
          u.status,
          u.code,
        ]),
        [
          ['POST', '/identity/oauth/token', 200, null],
          ['GET', '/rest/v1/leads/describe.json', 200, null],
          ['GET', '/rest/v1/leads.json', 200, null],
        ],
      );
      for (const u of entry.upstream) assert.equal(typeof u.ms, 'number');
    });
  });
}

describe('bridge admin API, metrics and REST API', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  test('metrics count upstream calls by result: ok, and a REST error code', async () => {
    assert.equal((await p.bridge.soap(ADA)).status, 200);
    await p.emulator.admin('POST', '/_mktows/faults', { operation: 'getLeadsByFilterUsingGET', code: 713, count: 1 });
    assert.equal((await p.bridge.soap(ADA)).status, 200);
    const metrics = await (await fetch(`${p.bridge.url}/metrics`)).text();
    const line = (path: string, result: string) =>
      new RegExp(
        `^mktows_upstream_calls_total\\{method="(GET|POST)",path="${path.replace(/\./g, '\\.')}",result="${result}"\\} (\\d+)$`,
        'm',
      ).exec(metrics)?.[2];
    assert.equal(line('/rest/v1/leads.json', 'ok'), '2');
    assert.equal(line('/rest/v1/leads.json', '713'), '1');
    assert.equal(line('/rest/v1/leads/describe.json', 'ok'), '1');
    assert.equal(line('/identity/oauth/token', 'ok'), '1');
  });

  test('reset clears the caches and the token: describe and a token are fetched again', async () => {
    assert.equal((await p.bridge.soap(ADA)).status, 200);
    assert.deepEqual(
      (await p.lastUpstream()).map((u) => u.path),
      ['/rest/v1/leads.json'],
    );
    const r = await p.bridge.admin('POST', '/_mktows/reset');
    assert.deepEqual(r, { status: 200, body: { reset: true, seed: null } });
    assert.equal((await p.bridge.soap(ADA)).status, 200);
    assert.deepEqual(
      (await p.lastUpstream()).map((u) => u.path),
      ['/identity/oauth/token', '/rest/v1/leads/describe.json', '/rest/v1/leads.json'],
    );
  });

  test('a seed is refused with 409: the leads are the instance’s', async () => {
    for (const [path, body] of [
      ['/_mktows/seed', { leads: [{ Email: 'x@example.com' }] }],
      ['/_mktows/reset', { seed: 'demo' }],
    ] as const) {
      const r = await p.bridge.admin('POST', path, body);
      assert.equal(r.status, 409, path);
      assert.match(
        r.body.error,
        /^this server is a bridge \(--store marketo\+…\): its leads are the Marketo instance's, so it takes no seed/,
      );
    }
  });

  test("mktows's REST API on a bridge: 404 with Marketo's envelope, 610, saying the bridge serves SOAP only", async () => {
    for (const [method, path] of [
      ['GET', '/rest/v1/leads.json?filterType=email&filterValues=ada@demo.example'],
      ['POST', '/identity/oauth/token'],
      ['GET', '/bulk/v1/leads/batch/1.json'],
    ]) {
      const r = await fetch(`${p.bridge.url}${path}`, { method });
      assert.equal(r.status, 404, path);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      const body = await r.json();
      assert.deepEqual(body, BRIDGE_REST_REFUSAL);
      assert.deepEqual(
        body.errors.map((e: { code: string }) => e.code),
        ['610'],
      );
      assert.match(
        body.errors[0].message,
        /^This mktows is a bridge \(--store marketo\+…\): it serves the SOAP API only;/,
      );
    }
  });
});

describe('bridge secrets', () => {
  test('the client secret and the access token are in no output, log, journal or metric of a bridge process', async () => {
    const secret = 'very-secret-client-secret-42';
    const emulator = await startTestServer({
      seed: 'demo',
      restClients: [{ clientId: REST_CLIENT, clientSecret: secret }],
    });
    const user = { userId: 'bridge_user', key: 'bridge-user-key-0123456789' };
    const bridge = await startReplica([
      '--store',
      bridgeStoreUrl(emulator, REST_CLIENT, secret),
      '--bridge-state',
      'sqlite::memory:',
      '--user',
      `${user.userId}:${user.key}`,
      '--log-level',
      'debug',
    ]);
    try {
      for (const body of [ADA, getLeadBody('EMAIL', 'nobody@nowhere.example')]) {
        await fetch(`${bridge.base}/soap/mktows/3_1`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
          body: envelope(body, authHeader(user)),
        });
      }
      // The emulator hands out the live token again: the one the bridge holds.
      const token = (await tokenCall(emulator, REST_CLIENT, secret)).body.access_token as string;
      assert.match(token, /:mk$/);
      const journal = await (await fetch(`${bridge.base}/_mktows/journal`)).text();
      assert.equal(JSON.parse(journal).entries.length, 2);
      const metrics = await (await fetch(`${bridge.base}/metrics`)).text();
      bridge.child.kill('SIGTERM');
      await bridge.exited;
      const output = bridge.output();
      assert.match(output, /^ {2}Store {10}marketo\+http:\/\/test-rest-client:\*\*\*@127\.0\.0\.1:\d+ \(bridge: /m);
      assert.match(output, /^ {2}REST API {7}not served: a bridge serves SOAP only/m);
      for (const [where, text] of [
        ['output and logs', output],
        ['journal', journal],
        ['metrics', metrics],
      ]) {
        assert.ok(!text.includes(secret), `the secret is in the ${where}`);
        assert.ok(!text.includes(token), `the token is in the ${where}`);
        assert.ok(!text.includes(token.split(':')[0]), `the token is in the ${where}`);
      }
    } finally {
      bridge.child.kill('SIGKILL');
      await emulator.close();
    }
  });
});
