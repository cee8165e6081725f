/**
 * REST limits (per instance), fault rules on REST operations, reset, metrics and backend failures.
 * Runs on SQLite and PostgreSQL, with memory or Redis limits (MKTOWS_TEST_LIMITS=redis).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REFRESH_MS } from '../src/state/stored-state.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { faultCode, ok, syncLeadBody } from './support/leads.js';
import {
  accessToken,
  assertRestError,
  REST_CLIENT,
  REST_SECRET,
  restCall,
  restOk,
  SECOND_CLIENT,
  SECOND_SECRET,
  startRestTestServer,
  tokenCall,
} from './support/rest.js';
import { corrupt } from './support/sqlite-files.js';
import { postgresWanted } from './support/test-database.js';

const DESCRIBE = '/rest/v1/leads/describe.json';

async function restLimits(s: TestServer) {
  const r = await s.admin('GET', '/_mktows/limits?api=rest');
  assert.equal(r.status, 200);
  return r.body;
}

describe('REST limits are per instance', () => {
  let s: TestServer;
  before(async () => {
    s = await startRestTestServer({ restRatePerWindow: 3, restQuotaPerDay: 5 });
  });
  after(() => s.close());

  test('606 after 3 calls in the window from two clients together; 607 at the quota; rejected calls not counted', async () => {
    const a = await accessToken(s);
    const b = await accessToken(s, SECOND_CLIENT, SECOND_SECRET);
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: a }));
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: b }));
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: a }));
    assertRestError(
      await restCall(s, '/rest/v1/leads/describe.json', { token: b }),
      606,
      "Max rate limit '3' exceeded with in '20' secs",
    );
    const snap = await restLimits(s);
    assert.equal(snap.quotaUsed, 3);
    assert.equal(snap.windowCalls, 3);
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 21 });
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: a }));
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: a }));
    assertRestError(await restCall(s, '/rest/v1/leads/describe.json', { token: a }), 607, 'Daily quota reached');
    const full = await restLimits(s);
    assert.equal(full.quotaUsed, 5);
    // The quota day ends at 00:00 in --quota-timezone: a second past it, calls pass again.
    const offset = (Date.parse(full.quotaResetsAt) - Date.now()) / 1000 + 1;
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: offset });
    // The token may have expired meanwhile; the identity endpoint counts against nothing.
    restOk(await restCall(s, '/rest/v1/leads/describe.json', { token: await accessToken(s) }));
    assert.equal((await restLimits(s)).quotaUsed, 1);
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
  });
});

describe('REST concurrency, fault rules and reset', () => {
  let s: TestServer;
  before(async () => {
    s = await startRestTestServer({ restConcurrency: 2 });
  });
  after(() => s.close());

  test('615 when 2 calls of any clients are in flight; a delayed call holds its lease; 615 is not counted', async () => {
    const a = await accessToken(s);
    const b = await accessToken(s, SECOND_CLIENT, SECOND_SECRET);
    const rule = await s.admin('POST', '/_mktows/faults', { operation: 'describeUsingGET_2', delayMs: 400, count: 2 });
    assert.equal(rule.status, 200);
    const slow = [restCall(s, DESCRIBE, { token: a }), restCall(s, DESCRIBE, { token: b })];
    // Both slow calls are admitted and holding their leases before the third arrives.
    for (let i = 0; i < 50 && (await restLimits(s)).inFlight < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await restLimits(s)).inFlight, 2);
    assertRestError(await restCall(s, '/rest/v1/lead/1.json', { token: a }), 615, 'Concurrent access limit reached');
    for (const r of await Promise.all(slow)) restOk(r);
    const after = await restLimits(s);
    assert.equal(after.inFlight, 0);
    assert.equal(after.quotaUsed, 2);
    assert.equal(after.windowCalls, 2);
    assert.equal(after.concurrency, 2);
    assert.equal(after.quotaPerDay, 50_000);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    assert.ok(metrics.includes('mktows_limiter_rejections_total{code="615"} 1'), metrics);
    assert.ok(metrics.includes('mktows_calls_total{api="rest",operation="describeUsingGET_2",code="ok"} 2'), metrics);
    assert.ok(metrics.includes('mktows_calls_total{api="rest",operation="getLeadByIdUsingGET",code="615"} 1'), metrics);
  });

  test('a rule is for one API: REST codes with REST operations, SOAP codes with SOAP ones; "*" keeps to its API', async () => {
    const refusals: [unknown, string][] = [
      [
        { operation: 'getLeadByIdUsingGET', code: 20103 },
        'code 20103 is a SOAP fault code; it needs a SOAP operation or "*", not the REST operation getLeadByIdUsingGET',
      ],
      [
        { operation: 'getLead', code: 1003 },
        'code 1003 is a REST error code; it needs a REST operationId or "*", not the SOAP operation getLead',
      ],
      [{ operation: 'getLead', code: 999 }, 'code 999 is not in the error catalogue'],
      [
        { operation: 'getLeadsUsingGET', code: 611 },
        'operation must be "*", one of the 23 SOAP operation names or a REST operationId; got "getLeadsUsingGET"',
      ],
    ];
    for (const [body, error] of refusals) {
      const r = await s.admin('POST', '/_mktows/faults', body);
      assert.deepEqual([r.status, r.body], [400, { error }]);
    }
    const token = await accessToken(s);
    ok(await s.soap(syncLeadBody({ Email: 'rules@example.com' })));
    await s.admin('POST', '/_mktows/faults', { operation: '*', code: 604, count: 1 });
    // A SOAP call is not matched by a REST rule; the next REST call takes it.
    ok(await s.soap(getLeadBody('EMAIL', 'rules@example.com')));
    assertRestError(await restCall(s, DESCRIBE, { token }), 604, 'Request time-out');
    restOk(await restCall(s, DESCRIBE, { token }));
    await s.admin('POST', '/_mktows/faults', { operation: '*', code: 20011, count: 1 });
    restOk(await restCall(s, DESCRIBE, { token }));
    faultCode(await s.soap(getLeadBody('EMAIL', 'rules@example.com')), 20011);
    const rules = await s.admin('GET', '/_mktows/faults');
    assert.deepEqual(rules.body.rules, []);
  });

  test('the journal masks the access token and keeps the REST request and response', async () => {
    const token = await accessToken(s);
    restOk(await restCall(s, `/rest/v1/leads.json?filterType=id&filterValues=1&access_token=${token}`));
    const [e] = (await s.admin('GET', '/_mktows/journal?limit=1')).body.entries;
    assert.equal(e.api, 'rest');
    assert.equal(e.operation, 'getLeadsByFilterUsingGET');
    assert.equal(e.request, 'GET /rest/v1/leads.json?filterType=id&filterValues=1&access_token=***');
    assert.equal(e.faultCode, null);
    assert.equal(e.status, 200);
    assert.equal(JSON.parse(e.response).success, true);
    const [id] = (await s.admin('GET', '/_mktows/journal?limit=1&operation=identityUsingGET')).body.entries;
    assert.equal(id.api, 'rest');
    assert.equal(id.userId, REST_CLIENT);
    assert.equal(
      id.request,
      `GET /identity/oauth/token?grant_type=client_credentials&client_id=${REST_CLIENT}&client_secret=***`,
    );
    // The token is a credential: the journal keeps the answer without it.
    assert.deepEqual(JSON.parse(id.response), {
      access_token: '***',
      token_type: 'bearer',
      expires_in: JSON.parse(id.response).expires_in,
      scope: `${REST_CLIENT}@mktows.local`,
    });
    assert.ok(!id.response.includes(token));
  });

  test('reset removes admin-added REST clients and every token; configured clients stay', async () => {
    assert.equal(
      (await s.admin('POST', '/_mktows/rest-clients', { clientId: 'temp', clientSecret: 'temp-secret' })).status,
      200,
    );
    const before = await accessToken(s);
    assert.equal((await tokenCall(s, 'temp', 'temp-secret')).status, 200);
    assert.equal((await s.admin('POST', '/_mktows/reset', {})).status, 200);
    assert.equal((await tokenCall(s, 'temp', 'temp-secret')).status, 401);
    assertRestError(await restCall(s, DESCRIBE, { token: before }), 601);
    const after = await accessToken(s);
    assert.notEqual(after, before);
    restOk(await restCall(s, DESCRIBE, { token: after }));
    assert.deepEqual((await s.admin('GET', '/_mktows/rest-clients')).body.clients, [
      { clientId: SECOND_CLIENT, source: 'config' },
      { clientId: REST_CLIENT, source: 'config' },
    ]);
    const bad = await s.admin('POST', '/_mktows/rest-clients', { clientId: 'a b', clientSecret: 'long-enough' });
    assert.deepEqual(bad.body, { error: 'clientId must be a non-empty string without spaces or colons' });
    const bad2 = await s.admin('POST', '/_mktows/users', {
      userId: '\u0000rest-instance',
      encryptionKey: 'k'.repeat(12),
    });
    assert.equal(bad2.status, 400);
  });
});

describe('REST tokens and clients are shared by replicas of one store', () => {
  let dir: string | undefined;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    // In-memory SQLite cannot be shared: two servers share a file (or one PostgreSQL database).
    dir = postgresWanted() ? undefined : mkdtempSync(join(tmpdir(), 'mktows-rest-'));
    const clients = [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }];
    a = await startTestServer({
      seed: 'none',
      restClients: clients,
      ...(dir ? { store: `sqlite:${join(dir, 'db')}` } : {}),
    });
    b = await startTestServer({ seed: 'none', restClients: clients, store: a.runtime.config.store });
  });
  after(async () => {
    await b.close();
    await a.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a token issued by one replica works on the other, which hands out the same token', async () => {
    const first = await tokenCall(a);
    restOk(await restCall(b, DESCRIBE, { token: first.body.access_token }));
    const again = await tokenCall(b);
    assert.equal(again.body.access_token, first.body.access_token);
    assert.ok(again.body.expires_in <= first.body.expires_in);
  });

  test("a token removed by one replica's reset is refused by the other within the refresh bound", async () => {
    const token = await accessToken(a);
    restOk(await restCall(b, DESCRIBE, { token }));
    assert.equal((await a.admin('POST', '/_mktows/reset', {})).status, 200);
    await new Promise((r) => setTimeout(r, REFRESH_MS + 50));
    assertRestError(await restCall(b, DESCRIBE, { token }), 601);
  });

  test('a client added on one replica can take a token on the other', async () => {
    await a.admin('POST', '/_mktows/rest-clients', { clientId: 'shared', clientSecret: 'shared-secret' });
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await tokenCall(b, 'shared', 'shared-secret')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200);
  });
});

describe('REST backend failures are 611 System error', { skip: postgresWanted() ? 'SQLite file only' : false }, () => {
  let dir: string;
  let s: TestServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-rest-611-'));
    s = await startTestServer({
      store: `sqlite:${join(dir, 'db.sqlite')}`,
      seed: 'demo',
      restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
    });
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a read on a damaged store answers 611 and still counts once', async () => {
    const token = await accessToken(s);
    restOk(await restCall(s, '/rest/v1/lead/1.json', { token }));
    corrupt(join(dir, 'db.sqlite'));
    assertRestError(await restCall(s, '/rest/v1/lead/1.json', { token }), 611, 'System error');
    const limits = await restLimits(s);
    assert.equal(limits.quotaUsed, 2);
    assert.equal(limits.inFlight, 0);
  });
});
