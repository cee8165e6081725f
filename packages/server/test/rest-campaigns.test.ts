/**
 * REST campaigns of the lead database (GET campaigns.json, campaigns/{id}.json, POST trigger.json and
 * schedule.json) at the HTTP level: filters, paging, every error code with its message, runs and
 * Request Campaign activities identical to SOAP requestCampaign's, clones shared with SOAP
 * scheduleCampaign and the asset API, on the store the suite runs on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Activity } from '../src/store/store.js';
import { assetOk } from './support/assets.js';
import { campaignSeedFile, DRIP, INBOUND, REGISTER, REMINDER, SALES_TOUCH } from './support/campaign-seed.js';
import { requestCampaignBody, scheduleCampaignBody } from './support/campaigns.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { accessToken, assertRestError, type Json, REST_CLIENT, REST_SECRET, restCall, restOk } from './support/rest.js';

interface RunView {
  operation: string;
  campaignId: number;
  campaign: string;
  source: string | null;
  userId: string;
  leadIds: number[];
  tokens: Record<string, string>;
  runAt: string;
  requestedAt: string;
  clonedFrom: string | null;
  cloneToProgram: string | null;
}

const activityView = (a: Activity) => ({
  type: a.typeName,
  asset: a.assetName,
  campaign: a.campaign,
  attributes: a.attributes,
});

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function startServer(): Promise<TestServer> {
  return startTestServer({
    seed: campaignSeedFile(),
    restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
    restRatePerWindow: 100_000,
    ratePerWindow: 100_000,
  });
}

describe('REST campaigns', () => {
  let s: TestServer;
  let token: string;

  const get = (path: string) => restCall(s, path, { token });
  const post = (path: string, body?: unknown) =>
    restCall(s, path, {
      method: 'POST',
      token,
      ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' }),
    });
  const ids = (result: Json[]) => result.map((c) => c.id);

  async function runs(): Promise<RunView[]> {
    const r = await s.admin('GET', '/_mktows/campaign-runs');
    assert.equal(r.status, 200);
    return r.body.runs;
  }

  before(async () => {
    s = await startServer();
    token = await accessToken(s);
  });
  after(() => s.close());

  test('campaigns.json lists every campaign by id with Marketo fields, times from its program', async () => {
    const result = restOk(await get('/rest/v1/campaigns.json'));
    const programs = assetOk(await get('/rest/asset/v1/programs.json'));
    assert.deepEqual(
      result.map((c) => [c.id, c.name, c.description, c.type, c.programName, c.programId, c.workspaceName, c.active]),
      [
        [REGISTER, 'Register', 'Registration', 'trigger', 'Spring Webinar', 1, 'Default', true],
        [REMINDER, 'Reminder', 'Day-before reminder', 'batch', 'Spring Webinar', 1, 'Default', false],
        [SALES_TOUCH, 'Sales Touch', '', 'trigger', 'Spring Webinar', 1, 'Default', true],
        [DRIP, 'Drip', '', 'batch', 'Nurture Q3', 2, 'Default', false],
        [INBOUND, 'Inbound', '', 'trigger', 'Ops', 3, 'Other', true],
      ],
    );
    for (const c of result) {
      assert.deepEqual(Object.keys(c), [
        'id',
        'name',
        'description',
        'type',
        'programName',
        'programId',
        'workspaceName',
        'createdAt',
        'updatedAt',
        'active',
      ]);
      assert.match(c.createdAt, TIME);
      const p = programs.find((x: Json) => x.id === c.programId);
      assert.equal(`${c.createdAt}+0000`, p.createdAt);
    }
  });

  test('filters: id, name, programName, workspaceName (case-insensitive), isTriggerable', async () => {
    const list = async (q: string) => ids(restOk(await get(`/rest/v1/campaigns.json?${q}`)));
    assert.deepEqual(await list(`id=${DRIP},${REGISTER}`), [REGISTER, DRIP]);
    assert.deepEqual(await list('name=REGISTER&name=drip'), [REGISTER, DRIP]);
    assert.deepEqual(await list('programName=spring%20webinar'), [REGISTER, REMINDER, SALES_TOUCH]);
    assert.deepEqual(await list('workspaceName=Other'), [INBOUND]);
    // Only trigger campaigns requestable from the Web Service API (MKTOWS): not Sales Touch (SALES only).
    assert.deepEqual(await list('isTriggerable=true'), [REGISTER, INBOUND]);
    assert.deepEqual(await list('isTriggerable=false'), [REGISTER, REMINDER, SALES_TOUCH, DRIP, INBOUND]);
    assert.deepEqual(await list('isTriggerable=true&programName=Ops'), [INBOUND]);
    assert.deepEqual(await list('name=nothing'), []);
    // POST …?_method=GET with the query in a form body, as Marketo allows for long URLs.
    const viaPost = await restCall(s, '/rest/v1/campaigns.json?_method=GET', {
      method: 'POST',
      token,
      body: 'isTriggerable=true&workspaceName=Default',
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual(ids(restOk(viaPost)), [REGISTER]);
  });

  test('paging: batchSize, nextPageToken bound to its query, no token on the last page', async () => {
    const first = await get('/rest/v1/campaigns.json?batchSize=2');
    assert.deepEqual(ids(restOk(first)), [REGISTER, REMINDER]);
    const t1 = first.body.nextPageToken;
    assert.equal(typeof t1, 'string');
    const second = await get(`/rest/v1/campaigns.json?batchSize=2&nextPageToken=${t1}`);
    assert.deepEqual(ids(restOk(second)), [SALES_TOUCH, DRIP]);
    const third = await get(`/rest/v1/campaigns.json?batchSize=2&nextPageToken=${second.body.nextPageToken}`);
    assert.deepEqual(ids(restOk(third)), [INBOUND]);
    assert.equal(third.body.nextPageToken, undefined);
    assertRestError(
      await get(`/rest/v1/campaigns.json?batchSize=2&name=Drip&nextPageToken=${t1}`),
      1003,
      `Invalid nextPageToken '${t1}' for this query`,
    );
  });

  test('parameter errors: 1001 for types, 1003 for ranges', async () => {
    assertRestError(
      await get('/rest/v1/campaigns.json?id=abc'),
      1001,
      "Invalid value 'abc'. Required of type 'Integer'",
    );
    assertRestError(
      await get('/rest/v1/campaigns.json?isTriggerable=maybe'),
      1001,
      "Invalid value 'maybe'. Required of type 'Boolean'",
    );
    assertRestError(
      await get('/rest/v1/campaigns.json?batchSize=x'),
      1001,
      "Invalid value 'x'. Required of type 'Integer'",
    );
    assertRestError(await get('/rest/v1/campaigns.json?batchSize=301'), 1003, 'batchSize must be between 1 and 300');
  });

  test('campaigns/{id}.json: the campaign, 1013 when unknown, 1001 for a bad id; POST is 605', async () => {
    const [c] = restOk(await get(`/rest/v1/campaigns/${INBOUND}.json`));
    const [listed] = restOk(await get(`/rest/v1/campaigns.json?id=${INBOUND}`));
    assert.deepEqual(c, listed);
    assertRestError(await get('/rest/v1/campaigns/999.json'), 1013, 'Campaign not found');
    assertRestError(await get('/rest/v1/campaigns/x1.json'), 1001, "Invalid value 'x1'. Required of type 'Integer'");
    assertRestError(await post(`/rest/v1/campaigns/${INBOUND}.json`, {}), 605);
  });

  test('trigger.json records the run and Request Campaign activities exactly as SOAP requestCampaign does', async () => {
    const before = (await runs()).length;
    const body = {
      input: {
        leads: [{ id: 2 }, { id: 1 }, { id: 2 }],
        tokens: [
          { name: '{{my.message}}', value: 'Hello' },
          { name: '{{my.message}}', value: 'Hello again' },
          { name: '{{my.other token}}', value: 7 },
        ],
      },
    };
    assert.deepEqual(restOk(await post(`/rest/v1/campaigns/${REGISTER}/trigger.json`, body)), [{ id: REGISTER }]);
    const [rest] = await runs();
    assert.equal((await runs()).length, before + 1);
    assert.deepEqual(
      { ...rest, runAt: undefined, requestedAt: undefined, id: undefined, leadTokens: undefined },
      {
        id: undefined,
        operation: 'requestCampaign',
        campaignId: REGISTER,
        campaign: 'Spring Webinar.Register',
        source: 'MKTOWS',
        userId: REST_CLIENT,
        leadIds: [2, 1],
        tokens: { '{{my.message}}': 'Hello again', '{{my.other token}}': '7' },
        leadTokens: undefined,
        runAt: undefined,
        requestedAt: undefined,
        clonedFrom: null,
        cloneToProgram: null,
      },
    );
    assert.equal(rest.runAt, rest.requestedAt);
    const [restActivity] = await s.runtime.store.listActivities(1);

    // The same campaign requested through SOAP: the same run fields and the same activity.
    const soap = await s.soap(requestCampaignBody({ source: 'MKTOWS', campaignId: REGISTER, leads: [['IDNUM', 3]] }));
    assert.equal(soap.status, 200, soap.text);
    const [soapRun] = await runs();
    assert.deepEqual(
      [soapRun.operation, soapRun.campaignId, soapRun.campaign, soapRun.source, soapRun.leadIds],
      ['requestCampaign', REGISTER, 'Spring Webinar.Register', 'MKTOWS', [3]],
    );
    const [soapActivity] = await s.runtime.store.listActivities(3);
    const expected = (leadId: number) => ({
      type: 'Request Campaign',
      asset: 'Spring Webinar.Register',
      campaign: 'Spring Webinar.Register',
      attributes: [
        ['Campaign ID', String(REGISTER)],
        ['Source', 'Web service API'],
        ['Lead ID', String(leadId)],
      ],
    });
    assert.deepEqual(activityView(restActivity), expected(1));
    assert.deepEqual(activityView(soapActivity), expected(3));
  });

  test('trigger.json refuses what it cannot run, with Marketo codes, and writes nothing', async () => {
    const before = await runs();
    const trigger = (id: number | string, body?: unknown) => post(`/rest/v1/campaigns/${id}/trigger.json`, body);
    const leads = [{ id: 1 }];
    assertRestError(await trigger(999, { input: { leads } }), 1013, 'Campaign not found');
    assertRestError(
      await trigger('abc', { input: { leads } }),
      1001,
      "Invalid value 'abc'. Required of type 'Integer'",
    );
    assertRestError(
      await trigger(REMINDER, { input: { leads } }),
      1003,
      `Campaign "Spring Webinar.Reminder" (id ${REMINDER}) is a batch campaign; trigger.json runs trigger campaigns (use scheduleCampaign)`,
    );
    assertRestError(
      await trigger(SALES_TOUCH, { input: { leads } }),
      1003,
      `Campaign "Spring Webinar.Sales Touch" (id ${SALES_TOUCH}) cannot be requested from source MKTOWS`,
    );
    assertRestError(await trigger(REGISTER), 1003, 'The request body must be a JSON object with an input object');
    assertRestError(await trigger(REGISTER, {}), 1002, "Missing value for the required parameter 'input'");
    assertRestError(await trigger(REGISTER, { input: [] }), 1003, 'input must be a JSON object');
    assertRestError(await trigger(REGISTER, { input: {} }), 1003, 'Lead ids not specified');
    assertRestError(await trigger(REGISTER, { input: { leads: [] } }), 1003, 'Lead ids not specified');
    const many = Array.from({ length: 101 }, (_, i) => ({ id: i + 1 }));
    assertRestError(
      await trigger(REGISTER, { input: { leads: many } }),
      1003,
      'Too many leads: 101; the maximum is 100',
    );
    assertRestError(
      await trigger(REGISTER, { input: { leads: [{ id: 'x' }] } }),
      1001,
      `Invalid value '"x"'. Required of type 'Integer'`,
    );
    assertRestError(
      await trigger(REGISTER, { input: { leads: [{ id: 1 }, { id: 77 }] } }),
      1004,
      "Lead '77' not found",
    );
    assertRestError(
      await trigger(REGISTER, { input: { leads, tokens: [{ name: 'my.message', value: 'x' }] } }),
      1003,
      "Invalid token name 'my.message': a My Token is written {{my.name}}",
    );
    const tokens = Array.from({ length: 101 }, (_, i) => ({ name: `{{my.t${i}}}`, value: 'v' }));
    assertRestError(
      await trigger(REGISTER, { input: { leads, tokens } }),
      1003,
      'Too many tokens: 101; the maximum is 100',
    );
    assertRestError(
      await trigger(REGISTER, { input: { leads, tokens: {} } }),
      1003,
      'tokens must be an array of {name, value}',
    );
    // Campaign lookup comes first, then the path method: GET on trigger.json is 605.
    assertRestError(await get(`/rest/v1/campaigns/${REGISTER}/trigger.json`), 605);
    assert.deepEqual(await runs(), before);
    assert.equal((await s.runtime.store.listActivities(77)).length, 0);
  });

  test('schedule.json: runAt, at least five minutes ahead, tokens; 1042 beyond two years', async () => {
    const now = s.runtime.clock.now();
    const at = new Date(now + 86_400_000);
    at.setUTCMilliseconds(0);
    const runAt = at.toISOString().replace('.000Z', '+0000');
    const body = { input: { runAt, tokens: [{ name: '{{my.subject}}', value: 'Tomorrow' }] } };
    assert.deepEqual(restOk(await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, body)), [{ id: REMINDER }]);
    const [run] = await runs();
    assert.deepEqual(
      [run.operation, run.campaignId, run.campaign, run.source, run.userId, run.leadIds, run.tokens, run.runAt],
      [
        'scheduleCampaign',
        REMINDER,
        'Spring Webinar.Reminder',
        null,
        REST_CLIENT,
        [],
        { '{{my.subject}}': 'Tomorrow' },
        at.toISOString(),
      ],
    );

    // No body, or a runAt in the past: five minutes after the call.
    for (const b of [undefined, { input: { runAt: '2001-01-01T00:00:00Z' } }]) {
      restOk(await post(`/rest/v1/campaigns/${DRIP}/schedule.json`, b));
      const [r] = await runs();
      assert.equal(Date.parse(r.runAt) - Date.parse(r.requestedAt), 5 * 60_000);
    }

    const before = await runs();
    const far = new Date(now + 3 * 365 * 86_400_000).toISOString();
    assertRestError(
      await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, { input: { runAt: far } }),
      1042,
      'Invalid runAt date',
    );
    assertRestError(
      await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, { input: { runAt: 'tomorrow' } }),
      1001,
      "Invalid value 'tomorrow'. Required of type 'Date'",
    );
    assertRestError(
      await post(`/rest/v1/campaigns/${REGISTER}/schedule.json`, {}),
      1003,
      `Campaign "Spring Webinar.Register" (id ${REGISTER}) is a trigger campaign; schedule.json schedules batch campaigns only (use requestCampaign)`,
    );
    assertRestError(await post('/rest/v1/campaigns/999/schedule.json', {}), 1013, 'Campaign not found');
    assertRestError(
      await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, { input: { tokens: [{ name: 'x' }] } }),
      1003,
      "Invalid token name 'x': a My Token is written {{my.name}}",
    );
    assert.deepEqual(await runs(), before);
  });
});

describe('REST schedule.json clones, shared with SOAP scheduleCampaign', () => {
  let s: TestServer;
  let token: string;
  const post = (path: string, body: unknown) =>
    restCall(s, path, { method: 'POST', token, body: JSON.stringify(body), contentType: 'application/json' });

  before(async () => {
    s = await startServer();
    token = await accessToken(s);
  });
  after(() => s.close());

  test('a REST clone and a SOAP clone both appear in asset programs and campaigns.json', async () => {
    restOk(
      await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, { input: { cloneToProgramName: 'Webinar Copy' } }),
    );
    const soap = await s.soap(
      scheduleCampaignBody({ programName: 'Nurture Q3', campaignName: 'Drip', cloneToProgramName: 'Nurture Copy' }),
    );
    assert.equal(soap.status, 200, soap.text);
    const programs = assetOk(await restCall(s, '/rest/asset/v1/programs.json', { token }));
    assert.deepEqual(
      programs.map((p: Json) => [p.id, p.name, p.channel, p.folder.folderName]),
      [
        [1, 'Spring Webinar', 'Webinar', 'Events'],
        [2, 'Nurture Q3', 'Nurture', 'Default'],
        [3, 'Ops', 'Operational', 'Other'],
        [4, 'Webinar Copy', 'Webinar', 'Events'],
        [5, 'Nurture Copy', 'Nurture', 'Default'],
      ],
    );
    const copies = restOk(await restCall(s, '/rest/v1/campaigns.json?programName=Webinar%20Copy', { token }));
    assert.deepEqual(
      copies.map((c: Json) => [c.name, c.type]),
      [
        ['Register', 'trigger'],
        ['Reminder', 'batch'],
        ['Sales Touch', 'trigger'],
      ],
    );
    const runs = (await s.admin('GET', '/_mktows/campaign-runs')).body.runs;
    assert.deepEqual(
      runs.slice(0, 2).map((r: RunView) => [r.campaign, r.clonedFrom, r.cloneToProgram, r.userId]),
      [
        ['Nurture Copy.Drip', 'Nurture Q3', 'Nurture Copy', 'test_user'],
        ['Webinar Copy.Reminder', 'Spring Webinar', 'Webinar Copy', REST_CLIENT],
      ],
    );
    // The clone's batch campaign is listed by the asset API, in its new program.
    const [sc] = assetOk(await restCall(s, `/rest/asset/v1/smartCampaign/${copies[1].id}.json`, { token }));
    assert.deepEqual([sc.name, sc.type, sc.folder], ['Reminder', 'batch', { id: 4, type: 'Program' }]);
    assert.equal(sc.status, 'Single Run');
  });

  test('a taken program name is 1003; past the daily limit of 10 clone calls 1020, and nothing is cloned', async () => {
    assertRestError(
      await post(`/rest/v1/campaigns/${REMINDER}/schedule.json`, { input: { cloneToProgramName: 'ops' } }),
      1003,
      'cloneToProgramName: a program named "Ops" already exists',
    );
    // One clone made above by this client; nine more reach the limit.
    for (let i = 2; i <= 10; i++)
      restOk(await post(`/rest/v1/campaigns/${DRIP}/schedule.json`, { input: { cloneToProgramName: `Drip ${i}` } }));
    assertRestError(
      await post(`/rest/v1/campaigns/${DRIP}/schedule.json`, { input: { cloneToProgramName: 'Drip 11' } }),
      1020,
      'cloneToProgramName: the limit of 10 clone calls per day is reached',
    );
    const names = assetOk(await restCall(s, '/rest/asset/v1/programs.json?maxReturn=200', { token })).map(
      (p: Json) => p.name,
    );
    assert.equal(names.length, 14);
    assert.ok(!names.includes('Drip 11'));
    // Scheduling without a clone is not limited.
    restOk(await post(`/rest/v1/campaigns/${DRIP}/schedule.json`, { input: {} }));
  });
});
