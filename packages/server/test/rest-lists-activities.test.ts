/**
 * REST static lists and activities: lists and list members, add/remove/ismember with per-record
 * reasons, activity types, paging tokens, activities, lead changes and deleted leads, each with
 * the errors it raises, and the same store as SOAP listOperation, getLeadActivity and syncLead.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { getLeadActivityBody, listOperationBody, parseLeadActivity, parseListOperation } from './support/activities.js';
import type { TestServer } from './support/harness.js';
import { ok, seed, syncLeadBody } from './support/leads.js';
import { SHARED_DIR } from './support/recorded.js';
import { accessToken, assertRestError, type Json, restCall, restOk, startRestTestServer } from './support/rest.js';

const MADKUDU = SHARED_DIR
  ? join(
      SHARED_DIR,
      'reference',
      'rest',
      'recorded',
      'MadKudu-node-marketo',
      'fixtures',
      '123-abc-456.mktorest.com-443',
    )
  : undefined;
const TREASURE = SHARED_DIR
  ? join(SHARED_DIR, 'reference', 'rest', 'recorded', 'treasure-data-embulk-input-marketo', 'fixtures')
  : undefined;

/** The JSON body of a MadKudu fixture (HTTP exchange text, body last). */
function madkuduBody(name: string): Json {
  const text = readFileSync(join(MADKUDU as string, name), 'utf8');
  return JSON.parse(text.slice(text.lastIndexOf('\n{') + 1));
}

/** Keys and value types of a record, for shape comparisons with recorded ones. */
function shape(v: Json): Json {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape(v[k])]),
    );
  return typeof v;
}

describe('REST static lists and activities', () => {
  let s: TestServer;
  let token: string;
  const id: Record<string, number> = {};
  let alpha: number;
  let imports: number;

  const get = (path: string) => restCall(s, path, { token });
  const call = (method: string, path: string, body?: unknown) =>
    restCall(s, path, {
      token,
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
  const since = async () => restOk(await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01')) && '';
  const firstToken = async () =>
    (await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=2000-01-01T00:00:00Z')).body.nextPageToken as string;

  before(async () => {
    s = await startRestTestServer({ restRatePerWindow: 10000 });
    await seed(s, {
      leads: ['ann', 'bob', 'cid', 'dee'].map((n) => ({ Email: `${n}@lists.example`, FirstName: n })),
      lists: [{ name: 'Alpha', members: ['ann@lists.example', 'bob@lists.example', 'cid@lists.example'] }],
      programs: [{ name: 'P', workspace: 'Europe', lists: ['Imports'], campaigns: [{ name: 'Welcome' }] }],
      activities: [
        { lead: 'dee@lists.example', type: 'Delete Lead', at: '2020-01-02T03:04:05Z', asset: 'Dee Gone' },
        {
          lead: 'dee@lists.example',
          type: 'Send Email',
          at: '2020-01-01T00:00:00Z',
          asset: 'M',
          campaign: 'P.Welcome',
        },
        { lead: 'dee@lists.example', type: 'Send Email', at: '2020-01-01T00:00:01Z', asset: 'M', campaign: 'P.Gone' },
      ],
    });
    for (const n of ['ann', 'bob', 'cid', 'dee'])
      id[n] = (await s.runtime.store.findLeads({ by: 'EMAIL', value: `${n}@lists.example` }))[0].id;
    alpha = (await s.runtime.store.findList('name', 'Alpha'))?.id ?? 0;
    imports = (await s.runtime.store.findList('name', 'P.Imports'))?.id ?? 0;
    token = await accessToken(s);
  });
  after(() => s.close());

  test('lists.json: every list, a program list under its own name, filters and paging', async () => {
    assert.deepEqual(restOk(await get('/rest/v1/lists.json')), [
      { id: alpha, name: 'Alpha', workspaceName: 'Default' },
      { id: imports, name: 'Imports', programName: 'P', workspaceName: 'Europe' },
    ]);
    assert.deepEqual(restOk(await get('/rest/v1/lists.json?name=Imports&programName=P')), [
      { id: imports, name: 'Imports', programName: 'P', workspaceName: 'Europe' },
    ]);
    assert.deepEqual(restOk(await get(`/rest/v1/lists.json?id=${alpha}`)).length, 1);
    assert.deepEqual(restOk(await get('/rest/v1/lists.json?workspaceName=Nowhere')), []);
    const p1 = await get('/rest/v1/lists.json?batchSize=1');
    assert.deepEqual(
      restOk(p1).map((l: Json) => l.id),
      [alpha],
    );
    assert.equal(p1.body.moreResult, true);
    const p2 = await get(`/rest/v1/lists.json?batchSize=1&nextPageToken=${p1.body.nextPageToken}`);
    assert.deepEqual(
      restOk(p2).map((l: Json) => l.id),
      [imports],
    );
    assert.equal(p2.body.nextPageToken, undefined);
    assertRestError(await get(`/rest/v1/lists.json?name=Alpha&nextPageToken=${p1.body.nextPageToken}`), 1003);
    assertRestError(await get('/rest/v1/lists.json?id=x'), 1001, "Invalid value 'x'. Required of type 'Integer'");
    assertRestError(await get('/rest/v1/lists.json?batchSize=301'), 1003, 'batchSize must be between 1 and 300');
  });

  test('POST with _method=GET in a form body reads, as recorded for list members and lists', async () => {
    const form = (path: string, body: string) =>
      restCall(s, path, { token, method: 'POST', body, contentType: 'application/x-www-form-urlencoded' });
    const members = restOk(await form(`/rest/v1/list/${alpha}/leads.json`, `listId=${alpha}&_method=GET&fields=id`));
    assert.deepEqual(members, [{ id: id.ann }, { id: id.bob }, { id: id.cid }]);
    // On the path that also adds, the form's _method=GET makes it a read: nothing is added.
    const read = restOk(await form(`/rest/v1/lists/${imports}/leads.json`, `_method=GET&fields=id`));
    assert.deepEqual(read, []);
    assert.deepEqual(restOk(await form('/rest/v1/lists.json', '_method=GET&name=Alpha')), [
      { id: alpha, name: 'Alpha', workspaceName: 'Default' },
    ]);
  });

  test('lists/{id}.json: the list, 1013 for an unknown id, 1001 for a bad one', async () => {
    assert.deepEqual(restOk(await get(`/rest/v1/lists/${alpha}.json`)), [
      { id: alpha, name: 'Alpha', workspaceName: 'Default' },
    ]);
    assertRestError(await get('/rest/v1/lists/99999.json'), 1013, 'Object not found');
    assertRestError(await get('/rest/v1/lists/abc.json'), 1001);
  });

  test('list members on both paths, with fields and paging by batchSize', async () => {
    for (const base of [`/rest/v1/lists/${alpha}/leads.json`, `/rest/v1/list/${alpha}/leads.json`]) {
      const p1 = await get(`${base}?batchSize=2&fields=id,email`);
      assert.deepEqual(restOk(p1), [
        { id: id.ann, email: 'ann@lists.example' },
        { id: id.bob, email: 'bob@lists.example' },
      ]);
      assert.equal(p1.body.moreResult, true);
      const p2 = await get(`${base}?batchSize=2&fields=id,email&nextPageToken=${p1.body.nextPageToken}`);
      assert.deepEqual(restOk(p2), [{ id: id.cid, email: 'cid@lists.example' }]);
      assert.equal(p2.body.moreResult, undefined);
    }
    const defaults = restOk(await get(`/rest/v1/lists/${alpha}/leads.json?batchSize=1`));
    assert.deepEqual(Object.keys(defaults[0]), ['id', 'updatedAt', 'lastName', 'email', 'createdAt', 'firstName']);
    assert.deepEqual(restOk(await get(`/rest/v1/lists/${imports}/leads.json`)), []);
    assertRestError(await get('/rest/v1/lists/99999/leads.json'), 1013);
    assertRestError(await get(`/rest/v1/lists/${alpha}/leads.json?fields=nope`), 1006, "Field 'nope' not found");
  });

  test('add, remove and ismember: statuses, skipped reasons, and activities SOAP reads', async () => {
    const added = await call('POST', `/rest/v1/lists/${imports}/leads.json?id=${id.ann},${id.bob},999999`);
    assert.deepEqual(restOk(added), [
      { id: id.ann, status: 'added' },
      { id: id.bob, status: 'added' },
      { id: 999999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    // A JSON body names leads too; adding a member again is `added` and logs nothing more.
    assert.deepEqual(restOk(await call('POST', `/rest/v1/lists/${imports}/leads.json`, { input: [{ id: id.ann }] })), [
      { id: id.ann, status: 'added' },
    ]);
    assert.deepEqual(
      restOk(await get(`/rest/v1/lists/${imports}/leads/ismember.json?id=${id.ann}&id=${id.cid}&id=999999`)),
      [
        { id: id.ann, status: 'memberof' },
        { id: id.cid, status: 'notmemberof' },
        { id: 999999, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      ],
    );
    assert.deepEqual(restOk(await call('DELETE', `/rest/v1/lists/${imports}/leads.json?id=${id.bob},${id.cid}`)), [
      { id: id.bob, status: 'removed' },
      { id: id.cid, status: 'skipped', reasons: [{ code: '1015', message: 'Lead not in list' }] },
    ]);
    // SOAP sees the membership and the activities REST wrote.
    const soapMember = parseListOperation(
      await s.soap(
        listOperationBody({
          op: 'ISMEMBEROFLIST',
          list: 'P.Imports',
          leads: [
            ['IDNUM', id.ann],
            ['IDNUM', id.bob],
          ],
        }),
      ),
    );
    assert.deepEqual(soapMember.statuses, [
      ['IDNUM', String(id.ann), true],
      ['IDNUM', String(id.bob), false],
    ]);
    const page = parseLeadActivity(
      await s.soap(
        getLeadActivityBody({ key: ['IDNUM', id.bob], filter: { include: ['AddToList', 'RemoveFromList'] } }),
      ),
    );
    assert.deepEqual(
      page.records.map((r) => [r.activityType, r.mktgAssetName, r.attributes['List ID']]),
      [
        ['Remove from List', 'P.Imports', String(imports)],
        ['Add to List', 'P.Imports', String(imports)],
        ['Add to List', 'Alpha', String(alpha)],
      ],
    );
    // A SOAP add reads back through REST.
    ok(await s.soap(listOperationBody({ op: 'ADDTOLIST', list: 'P.Imports', leads: [['IDNUM', id.dee]] })));
    assert.deepEqual(restOk(await get(`/rest/v1/lists/${imports}/leads/ismember.json?id=${id.dee}`)), [
      { id: id.dee, status: 'memberof' },
    ]);
  });

  test('membership errors: no ids, more than 300, a bad id, an unknown list; nothing changes', async () => {
    const path = `/rest/v1/lists/${alpha}/leads.json`;
    assertRestError(await call('POST', path), 1003, 'Lead ids not specified');
    assertRestError(await call('DELETE', path), 1003, 'Lead ids not specified');
    assertRestError(await get(`/rest/v1/lists/${alpha}/leads/ismember.json`), 1003, 'Lead ids not specified');
    const many = Array.from({ length: 301 }, (_, i) => i + 1).join(',');
    assertRestError(await call('POST', `${path}?id=${many}`), 1003, 'Too many lead ids: 301; the maximum is 300');
    assertRestError(
      await call('POST', `${path}?id=${id.dee},x`),
      1001,
      "Invalid value 'x'. Required of type 'Integer'",
    );
    assertRestError(await call('POST', `/rest/v1/lists/99999/leads.json?id=${id.dee}`), 1013);
    assert.equal(await s.runtime.store.isListMember(alpha, id.dee), false);
  });

  test('types.json: every type once with its id, primary attribute and attributes', async () => {
    const types = restOk(await get('/rest/v1/activities/types.json'));
    assert.equal(types.length, 57);
    assert.equal(new Set(types.map((t: Json) => t.id)).size, 57);
    assert.deepEqual(
      types.find((t: Json) => t.id === 24),
      {
        id: 24,
        name: 'Add to List',
        primaryAttribute: { name: 'List ID', dataType: 'integer' },
        attributes: [
          { name: 'Source', dataType: 'string' },
          { name: 'Lead ID', dataType: 'integer' },
        ],
      },
    );
    assert.deepEqual(
      types.find((t: Json) => t.id === 16),
      { id: 16, name: 'Wait', attributes: [] },
    );
  });

  test('pagingtoken.json: a bare token; 1002 without sinceDatetime, 1001 for a bad one', async () => {
    const r = await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=2014-10-06T13:22:17-08:00');
    restOk({ ...r, body: { ...r.body, result: [] } });
    assert.deepEqual(Object.keys(r.body), ['requestId', 'success', 'nextPageToken']);
    await since();
    assertRestError(
      await get('/rest/v1/activities/pagingtoken.json'),
      1002,
      "Missing value for the required parameter 'sinceDatetime'",
    );
    assertRestError(
      await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=yesterday'),
      1001,
      "Invalid value 'yesterday'. Required of type 'DateTime'",
    );
  });

  test('activities.json: REST and SOAP list activities, paging, and every parameter error', async () => {
    const t0 = await firstToken();
    const q = `activityTypeIds=24,25&leadIds=${id.bob}`;
    const all = await get(`/rest/v1/activities.json?${q}&nextPageToken=${t0}`);
    const bobs = restOk(all);
    const bobAttributes = [
      { name: 'Source', value: 'Web service API' },
      { name: 'Lead ID', value: id.bob },
    ];
    assert.deepEqual(
      bobs.map((a: Json) => [
        a.activityTypeId,
        a.leadId,
        a.primaryAttributeValueId,
        a.primaryAttributeValue,
        a.attributes,
      ]),
      [
        [24, alpha, 'Alpha'],
        [24, imports, 'P.Imports'],
        [25, imports, 'P.Imports'],
      ].map(([type, list, name]) => [type, id.bob, list, name, bobAttributes]),
    );
    assert.equal(all.body.moreResult, false);
    assert.equal(typeof all.body.nextPageToken, 'string');
    assert.deepEqual(Object.keys(bobs[0]), [
      'id',
      'marketoGUID',
      'leadId',
      'activityDate',
      'activityTypeId',
      'primaryAttributeValueId',
      'primaryAttributeValue',
      'attributes',
    ]);
    assert.match(bobs[0].activityDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // One at a time, following tokens, gives the same activities.
    const seen: number[] = [];
    let tok = t0;
    for (let i = 0; i < 5; i++) {
      const r = await get(`/rest/v1/activities.json?${q}&batchSize=1&nextPageToken=${tok}`);
      seen.push(...restOk(r).map((a: Json) => a.id));
      tok = r.body.nextPageToken;
      if (!r.body.moreResult) break;
    }
    assert.deepEqual(
      seen,
      bobs.map((a: Json) => a.id),
    );
    // The last token reads nothing more: no result member, as recorded.
    const end = await get(`/rest/v1/activities.json?${q}&nextPageToken=${all.body.nextPageToken}`);
    assert.deepEqual(Object.keys(end.body), ['requestId', 'success', 'moreResult', 'nextPageToken']);
    // listId and assetIds narrow it; New Lead (SOAP syncs and seeds) reads through REST too.
    const listed = restOk(await get(`/rest/v1/activities.json?activityTypeIds=24&listId=${alpha}&nextPageToken=${t0}`));
    assert.deepEqual([...new Set(listed.map((a: Json) => a.leadId))].sort(), [id.ann, id.bob, id.cid].sort());
    const byAsset = restOk(
      await get(`/rest/v1/activities.json?activityTypeIds=24&assetIds=${imports}&nextPageToken=${t0}`),
    );
    assert.deepEqual(byAsset.map((a: Json) => a.leadId).sort(), [id.ann, id.bob, id.dee].sort());
    assert.equal(restOk(await get(`/rest/v1/activities.json?activityTypeIds=12&nextPageToken=${t0}`)).length, 4);

    const tail = `nextPageToken=${t0}`;
    assertRestError(
      await get(`/rest/v1/activities.json?${tail}`),
      1002,
      "Missing value for the required parameter 'activityTypeIds'",
    );
    assertRestError(
      await get('/rest/v1/activities.json?activityTypeIds=1'),
      1002,
      "Missing value for the required parameter 'nextPageToken'",
    );
    assertRestError(
      await get(`/rest/v1/activities.json?activityTypeIds=1,2,3,6,7,8,9,10,11,12,13&${tail}`),
      1003,
      'Too many activityTypeIds: 11; the maximum is 10',
    );
    const lead31 = Array.from({ length: 31 }, (_, i) => i + 1).join(',');
    assertRestError(
      await get(`/rest/v1/activities.json?activityTypeIds=1&leadIds=${lead31}&${tail}`),
      1003,
      'Too many leadIds: 31; the maximum is 30',
    );
    assertRestError(
      await get(`/rest/v1/activities.json?activityTypeIds=999&${tail}`),
      1003,
      "Invalid activityTypeId '999'",
    );
    assertRestError(await get(`/rest/v1/activities.json?activityTypeIds=1&listId=99999&${tail}`), 1013);
    const tampered = `${t0.slice(0, -2)}${t0.endsWith('AA') ? 'BB' : 'AA'}`;
    assertRestError(await get(`/rest/v1/activities.json?activityTypeIds=1&nextPageToken=${tampered}`), 1003);
    assertRestError(
      await get('/rest/v1/activities.json?activityTypeIds=1&nextPageToken=garbage'),
      1003,
      "Invalid nextPageToken 'garbage'",
    );
  });

  test('campaignId: the id of the campaign an activity names; none when the name matches no campaign', async () => {
    const welcome = (await s.runtime.store.campaigns.listCampaigns()).find((c) => c.name === 'Welcome')?.id;
    assert.ok(welcome);
    const sent = restOk(
      await get(`/rest/v1/activities.json?activityTypeIds=6&leadIds=${id.dee}&nextPageToken=${await firstToken()}`),
    );
    assert.deepEqual(
      sent.map((a: Json) => [a.primaryAttributeValue, a.campaignId]),
      [
        ['M', welcome],
        ['M', undefined],
      ],
    );
    assert.deepEqual(Object.keys(sent[0]).slice(4, 6), ['activityTypeId', 'campaignId']);
  });

  test('a token reads only activities at or after its time', async () => {
    const r = await get('/rest/v1/activities/pagingtoken.json?sinceDatetime=2100-01-01');
    const later = await get(`/rest/v1/activities.json?activityTypeIds=12,24&nextPageToken=${r.body.nextPageToken}`);
    restOk(later);
    assert.equal(later.body.result, undefined);
    assert.equal(later.body.moreResult, false);
  });

  test('leadchanges.json: New Lead and Change Data Value of the named fields, from a SOAP sync', async () => {
    const t0 = await firstToken();
    ok(await s.soap(syncLeadBody({ Email: 'ann@lists.example', attrs: { FirstName: 'Anne', LastName: 'Ames' } })));
    const r = await get(`/rest/v1/activities/leadchanges.json?fields=firstName&leadIds=${id.ann}&nextPageToken=${t0}`);
    const changes = restOk(r);
    assert.deepEqual(
      changes.map((c: Json) => [c.activityTypeId, c.fields]),
      [
        [12, []],
        [13, [{ id: changes[1].fields[0].id, name: 'firstName', newValue: 'Anne', oldValue: 'ann' }]],
      ],
    );
    const describe = restOk(await get('/rest/v1/leads/describe.json'));
    assert.equal(describe.find((f: Json) => f.rest.name === 'firstName').id, changes[1].fields[0].id);
    assert.deepEqual(changes[1].attributes, [
      { name: 'Reason', value: 'Web service API' },
      { name: 'Source', value: 'Web service API' },
      { name: 'Lead ID', value: id.ann },
    ]);
    // The same change through activities.json: the field is the primary attribute value.
    const cdv = restOk(await get(`/rest/v1/activities.json?activityTypeIds=13&leadIds=${id.ann}&nextPageToken=${t0}`));
    assert.deepEqual(
      cdv.map((a: Json) => [a.primaryAttributeValueId, a.primaryAttributeValue, a.attributes.map((x: Json) => x.name)]),
      ['First Name', 'Last Name'].map((f) => [undefined, f, ['Old Value', 'New Value', 'Reason', 'Source', 'Lead ID']]),
    );
    assertRestError(
      await get(`/rest/v1/activities/leadchanges.json?nextPageToken=${t0}`),
      1002,
      "Missing value for the required parameter 'fields'",
    );
    assertRestError(await get(`/rest/v1/activities/leadchanges.json?fields=nope&nextPageToken=${t0}`), 1006);
  });

  test('deletedleads.json: Delete Lead activities as Marketo shows them', async () => {
    const t0 = await firstToken();
    const r = await get(`/rest/v1/activities/deletedleads.json?nextPageToken=${t0}`);
    const deleted = restOk(r);
    assert.equal(deleted.length, 1);
    const { id: activityId, marketoGUID, ...rest } = deleted[0];
    assert.equal(typeof activityId, 'number');
    assert.equal(typeof marketoGUID, 'string');
    assert.deepEqual(rest, {
      leadId: id.dee,
      activityDate: '2020-01-02T03:04:05Z',
      activityTypeId: 37,
      primaryAttributeValueId: id.dee,
      primaryAttributeValue: 'Dee Gone',
      attributes: [],
    });
    assertRestError(await get('/rest/v1/activities/deletedleads.json'), 1002);
  });

  test('golden: the recorded Talend activity read (date-only token, empty assetIds and leadIds)', {
    skip: !SHARED_DIR,
  }, async () => {
    const file = join(
      SHARED_DIR as string,
      'reference/rest/recorded/Talend-connectors-se/talend/testing/http',
      'org.talend.components.marketo.input.LeadSourceTest_testSourceActivities.json',
    );
    const [, tokenCall, activitiesCall] = JSON.parse(readFileSync(file, 'utf8')) as Json[];
    const path = (uri: string) =>
      uri
        .replace(/^https:\/\/[^/]+/, '')
        .replace(/access_token=[^&]*&?/, '')
        .replace('1011', String(alpha));
    const t = await get(path(tokenCall.request.uri));
    assert.deepEqual(Object.keys(t.body).sort(), Object.keys(JSON.parse(tokenCall.response.payload)).sort());
    const uri = path(activitiesCall.request.uri).replace(
      'NEXT_PAGE_TOKEN_FOR_UT',
      encodeURIComponent(t.body.nextPageToken),
    );
    // Activity type 22 (Change Score) has no activity in this store: the page is empty, as recorded.
    const r = await get(uri.replace('activityTypeIds=1,2,3,6,7,8,9,10,22', 'activityTypeIds=22'));
    restOk({ ...r, body: { ...r.body, result: [] } });
    assert.deepEqual(Object.keys(r.body).sort(), Object.keys(JSON.parse(activitiesCall.response.payload)).sort());
    assert.equal(r.body.moreResult, false);
    // The recorded call itself, with its nine types and listId, is served: Alpha's members visited no page.
    const full = await get(uri);
    assert.equal(full.body.success, true, JSON.stringify(full.body));
    assert.equal(full.body.result, undefined);
    assert.equal(full.body.moreResult, false);
  });

  test('golden: shapes of recorded lists, list members, membership and activity types', {
    skip: !SHARED_DIR,
  }, async () => {
    const lists = JSON.parse(readFileSync(join(TREASURE as string, 'lists_response.json'), 'utf8')).responses[0];
    const ours = restOk(await get(`/rest/v1/lists/${alpha}.json`))[0];
    // Recorded lists carry createdAt/updatedAt, which this server does not keep (README).
    const { createdAt: _c, updatedAt: _u, ...recordedList } = lists.result[0];
    assert.deepEqual(shape(ours), shape(recordedList));
    assert.deepEqual(
      shape(madkuduBody('list-member-of-found').result),
      shape(restOk(await get(`/rest/v1/lists/${alpha}/leads/ismember.json?id=${id.ann}`))),
    );
    assert.deepEqual(
      shape(madkuduBody('list-remove-leads').result),
      shape(restOk(await call('DELETE', `/rest/v1/lists/${alpha}/leads.json?id=${id.cid}`))),
    );
    const byList = JSON.parse(readFileSync(join(TREASURE as string, 'lead_by_list.json'), 'utf8')).responses[0];
    const members = await get(`/rest/v1/lists/${alpha}/leads.json?batchSize=1`);
    assert.deepEqual(shape(restOk(members)), shape(byList.result));
    assert.deepEqual(Object.keys(members.body).sort(), [...Object.keys(byList), 'moreResult'].sort());
    const recordedType = madkuduBody('activity-types').result[0];
    const ourType = restOk(await get('/rest/v1/activities/types.json')).find((t: Json) => t.id === recordedType.id);
    assert.deepEqual(ourType, recordedType);
    const names = JSON.parse(readFileSync(join(TREASURE as string, 'activity_types.json'), 'utf8'));
    assert.deepEqual(shape(names[0]), { id: 'number', name: 'string' });
  });
});
