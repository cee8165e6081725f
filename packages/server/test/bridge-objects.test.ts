/**
 * The bridge's object metadata, channels and tags against the emulator's answers on the demo data
 * (describeMObject, getChannels, getTags): equal element by element, but for the differences the
 * operations document.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertSameAnswer,
  type BridgePair,
  SOAP_ONLY_FIELDS,
  startBridgePair,
  type Tree,
  treeOf,
} from './support/bridge.js';
import { restCalls } from './support/bridge-twin.js';
import { findAll, type SoapResult } from './support/harness.js';

const describeBody = (name: string) =>
  `<ns1:paramsDescribeMObject><objectName>${name}</objectName></ns1:paramsDescribeMObject>`;

/** The describe field entries of an answer, as trees. */
const fieldTrees = (r: SoapResult): Tree[] => findAll(r.doc, 'field').map(treeOf);
const fieldName = (t: Tree) => t.children?.find((c) => c.name === 'name')?.text ?? '';

const channelsBody = (names: string[] = []) =>
  names.length
    ? `<ns1:paramsGetChannels><tag><values>${names.map((n) => `<stringItem>${n}</stringItem>`).join('')}</values></tag></ns1:paramsGetChannels>`
    : '<ns1:paramsGetChannels/>';

/** A status attrib REST has no field for (documented on getChannels). */
const STATUS_EXTRAS = new Set(['Check-in Status', 'Webinar Behavior']);

function withoutStatusExtras(t: Tree): Tree {
  if (!t.children) return t;
  const children = t.children
    .filter((c) => !(c.name === 'attrib' && STATUS_EXTRAS.has(c.children?.find((x) => x.name === 'name')?.text ?? '')))
    .map(withoutStatusExtras);
  return { ...t, children };
}

const tagsBody = (tags: { type: string; values?: string[] }[] = []) =>
  tags.length
    ? `<ns1:paramsGetTags><tagList>${tags
        .map(
          (t) =>
            `<tag><type>${t.type}</type>${t.values ? `<values>${t.values.map((v) => `<stringItem>${v}</stringItem>`).join('')}</values>` : ''}</tag>`,
        )
        .join('')}</tagList></ns1:paramsGetTags>`
    : '<ns1:paramsGetTags/>';

describe('bridge: describeMObject', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
    // A custom lead field, before the bridge first reads (and caches) the describe.
    const seeded = await p.emulator.admin('POST', '/_mktows/seed', {
      leadFields: [{ name: 'ShoeSize', dataType: 'integer' }],
    });
    assert.equal(seeded.status, 200, JSON.stringify(seeded.body));
  });
  after(() => p?.close());

  test('LeadRecord: the emulator fields but the SOAP-only ones, each entry equal; then no REST call (cached)', async () => {
    const r = await p.both(describeBody('LeadRecord'));
    assert.equal(r.bridge.status, 200, r.bridge.text);
    const soapOnly = new Set([...SOAP_ONLY_FIELDS, 'ForeignSysPersonId', 'ForeignSysType']);
    const expected = fieldTrees(r.emulator).filter((f) => !soapOnly.has(fieldName(f)));
    const got = fieldTrees(r.bridge);
    assert.ok(got.length > 50, `${got.length} fields`);
    assert.deepEqual(got, expected);
    assert.deepEqual(await restCalls(p), ['GET /rest/v1/leads/describe.json', 'GET /rest/v1/leads/schema/fields.json']);
    // The object's own elements (name, description, isCustom, isVirtual, updatedAt) are the emulator's.
    assertSameAnswer(r, (path) => path.startsWith('Body/successDescribeMObject/result/metadata/fieldList/'));
    await p.bridge.soap(describeBody('LeadRecord'));
    assert.deepEqual(await restCalls(p), []);
  });

  test('a custom lead field is isCustom true, as on the emulator', async () => {
    const r = await p.both(describeBody('LeadRecord'));
    const custom = (res: SoapResult) =>
      fieldTrees(res)
        .filter((f) => f.children?.find((c) => c.name === 'isCustom')?.text === 'true')
        .map(fieldName);
    assert.deepEqual(custom(r.bridge), ['ShoeSize']);
    assert.deepEqual(custom(r.emulator), ['ShoeSize']);
  });

  test('Opportunity: the emulator fields without the integer id', async () => {
    const r = await p.both(describeBody('Opportunity'));
    assert.equal(r.bridge.status, 200, r.bridge.text);
    const expected = fieldTrees(r.emulator).filter((f) => fieldName(f) !== 'id');
    assert.deepEqual(fieldTrees(r.bridge), expected);
    assert.deepEqual(await restCalls(p), ['GET /rest/v1/opportunities/describe.json']);
  });

  test('OpportunityPersonRole: the emulator fields without id and OpportunityId', async () => {
    const r = await p.both(describeBody('OpportunityPersonRole'));
    const expected = fieldTrees(r.emulator).filter((f) => !['id', 'OpportunityId'].includes(fieldName(f)));
    assert.deepEqual(fieldTrees(r.bridge), expected);
    assert.deepEqual(expected.map(fieldName), ['PersonId', 'Role', 'IsPrimary', 'ExternalCreatedDate']);
  });

  test('ActivityRecord and Program answer as the emulator, with no REST call; an unknown name is 20110', async () => {
    for (const name of ['ActivityRecord', 'Program', 'program']) {
      assertSameAnswer(await p.both(describeBody(name)));
      assert.deepEqual(await restCalls(p), []);
    }
    const r = await p.both(describeBody('Nope'));
    assert.equal(r.bridge.fault?.code, 20110);
    assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
  });
});

describe('bridge: getChannels and getTags', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  test('getChannels: every channel with its statuses, as the emulator but the status extras REST lacks', async () => {
    const r = await p.both(channelsBody());
    assert.equal(r.bridge.status, 200, r.bridge.text);
    const body = (res: SoapResult) => findAll(res.doc, 'tagStatus').map(treeOf);
    const expected = body(r.emulator).map(withoutStatusExtras);
    assert.equal(expected.length, 9);
    assert.deepEqual(body(r.bridge), expected);
    // The extras were there to drop: Webinar's Attended has a Webinar Behavior on the emulator.
    assert.match(r.emulator.text, /Webinar Behavior/);
    assert.doesNotMatch(r.bridge.text, /Webinar Behavior/);
    // One page of REST answered it (status 200, no REST error).
    assert.deepEqual(
      (await p.lastUpstream()).filter((c) => c.path !== '/identity/oauth/token'),
      [{ method: 'GET', path: '/rest/asset/v1/channels.json', status: 200, code: null }],
    );
  });

  test('getChannels by names: one name uses channel/byName; unknown names are left out', async () => {
    let r = await p.both(channelsBody(['blog']));
    assertSameAnswer(r);
    assert.match(r.bridge.text, /<tagValue>Blog<\/tagValue>/);
    assert.deepEqual(await restCalls(p), ['GET /rest/asset/v1/channel/byName.json']);
    r = await p.both(channelsBody(['Content', 'Nurture', 'No Such Channel']));
    assertSameAnswer(r);
    assert.equal(findAll(r.bridge.doc, 'tagStatus').length, 2);
    r = await p.both(channelsBody(['No Such Channel']));
    assertSameAnswer(r);
    assert.equal(findAll(r.bridge.doc, 'tagStatus').length, 0);
  });

  test('getTags: every type with its values, as the emulator; values cached after the first call', async () => {
    const r = await p.both(tagsBody());
    assert.equal(r.bridge.status, 200, r.bridge.text);
    assertSameAnswer(r);
    assert.match(r.bridge.text, /<stringItem>North America<\/stringItem>/);
    assert.deepEqual(await restCalls(p), [
      'GET /rest/asset/v1/tagTypes.json',
      'GET /rest/asset/v1/tagType/byName.json',
      'GET /rest/asset/v1/tagType/byName.json',
    ]);
    await p.bridge.soap(tagsBody());
    assert.deepEqual(await restCalls(p), ['GET /rest/asset/v1/tagTypes.json']);
  });

  test('getTags filtered by type and values (case-insensitive); an unknown type is left out', async () => {
    for (const tags of [
      [{ type: 'region' }],
      [{ type: 'Region', values: ['emea', 'APAC', 'Mars'] }],
      [{ type: 'Product Line' }, { type: 'Nope' }],
    ]) {
      assertSameAnswer(await p.both(tagsBody(tags)));
    }
  });
});
