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
import { findAll, type SoapResult, startTestServer, type TestServer } from './support/harness.js';
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

  const restCalls = async () =>
    (await p.lastUpstream()).filter((c) => c.path !== '/identity/oauth/token').map((c) => `${c.method} ${c.path}`);

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
    assert.deepEqual(await restCalls(), ['GET /rest/asset/v1/program/2.json']);
    await same({ type: 'Program', id: 99 }, 0);
    await same({ type: 'Program', criteria: [['Name', 'EQ', 'spring roadshow']] }, 1);
    assert.deepEqual(await restCalls(), ['GET /rest/asset/v1/program/byName.json']);
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
    assert.deepEqual(await restCalls(), [
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
    assert.deepEqual(await restCalls(), ['GET /rest/v1/opportunities/roles.json', 'GET /rest/v1/opportunities.json']);
    await same({ type: 'Opportunity', externalKey: ['externalKey', 'OPP-9'] }, 0);
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
