/**
 * Golden comparisons with real Marketo REST traffic (../shared/reference/rest/recorded): the same
 * field names, nesting and JSON types in identity, lead reads and describe.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/harness.js';
import { ok, syncLeadBody } from './support/leads.js';
import { SHARED_DIR, SKIP_WITHOUT_SHARED } from './support/recorded.js';
import { accessToken, type Json, REST_CLIENT, REST_SECRET, restCall, restOk, tokenCall } from './support/rest.js';

const RECORDED = SHARED_DIR ? join(SHARED_DIR, 'reference', 'rest', 'recorded') : '';
const MADKUDU = 'MadKudu-node-marketo/fixtures/123-abc-456.mktorest.com-443';
const TALEND =
  'Talend-connectors-se/talend/testing/http/org.talend.components.marketo.input.LeadSourceTest_testSource.json';

/** The JSON body of a MadKudu fixture (an HTTP exchange: request, headers, blank line, body). */
function madkuduBody(name: string): Json {
  const text = readFileSync(join(RECORDED, MADKUDU, name), 'utf8').trimEnd();
  return JSON.parse(text.slice(text.lastIndexOf('\n\n') + 2));
}

/** A value's shape: the JSON type of each leaf, keys kept, arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v === null ? 'null' : typeof v;
}

function sortedKeys(o: object): string[] {
  return Object.keys(o).sort();
}

describe('REST responses have the shape of recorded Marketo responses', { skip: SKIP_WITHOUT_SHARED }, () => {
  let s: TestServer;
  let token: string;
  let ids: number[];

  before(async () => {
    s = await startTestServer({ seed: 'none', restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }] });
    ids = [];
    for (const [email, first, last] of [
      ['ak+marketo1@example.com', 'AK1', 'test'],
      ['ak+marketo2@example.com', 'ak2', undefined],
    ] as const) {
      const r = await s.soap(
        syncLeadBody({ Email: email, attrs: { FirstName: first, ...(last ? { LastName: last } : {}) } }),
      );
      ok(r);
      ids.push(Number(/<LeadId>(\d+)<\/LeadId>/i.exec(r.text)?.[1]));
    }
    token = await accessToken(s);
  });
  after(() => s.close());

  test('identity: get-oauth-creds', async () => {
    const recorded = madkuduBody('get-oauth-creds');
    const ours = (await tokenCall(s)).body;
    assert.deepEqual(Object.keys(ours), Object.keys(recorded));
    assert.deepEqual(shape(ours), shape(recorded));
    assert.equal(ours.token_type, recorded.token_type);
  });

  test('lead by id: lead-by-id-1 (default fields, envelope keys, types)', async () => {
    const recorded = madkuduBody('lead-by-id-1');
    const ours = (await restCall(s, `/rest/v1/lead/${ids[0]}.json`, { token })).body;
    assert.deepEqual(sortedKeys(ours), sortedKeys(recorded));
    assert.deepEqual(sortedKeys(ours.result[0]), sortedKeys(recorded.result[0]));
    assert.deepEqual(shape(ours.result[0]), shape(recorded.result[0]));
    assert.match(ours.requestId, /^[0-9a-f]+#[0-9a-f]+$/);
    assert.match(recorded.requestId, /^[0-9a-f]+#[0-9a-f]+$/);
  });

  test('leads by ids: find-by-multiple-ids (a missing last name is null, as recorded)', async () => {
    const recorded = madkuduBody('find-by-multiple-ids');
    const ours = (await restCall(s, `/rest/v1/leads.json?filterType=id&filterValues=${ids.join(',')}`, { token })).body;
    assert.deepEqual(sortedKeys(ours), sortedKeys(recorded));
    assert.equal(ours.result.length, recorded.result.length);
    for (let i = 0; i < ours.result.length; i++) assert.deepEqual(shape(ours.result[i]), shape(recorded.result[i]));
    assert.equal(ours.result[1].lastName, null);
  });

  test('describe: every field both captures share is the same entry but for its id', async () => {
    const exchanges = JSON.parse(readFileSync(join(RECORDED, TALEND), 'utf8')) as Json[];
    const exchange = exchanges.find((x) => String(x.request.uri).includes('/rest/v1/leads/describe.json'));
    const recorded = JSON.parse(exchange.response.payload);
    const ours = restOk(await restCall(s, '/rest/v1/leads/describe.json', { token }));
    assert.deepEqual(sortedKeys({ ...recorded, result: 0 }), ['requestId', 'result', 'success']);
    const byRest = new Map(ours.map((f: Json) => [f.rest.name, f]));
    let compared = 0;
    for (const r of recorded.result) {
      const f = byRest.get(r.rest.name) as Json;
      if (!f || r.rest.name.startsWith('custom') || r.rest.name === 'deliveryCount') continue;
      const { id: _a, ...a } = f;
      const { id: _b, ...b } = r;
      assert.deepEqual(a, b, r.rest.name);
      compared++;
    }
    // The 89 SOAP-named fields and the two REST-only timestamps this server keeps.
    assert.equal(compared, 91);
  });
});
