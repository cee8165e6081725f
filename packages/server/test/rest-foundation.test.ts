import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/harness.js';
import { ok, syncLeadBody } from './support/leads.js';
import { SHARED_DIR } from './support/recorded.js';
import { accessToken, assertRestError, REST_CLIENT, REST_SECRET, restCall, restOk, tokenCall } from './support/rest.js';

const LEAD_FIELDS_MD = SHARED_DIR ? join(SHARED_DIR, 'docs', 'lead-fields.md') : undefined;

describe('REST API foundation', () => {
  let s: TestServer;
  let token: string;
  let leadId: number;

  before(async () => {
    s = await startTestServer({
      seed: 'none',
      restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
      restRatePerWindow: 1000,
    });
    const r = await s.soap(
      syncLeadBody({
        Email: 'rest.reader@example.com',
        attrs: { FirstName: 'Rita', LastName: 'Rest', LeadScore: 42, Unsubscribed: 'true', AnnualRevenue: '1500.5' },
      }),
    );
    ok(r);
    leadId = Number(/<LeadId>(\d+)<\/LeadId>/i.exec(r.text)?.[1]);
    token = await accessToken(s);
  });
  after(() => s.close());

  test('the running server names its REST base URL', () => {
    assert.equal(s.restUrl, s.url);
    assert.equal(s.soapUrl, `${s.url}/soap/mktows/3_1`);
  });

  test('identity answers GET and POST with the same token, counting down, as recorded', async () => {
    const a = await tokenCall(s);
    const b = await tokenCall(s, REST_CLIENT, REST_SECRET, 'POST');
    assert.equal(a.status, 200);
    assert.deepEqual(Object.keys(a.body), ['access_token', 'token_type', 'expires_in', 'scope']);
    assert.equal(a.body.token_type, 'bearer');
    assert.equal(b.body.access_token, a.body.access_token);
    assert.equal(a.body.access_token, token);
    assert.ok(a.body.expires_in <= 3599 && a.body.expires_in > 3500, String(a.body.expires_in));
  });

  test('bad client credentials: HTTP 401 with the identity error body', async () => {
    const r = await tokenCall(s, REST_CLIENT, 'wrong-secret');
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: 'unauthorized', error_description: 'Bad client credentials' });
  });

  test('600, 601 and 602 as Marketo words them', async () => {
    assertRestError(await restCall(s, '/rest/v1/lead/1.json'), 600, 'Access token not specified');
    assertRestError(await restCall(s, '/rest/v1/lead/1.json', { token: 'nope:mk' }), 601, 'Access token invalid');
    // 1000 s later the same token comes back with 1000 s less to live.
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 1000 });
    const later = await tokenCall(s);
    assert.equal(later.body.access_token, token);
    assert.ok(later.body.expires_in <= 2599 && later.body.expires_in > 2500, String(later.body.expires_in));
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3601 });
    try {
      assertRestError(await restCall(s, '/rest/v1/lead/1.json', { token }), 602, 'Access token expired');
      const fresh = await tokenCall(s);
      assert.notEqual(fresh.body.access_token, token);
      token = fresh.body.access_token;
    } finally {
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    }
  });

  test('bodies: invalid JSON 609, another content type 612, before the token is looked at', async () => {
    assertRestError(
      await restCall(s, '/rest/v1/leads.json?_method=GET', {
        method: 'POST',
        contentType: 'application/json',
        body: '{"filterType":',
      }),
      609,
      'Invalid JSON',
    );
    assertRestError(
      await restCall(s, '/rest/v1/leads.json?_method=GET', {
        token,
        method: 'POST',
        contentType: 'text/plain',
        body: 'x',
      }),
      612,
      'Invalid Content Type',
    );
  });

  test('unknown path 610, wrong method 605', async () => {
    assertRestError(await restCall(s, '/rest/v1/nowhere.json', { token }), 610, 'Requested resource not found');
    assertRestError(
      await restCall(s, '/rest/v1/leads/describe.json', {
        token,
        method: 'POST',
        body: '{}',
        contentType: 'application/json',
      }),
      605,
    );
  });

  test('a lead synced through SOAP reads back through REST with REST names and types', async () => {
    const fields = 'id,email,firstName,lastName,leadScore,unsubscribed,annualRevenue,doNotCall';
    const [lead] = restOk(await restCall(s, `/rest/v1/lead/${leadId}.json?fields=${fields}`, { token }));
    assert.deepEqual(lead, {
      id: leadId,
      email: 'rest.reader@example.com',
      firstName: 'Rita',
      lastName: 'Rest',
      leadScore: 42,
      unsubscribed: true,
      annualRevenue: 1500.5,
      doNotCall: null,
    });
    const [plain] = restOk(await restCall(s, `/rest/v1/lead/${leadId}.json`, { token }));
    // The recorded default fields (MadKudu lead-by-id-1), datetimes as the recordings write them.
    assert.deepEqual(Object.keys(plain).sort(), ['createdAt', 'email', 'firstName', 'id', 'lastName', 'updatedAt']);
    assert.match(plain.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(restOk(await restCall(s, '/rest/v1/lead/999999.json', { token })), []);
    assertRestError(await restCall(s, '/rest/v1/lead/1.json?fields=nope', { token }), 1006, "Field 'nope' not found");
  });

  test('query by filter, paging and POST ?_method=GET', async () => {
    for (let i = 0; i < 4; i++) ok(await s.soap(syncLeadBody({ Email: `page${i}@example.com` })));
    const byEmail = restOk(
      await restCall(s, '/rest/v1/leads.json?filterType=email&filterValues=rest.reader@example.com', { token }),
    );
    assert.deepEqual(
      byEmail.map((l: { id: number }) => l.id),
      [leadId],
    );
    const values = ['page0', 'page1', 'page2', 'page3'].map((p) => `${p}@example.com`).join(',');
    const first = await restCall(s, `/rest/v1/leads.json?filterType=email&filterValues=${values}&batchSize=3`, {
      token,
    });
    assert.equal(restOk(first).length, 3);
    assert.equal(first.body.moreResult, true);
    const second = await restCall(
      s,
      `/rest/v1/leads.json?filterType=email&filterValues=${values}&batchSize=3&nextPageToken=${first.body.nextPageToken}`,
      { token },
    );
    assert.equal(restOk(second).length, 1);
    assert.equal(second.body.moreResult, undefined);
    assert.equal(second.body.nextPageToken, undefined);
    const viaPost = await restCall(s, '/rest/v1/leads.json?_method=GET', {
      token,
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      body: `filterType=email&filterValues=${encodeURIComponent(values)}&fields=email`,
    });
    assert.deepEqual(
      restOk(viaPost).map((l: { email: string }) => l.email),
      ['page0@example.com', 'page1@example.com', 'page2@example.com', 'page3@example.com'],
    );
    assertRestError(
      await restCall(s, `/rest/v1/leads.json?filterType=id&filterValues=1&nextPageToken=${first.body.nextPageToken}`, {
        token,
      }),
      1003,
    );
    assertRestError(
      await restCall(s, '/rest/v1/leads.json?filterValues=1', { token }),
      1002,
      "Missing value for the required parameter 'filterType'",
    );
    assertRestError(await restCall(s, '/rest/v1/leads.json?filterType=firstName&filterValues=a', { token }), 1011);
  });

  test('query by cookies and by SFDC ids reads what SOAP wrote', async () => {
    const r = await s.soap(
      syncLeadBody(
        { Email: 'crm@example.com', attrs: { SFDCLeadId: '00Q000000000001', SFDCContactId: '003000000000001' } },
        { cookie: 'id:123-ABC-456&token:_mch-example.com-1-2' },
      ),
    );
    ok(r);
    const id = Number(/<LeadId>(\d+)<\/LeadId>/i.exec(r.text)?.[1]);
    for (const [type, value] of [
      ['cookies', encodeURIComponent('id:123-ABC-456&token:_mch-example.com-1-2')],
      ['sfdcLeadId', '00Q000000000001'],
      ['sfdcContactId', '003000000000001'],
      ['id', String(id)],
    ]) {
      const found = restOk(
        await restCall(s, `/rest/v1/leads.json?filterType=${type}&filterValues=${value}&fields=id`, { token }),
      );
      assert.deepEqual(found, [{ id }], type);
    }
    assert.deepEqual(
      restOk(await restCall(s, '/rest/v1/leads.json?filterType=sfdcAccountId&filterValues=001nothing', { token })),
      [],
    );
  });

  test('query by sfdcOpptyId finds the leads with a person role on the opportunity', async () => {
    const seeded = await s.admin('POST', '/_mktows/seed', {
      opportunities: [{ name: 'Filter Deal', externalKey: 'OPP-F1' }],
      opportunityRoles: [{ opportunity: 'OPP-F1', lead: 'rest.reader@example.com', role: 'Champion' }],
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
    const find = async (value: string) =>
      restOk(
        await restCall(s, `/rest/v1/leads.json?filterType=sfdcOpptyId&filterValues=${value}&fields=id`, { token }),
      );
    assert.deepEqual(await find('OPP-F1'), [{ id: leadId }]);
    assert.deepEqual(await find('OPP-NONE'), []);
  });

  test('custom fields have one name in both APIs and come back typed', async () => {
    const seeded = await s.admin('POST', '/_mktows/seed', {
      leadFields: [
        { name: 'ShoeSize', dataType: 'integer', displayName: 'Shoe Size' },
        { name: 'VipSince', dataType: 'datetime' },
      ],
    });
    assert.equal(seeded.status, 200);
    const r = await s.soap(
      syncLeadBody({ Email: 'custom@example.com', attrs: { ShoeSize: 44, VipSince: '2024-05-01T10:20:30Z' } }),
    );
    ok(r);
    const id = Number(/<LeadId>(\d+)<\/LeadId>/i.exec(r.text)?.[1]);
    const described = restOk(await restCall(s, '/rest/v1/leads/describe.json', { token }));
    const shoe = described.find((f: { rest: { name: string } }) => f.rest.name === 'ShoeSize');
    assert.deepEqual(
      { ...shoe, id: 0 },
      {
        id: 0,
        displayName: 'Shoe Size',
        dataType: 'integer',
        rest: { name: 'ShoeSize', readOnly: false },
        soap: { name: 'ShoeSize', readOnly: false },
      },
    );
    const [lead] = restOk(await restCall(s, `/rest/v1/lead/${id}.json?fields=ShoeSize,VipSince`, { token }));
    assert.deepEqual(lead, { id, ShoeSize: 44, VipSince: '2024-05-01T10:20:30Z' });
  });

  test('describe lists every standard field of lead-fields.md with its REST and SOAP names', async (t) => {
    if (!LEAD_FIELDS_MD) {
      t.skip('skipped: ../shared absent');
      return;
    }
    const result = restOk(await restCall(s, '/rest/v1/leads/describe.json', { token }));
    const bySoap = new Map(
      result.filter((f: { soap?: unknown }) => f.soap).map((f: { soap: { name: string } }) => [f.soap.name, f]),
    );
    const md = readFileSync(LEAD_FIELDS_MD, 'utf8');
    const table = md.slice(md.indexOf('## 1.'), md.indexOf('## 2.'));
    const rows = [...table.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| ([^|]+) \| (\w+) \|/gm)];
    assert.equal(rows.length, 89);
    for (const [, soap, restName, display, type] of rows) {
      const f = bySoap.get(soap) as { rest: { name: string }; displayName: string; dataType: string } | undefined;
      assert.ok(f, `describe lacks ${soap}`);
      assert.equal(f.rest.name, restName);
      assert.equal(f.displayName, display.trim());
      assert.equal(f.dataType, type);
    }
    const [d2] = restOk(await restCall(s, '/rest/v1/leads/describe2.json', { token }));
    assert.equal(d2.name, 'API Lead');
    assert.ok(d2.searchableFields.some((k: string[]) => k[0] === 'email'));
  });

  test('fault injection on a REST operation, and the journal entry', async () => {
    const bad = await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 20103 });
    assert.equal(bad.status, 400);
    const rule = await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 611, count: 1 });
    assert.equal(rule.status, 200);
    assertRestError(await restCall(s, `/rest/v1/lead/${leadId}.json`, { token }), 611, 'System error');
    restOk(await restCall(s, `/rest/v1/lead/${leadId}.json`, { token }));
    const j = await s.admin('GET', '/_mktows/journal?limit=2');
    const [okEntry, faulted] = j.body.entries;
    assert.equal(okEntry.api, 'rest');
    assert.equal(okEntry.operation, 'getLeadByIdUsingGET');
    assert.equal(okEntry.userId, REST_CLIENT);
    assert.equal(faulted.faultCode, 611);
    assert.equal(JSON.parse(faulted.response).errors[0].code, '611');
  });

  test('REST clients through the admin API: secret never shown', async () => {
    const r = await s.admin('POST', '/_mktows/rest-clients', { clientId: 'added', clientSecret: 'added-secret-1' });
    assert.equal(r.status, 200);
    assert.equal((await tokenCall(s, 'added', 'added-secret-1')).status, 200);
    const list = await s.admin('GET', '/_mktows/rest-clients');
    assert.deepEqual(list.body.clients, [
      { clientId: 'added', source: 'admin' },
      { clientId: REST_CLIENT, source: 'config' },
    ]);
  });
});
