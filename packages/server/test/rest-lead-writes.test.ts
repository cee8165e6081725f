/**
 * REST lead writes at the HTTP level: syncLead (every action, lookup fields, record-level reasons,
 * response-level errors that change nothing), delete, merge, associate, field metadata and
 * partitions; and across APIs, REST writes read through SOAP and SOAP writes updated over REST.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Activity, Lead } from '../src/store/store.js';
import { getLeadActivityBody, parseLeadActivity } from './support/activities.js';
import type { TestServer } from './support/harness.js';
import { attrMap, faultCode, getLeadByKey, ok, syncLeadBody } from './support/leads.js';
import { SHARED_DIR, SKIP_WITHOUT_SHARED } from './support/recorded.js';
import { accessToken, assertRestError, type Json, restCall, restOk, startRestTestServer } from './support/rest.js';

const COOKIE = 'id:287-GTJ-838&token:_mch-marketo.com-1396310362214-46169';

describe('REST lead writes', () => {
  let s: TestServer;
  let token: string;

  before(async () => {
    s = await startRestTestServer({ restRatePerWindow: 100000 });
    token = await accessToken(s);
  });
  after(() => s.close());

  const post = (path: string, body?: unknown) =>
    restCall(s, path, {
      method: 'POST',
      token,
      ...(body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) }),
    });
  const sync = (body: unknown) => post('/rest/v1/leads.json', body);
  const get = (path: string) => restCall(s, path, { token });

  async function soapSync(email: string, attrs: Record<string, string | number> = {}): Promise<number> {
    const r = await s.soap(syncLeadBody({ Email: email, attrs }));
    ok(r);
    return Number(/<LeadId>(\d+)<\/LeadId>/i.exec(r.text)?.[1]);
  }

  /** The lead's requested fields; the id, which comes with every lead (as Marketo), checked and left out unless asked for. */
  async function restLead(id: number, fields: string): Promise<Json> {
    const lead = restOk(await get(`/rest/v1/lead/${id}.json?fields=${fields}`))[0];
    if (fields.split(',').includes('id')) return lead;
    const { id: got, ...rest } = lead;
    assert.equal(got, id);
    return rest;
  }

  /** Every lead and every activity in the store, to show what a call changed. */
  async function snapshot(): Promise<{ leads: Map<number, Lead>; activities: Map<number, Activity[]> }> {
    const store = s.runtime.store;
    const maxId = 2000;
    const ids = Array.from({ length: maxId }, (_, i) => i + 1);
    const leads = new Map((await store.getLeads(ids)).map((l) => [l.id, l]));
    const activities = new Map<number, Activity[]>();
    for (const id of ids) {
      const a = await store.listActivities(id);
      if (a.length) activities.set(id, a);
    }
    return { leads, activities };
  }

  const skip = (code: number, message: string) => ({ status: 'skipped', reasons: [{ code: String(code), message }] });

  test('createOrUpdate (the default) creates, then updates by e-mail; SOAP getLead reads the SOAP names', async () => {
    const created = restOk(
      await sync({
        input: [
          { email: 'rest.one@example.com', firstName: 'Rest', lastName: 'One', leadScore: 12, unsubscribed: true },
          { email: 'rest.two@example.com', firstName: 'Two', annualRevenue: 1500.5, dateOfBirth: '1990-04-05' },
        ],
      }),
    );
    assert.equal(created.length, 2);
    const [one, two] = created.map((r: Json) => r.id);
    assert.deepEqual(created, [
      { id: one, status: 'created' },
      { id: two, status: 'created' },
    ]);
    assert.equal(two, one + 1);

    const [soapOne] = await getLeadByKey(s, 'EMAIL', 'rest.one@example.com');
    assert.equal(soapOne.Id, one);
    assert.equal(soapOne.Email, 'rest.one@example.com');
    const attrs = attrMap(soapOne);
    assert.equal(attrs.FirstName, 'Rest');
    assert.equal(attrs.LastName, 'One');
    assert.equal(attrs.LeadScore, '12');
    // SOAP's canonical boolean.
    assert.equal(attrs.Unsubscribed, '1');
    const [soapTwo] = await getLeadByKey(s, 'IDNUM', two);
    assert.equal(attrMap(soapTwo).AnnualRevenue, '1500.5');
    assert.equal(attrMap(soapTwo).DateofBirth, '1990-04-05');

    const updated = restOk(
      await sync({
        action: 'createOrUpdate',
        lookupField: 'email',
        input: [{ email: 'REST.ONE@example.com', firstName: 'Renamed', leadScore: 20 }],
      }),
    );
    assert.deepEqual(updated, [{ id: one, status: 'updated' }]);
    assert.deepEqual(await restLead(one, 'firstName,lastName,leadScore,email'), {
      firstName: 'Renamed',
      lastName: 'One',
      leadScore: 20,
      email: 'REST.ONE@example.com',
    });

    const page = parseLeadActivity(await s.soap(getLeadActivityBody({ key: ['IDNUM', one] })));
    const types = page.records.map((a) => a.activityType);
    // Newest first: this update's changes, then the New Lead of the create.
    assert.deepEqual(
      types.sort(),
      ['Change Data Value', 'Change Data Value', 'Change Data Value', 'Change Score', 'New Lead'].sort(),
    );
    const first = page.records.find(
      (a) => a.activityType === 'Change Data Value' && a.attributes['Attribute Name'] === 'First Name',
    );
    assert.ok(first);
    assert.equal(first.attributes['Old Value'], 'Rest');
    assert.equal(first.attributes['New Value'], 'Renamed');
    assert.equal(first.attributes.Reason, 'Web service API');
    const score = page.records.find((a) => a.activityType === 'Change Score');
    assert.equal(score?.attributes['Change Value'], '+8');
  });

  test('SOAP syncLead, then REST updateOnly: 1004 for an unknown e-mail, by id as well', async () => {
    const id = await soapSync('soap.made@example.com', { FirstName: 'Soap', Company: 'Acme' });
    const r = restOk(
      await sync({
        action: 'updateOnly',
        input: [
          { email: 'soap.made@example.com', company: 'Acme Two', title: 'CTO' },
          { email: 'nobody@example.com', firstName: 'Ghost' },
        ],
      }),
    );
    assert.deepEqual(r, [{ id, status: 'updated' }, skip(1004, 'Lead not found')]);
    const [lead] = await getLeadByKey(s, 'IDNUM', id);
    assert.equal(attrMap(lead).Company, 'Acme Two');
    assert.equal(attrMap(lead).Title, 'CTO');
    assert.equal(attrMap(lead).FirstName, 'Soap');
    faultCode(
      await s.soap(
        `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>nobody@example.com</keyValue></leadKey></ns1:paramsGetLead>`,
      ),
      20103,
    );

    const byId = restOk(
      await sync({
        action: 'updateOnly',
        lookupField: 'id',
        input: [
          { id, email: 'soap.renamed@example.com' },
          { id: 999999, firstName: 'X' },
        ],
      }),
    );
    assert.deepEqual(byId, [{ id, status: 'updated' }, skip(1004, 'Lead not found')]);
    const [renamed] = await getLeadByKey(s, 'IDNUM', id);
    assert.equal(renamed.Email, 'soap.renamed@example.com');
    // id is for updateOnly only; a record without its lookup value is skipped under updateOnly.
    assert.deepEqual(restOk(await sync({ lookupField: 'id', input: [{ id, firstName: 'Y' }] })), [
      skip(1003, "Field 'id' is allowed only with action updateOnly"),
    ]);
    assert.deepEqual(restOk(await sync({ action: 'updateOnly', input: [{ firstName: 'Y' }] })), [
      skip(1003, "Value for lookup field 'email' not specified"),
    ]);
  });

  test('createOnly: 1005 for an existing lead, in input order, as recorded', async () => {
    const id = await soapSync('exists@example.com');
    const r = restOk(
      await sync({
        action: 'createOnly',
        lookupField: 'email',
        input: [{ email: 'fresh@example.com', firstName: 'Fresh' }, { email: 'exists@example.com' }],
      }),
    );
    assert.equal(r[0].status, 'created');
    assert.ok(r[0].id > id);
    assert.deepEqual(r[1], skip(1005, 'Lead already exists'));
    // A repeat inside one call is a lead the call itself created.
    const again = restOk(
      await sync({ action: 'createOnly', input: [{ email: 'twice@example.com' }, { email: 'twice@example.com' }] }),
    );
    assert.equal(again[0].status, 'created');
    assert.deepEqual(again[1], skip(1005, 'Lead already exists'));
  });

  test('createDuplicate always creates; then an e-mail lookup matches several leads: 1007', async () => {
    const first = await soapSync('dup@example.com', { FirstName: 'A' });
    const r = restOk(await sync({ action: 'createDuplicate', input: [{ email: 'dup@example.com', firstName: 'B' }] }));
    assert.equal(r[0].status, 'created');
    assert.notEqual(r[0].id, first);
    const both = restOk(
      await get('/rest/v1/leads.json?filterType=email&filterValues=dup@example.com&fields=id,firstName'),
    );
    assert.deepEqual(both, [
      { id: first, firstName: 'A' },
      { id: r[0].id, firstName: 'B' },
    ]);
    const msg = 'Multiple leads match the lookup criteria';
    assert.deepEqual(restOk(await sync({ input: [{ email: 'dup@example.com', firstName: 'C' }] })), [skip(1007, msg)]);
    assert.deepEqual(restOk(await sync({ action: 'updateOnly', input: [{ email: 'dup@example.com', title: 'C' }] })), [
      skip(1007, msg),
    ]);
    const after = restOk(
      await get('/rest/v1/leads.json?filterType=email&filterValues=dup@example.com&fields=id,firstName'),
    );
    assert.deepEqual(after, both);
  });

  test('record-level reasons: unknown and read-only fields, and a bad value of each type', async () => {
    const id = await soapSync('typed@example.com', { FirstName: 'Typed' });
    const bad = (field: string, value: unknown) => ({ email: 'typed@example.com', [field]: value });
    const input = [
      bad('shoeSize', 42),
      bad('createdAt', '2020-01-01T00:00:00Z'),
      bad('originalSourceType', 'x'),
      bad('leadScore', 'many'),
      bad('numberOfEmployees', 1.5),
      bad('unsubscribed', 'maybe'),
      bad('annualRevenue', 'lots'),
      bad('dateOfBirth', '05/04/1990'),
      bad('lastReferredVisit', 'yesterday'),
      bad('firstName', 'x'.repeat(256)),
      bad('firstName', { nested: true }),
      { email: 'not an e-mail' },
      { email: 'typed@example.com', title: 'Still written' },
    ];
    const r = restOk(await sync({ input }));
    assert.deepEqual(r, [
      skip(1006, "Field 'shoeSize' not found"),
      skip(1003, "Field 'createdAt' is read-only"),
      skip(1003, "Field 'originalSourceType' is read-only"),
      skip(1003, "Invalid value for field 'leadScore' and value 'many'"),
      skip(1003, "Invalid value for field 'numberOfEmployees' and value '1.5'"),
      skip(1003, "Invalid value for field 'unsubscribed' and value 'maybe'"),
      skip(1003, "Invalid value for field 'annualRevenue' and value 'lots'"),
      skip(1003, "Invalid value for field 'dateOfBirth' and value '05/04/1990'"),
      skip(1003, "Invalid value for field 'lastReferredVisit' and value 'yesterday'"),
      skip(1003, `Invalid value for field 'firstName' and value '${'x'.repeat(256)}'`),
      skip(1003, `Invalid value for field 'firstName' and value '{"nested":true}'`),
      skip(1003, "Invalid value for field 'email' and value 'not an e-mail'"),
      { id, status: 'updated' },
    ]);
    const [lead] = await getLeadByKey(s, 'IDNUM', id);
    const attrs = attrMap(lead);
    assert.equal(attrs.Title, 'Still written');
    assert.equal(attrs.FirstName, 'Typed');
    assert.equal(attrs.LeadScore, undefined);
    // null clears a field; numbers and booleans as text are accepted.
    assert.deepEqual(
      restOk(await sync({ input: [{ email: 'typed@example.com', title: null, leadScore: '7', doNotCall: 'true' }] })),
      [{ id, status: 'updated' }],
    );
    assert.deepEqual(await restLead(id, 'title,leadScore,doNotCall'), { title: null, leadScore: 7, doNotCall: true });
  });

  test('response-level errors change nothing', async () => {
    await soapSync('untouched@example.com', { FirstName: 'Same' });
    const before = await snapshot();
    const many = Array.from({ length: 301 }, (_, i) => ({ email: `many${i}@example.com` }));
    const cases: [unknown, number, string][] = [
      [{}, 1002, "Missing value for the required parameter 'input'"],
      [[{ email: 'a@example.com' }], 1002, "Missing value for the required parameter 'input'"],
      [{ input: { email: 'a@example.com' } }, 1003, 'input must be an array of lead records'],
      [{ input: [{ email: 'a@example.com' }, 'b'] }, 1003, 'input must be an array of lead records'],
      [{ input: [] }, 1003, 'input holds no lead record'],
      [{ input: many }, 1003, 'Too many records in input: 301; the maximum is 300'],
      [
        { action: 'upsert', input: [{ email: 'a@example.com' }] },
        1003,
        "Invalid action 'upsert'; expected one of createOrUpdate, createOnly, updateOnly, createDuplicate",
      ],
      [{ lookupField: 'shoeSize', input: [{ email: 'a@example.com' }] }, 1006, "Field 'shoeSize' not found"],
      [{ lookupField: 'firstName', input: [{ firstName: 'Same' }] }, 1011, "Field 'firstName' not supported"],
      [
        { asyncProcessing: 'yes', input: [{ email: 'a@example.com' }] },
        1001,
        "Invalid value 'yes'. Required of type 'Boolean'",
      ],
    ];
    for (const [body, code, message] of cases) assertRestError(await sync(body), code, message);
    assertRestError(
      await restCall(s, '/rest/v1/leads.json', {
        method: 'POST',
        token,
        contentType: 'application/json',
        body: '{"input":[',
      }),
      609,
      'Invalid JSON',
    );
    assert.deepEqual(await snapshot(), before);
  });

  test('a fault rule on syncLeadUsingPOST answers its code and writes nothing; the next call writes', async () => {
    const before = await snapshot();
    const rule = await s.admin('POST', '/_mktows/faults', { operation: 'syncLeadUsingPOST', code: 611, count: 1 });
    assert.equal(rule.status, 200, JSON.stringify(rule.body));
    assertRestError(await sync({ input: [{ email: 'faulted@example.com' }] }), 611, 'System error');
    assert.deepEqual(await snapshot(), before);
    const [r] = restOk(await sync({ input: [{ email: 'faulted@example.com' }] }));
    assert.equal(r.status, 'created');
  });

  test('partitions: only Default; another partitionName skips every record with 1008', async () => {
    assert.deepEqual(restOk(await get('/rest/v1/leads/partitions.json')), [
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
    ]);
    const before = await snapshot();
    const r = restOk(
      await sync({ partitionName: 'Europe', input: [{ email: 'p1@example.com' }, { email: 'p2@example.com' }] }),
    );
    const denied = skip(1008, "Access denied to partition 'Europe'");
    assert.deepEqual(r, [denied, denied]);
    assert.deepEqual(await snapshot(), before);
    const ok1 = restOk(
      await sync({ partitionName: 'Default', asyncProcessing: true, input: [{ email: 'p1@example.com' }] }),
    );
    assert.equal(ok1[0].status, 'created');
  });

  test('a 300-record batch with mixed outcomes changes exactly what it reports', async () => {
    const existing: number[] = [];
    for (let k = 0; k < 60; k++) existing.push(await soapSync(`batch.old${k}@example.com`, { FirstName: `Old${k}` }));
    const before = await snapshot();
    const maxBefore = Math.max(...before.leads.keys());
    const input: Json[] = [];
    for (let i = 0; i < 300; i++) {
      const k = Math.floor(i / 5);
      switch (i % 5) {
        case 0:
          input.push({ email: `batch.old${k}@example.com`, firstName: `New${k}` });
          break;
        case 1:
          input.push({ email: `batch.new${k}@example.com`, firstName: `Made${k}` });
          break;
        case 2:
          input.push({ email: `batch.new${k}@example.com`, lastName: `Again${k}` });
          break;
        case 3:
          input.push({ email: `batch.x${k}@example.com`, leadScore: 'high' });
          break;
        default:
          input.push({ email: `batch.y${k}@example.com`, favouriteColour: 'blue' });
      }
    }
    const r = restOk(await sync({ input }));
    const expected: Json[] = [];
    let next = maxBefore + 1;
    const made: number[] = [];
    for (let i = 0; i < 300; i++) {
      const k = Math.floor(i / 5);
      if (i % 5 === 0) expected.push({ id: existing[k], status: 'updated' });
      else if (i % 5 === 1) {
        made.push(next);
        expected.push({ id: next++, status: 'created' });
      } else if (i % 5 === 2) expected.push({ id: made[k], status: 'updated' });
      else if (i % 5 === 3) expected.push(skip(1003, "Invalid value for field 'leadScore' and value 'high'"));
      else expected.push(skip(1006, "Field 'favouriteColour' not found"));
    }
    assert.deepEqual(r, expected);

    const afterSnap = await snapshot();
    const changed = new Set<number>();
    for (const [id, lead] of afterSnap.leads)
      if (JSON.stringify(lead) !== JSON.stringify(before.leads.get(id))) changed.add(id);
    assert.deepEqual(
      [...changed].sort((a, b) => a - b),
      [...existing, ...made].sort((a, b) => a - b),
    );
    for (const id of before.leads.keys()) assert.ok(afterSnap.leads.has(id));
    assert.equal(afterSnap.leads.size, before.leads.size + 60);
    for (let k = 0; k < 60; k++) {
      const old = afterSnap.leads.get(existing[k]);
      assert.equal(old?.attributes.FirstName, `New${k}`);
      const n = afterSnap.leads.get(made[k]);
      assert.equal(n?.email, `batch.new${k}@example.com`);
      assert.deepEqual(n?.attributes, { FirstName: `Made${k}`, LastName: `Again${k}` });
    }
    // New activities: one Change Data Value per old lead, New Lead + Change Data Value per new one.
    let added = 0;
    for (const [id, acts] of afterSnap.activities) {
      const was = before.activities.get(id)?.length ?? 0;
      const fresh = acts
        .slice(0, acts.length - was)
        .map((a) => a.typeName)
        .sort();
      if (fresh.length === 0) continue;
      added += fresh.length;
      if (existing.includes(id)) assert.deepEqual(fresh, ['Change Data Value']);
      else {
        assert.ok(made.includes(id), `activity on lead ${id}`);
        assert.deepEqual(fresh, ['Change Data Value', 'New Lead']);
      }
    }
    assert.equal(added, 180);
  });

  test('associate: a Munchkin cookie finds the lead over REST and SOAP, and is a lookup field', async () => {
    const id = await soapSync('cookie.owner@example.com', { FirstName: 'Crumb' });
    const path = `/rest/v1/leads/${id}/associate.json?cookie=${encodeURIComponent(COOKIE)}`;
    const a = await post(path);
    restOk(a);
    assert.deepEqual(Object.keys(a.body).sort(), ['requestId', 'success']);
    const found = restOk(
      await get(`/rest/v1/leads.json?filterType=cookies&filterValues=${encodeURIComponent(COOKIE)}&fields=id`),
    );
    assert.deepEqual(found, [{ id }]);
    const [soapLead] = await getLeadByKey(s, 'COOKIE', COOKIE);
    assert.equal(soapLead.Id, id);
    assert.deepEqual(restOk(await sync({ lookupField: 'cookies', input: [{ cookies: COOKIE, title: 'Baker' }] })), [
      { id, status: 'updated' },
    ]);
    assert.equal((await restLead(id, 'title')).title, 'Baker');
    // A new cookie under createOrUpdate creates the lead and ties the cookie to it.
    const other = 'id:287-GTJ-838&token:_mch-marketo.com-1396310362214-99999';
    const [made] = restOk(await sync({ lookupField: 'cookies', input: [{ cookies: other, firstName: 'Anon' }] }));
    assert.equal(made.status, 'created');
    assert.equal((await getLeadByKey(s, 'COOKIE', other))[0].Id, made.id);

    assertRestError(
      await post(`/rest/v1/leads/${id}/associate.json`),
      1002,
      "Missing value for the required parameter 'cookie'",
    );
    assertRestError(await post(`/rest/v1/leads/${id}/associate.json?cookie=abc`), 1012, "Invalid cookie value 'abc'");
    assertRestError(
      await post(`/rest/v1/leads/999999/associate.json?cookie=${encodeURIComponent(COOKIE)}`),
      1004,
      'Lead not found',
    );
    assertRestError(
      await post(`/rest/v1/leads/x1/associate.json?cookie=${encodeURIComponent(COOKIE)}`),
      1001,
      "Invalid value 'x1'. Required of type 'Integer'",
    );
    assertRestError(await get(path), 605, 'HTTP Method not supported');
  });

  test('delete: deleted or skipped 1004 per id, in order; a Delete Lead activity stays behind', async () => {
    const a = await soapSync('del.a@example.com', { FirstName: 'Owyliphys', LastName: 'Iledil' });
    const b = await soapSync('del.b@example.com');
    const c = await soapSync('del.c@example.com');
    const r = restOk(
      await post('/rest/v1/leads/delete.json', { input: [{ id: a }, { id: 999999 }, { id: b }, { id: a }] }),
    );
    assert.deepEqual(r, [
      { id: a, status: 'deleted' },
      { id: 999999, ...skip(1004, 'Lead not found') },
      { id: b, status: 'deleted' },
      { id: a, ...skip(1004, 'Lead not found') },
    ]);
    faultCode(
      await s.soap(
        `<ns1:paramsGetLead><leadKey><keyType>IDNUM</keyType><keyValue>${a}</keyValue></leadKey></ns1:paramsGetLead>`,
      ),
      20103,
    );
    const acts = await s.runtime.store.listActivities(a);
    assert.equal(acts[0].typeName, 'Delete Lead');
    assert.equal(acts[0].typeId, 37);
    assert.deepEqual(acts[0].attributes, [['Lead ID', String(a)]]);
    assert.equal(acts[0].assetName, 'Owyliphys Iledil');
    assert.equal((await s.runtime.store.listActivities(b))[0].assetName, null);
    // The ids may come in the query instead.
    assert.deepEqual(restOk(await post(`/rest/v1/leads/delete.json?id=${c}`)), [{ id: c, status: 'deleted' }]);

    // DELETE /rest/v1/leads.json, with ids in the query or, as POST …?_method=DELETE, in the body.
    const e = await soapSync('del.e@example.com');
    const f = await soapSync('del.f@example.com');
    assert.deepEqual(restOk(await restCall(s, `/rest/v1/leads.json?id=${e}`, { method: 'DELETE', token })), [
      { id: e, status: 'deleted' },
    ]);
    assert.deepEqual(restOk(await post('/rest/v1/leads.json?_method=DELETE', { input: [{ id: f }, { id: e }] })), [
      { id: f, status: 'deleted' },
      { id: e, ...skip(1004, 'Lead not found') },
    ]);
    assert.deepEqual(await s.runtime.store.getLeads([e, f]), []);

    const d = await soapSync('del.d@example.com');
    const before = await snapshot();
    assertRestError(await post('/rest/v1/leads/delete.json', { input: [] }), 1003, 'Lead ids not specified');
    assertRestError(await post('/rest/v1/leads/delete.json'), 1003, 'Lead ids not specified');
    assertRestError(
      await post('/rest/v1/leads/delete.json', { input: [{ id: d }, {}] }),
      1003,
      'Lead ids not specified',
    );
    assertRestError(
      await post('/rest/v1/leads/delete.json', { input: { id: d } }),
      1003,
      'input must be an array of {id} records',
    );
    assertRestError(
      await post('/rest/v1/leads/delete.json', { input: [{ id: d }, { id: 'x' }] }),
      1001,
      "Invalid value 'x'. Required of type 'Integer'",
    );
    const many = Array.from({ length: 301 }, () => ({ id: d }));
    assertRestError(
      await post('/rest/v1/leads/delete.json', { input: many }),
      1003,
      'Too many records in input: 301; the maximum is 300',
    );
    assert.deepEqual(await snapshot(), before);
  });

  test('merge: the SOAP merge, winner in the path; errors change nothing', async () => {
    const w = await soapSync('merge.w@example.com', { FirstName: 'Win' });
    const l1 = await soapSync('merge.l1@example.com', { FirstName: 'Lose', Title: 'Boss' });
    const l2 = await soapSync('merge.l2@example.com', { Company: 'Loser Inc' });
    const before = await snapshot();
    for (const [q, code, message] of [
      ['', 1002, "Missing value for the required parameter 'leadId'"],
      [`leadId=${w}`, 1003, `Lead ${w} cannot be merged into itself`],
      [`leadId=999999`, 1004, 'Lead not found'],
      [`leadIds=${l1},abc`, 1001, "Invalid value 'abc'. Required of type 'Integer'"],
      [`leadId=${l1}&mergeInCRM=maybe`, 1001, "Invalid value 'maybe'. Required of type 'Boolean'"],
      [
        `leadIds=${Array.from({ length: 26 }, (_, i) => i + 100000).join(',')}`,
        1003,
        'Too many leadIds: 26; the maximum is 25',
      ],
    ] as const) {
      assertRestError(await post(`/rest/v1/leads/${w}/merge.json${q ? `?${q}` : ''}`), code, message);
    }
    assertRestError(await post(`/rest/v1/leads/999999/merge.json?leadId=${l1}`), 1004, 'Lead not found');
    assert.deepEqual(await snapshot(), before);

    const m = await post(`/rest/v1/leads/${w}/merge.json?leadIds=${l1},${l2}&mergeInCRM=false`);
    restOk(m);
    assert.deepEqual(Object.keys(m.body).sort(), ['requestId', 'success']);
    assert.deepEqual(await restLead(w, 'firstName,title,company,email'), {
      firstName: 'Win',
      title: 'Boss',
      company: 'Loser Inc',
      email: 'merge.w@example.com',
    });
    assert.deepEqual(await s.runtime.store.getLeads([l1, l2]), []);
    const acts = await s.runtime.store.listActivities(w);
    const merge = acts.find((a) => a.typeName === 'Merge Leads');
    assert.deepEqual(merge?.attributes, [
      ['Merge ids', `${l1},${l2}`],
      ['Merged in Sales', 'false'],
      ['Master Updated', 'true'],
      ['Lead ID', String(w)],
    ]);
  });

  test('lead fields: browse with paging, by name, isCustom', async () => {
    const all = restOk(await get('/rest/v1/leads/schema/fields.json'));
    const describe = restOk(await get('/rest/v1/leads/describe.json'));
    assert.equal(all.length, describe.length);
    assert.deepEqual(
      all.find((f: Json) => f.name === 'email'),
      {
        displayName: 'Email Address',
        name: 'email',
        description: null,
        dataType: 'email',
        length: 255,
        isHidden: false,
        isHtmlEncodingInEmail: true,
        isSensitive: true,
        isCustom: false,
        isApiCreated: false,
      },
    );
    const first = await get('/rest/v1/leads/schema/fields.json?batchSize=5');
    assert.equal(first.body.result.length, 5);
    assert.equal(first.body.moreResult, true);
    const second = await get(`/rest/v1/leads/schema/fields.json?batchSize=5&nextPageToken=${first.body.nextPageToken}`);
    assert.deepEqual(second.body.result, all.slice(5, 10));
    assert.deepEqual(restOk(await get('/rest/v1/leads/schema/fields/dateOfBirth.json')), [
      {
        displayName: 'Date of Birth',
        name: 'dateOfBirth',
        description: null,
        dataType: 'date',
        isHidden: false,
        isHtmlEncodingInEmail: false,
        isSensitive: true,
        isCustom: false,
        isApiCreated: false,
      },
    ]);
    assertRestError(await get('/rest/v1/leads/schema/fields/shoeSize.json'), 1006, "Field 'shoeSize' not found");
    assertRestError(
      await get('/rest/v1/leads/schema/fields.json?batchSize=301'),
      1003,
      'batchSize must be between 1 and 300',
    );
  });

  test("grouparoo's recorded lead writes: the same statuses and reasons, call by call, with our ids", {
    skip: SKIP_WITHOUT_SHARED,
  }, async () => {
    // The recording's instance has these custom fields; their REST names are their API names.
    const types: Record<string, string> = {
      textarea_field: 'textarea',
      boolean_field: 'boolean',
      email_field: 'email',
      integer_field: 'integer',
      float_field: 'float',
      datetime_field: 'datetime',
      date_field: 'date',
      score_field: 'score',
      percent_field: 'percent',
      currency_field: 'currency',
    };
    const seeded = await s.admin('POST', '/_mktows/seed', {
      leadFields: Object.entries(types).map(([name, dataType]) => ({ name, dataType })),
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
    const calls = (JSON.parse(readFileSync(GROUPAROO, 'utf8')) as Json[]).filter(
      (x) => x.method === 'POST' && x.path === '/rest/v1/leads.json',
    );
    assert.equal(calls.length, 21);
    const ours = new Map<number, number>();
    const mapIds = (v: Json, to: (id: number) => number): Json =>
      JSON.parse(JSON.stringify(v), (k, x) => (k === 'id' && typeof x === 'number' ? to(x) : x));
    let deletes = 0;
    for (const call of calls) {
      const query = call.query?._method ? `?_method=${call.query._method}` : '';
      if (query) deletes++;
      const body = mapIds(call.requestBody, (id) => ours.get(id) ?? id);
      const r = await restCall(s, `/rest/v1/leads.json${query}`, {
        method: 'POST',
        token,
        contentType: 'application/json',
        body: JSON.stringify(body),
      });
      const result = restOk(r);
      const recorded: Json[] = call.responseBody.result;
      assert.equal(result.length, recorded.length);
      recorded.forEach((x, i) => {
        if (x.status === 'created') ours.set(x.id, result[i].id);
      });
      assert.deepEqual(
        result,
        mapIds(recorded, (id) => ours.get(id) ?? -id),
        JSON.stringify(call.requestBody),
      );
    }
    assert.equal(deletes, 2);
    assert.equal(ours.size, 4);
  });
});

const GROUPAROO = SHARED_DIR
  ? join(
      SHARED_DIR,
      'reference',
      'rest',
      'recorded',
      'grouparoo-grouparoo',
      'current',
      'integration',
      'decoded',
      'export-records.json',
    )
  : '';
