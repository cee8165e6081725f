/**
 * An independent Marketo REST client from npm (node-marketo-rest 0.7.8, used unchanged) against the
 * server: its token handling, its request shapes (GET with query, POST form with `_method=GET`,
 * JSON bodies) and its reading of our envelopes. Endpoints that land with another group are
 * skipped, with the reason, while the route registry lacks them, so they run once it has them.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { REST_ROUTER } from '../src/rest/registry.js';
import type { TestServer } from './support/harness.js';
import { type Json, REST_CLIENT, REST_SECRET, startRestTestServer } from './support/rest.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the package ships no types.
const Marketo = require('node-marketo-rest') as new (options: Record<string, unknown>) => any;

/** undefined when the route is served; else the reason to skip. */
function missing(method: 'GET' | 'POST' | 'DELETE', path: string, group: string): string | undefined {
  return REST_ROUTER.match(method, path)?.route ? undefined : `endpoint lands with ${group}`;
}

describe('node-marketo-rest 0.7.8, unchanged', () => {
  let s: TestServer;
  // biome-ignore lint/suspicious/noExplicitAny: see above.
  let m: any;
  let adaId: number;

  before(async () => {
    s = await startRestTestServer({ seed: 'demo' });
    m = new Marketo({
      endpoint: `${s.url}/rest`,
      identity: `${s.url}/identity`,
      clientId: REST_CLIENT,
      clientSecret: REST_SECRET,
    });
    const found = await m.lead.find('email', ['ada@demo.example']);
    adaId = found.result[0].id;
  });
  after(() => s.close());

  it('lead.find by email: the envelope and the lead as the package reads them', async () => {
    const r: Json = await m.lead.find('email', ['ada@demo.example'], {
      fields: ['id', 'email', 'firstName', 'lastName'],
    });
    assert.equal(r.success, true);
    assert.match(r.requestId, /^[0-9a-f]{1,5}#[0-9a-f]+$/);
    assert.equal(r.result.length, 1);
    assert.deepEqual(Object.keys(r.result[0]).sort(), ['email', 'firstName', 'id', 'lastName']);
    assert.equal(r.result[0].email, 'ada@demo.example');
  });

  it('lead.byId, and its error path (1006 rejected as an HttpError with the envelope)', async () => {
    const r: Json = await m.lead.byId(adaId, { fields: ['id', 'email'] });
    assert.deepEqual(r.result, [{ id: adaId, email: 'ada@demo.example' }]);
    const e: Json = await m.lead.byId(adaId, { fields: ['noSuchField'] }).catch((err: unknown) => err);
    assert.equal(e.code, 200);
    assert.equal(e.name, 'HttpError');
    assert.equal(e.message, "Field 'noSuchField' not found");
    assert.deepEqual(e.errors, [{ code: '1006', message: "Field 'noSuchField' not found" }]);
  });

  it("one token for the package's calls", async () => {
    const journal = (await s.admin('GET', '/_mktows/journal?limit=1000')).body.entries as Json[];
    assert.equal(journal.filter((e) => e.operation === 'identityUsingGET').length, 1);
  });

  it('paging: the package follows nextPageToken through data.nextPage()', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => i + 1);
    const all: Json = await m.lead.find('id', ids, { fields: ['id'] });
    assert.ok(all.result.length >= 3, `demo seed has ${all.result.length} leads`);
    const seen: number[] = [];
    let page: Json = await m.lead.find('id', ids, { fields: ['id'], batchSize: 2 });
    for (;;) {
      seen.push(...page.result.map((l: Json) => l.id));
      if (!page.nextPage) break;
      page = await page.nextPage();
    }
    assert.deepEqual(
      seen,
      all.result.map((l: Json) => l.id),
    );
  });

  it('602 on the server clock: the package gets a new token and the call succeeds', async () => {
    const before = (await s.admin('GET', '/_mktows/journal?limit=1000')).body.entries as Json[];
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 2 * 3600 });
    try {
      const r: Json = await m.lead.byId(adaId, { fields: ['id'] });
      assert.deepEqual(r.result, [{ id: adaId }]);
      const entries = ((await s.admin('GET', '/_mktows/journal?limit=1000')).body.entries as Json[]).slice(
        0,
        -before.length,
      );
      // Newest first: the retried call, the new token, the 602.
      assert.deepEqual(
        entries.map((e: Json) => `${e.operation}:${e.faultCode ?? 'ok'}`),
        ['getLeadByIdUsingGET:ok', 'identityUsingGET:ok', 'getLeadByIdUsingGET:602'],
      );
    } finally {
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    }
  });

  it('lead.createOrUpdate', { skip: missing('POST', '/rest/v1/leads.json', 'lead writes') }, async () => {
    const r: Json = await m.lead.createOrUpdate([{ email: 'third-party@example.com', firstName: 'Third' }], {
      lookupField: 'email',
    });
    assert.equal(r.success, true);
    assert.equal(r.result[0].status, 'created');
    const back: Json = await m.lead.find('email', ['third-party@example.com'], { fields: ['id', 'firstName'] });
    assert.deepEqual(back.result, [{ id: r.result[0].id, firstName: 'Third' }]);
  });

  it('list.find (POST form with _method=GET)', {
    skip: missing('GET', '/rest/v1/lists.json', 'lists and activities'),
  }, async () => {
    const r: Json = await m.list.find({ batchSize: 10 });
    assert.equal(r.success, true);
    assert.ok(Array.isArray(r.result));
    for (const l of r.result) assert.equal(typeof l.id, 'number');
  });

  it('activities.getActivityTypes', {
    skip: missing('GET', '/rest/v1/activities/types.json', 'lists and activities'),
  }, async () => {
    const r: Json = await m.activities.getActivityTypes();
    assert.equal(r.success, true);
    assert.ok(r.result.some((t: Json) => t.id === 1 && typeof t.name === 'string'));
  });

  it('campaign.getCampaigns', { skip: missing('GET', '/rest/v1/campaigns.json', 'campaigns and assets') }, async () => {
    const r: Json = await m.campaign.getCampaigns({ batchSize: 10 });
    assert.equal(r.success, true);
    assert.ok(Array.isArray(r.result));
  });
});
