/**
 * The activity log (spec §4.6, errors.md): the 57 ActivityType tokens and their display names, the
 * activity every write appends, the seed's `activities` section and the demo's history, and
 * getLeadActivity over HTTP: filters, newest-first paging with newStartPosition, the end of the
 * stream, versions (marketoGUID on 3_1 only) and each of its fault codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enumTypeDef, formatW3C } from '@mktows/protocol';
import { ACTIVITY, ACTIVITY_TYPES, canonicalActivityName } from '../src/domain/activity-types.js';
import { DEMO_LIST_SIZE } from '../src/seed/demo.js';
import {
  getLeadActivityBody,
  type LeadActivityInput,
  nextPosition,
  type ParsedActivity,
  parseLeadActivity,
} from './support/activities.js';
import { onBridge } from './support/bridge-mode.js';
import { assertFault, call } from './support/fault-helpers.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { mergeBody, ok, seed, syncLeadBody } from './support/leads.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const iso = (ms: number) => formatW3C(new Date(ms));

/** Adobe's "Activity Type Filters" page: the names activityNameFilter takes. */
const ADOBE_FILTER_NAMES = [
  'Add to List',
  'Add to Nurture',
  'Add to Opportunity',
  'Add to Segment',
  'Add to SFDC Campaign',
  'Add to Smart Campaign',
  'Assign Nurture Content',
  'Capture Campaign Membership History',
  'Capture List Membership History',
  'Change Account Owner',
  'Change Attribute Datatype',
  'Change CRM User',
  'Change Custom Object',
  'Change Data Value',
  'Change Nurture Cadence',
  'Change Nurture Exhausted',
  'Change Nurture Track',
  'Change Owner',
  'Change Program Data',
  'Change Revenue Stage',
  'Change Revenue Stage Manually',
  'Change Score',
  'Change Segment',
  'Change Status in Progression',
  'Change Status in SFDC Campaign',
  'Click Email',
  'Click Link',
  'Click Sales Email',
  'Click Shared Link',
  'Convert Lead',
  'Create Task',
  'Delete Lead from SFDC',
  'Email Bounced',
  'Email Bounced Soft',
  'Email Delivered',
  'Enrich with Data.com',
  'Fill Out Form',
  'Interesting Moment',
  'Lead Assigned',
  'Merge Leads',
  'New Lead',
  'New SFDC Opportunity',
  'Nurture Deploy',
  'Open Email',
  'Open Sales Email',
  'Receive Sales Email',
  'Received Forward to Friend Email',
  'Remove from Flow',
  'Remove from List',
  'Remove from Opportunity',
  'Remove from SFDC Campaign',
  'Request Campaign',
  'Reward Test Group Variant',
  'Sales Email Bounced',
  'Segmentation Approval',
  'Send Alert',
  'Send Email',
  'Send Sales Email',
  'Sent Forward to Friend Email',
  'SFDC Activity',
  'SFDC Activity Updated',
  'SFDC Merge Leads',
  'Share Content',
  'Sync Lead to SFDC',
  'Sync Lead Updates to SFDC',
  'Unsubscribe Email',
  'Update Opportunity',
  'Visit Webpage',
];

const RECORD_3_1 = [
  'id',
  'marketoGUID',
  'activityDateTime',
  'activityType',
  'mktgAssetName',
  'activityAttributes',
  'campaign',
  'personName',
  'mktPersonId',
  'foreignSysId',
  'orgName',
  'foreignSysOrgId',
];

async function activity(s: TestServer, p: LeadActivityInput, version?: string) {
  return parseLeadActivity(await s.soap(getLeadActivityBody(p), { version }));
}

/** Pages through a lead's activity with a batch size; checks every page's counts. */
async function pageAll(s: TestServer, p: LeadActivityInput): Promise<{ records: ParsedActivity[]; pages: number }> {
  const records: ParsedActivity[] = [];
  let position = p.position;
  let latest: string | null | undefined;
  for (let pages = 1; ; pages++) {
    const pg = await activity(s, { ...p, position });
    assert.equal(pg.returnCount, pg.records.length);
    records.push(...pg.records);
    // The upper bound is fixed by the first page and carried by every later one.
    if (latest === undefined) latest = pg.position.latestCreatedAt;
    assert.equal(pg.position.latestCreatedAt, latest);
    if (pg.remainingCount === 0) return { records, pages };
    assert.ok(pg.position.offset, 'a page with more to come has an offset');
    position = nextPosition(pg.position);
    assert.ok(pages < 500, 'paging ends');
  }
}

const byTimeDesc = (a: ParsedActivity, b: ParsedActivity) =>
  b.activityDateTime.localeCompare(a.activityDateTime) || (b.id ?? 0) - (a.id ?? 0);

describe('activity types', () => {
  test('all 57 ActivityType tokens of the schema have an id and a display name, each unique', () => {
    const tokens = enumTypeDef('ActivityType')?.values.map((v) => v.value) ?? [];
    assert.equal(tokens.length, 57);
    assert.deepEqual(
      ACTIVITY_TYPES.map((t) => t.token),
      tokens,
      'same tokens, in the schema order',
    );
    assert.equal(new Set(ACTIVITY_TYPES.map((t) => t.id)).size, 57);
    assert.equal(new Set(ACTIVITY_TYPES.map((t) => t.name)).size, 57);
    // Ids that Marketo's REST activity types list states.
    const ids = Object.fromEntries(ACTIVITY_TYPES.map((t) => [t.name, t.id]));
    assert.deepEqual(
      [
        ids['Visit Webpage'],
        ids['Fill Out Form'],
        ids['Click Link'],
        ids['Open Email'],
        ids['New Lead'],
        ids['Change Data Value'],
        ids['Change Score'],
        ids['Add to List'],
        ids['Remove from List'],
        ids['Merge Leads'],
        ids['Request Campaign'],
        ids['Change Status in Progression'],
      ],
      [1, 2, 3, 10, 12, 13, 22, 24, 25, 32, 47, 104],
    );
    assert.equal(ACTIVITY.PushLeadToSales.name, 'Sync Lead to SFDC');
  });

  test("activityNameFilter names: the 68 of Adobe's filter page and every type's own, case-insensitively", () => {
    assert.equal(ADOBE_FILTER_NAMES.length, 68);
    for (const n of ADOBE_FILTER_NAMES) assert.equal(canonicalActivityName(n), n);
    for (const t of ACTIVITY_TYPES) assert.equal(canonicalActivityName(t.name.toUpperCase()), t.name);
    assert.equal(canonicalActivityName('Visit Web Page'), undefined);
    // Every type's name is on the page except ten the page never listed.
    const own = ACTIVITY_TYPES.map((t) => t.name).filter((n) => !ADOBE_FILTER_NAMES.includes(n));
    assert.deepEqual(own, [
      'Wait',
      'Run Subflow',
      'Resolve Conflicts',
      'Delete Lead',
      'Change Lead Partition',
      'Compute Data Value',
      'Change Field in Program',
      'Resolve Ruleset',
      'Smart Campaign Test',
      'Smart Campaign Test Trigger',
    ]);
  });
});

describe('the activity log records every write', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
  });
  after(() => s.close());

  test('syncLead: New Lead, then Change Data Value per field, and Change Score when LeadScore changes', async () => {
    const created = ok(await s.soap(syncLeadBody({ Email: 'log@example.com', attrs: { LeadScore: 5 } })));
    const id = Number(created.children.find((c) => c.local === 'leadId')?.text);
    let pg = await activity(s, { key: ['IDNUM', id] });
    assert.deepEqual(
      pg.records.map((r) => r.activityType),
      ['New Lead'],
    );
    assert.deepEqual(pg.records[0].attributes, {
      'Source Type': 'Web service API',
      'Source Info': 'Web service API',
      'Created Date': pg.records[0].activityDateTime.slice(0, 10),
      'Lead ID': String(id),
    });
    assert.equal(pg.records[0].mktPersonId, String(id));
    assert.equal(pg.records[0].mktgAssetName, '', 'no asset: an empty mktgAssetName, as Marketo wrote');

    ok(await s.soap(syncLeadBody({ Email: 'log@example.com', attrs: { LeadScore: 12, City: 'Basel' } })));
    pg = await activity(s, { key: ['IDNUM', id], filter: { include: ['ChangeDataValue', 'ChangeScore'] } });
    const byType = (t: string) => pg.records.filter((r) => r.activityType === t);
    const cdv = Object.fromEntries(byType('Change Data Value').map((r) => [r.mktgAssetName, r.attributes]));
    assert.deepEqual(Object.keys(cdv).sort(), ['City', 'Lead Score']);
    assert.deepEqual(cdv['Lead Score'], {
      'Attribute Name': 'Lead Score',
      'Old Value': '5',
      'New Value': '12',
      Reason: 'Web service API',
      Source: 'Web service API',
      'Lead ID': String(id),
    });
    const score = byType('Change Score');
    assert.equal(score.length, 1);
    assert.equal(score[0].mktgAssetName, 'Lead Score');
    assert.deepEqual(score[0].attributes, {
      'Score Name': 'Lead Score',
      'Change Value': '+7',
      'Old Value': '5',
      'New Value': '12',
      Reason: 'Web service API',
      Source: 'Web service API',
      'Lead ID': String(id),
    });
  });

  test('a LeadScore going down is a negative Change Value', async () => {
    ok(await s.soap(syncLeadBody({ Email: 'down@example.com', attrs: { FirstName: 'D' } })));
    ok(await s.soap(syncLeadBody({ Email: 'down@example.com', attrs: { LeadScore: 40 } })));
    ok(await s.soap(syncLeadBody({ Email: 'down@example.com', attrs: { LeadScore: 15 } })));
    const pg = await activity(s, { key: ['EMAIL', 'down@example.com'], filter: { include: ['ChangeScore'] } });
    assert.deepEqual(
      pg.records.map((r) => [r.attributes['Change Value'], r.attributes['Old Value'], r.attributes['New Value']]),
      [
        ['-25', '40', '15'],
        ['+40', '', '40'],
      ],
    );
  });

  test("mergeLeads: Merge Leads on the winner, and the losers' activities move to it", async () => {
    const a = Number(ok(await s.soap(syncLeadBody({ Email: 'win@example.com' }))).children[0].text);
    const b = Number(
      ok(await s.soap(syncLeadBody({ Email: 'lose@example.com', attrs: { LeadScore: 3 } }))).children[0].text,
    );
    ok(await s.soap(mergeBody(['IDNUM', a], [['IDNUM', b]])));
    const pg = await activity(s, { key: ['IDNUM', a] });
    const types = pg.records.map((r) => r.activityType);
    assert.equal(types[0], 'Merge Leads');
    assert.deepEqual(pg.records[0].attributes['Merge ids'], String(b));
    // The loser's score filled the winner's empty one: Change Data Value and Change Score.
    assert.ok(types.includes('Change Score'));
    assert.equal(types.filter((t) => t === 'New Lead').length, 2, "both New Lead activities are the winner's now");
    for (const r of pg.records) assert.equal(r.mktPersonId, String(a));
  });
});

describe('seed activities', () => {
  let s: TestServer;
  const now = Date.now();
  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
    await seed(s, { leads: [{ Email: 'hist@example.com', FirstName: 'Hist' }] });
  });
  after(() => s.close());

  test('historical activities are written with their time, asset, campaign and attributes (Lead ID appended)', async () => {
    const body = await seed(s, {
      activities: [
        {
          lead: 'hist@example.com',
          type: 'Visit Webpage',
          at: new Date(now - 3 * DAY).toISOString(),
          asset: 'Pricing',
          attributes: { 'Webpage ID': 1002, 'Webpage URL': '/pricing.html' },
        },
        { lead: 'HIST@example.com', type: 'OpenEmail', at: iso(now - 5 * DAY), asset: 'Welcome', campaign: 'Welcome' },
        { lead: 1, type: 'fill out form', at: iso(now - 2 * DAY), asset: 'Contact Us' },
      ],
    });
    assert.equal(body.activities, 3);
    const pg = await activity(s, { key: ['EMAIL', 'hist@example.com'], filter: { exclude: ['NewLead'] } });
    assert.deepEqual(
      pg.records.map((r) => [
        r.activityType,
        r.mktgAssetName,
        onBridge('seeded campaign names are no REST campaign') ? '' : r.campaign,
      ]),
      [
        ['Fill Out Form', 'Contact Us', ''],
        ['Visit Webpage', 'Pricing', ''],
        ['Open Email', 'Welcome', onBridge('seeded campaign names are no REST campaign') ? '' : 'Welcome'],
      ],
    );
    assert.deepEqual(pg.records[1].attributes, {
      'Webpage ID': '1002',
      'Webpage URL': '/pricing.html',
      'Lead ID': '1',
    });
    assert.equal(pg.records[1].activityDateTime, formatW3C(new Date(Math.floor((now - 3 * DAY) / 1000) * 1000)));
    // Seeded in time order: ids follow time among them.
    const ids = pg.records.map((r) => r.id ?? 0);
    assert.deepEqual(
      [...ids].sort((x, y) => y - x),
      ids,
    );
  });

  for (const [name, activities, message] of [
    [
      'an unknown type',
      [{ lead: 1, type: 'Walk the Dog', at: '2026-01-01T00:00:00Z' }],
      'seed: activities[0].type "Walk the Dog" is not an activity type',
    ],
    [
      'a lead that does not exist',
      [
        { lead: 1, type: 'Visit Webpage', at: '2026-01-01T00:00:00Z' },
        { lead: 'nobody@example.com', type: 'Visit Webpage', at: '2026-01-02T00:00:00Z' },
      ],
      'seed: activities[1].lead "nobody@example.com" matches no lead',
    ],
    [
      'a time that is not a date-time',
      [{ lead: 1, type: 'Visit Webpage', at: 'yesterday' }],
      'seed: activities[0].at "yesterday" is not an ISO date-time',
    ],
    [
      'an unknown field',
      [{ lead: 1, type: 'Visit Webpage', at: '2026-01-01T00:00:00Z', page: 'x' }],
      'seed: activities[0].page is not a field; expected lead, type, at, asset, campaign, attributes',
    ],
  ] as const) {
    test(`a seed with ${name} is refused whole`, async () => {
      const before = (await activity(s, { key: ['IDNUM', 1] })).returnCount;
      const r = await s.admin('POST', '/_mktows/seed', {
        leads: [{ Email: 'never@example.com' }],
        activities,
      });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, message);
      assert.equal((await activity(s, { key: ['IDNUM', 1] })).returnCount, before);
      assert.equal((await s.soap(getLeadActivityBody({ key: ['EMAIL', 'never@example.com'] }))).fault?.code, 20103);
    });
  }
});

describe('the demo history', () => {
  let s: TestServer;
  let seededAt: number;
  before(async () => {
    seededAt = Date.now();
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());

  test('a few hundred web and e-mail activities over the 30 days before seeding, and Add to List for the Demo List', async () => {
    const all = await s.runtime.store.pageActivityChanges({ afterId: 0, limit: 100_000 });
    const count = (t: string) => all.activities.filter((a) => a.typeName === t).length;
    const history = all.activities.filter((a) => !['New Lead', 'Add to List'].includes(a.typeName));
    assert.ok(history.length >= 300 && history.length <= 600, `${history.length} historical activities`);
    for (const t of [
      'Send Email',
      'Email Delivered',
      'Open Email',
      'Click Email',
      'Visit Webpage',
      'Click Link',
      'Fill Out Form',
    ]) {
      assert.ok(count(t) > 0, `some ${t}`);
    }
    for (const a of history) {
      assert.ok(a.occurredAt >= seededAt - 30 * DAY && a.occurredAt < seededAt, `${a.typeName} at ${a.occurredAt}`);
    }
    assert.equal(count('New Lead'), 500);
    assert.equal(count('Add to List'), DEMO_LIST_SIZE);
  });

  test("Ada's history, newest first: Add to List and New Lead at seeding, her e-mail journey before", async () => {
    const pg = await activity(s, { key: ['EMAIL', 'ada@demo.example'] });
    assert.equal(pg.returnCount, pg.records.length);
    assert.ok(pg.returnCount >= 8, `${pg.returnCount} activities`);
    assert.deepEqual([...pg.records].sort(byTimeDesc), pg.records, 'newest first');
    const types = pg.records.map((r) => r.activityType);
    assert.deepEqual(types.slice(-2), ['Send Email', 'Email Delivered'].reverse());
    for (const t of ['New Lead', 'Add to List', 'Open Email', 'Click Email', 'Visit Webpage', 'Fill Out Form']) {
      assert.ok(types.includes(t), t);
    }
    const add = pg.records.find((r) => r.activityType === 'Add to List');
    assert.equal(add?.mktgAssetName, 'Demo List');
    const mail = pg.records.find((r) => r.activityType === 'Send Email');
    assert.equal(mail?.campaign, 'Demo Program.Welcome');
  });
});

describe('getLeadActivity', () => {
  let s: TestServer;
  let adaId: number;
  /** A lead with 130 seeded Visit Webpage activities, one a minute. */
  const busy = 'busy@demo.example';
  const now = Date.now();
  before(async () => {
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
    adaId = (await s.runtime.store.findLeads({ by: 'EMAIL', value: 'ada@demo.example' }))[0].id;
    await seed(s, {
      leads: [{ Email: busy }],
      activities: Array.from({ length: 130 }, (_, i) => ({
        lead: busy,
        type: i % 10 === 0 ? 'Fill Out Form' : 'Visit Webpage',
        at: iso(now - (200 - i) * MINUTE),
        asset: `Page ${i}`,
      })),
    });
  });
  after(() => s.close());

  test("the record has Marketo's elements: id and marketoGUID on 3_1, nils and empties as in the samples", async () => {
    const r = await s.soap(getLeadActivityBody({ key: ['IDNUM', adaId], batchSize: 1 }));
    assert.match(r.text, /<campaign\/>|<campaign>/);
    const pg = parseLeadActivity(r);
    assert.equal(pg.returnCount, 1);
    const rec = pg.records[0];
    assert.deepEqual(rec.elements, RECORD_3_1);
    assert.match(rec.marketoGUID ?? '', /^[0-9a-f-]{36}$/);
    assert.ok((rec.id ?? 0) > 0);
    assert.match(r.text, /<personName xsi:nil="true"\/>/);
    assert.match(r.text, /<foreignSysId xsi:nil="true"\/><orgName xsi:nil="true"\/><foreignSysOrgId xsi:nil="true"\/>/);
  });

  test('on 2_6 and 2_2 paths: ids only, no marketoGUID', async () => {
    for (const version of ['2_6', '2_2']) {
      const pg = await activity(s, { key: ['IDNUM', adaId], batchSize: 3 }, version);
      for (const rec of pg.records) {
        assert.deepEqual(
          rec.elements,
          RECORD_3_1.filter((e) => e !== 'marketoGUID'),
        );
        assert.equal(rec.marketoGUID, undefined);
      }
    }
  });

  test('includeTypes returns only those types; excludeTypes all others', async () => {
    const all = (await activity(s, { key: ['IDNUM', adaId] })).records;
    const only = await activity(s, { key: ['IDNUM', adaId], filter: { include: ['VisitWebpage', 'FillOutForm'] } });
    assert.ok(only.returnCount > 0);
    assert.deepEqual(
      only.records.map((r) => r.id),
      all.filter((r) => ['Visit Webpage', 'Fill Out Form'].includes(r.activityType)).map((r) => r.id),
    );
    const but = await activity(s, { key: ['IDNUM', adaId], filter: { exclude: ['VisitWebpage', 'NewLead'] } });
    assert.deepEqual(
      but.records.map((r) => r.id),
      all.filter((r) => !['Visit Webpage', 'New Lead'].includes(r.activityType)).map((r) => r.id),
    );
    // Empty filters (and Marketo's sample: empty startPosition children) mean everything.
    const empty = await activity(s, {
      key: ['IDNUM', adaId],
      filter: { include: [] },
      position: { latestCreatedAt: '', offset: '' },
    });
    assert.deepEqual(
      empty.records.map((r) => r.id),
      all.map((r) => r.id),
    );
  });

  test('batchSize above 100 is limited to 100; remainingCount counts the rest', async () => {
    const pg = await activity(s, { key: ['EMAIL', busy], batchSize: 500 });
    assert.equal(pg.returnCount, 100);
    assert.equal(pg.remainingCount, 31, '130 seeded + New Lead');
    const dflt = await activity(s, { key: ['EMAIL', busy] });
    assert.equal(dflt.returnCount, 100, 'no batchSize: 100');
  });

  test('newStartPosition pages newest first through the whole history: no repeats, nothing skipped', async () => {
    const full = (await activity(s, { key: ['EMAIL', busy], batchSize: 100 })).records;
    const rest = await activity(s, {
      key: ['EMAIL', busy],
      batchSize: 100,
      position: nextPosition((await activity(s, { key: ['EMAIL', busy], batchSize: 100 })).position),
    });
    const expected = [...full, ...rest.records];
    assert.equal(expected.length, 131);
    const { records, pages } = await pageAll(s, { key: ['EMAIL', busy], batchSize: 7 });
    assert.equal(pages, Math.ceil(131 / 7));
    assert.deepEqual(
      records.map((r) => r.id),
      expected.map((r) => r.id),
    );
    assert.equal(new Set(records.map((r) => r.id)).size, 131);
    assert.deepEqual([...records].sort(byTimeDesc), records);
  });

  test('the first page fixes latestCreatedAt: activity written later is not in this stream', async () => {
    const first = await activity(s, { key: ['IDNUM', adaId], batchSize: 2 });
    assert.ok(first.position.latestCreatedAt, 'latestCreatedAt is set');
    assert.equal(first.position.oldestCreatedAt, null);
    assert.equal(first.position.activityCreatedAt, null);
    // A change after the first page.
    await new Promise((r) => setTimeout(r, 10));
    ok(await s.soap(syncLeadBody({ Id: adaId, attrs: { Title: 'Countess' } })));
    const rest = await pageAll(s, { key: ['IDNUM', adaId], batchSize: 2, position: nextPosition(first.position) });
    assert.ok(!rest.records.some((r) => r.activityType === 'Change Data Value'), 'the later change is not returned');
    // A new stream sees it first.
    const fresh = await activity(s, { key: ['IDNUM', adaId], batchSize: 1 });
    assert.equal(fresh.records[0].activityType, 'Change Data Value');
  });

  test('oldestCreatedAt and latestCreatedAt bound the history and are echoed', async () => {
    const oldest = iso(now - 150 * MINUTE);
    const latest = iso(now - 100 * MINUTE);
    const pg = await activity(s, {
      key: ['EMAIL', busy],
      position: { oldestCreatedAt: oldest, latestCreatedAt: latest },
    });
    // Seeded at now-(200-i) minutes: i from 50 to 100.
    assert.equal(pg.returnCount, 51);
    assert.deepEqual([pg.records[0].mktgAssetName, pg.records[50].mktgAssetName], ['Page 100', 'Page 50']);
    assert.deepEqual([pg.position.oldestCreatedAt, pg.position.latestCreatedAt], [oldest, latest]);
  });

  test('past the end: returnCount 0, no records, and the position echoed', async () => {
    const { records } = await pageAll(s, { key: ['IDNUM', adaId], batchSize: 50 });
    const last = await activity(s, { key: ['IDNUM', adaId], batchSize: 50 });
    assert.equal(last.remainingCount, 0);
    assert.equal(last.returnCount, records.length);
    const end = await activity(s, { key: ['IDNUM', adaId], batchSize: 50, position: nextPosition(last.position) });
    assert.equal(end.returnCount, 0);
    assert.equal(end.remainingCount, 0);
    assert.deepEqual(end.position, last.position);
    assert.equal(end.records.length, 0);
  });

  test('an e-mail shared by several leads names the most recent one', async () => {
    const body = `<ns1:paramsSyncMultipleLeads><leadRecordList><leadRecord><Email>twin@demo.example</Email></leadRecord><leadRecord><Email>twin@demo.example</Email></leadRecord></leadRecordList><dedupEnabled>false</dedupEnabled></ns1:paramsSyncMultipleLeads>`;
    const r = ok(await s.soap(body));
    const ids = r.children[0].children.map((st) => Number(st.children[0].text));
    const pg = await activity(s, { key: ['EMAIL', 'twin@demo.example'] });
    assert.deepEqual(
      pg.records.map((x) => x.mktPersonId),
      [String(Math.max(...ids))],
    );
  });
});

describe('getLeadActivity faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());
  const body = (p: LeadActivityInput) => getLeadActivityBody(p);

  test('20101: no leadKey, or a leadKey without keyType', async () => {
    assertFault(await call(s, body({})), 20101, 'paramsGetLeadActivity.leadKey is required');
    assertFault(
      await call(
        s,
        '<ns1:paramsGetLeadActivity><leadKey><keyValue>ada@demo.example</keyValue></leadKey></ns1:paramsGetLeadActivity>',
      ),
      20101,
      'paramsGetLeadActivity.leadKey.keyType is required',
    );
  });

  test('20102: a keyType outside LeadKeyRef', async () => {
    assertFault(
      await call(s, body({ key: ['PHONE', '+1 312 555 1000'] })),
      20102,
      'paramsGetLeadActivity.leadKey.keyType: "PHONE" is not a valid LeadKeyRef',
    );
  });

  test('20103: a key that matches no lead', async () => {
    assertFault(
      await call(s, body({ key: ['EMAIL', 'nobody@demo.example'] })),
      20103,
      'No lead found with EMAIL = nobody@demo.example',
    );
    assertFault(await call(s, body({ key: ['IDNUM', 999999] })), 20103, 'No lead found with IDNUM = 999999');
  });

  test('20107: an activity type outside the enum, or both includeTypes and excludeTypes', async () => {
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], filter: { include: ['VisitWebPage'] } })),
      20107,
      'paramsGetLeadActivity.activityFilter.includeTypes.activityType: "VisitWebPage" is not a valid ActivityType',
    );
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], filter: { exclude: ['Visit Webpage'] } })),
      20107,
      'paramsGetLeadActivity.activityFilter.excludeTypes.activityType: "Visit Webpage" is not a valid ActivityType',
    );
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], filter: { include: ['VisitWebpage'], exclude: ['NewLead'] } })),
      20107,
      'activityFilter has both includeTypes and excludeTypes; give one of them (include or exclude)',
    );
  });

  test('20110: batchSize below 1', async () => {
    assertFault(await call(s, body({ key: ['IDNUM', 1], batchSize: 0 })), 20110, 'batchSize 0 must be at least 1');
    assertFault(await call(s, body({ key: ['IDNUM', 1], batchSize: -5 })), 20110, 'batchSize -5 must be at least 1');
  });

  test('20114: a batchSize that is not an int', async () => {
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], batchSize: 'ten' })),
      20114,
      'paramsGetLeadActivity.batchSize: "ten" is not a valid int',
    );
  });

  test('20122: an offset that is not ours, tampered, or issued for another lead or filter', async () => {
    const first = await activity(s, { key: ['IDNUM', 1], batchSize: 2 });
    const offset = first.position.offset ?? '';
    assert.ok(offset.length > 20);
    const shown = (p: string) => (p.length > 40 ? `${p.slice(0, 40)}…` : p);
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], position: { offset: 'ID:1024814' } })),
      20122,
      'Stream position "ID:1024814" is not valid',
    );
    const tampered = offset.slice(0, 3) + (offset[3] === 'A' ? 'B' : 'A') + offset.slice(4);
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], position: { offset: tampered } })),
      20122,
      `Stream position "${shown(tampered)}" is not valid`,
    );
    const other = 'Stream position was issued for a different selector or filter; restart the stream';
    assertFault(await call(s, body({ key: ['IDNUM', 2], position: { offset } })), 20122, other);
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], filter: { include: ['NewLead'] }, position: { offset } })),
      20122,
      other,
    );
    assertFault(
      await call(s, body({ key: ['IDNUM', 1], position: { offset, oldestCreatedAt: '2026-01-01T00:00:00Z' } })),
      20122,
      other,
    );
    // With the lead and filter it was issued for, it pages on.
    assert.equal(
      (await activity(s, { key: ['EMAIL', 'ada@demo.example'], batchSize: 2, position: { offset } })).returnCount,
      2,
    );
  });
});
