/**
 * Opportunities, person roles and programs through the bridge (getMObjects, syncMObjects,
 * deleteMObjects) on the demo data: reads compared with the emulator behind the bridge, writes
 * with the same write on a twin emulator and read back behind the bridge. The trees are compared
 * once the documented differences are taken out (no integer ids, roles' opportunity as an
 * association, programs without Workspace Id and tokens).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type BridgePair, startBridgePair, type Tree, treeOf } from './support/bridge.js';
import { bridgeWithTwin, restCalls } from './support/bridge-twin.js';
import { findAll, type SoapResult, type TestServer } from './support/harness.js';
import {
  deleteMObjectsBody,
  type GetMObjectsInput,
  getMObjectsBody,
  type MObjectInput,
  parseGetMObjects,
  parseMObjStatuses,
  syncMObjectsBody,
} from './support/mobjects.js';

const nameOf = (t: Tree) => t.children?.find((c) => c.name === 'name' || c.name === 'attrType')?.text;

/** A tree without the children `drop` names, at any depth. */
function prune(t: Tree, drop: (c: Tree) => boolean): Tree {
  if (!t.children) return t;
  return { ...t, children: t.children.filter((c) => !drop(c)).map((c) => prune(c, drop)) };
}

/** What the bridge cannot show, taken out of either side. */
const bridgeGaps = (c: Tree) =>
  c.name === 'id' ||
  (c.name === 'attrib' && ['Workspace Id', 'OpportunityId'].includes(nameOf(c) ?? '')) ||
  (c.name === 'typeAttrib' && nameOf(c) === 'Token') ||
  (c.name === 'externalKey' && c.children?.[0]?.text === 'externalOpportunityId') ||
  c.name === 'associationList';

const objects = (r: SoapResult) =>
  findAll(r.doc, 'mObject').map((m) =>
    prune(treeOf(m), (c) => bridgeGaps(c) || (c.name === 'externalKey' && c.children?.[0]?.text === 'externalKey')),
  );

describe('bridge: getMObjects', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  async function same(q: GetMObjectsInput, count: number): Promise<{ emulator: SoapResult; bridge: SoapResult }> {
    const r = await p.both(getMObjectsBody(q));
    assert.equal(r.bridge.status, 200, r.bridge.text);
    assert.equal(r.emulator.status, 200, r.emulator.text);
    assert.deepEqual(objects(r.bridge), objects(r.emulator), JSON.stringify(q));
    const e = parseGetMObjects(r.emulator);
    const b = parseGetMObjects(r.bridge);
    assert.deepEqual([b.returnCount, b.hasMore], [e.returnCount, e.hasMore]);
    assert.equal(b.returnCount, count, JSON.stringify(q));
    return r;
  }

  test('programs: all, by id, by name, by tag and dates, with details: as the emulator', async () => {
    const all = await same({ type: 'Program' }, 2);
    const demo = parseGetMObjects(all.bridge).objects[0];
    assert.equal(demo.attribs['Tree Path'], '/Marketing Activities/Default/Demo/Demo Program');
    assert.equal(demo.attribs.Type, 'Marketing Program');
    assert.deepEqual(demo.typeAttribs, [
      ['Tag', { Type: 'Channel', Value: 'Webinar' }],
      ['Tag', { Type: 'Region', Value: 'EMEA' }],
      ['Cost', { Id: '1', Month: '2026-01-01', Amount: '3000', Note: 'Speaker' }],
    ]);
    await same({ type: 'Program', id: 2 }, 1);
    assert.deepEqual(await restCalls(p), ['GET /rest/asset/v1/program/2.json']);
    await same({ type: 'Program', id: 99 }, 0);
    await same({ type: 'Program', criteria: [['Name', 'EQ', 'spring roadshow']] }, 1);
    assert.deepEqual(await restCalls(p), ['GET /rest/asset/v1/program/byName.json']);
    await same(
      {
        type: 'Program',
        criteria: [
          ['Tag Type', 'EQ', 'Region'],
          ['Tag Value', 'EQ', 'EMEA'],
        ],
      },
      1,
    );
    await same(
      {
        type: 'Program',
        criteria: [
          ['Tag Type', 'EQ', 'Channel'],
          ['Tag Value', 'EQ', 'Tradeshow'],
        ],
      },
      1,
    );
    await same({ type: 'Program', criteria: [['Updated At', 'GE', '2000-01-01T00:00:00Z']] }, 2);
    await same({ type: 'Program', criteria: [['Updated At', 'LT', '2000-01-01T00:00:00Z']] }, 0);
    await same({ type: 'Program', criteria: [['Id', 'NE', '1']] }, 1);
    await same({ type: 'Program', includeDetails: true }, 2);
  });

  test('opportunities: by externalKey, CRM Id, Lead association, with criteria; the externalKey is externalOpportunityId', async () => {
    const r = await same({ type: 'Opportunity', externalKey: ['externalKey', 'OPP-1'] }, 1);
    assert.deepEqual(parseGetMObjects(r.bridge).objects[0].externalKey, ['externalOpportunityId', 'OPP-1']);
    assert.equal(Number.isNaN(parseGetMObjects(r.bridge).objects[0].id), true);
    assert.deepEqual(await restCalls(p), [
      'GET /rest/v1/opportunities/describe.json',
      'GET /rest/v1/opportunities.json',
    ]);
    await same(
      {
        type: 'Opportunity',
        criteria: [
          ['CRM Id', 'EQ', 'OPP-3'],
          ['Stage', 'EQ', 'closed won'],
        ],
      },
      1,
    );
    await same(
      {
        type: 'Opportunity',
        criteria: [
          ['CRM Id', 'EQ', 'OPP-3'],
          ['Stage', 'NE', 'Closed Won'],
        ],
      },
      0,
    );
    // Lead 1 is in OPP-1 and OPP-3.
    await same({ type: 'Opportunity', associations: [{ type: 'Lead', id: 1 }] }, 2);
    assert.deepEqual(await restCalls(p), ['GET /rest/v1/opportunities/roles.json', 'GET /rest/v1/opportunities.json']);
    await same({ type: 'Opportunity', externalKey: ['externalKey', 'OPP-9'] }, 0);
    // A Lead association by e-mail: the lead through REST's email filter first.
    await same(
      { type: 'Opportunity', associations: [{ type: 'Lead', externalKey: ['Email', 'ada@demo.example'] }] },
      2,
    );
    assert.deepEqual(await restCalls(p), [
      'GET /rest/v1/leads.json',
      'GET /rest/v1/opportunities/roles.json',
      'GET /rest/v1/opportunities.json',
    ]);
    await same(
      { type: 'Opportunity', associations: [{ type: 'Lead', externalKey: ['Email', 'nobody@x.example'] }] },
      0,
    );
    assert.deepEqual(await restCalls(p), ['GET /rest/v1/leads.json']);
  });

  test('roles: by Opportunity and Lead association, the opportunity shown as an association', async () => {
    const r = await same(
      { type: 'OpportunityPersonRole', associations: [{ type: 'Opportunity', externalKey: ['externalKey', 'OPP-1'] }] },
      2,
    );
    assert.deepEqual(
      parseGetMObjects(r.bridge).objects.map((o) => [o.attribs, o.associations]),
      [
        [{ PersonId: '1', Role: 'Decision Maker', IsPrimary: 'true' }, [{ type: 'Opportunity', externalKey: 'OPP-1' }]],
        [{ PersonId: '11', Role: 'Influencer', IsPrimary: 'false' }, [{ type: 'Opportunity', externalKey: 'OPP-1' }]],
      ],
    );
    await same({ type: 'OpportunityPersonRole', associations: [{ type: 'Lead', id: 1 }] }, 2);
    await same(
      { type: 'OpportunityPersonRole', associations: [{ type: 'Lead', externalKey: ['email', 'ada@demo.example'] }] },
      2,
    );
    await same(
      {
        type: 'OpportunityPersonRole',
        associations: [{ type: 'Lead', id: 1 }],
        criteria: [['Role', 'EQ', 'champion']],
      },
      1,
    );
    // The 2_6 spelling is taken and echoed.
    const old = await p.bridge.soap(
      getMObjectsBody({ type: 'OpportunityLeadRole', associations: [{ type: 'Lead', id: 2 }] }),
    );
    assert.deepEqual(
      parseGetMObjects(old).objects.map((o) => [o.type, o.attribs.Role]),
      [['OpportunityLeadRole', 'Economic Buyer']],
    );
  });

  test('faults: the emulator’s for bad types, criteria and associations; ids and unfiltered reads are 20110', async () => {
    for (const q of [
      { type: 'Nope' },
      { type: 'Program', criteria: [['Colour', 'EQ', 'x']] },
      { type: 'Program', criteria: [['Id', 'EQ', 'abc']] },
      { type: 'Opportunity', associations: [{ type: 'Program', id: 1 }] },
      { type: 'Program', associations: [{ type: 'Lead', id: 1 }] },
      { type: 'Opportunity', associations: [{ type: 'Lead', externalKey: ['Phone', '1'] }] },
    ] as GetMObjectsInput[]) {
      const r = await p.both(getMObjectsBody(q));
      assert.equal(r.bridge.fault?.code, 20110, r.bridge.text);
      assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
    }
    for (const [q, message] of [
      [{ type: 'Opportunity', id: 1 }, /no integer id on this bridge/],
      [{ type: 'Opportunity' }, /reads opportunities only by a filter/],
      [{ type: 'Opportunity', criteria: [['Stage', 'EQ', 'x']] }, /reads opportunities only by a filter/],
      [{ type: 'OpportunityPersonRole' }, /reads roles only by a filter/],
      [{ type: 'OpportunityPersonRole', id: 3 }, /no integer id/],
      [{ type: 'OpportunityPersonRole', associations: [{ type: 'Opportunity', id: 1 }] }, /no integer id/],
    ] as [GetMObjectsInput, RegExp][]) {
      const r = await p.bridge.soap(getMObjectsBody(q));
      assert.equal(r.fault?.code, 20110, r.text);
      assert.match(r.fault?.message ?? '', message);
    }
  });

  test('paging: 105 opportunities of a lead in pages of 100 as the emulator, the REST token in the position', async () => {
    const keys = Array.from({ length: 105 }, (_, i) => `PG-${String(i).padStart(3, '0')}`);
    for (const chunk of [keys.slice(0, 100), keys.slice(100)]) {
      const opps = await p.emulator.soap(
        syncMObjectsBody(
          chunk.map((k) => ({ type: 'Opportunity', externalKey: ['externalKey', k], attribs: { Name: k } })),
        ),
      );
      assert.equal(opps.status, 200, opps.text);
      const roles = await p.emulator.soap(
        syncMObjectsBody(
          chunk.map((k) => ({
            type: 'OpportunityPersonRole',
            attribs: { PersonId: 20, Role: 'Buyer' },
            associations: [{ type: 'Opportunity', externalKey: ['externalKey', k] }],
          })),
        ),
      );
      assert.equal(roles.status, 200, roles.text);
    }
    const q: GetMObjectsInput = { type: 'Opportunity', associations: [{ type: 'Lead', id: 20 }] };
    const first = await same(q, 100);
    const page1 = parseGetMObjects(first.bridge);
    assert.equal(page1.hasMore, true);
    const next = { type: 'Opportunity', streamPosition: page1.newStreamPosition };
    const second = parseGetMObjects(await p.bridge.soap(getMObjectsBody(next)));
    const emulatorSecond = parseGetMObjects(
      await p.emulator.soap(
        getMObjectsBody({ type: 'Opportunity', streamPosition: parseGetMObjects(first.emulator).newStreamPosition }),
      ),
    );
    assert.deepEqual(
      [second.returnCount, second.hasMore, second.objects.map((o) => o.attribs.Name)],
      [5, false, keys.slice(100)],
    );
    assert.deepEqual(
      emulatorSecond.objects.map((o) => o.attribs.Name),
      second.objects.map((o) => o.attribs.Name),
    );
    const end = await p.bridge.soap(getMObjectsBody({ ...next, streamPosition: second.newStreamPosition }));
    assert.equal(end.fault?.code, 20123, end.text);
    // A filter REST does not have for opportunities (the emulator's REST searches no externalCompanyId).
    const company = await p.bridge.soap(
      getMObjectsBody({
        type: 'Opportunity',
        associations: [{ type: 'Company', externalKey: ['externalKey', 'ACME'] }],
      }),
    );
    assert.equal(company.fault?.code, 20110, company.text);
    assert.match(company.fault?.message ?? '', /Marketo cannot look Opportunity up by externalCompanyId/);
  });

  test('stream positions: signed and bound to the type; the last one is 20123, a forged one 20122', async () => {
    const first = parseGetMObjects(await p.bridge.soap(getMObjectsBody({ type: 'Program' })));
    assert.equal(first.hasMore, false);
    let r = await p.bridge.soap(getMObjectsBody({ type: 'Program', streamPosition: first.newStreamPosition }));
    assert.equal(r.fault?.code, 20123, r.text);
    r = await p.bridge.soap(getMObjectsBody({ type: 'Opportunity', streamPosition: first.newStreamPosition }));
    assert.equal(r.fault?.code, 20122, r.text);
    r = await p.bridge.soap(getMObjectsBody({ type: 'Program', id: 1, streamPosition: first.newStreamPosition }));
    assert.equal(r.fault?.code, 20122, r.text);
  });
});

describe('bridge: syncMObjects and deleteMObjects', () => {
  const t = bridgeWithTwin();

  /** The same write through the bridge and on the twin: statuses, their ids apart. */
  async function write(body: string) {
    const [e, b] = await Promise.all([t.twin.soap(body), t.p.bridge.soap(body)]);
    assert.equal(b.status, 200, b.text);
    const strip = (r: SoapResult) => parseMObjStatuses(r).map(({ id: _id, ...st }) => st);
    // Opportunities and roles have no id on the bridge; programs keep theirs.
    const ids = parseMObjStatuses(e).map((st) => st.id);
    parseMObjStatuses(b).forEach((st, i) => {
      assert.ok(st.id === null || st.id === ids[i], b.text);
    });
    return { emulator: strip(e), bridge: strip(b) };
  }
  const opp = (
    key: string,
    attribs: Record<string, string | number>,
    more: Partial<MObjectInput> = {},
  ): MObjectInput => ({
    type: 'Opportunity',
    externalKey: ['externalKey', key],
    attribs,
    ...more,
  });
  const readOpp = async (key: string) =>
    parseGetMObjects(
      await t.p.emulator.soap(getMObjectsBody({ type: 'Opportunity', externalKey: ['externalKey', key] })),
    ).objects[0];

  test('opportunities: created and updated in one REST call, as on the emulator; read back behind the bridge', async () => {
    const r = await write(
      syncMObjectsBody([
        opp(
          'OPP-10',
          { Name: 'Lovelace Ltd - Pilot', Amount: 5000, Stage: 'Qualification', IsWon: 'false' },
          {
            associations: [{ type: 'Company', externalKey: ['externalKey', 'ACME-1'] }],
          },
        ),
        opp('OPP-1', { Stage: 'Negotiation' }),
      ]),
    );
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => [st.status, st.externalKey]),
      [
        ['CREATED', 'OPP-10'],
        ['UPDATED', 'OPP-1'],
      ],
    );
    assert.deepEqual(await restCalls(t.p), [
      'GET /rest/v1/opportunities/describe.json',
      'POST /rest/v1/opportunities.json',
    ]);
    const created = await readOpp('OPP-10');
    assert.deepEqual(created.attribs, {
      Name: 'Lovelace Ltd - Pilot',
      Amount: '5000',
      IsWon: 'false',
      Stage: 'Qualification',
    });
    assert.deepEqual(created.associations, [{ type: 'Company', externalKey: 'ACME-1' }]);
    assert.equal((await readOpp('OPP-1')).attribs.Stage, 'Negotiation');
  });

  test('opportunities: INSERT of an existing one and UPDATE of a missing one are SKIPPED; bad objects FAILED', async () => {
    let r = await write(syncMObjectsBody([opp('OPP-2', { Stage: 'x' })], 'INSERT'));
    assert.deepEqual(
      r.bridge.map((st) => st.status),
      ['SKIPPED'],
    );
    assert.equal(
      r.bridge[0].error,
      'Opportunity with externalKey externalOpportunityId = OPP-2 exists; INSERT skips it',
    );
    r = await write(syncMObjectsBody([opp('OPP-99', { Stage: 'x' })], 'UPDATE'));
    assert.deepEqual(r.bridge, [
      {
        externalKey: 'OPP-99',
        status: 'SKIPPED',
        error: 'No Opportunity with externalKey externalOpportunityId = OPP-99; UPDATE skips new objects',
      },
    ]);
    assert.equal(r.emulator[0].status, 'SKIPPED');
    r = await write(
      syncMObjectsBody([
        opp('OPP-2', { Colour: 'red' }),
        opp('OPP-2', { Stage: 'x' }, { typeAttribs: [['Tag', { Type: 'Region', Value: 'EMEA' }]] }),
        opp('OPP-2', {}, { associations: [{ type: 'Lead', id: 1 }] }),
        { type: 'Nope' },
      ]),
    );
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => st.error),
      [
        'Unknown attribute name(s) for Opportunity: Colour',
        'typeAttribList is only used with Program, not Opportunity',
        'Opportunity can only be associated with a Company, not "Lead"',
        'MObject type "Nope" cannot be synced; expected one of Opportunity, OpportunityPersonRole, Program',
      ],
    );
    // Refused before REST: no write was sent.
    assert.deepEqual(await restCalls(t.p), []);
    const b = parseMObjStatuses(
      await t.p.bridge.soap(syncMObjectsBody([{ type: 'Opportunity', id: 1, attribs: { Stage: 'x' } }, opp('', {})])),
    );
    assert.deepEqual(
      b.map((st) => [st.status, st.error]),
      [
        [
          'FAILED',
          "Opportunity has no integer id on this bridge: Marketo's REST API names it by marketoGUID; use the externalKey or associations",
        ],
        [
          'FAILED',
          'UPSERT needs the externalKey of the Opportunity: REST deduplicates opportunities on externalOpportunityId',
        ],
      ],
    );
  });

  test('roles: created by Opportunity (externalKey) and Lead (id) associations or PersonId, as on the emulator', async () => {
    const role = (lead: Partial<MObjectInput>, name: string): MObjectInput => ({
      type: 'OpportunityPersonRole',
      attribs: { Role: name, IsPrimary: 'false', ...(lead.attribs ?? {}) },
      associations: [{ type: 'Opportunity', externalKey: ['externalKey', 'OPP-2'] }, ...(lead.associations ?? [])],
    });
    const r = await write(
      syncMObjectsBody([
        role({ associations: [{ type: 'Lead', id: 4 }] }, 'Champion'),
        role({ attribs: { PersonId: 5 } }, 'Influencer'),
      ]),
    );
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => st.status),
      ['CREATED', 'CREATED'],
    );
    assert.deepEqual(await restCalls(t.p), [
      'GET /rest/v1/opportunities/roles/describe.json',
      'POST /rest/v1/opportunities/roles.json',
    ]);
    const back = parseGetMObjects(
      await t.p.emulator.soap(
        getMObjectsBody({
          type: 'OpportunityPersonRole',
          associations: [{ type: 'Opportunity', externalKey: ['externalKey', 'OPP-2'] }],
        }),
      ),
    );
    assert.deepEqual(
      back.objects.map((o) => [o.attribs.PersonId, o.attribs.Role]),
      [
        ['2', 'Economic Buyer'],
        ['4', 'Champion'],
        ['5', 'Influencer'],
      ],
    );
    const bad = parseMObjStatuses(
      await t.p.bridge.soap(
        syncMObjectsBody([
          { type: 'OpportunityPersonRole', attribs: { OpportunityId: 2, PersonId: 1, Role: 'x' } },
          { type: 'OpportunityPersonRole', attribs: { PersonId: 1, Role: 'x' } },
        ]),
      ),
    );
    assert.deepEqual(
      bad.map((st) => st.error),
      [
        'OpportunityId is an integer id REST does not know: name the opportunity by an Opportunity association with its externalKey',
        'OpportunityPersonRole needs an Opportunity association (externalKey) and a PersonId (or a Lead association)',
      ],
    );
  });

  test('programs: tags and costs through the asset API as on the emulator; UNCHANGED when nothing changes', async () => {
    const program = (typeAttribs: [string, Record<string, string>][], id = 1): MObjectInput => ({
      type: 'Program',
      id,
      typeAttribs,
    });
    let r = await write(
      syncMObjectsBody(
        [
          program([
            ['Tag', { Type: 'Region', Value: 'APAC' }],
            ['Cost', { Month: '2026-02', Amount: '1200', Note: 'Ads' }],
          ]),
        ],
        'UPDATE',
      ),
    );
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => st.status),
      ['UPDATED'],
    );
    assert.deepEqual(await restCalls(t.p), ['GET /rest/asset/v1/program/1.json', 'POST /rest/asset/v1/program/1.json']);
    // Cost 1 changed in place: every cost goes back with costsDestructiveUpdate.
    r = await write(
      syncMObjectsBody([program([['Cost', { Id: '1', Month: '2026-01', Amount: '3500', Note: 'Speaker' }]])], 'UPDATE'),
    );
    assert.deepEqual(r.bridge, r.emulator);
    const read = async (s: TestServer) =>
      parseGetMObjects(await s.soap(getMObjectsBody({ type: 'Program', id: 1 }))).objects[0].typeAttribs;
    assert.deepEqual(await read(t.p.emulator), await read(t.twin));
    assert.deepEqual(
      (await read(t.p.emulator)).filter(([kind]) => kind !== 'Token'),
      [
        ['Tag', { Type: 'Channel', Value: 'Webinar' }],
        ['Tag', { Type: 'Region', Value: 'APAC' }],
        ['Cost', { Id: '1', Month: '2026-01-01', Amount: '3500', Note: 'Speaker' }],
        ['Cost', { Id: '2', Month: '2026-02-01', Amount: '1200', Note: 'Ads' }],
      ],
    );
    r = await write(syncMObjectsBody([program([['Tag', { Type: 'Region', Value: 'APAC' }]])], 'UPDATE'));
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => st.status),
      ['UNCHANGED'],
    );
    assert.deepEqual(await restCalls(t.p), ['GET /rest/asset/v1/program/1.json']);
    r = await write(
      syncMObjectsBody(
        [
          program([['Tag', { Type: 'Region', Value: 'EMEA' }]], 99),
          program([['Cost', { Month: 'Jan', Amount: '1' }]]),
          program([['Cost', { Id: '7', Month: '2026-01', Amount: '1' }]]),
          program([['Colour', { Value: 'x' }]]),
          { type: 'Program', id: 1, attribs: { Name: 'x' } },
        ],
        'UPDATE',
      ),
    );
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => [st.status, st.error]),
      [
        ['SKIPPED', 'No Program with id 99; UPDATE skips new objects'],
        ['FAILED', 'Cost Month "Jan" is not a month (YYYY-MM)'],
        ['FAILED', 'Cost Id 7 does not exist on Program 1'],
        ['FAILED', 'typeAttrib attrType "Colour" is not valid for Program; expected Cost or Tag'],
        ['FAILED', 'Program attributes cannot be changed; send Cost or Tag typeAttribs'],
      ],
    );
    r = await write(syncMObjectsBody([program([['Tag', { Type: 'Region', Value: 'EMEA' }]])], 'UPSERT'));
    assert.deepEqual(r.bridge, r.emulator);
    // A tag REST refuses fails the program alone, with REST's message.
    const unknown = parseMObjStatuses(
      await t.p.bridge.soap(syncMObjectsBody([program([['Tag', { Type: 'Region', Value: 'Mars' }]])], 'UPDATE')),
    );
    assert.deepEqual([unknown[0].status, unknown[0].error], ['FAILED', "'Mars' is not a value of tag type 'Region'"]);
    const channel = parseMObjStatuses(
      await t.p.bridge.soap(syncMObjectsBody([program([['Tag', { Type: 'Channel', Value: 'Blog' }]])], 'UPDATE')),
    );
    assert.match(channel[0].error ?? '', /channel cannot be changed/);
  });

  test('deleteMObjects: opportunities by externalKey (UNCHANGED when gone) as the emulator; roles by their dedupe fields', async () => {
    await Promise.all([
      t.twin.soap(syncMObjectsBody([opp('OPP-20', { Name: 'Temp' })])),
      t.p.bridge.soap(syncMObjectsBody([opp('OPP-20', { Name: 'Temp' })])),
    ]);
    const body = deleteMObjectsBody([
      { type: 'Opportunity', externalKey: ['externalKey', 'OPP-20'] },
      { type: 'Opportunity', externalKey: ['externalKey', 'OPP-404'] },
      { type: 'Program', id: 1 },
    ]);
    const r = await write(body);
    assert.deepEqual(r.bridge, r.emulator);
    assert.deepEqual(
      r.bridge.map((st) => [st.status, st.error]),
      [
        ['DELETED', undefined],
        ['UNCHANGED', 'No Opportunity with externalKey externalKey = OPP-404'],
        ['FAILED', 'MObject type "Program" cannot be deleted; expected one of Opportunity, OpportunityPersonRole'],
      ],
    );
    assert.deepEqual(await restCalls(t.p), ['POST /rest/v1/opportunities/delete.json']);
    assert.equal(await readOpp('OPP-20'), undefined);

    const roleKey = (role: string): MObjectInput => ({
      type: 'OpportunityPersonRole',
      attribs: { PersonId: 11, Role: role },
      associations: [{ type: 'Opportunity', externalKey: ['externalKey', 'OPP-1'] }],
    });
    const del = parseMObjStatuses(
      await t.p.bridge.soap(
        deleteMObjectsBody([roleKey('Influencer'), roleKey('Nobody'), { type: 'OpportunityPersonRole', id: 2 }]),
      ),
    );
    assert.deepEqual(
      del.map((st) => [st.status, st.error]),
      [
        ['DELETED', undefined],
        ['UNCHANGED', 'No OpportunityPersonRole for OPP-1, lead 11, role "Nobody"'],
        [
          'FAILED',
          "OpportunityPersonRole has no integer id on this bridge: Marketo's REST API names it by marketoGUID; delete it by its external keys",
        ],
      ],
    );
    const left = parseGetMObjects(
      await t.p.emulator.soap(
        getMObjectsBody({ type: 'OpportunityPersonRole', associations: [{ type: 'Lead', id: 11 }] }),
      ),
    );
    assert.equal(left.returnCount, 0);
  });

  test('over 100 objects or none: the emulator’s faults', async () => {
    for (const body of [
      syncMObjectsBody(Array.from({ length: 101 }, (_, i) => opp(`X-${i}`, {}))),
      syncMObjectsBody([]),
      deleteMObjectsBody([]),
    ]) {
      const r = await t.p.both(body);
      assert.equal(r.bridge.fault?.code, r.emulator.fault?.code, r.bridge.text);
      assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
    }
  });
});
