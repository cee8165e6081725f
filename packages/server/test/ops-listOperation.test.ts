/**
 * listOperation over HTTP (spec §4.8, errors.md): ADDTOLIST, ISMEMBEROFLIST, REMOVEFROMLIST and,
 * on 2_1/2_2 paths, CLEARLIST (with skipActivityLog); member keys IDNUM and EMAIL; per-lead
 * statuses with `statusList` nil when every part succeeded; `strict` all or nothing; the Add to
 * List / Remove from List activities; and each fault code.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_LIST, DEMO_LIST_SIZE } from '../src/seed/demo.js';
import {
  getLeadActivityBody,
  type ListOperationInput,
  listOperationBody,
  parseLeadActivity,
  parseListOperation,
} from './support/activities.js';
import { onBridge } from './support/bridge-mode.js';
import { assertFault, call } from './support/fault-helpers.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { seed } from './support/leads.js';

const LIST = 'Ops List';

describe('listOperation', () => {
  let s: TestServer;
  let listId: number;
  /** Lead ids by e-mail. */
  const id: Record<string, number> = {};

  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
    await seed(s, {
      leads: ['one', 'two', 'three', 'four'].map((n) => ({ Email: `${n}@list.example` })),
      lists: [{ name: LIST }],
    });
    for (const n of ['one', 'two', 'three', 'four']) {
      id[n] = (await s.runtime.store.findLeads({ by: 'EMAIL', value: `${n}@list.example` }))[0].id;
    }
    listId = (await s.runtime.store.findList('name', LIST))?.id ?? 0;
  });
  after(() => s.close());

  /** Empties the list before each test, without activities. */
  beforeEach(async () => {
    await s.runtime.store.transaction((tx) => tx.clearListMembers(listId));
  });

  const members = async () =>
    [...(await s.runtime.store.transaction((tx) => tx.listMembersAmong(listId, Object.values(id))))].sort(
      (a, b) => a - b,
    );
  const op = async (p: Omit<ListOperationInput, 'list'> & { list?: string }, version?: string) =>
    parseListOperation(await s.soap(listOperationBody({ list: LIST, ...p }), { version }));
  const listActivities = async (lead: number) =>
    parseLeadActivity(
      await s.soap(getLeadActivityBody({ key: ['IDNUM', lead], filter: { include: ['AddToList', 'RemoveFromList'] } })),
    ).records;

  test('ADDTOLIST by IDNUM and EMAIL: success true, statusList nil, Add to List with the list name', async () => {
    const before = (await listActivities(id.one)).length;
    const r = await op({
      op: 'ADDTOLIST',
      leads: [
        ['IDNUM', id.one],
        ['EMAIL', 'TWO@list.example'],
      ],
    });
    assert.deepEqual(r, { success: true, statuses: null });
    assert.deepEqual(await members(), [id.one, id.two]);
    const acts = await listActivities(id.one);
    assert.equal(acts.length, before + 1);
    assert.equal(acts[0].activityType, 'Add to List');
    assert.equal(acts[0].mktgAssetName, LIST);
    assert.deepEqual(acts[0].attributes, {
      'List ID': String(listId),
      Source: 'Web service API',
      'Lead ID': String(id.one),
    });
  });

  test('ADDTOLIST of a lead already on the list succeeds and logs nothing new', async () => {
    await op({ op: 'ADDTOLIST', leads: [['IDNUM', id.three]] });
    const before = (await listActivities(id.three)).length;
    assert.deepEqual(await op({ op: 'ADDTOLIST', leads: [['IDNUM', id.three]] }), { success: true, statuses: null });
    assert.equal((await listActivities(id.three)).length, before);
  });

  test('ADDTOLIST with a missing lead, not strict (the default): the others are added, success false with statuses', async () => {
    const r = await op({
      op: 'ADDTOLIST',
      leads: [
        ['IDNUM', id.one],
        ['IDNUM', 999999],
        ['EMAIL', 'nobody@list.example'],
        ['IDNUM', 'abc'],
      ],
    });
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', String(id.one), true],
        ['IDNUM', '999999', false],
        ['EMAIL', 'nobody@list.example', false],
        ['IDNUM', 'abc', false],
      ],
    });
    assert.deepEqual(await members(), [id.one]);
    const explicit = await op({
      op: 'ADDTOLIST',
      strict: false,
      leads: [
        ['IDNUM', 999999],
        ['IDNUM', id.two],
      ],
    });
    assert.equal(explicit.success, false);
    assert.deepEqual(await members(), [id.one, id.two]);
  });

  test('ADDTOLIST strict: a missing lead makes the whole call do nothing', async () => {
    const before = (await listActivities(id.one)).length;
    const r = await op({
      op: 'ADDTOLIST',
      strict: true,
      leads: [
        ['IDNUM', id.one],
        ['IDNUM', 999999],
      ],
    });
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', String(id.one), true],
        ['IDNUM', '999999', false],
      ],
    });
    assert.deepEqual(await members(), []);
    assert.equal((await listActivities(id.one)).length, before, 'no activity either');
    // Strict with every lead present: done.
    assert.deepEqual(await op({ op: 'ADDTOLIST', strict: true, leads: [['IDNUM', id.one]] }), {
      success: true,
      statuses: null,
    });
    assert.deepEqual(await members(), [id.one]);
  });

  test('ISMEMBEROFLIST: a status per lead; success only when all are members', async () => {
    await op({ op: 'ADDTOLIST', leads: [['IDNUM', id.two]] });
    const r = await op({
      op: 'ISMEMBEROFLIST',
      leads: [
        ['IDNUM', id.one],
        ['EMAIL', 'two@list.example'],
        ['IDNUM', 999999],
      ],
    });
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', String(id.one), false],
        ['EMAIL', 'two@list.example', true],
        ['IDNUM', '999999', false],
      ],
    });
    assert.deepEqual(await op({ op: 'ISMEMBEROFLIST', leads: [['IDNUM', id.two]] }), {
      success: true,
      statuses: [['IDNUM', String(id.two), true]],
    });
    // strict changes nothing for a question.
    assert.deepEqual(await op({ op: 'ISMEMBEROFLIST', strict: true, leads: [['IDNUM', id.one]] }), {
      success: false,
      statuses: [['IDNUM', String(id.one), false]],
    });
  });

  test('REMOVEFROMLIST: members go with a Remove from List each; a non-member is a false status', async () => {
    await op({
      op: 'ADDTOLIST',
      leads: [
        ['IDNUM', id.one],
        ['IDNUM', id.two],
        ['IDNUM', id.three],
      ],
    });
    assert.deepEqual(
      await op({
        op: 'REMOVEFROMLIST',
        leads: [
          ['IDNUM', id.one],
          ['EMAIL', 'two@list.example'],
        ],
      }),
      {
        success: true,
        statuses: null,
      },
    );
    assert.deepEqual(await members(), [id.three]);
    const [latest] = await listActivities(id.two);
    assert.deepEqual([latest.activityType, latest.mktgAssetName], ['Remove from List', LIST]);

    // Not strict: the member goes, the non-member is reported.
    const r = await op({
      op: 'REMOVEFROMLIST',
      leads: [
        ['IDNUM', id.four],
        ['IDNUM', id.three],
      ],
    });
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', String(id.four), false],
        ['IDNUM', String(id.three), true],
      ],
    });
    assert.deepEqual(await members(), []);
  });

  test('REMOVEFROMLIST strict: one non-member and nothing is removed', async () => {
    await op({ op: 'ADDTOLIST', leads: [['IDNUM', id.one]] });
    const r = await op({
      op: 'REMOVEFROMLIST',
      strict: true,
      leads: [
        ['IDNUM', id.one],
        ['IDNUM', id.four],
      ],
    });
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', String(id.one), true],
        ['IDNUM', String(id.four), false],
      ],
    });
    assert.deepEqual(await members(), [id.one]);
  });

  test('CLEARLIST on 2_1 and 2_2 paths empties the list; skipActivityLog there leaves no activity', {
    skip: onBridge('skipActivityLog is ignored: REST always logs list activities'),
  }, async () => {
    for (const version of ['2_1', '2_2']) {
      await op({
        op: 'ADDTOLIST',
        leads: [
          ['IDNUM', id.one],
          ['IDNUM', id.two],
        ],
      });
      const before = (await listActivities(id.one)).length;
      assert.deepEqual(await op({ op: 'CLEARLIST', leads: [] }, version), { success: true, statuses: null });
      assert.deepEqual(await members(), []);
      const acts = await listActivities(id.one);
      assert.equal(acts.length, before + 1);
      assert.equal(acts[0].activityType, 'Remove from List');
    }
    await op({ op: 'ADDTOLIST', leads: [['IDNUM', id.one]] });
    const before = (await listActivities(id.one)).length;
    assert.deepEqual(await op({ op: 'CLEARLIST', leads: [], skipActivityLog: true }, '2_2'), {
      success: true,
      statuses: null,
    });
    assert.deepEqual(await members(), []);
    assert.equal((await listActivities(id.one)).length, before);
    // skipActivityLog on 2_2 also applies to ADDTOLIST; later paths ignore the removed element.
    assert.deepEqual(await op({ op: 'ADDTOLIST', skipActivityLog: true, leads: [['IDNUM', id.one]] }, '2_2'), {
      success: true,
      statuses: null,
    });
    assert.equal((await listActivities(id.one)).length, before);
    await op({ op: 'REMOVEFROMLIST', skipActivityLog: true, leads: [['IDNUM', id.one]] });
    assert.equal((await listActivities(id.one)).length, before + 1);
  });

  test('a list of a program is found by its full name', async () => {
    await seed(s, { programs: [{ name: 'Ops Program', lists: ['Imports'] }] });
    assert.deepEqual(await op({ op: 'ADDTOLIST', list: 'Ops Program.Imports', leads: [['IDNUM', id.four]] }), {
      success: true,
      statuses: null,
    });
    assert.deepEqual(await op({ op: 'ISMEMBEROFLIST', list: 'Ops Program.Imports', leads: [['IDNUM', id.four]] }), {
      success: true,
      statuses: [['IDNUM', String(id.four), true]],
    });
  });

  test('1000 leads in one call are accepted', async () => {
    const leads: [string, number][] = Array.from({ length: 1000 }, (_, i) => ['IDNUM', i % 2 === 0 ? id.one : id.two]);
    assert.deepEqual(await op({ op: 'ADDTOLIST', leads }), { success: true, statuses: null });
    assert.deepEqual(await members(), [id.one, id.two]);
  });
});

describe('listOperation on the demo store', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());

  test("the Demo List's members, as the captured clients ask: ISMEMBEROFLIST IDNUM 1 and 2", async () => {
    const r = parseListOperation(
      await s.soap(
        listOperationBody({
          op: 'ISMEMBEROFLIST',
          list: DEMO_LIST,
          leads: [
            ['IDNUM', 1],
            ['IDNUM', DEMO_LIST_SIZE + 1],
          ],
        }),
      ),
    );
    assert.deepEqual(r, {
      success: false,
      statuses: [
        ['IDNUM', '1', true],
        ['IDNUM', String(DEMO_LIST_SIZE + 1), false],
      ],
    });
  });
});

describe('listOperation faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());
  const body = (p: Partial<ListOperationInput>) =>
    listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [['IDNUM', 1]], ...p });

  test('20111: a list name that names no list', async () => {
    assertFault(await call(s, body({ list: 'No Such List' })), 20111, 'No static list found with name "No Such List"');
    assertFault(
      await call(s, body({ op: 'ISMEMBEROFLIST', list: 'demo list' })),
      20111,
      'No static list found with name "demo list"',
    );
  });

  test('20110: CLEARLIST after 2_2', async () => {
    for (const version of ['2_3', '2_6', '3_1']) {
      assertFault(
        await call(s, body({ op: 'CLEARLIST', leads: [] }), { version }),
        20110,
        `listOperation CLEARLIST exists only up to API version 2_2, not ${version}; use REMOVEFROMLIST`,
      );
    }
  });

  test('20110: a list key type other than MKTOLISTNAME', async () => {
    for (const keyType of ['MKTOSALESUSERID', 'SFDCLEADOWNERID']) {
      assertFault(
        await call(s, body({ listKeyType: keyType })),
        20110,
        `listKey keyType ${keyType} is not supported by this server; name the list with MKTOLISTNAME`,
      );
    }
    assertFault(
      await call(s, body({ listKeyType: 'LISTID' })),
      20110,
      'paramsListOperation.listKey.keyType: "LISTID" is not a valid ListKeyType',
    );
  });

  test('20110: more than 1000 leads, or an unknown listOperation', async () => {
    const leads: [string, number][] = Array.from({ length: 1001 }, (_, i) => ['IDNUM', i + 1]);
    assertFault(
      await call(s, body({ leads })),
      20110,
      'listMemberList has 1001 leads; listOperation accepts at most 1000',
    );
    assertFault(
      await call(s, body({ op: 'MOVETOLIST' })),
      20110,
      'paramsListOperation.listOperation: "MOVETOLIST" is not a valid ListOperationType',
    );
  });

  test('20102: a member key other than IDNUM or EMAIL, or outside LeadKeyRef', async () => {
    assertFault(
      await call(
        s,
        body({
          leads: [
            ['IDNUM', 1],
            ['SFDCLEADID', '00Q000000000000001'],
          ],
        }),
      ),
      20102,
      'Lead key type "SFDCLEADID" is not valid for listOperation; use IDNUM or EMAIL',
    );
    assertFault(
      await call(s, body({ leads: [['PHONE', '1']] })),
      20102,
      'paramsListOperation.listMemberList.leadKey.keyType: "PHONE" is not a valid LeadKeyRef',
    );
  });

  test('20109: no listMemberList, or one naming no lead', async () => {
    assertFault(await call(s, body({ leads: [] })), 20109, 'listMemberList names no lead');
    assertFault(
      await call(
        s,
        `<ns1:paramsListOperation><listOperation>ADDTOLIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>${DEMO_LIST}</keyValue></listKey></ns1:paramsListOperation>`,
      ),
      20109,
      'paramsListOperation.listMemberList is required',
    );
  });

  test('20101: a member leadKey without keyType', async () => {
    assertFault(
      await call(
        s,
        `<ns1:paramsListOperation><listOperation>ADDTOLIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>${DEMO_LIST}</keyValue></listKey><listMemberList><leadKey><keyValue>1</keyValue></leadKey></listMemberList></ns1:paramsListOperation>`,
      ),
      20101,
      'paramsListOperation.listMemberList.leadKey.keyType is required',
    );
  });

  test('20114: a strict that is not a boolean', async () => {
    assertFault(
      await call(
        s,
        body({}).replace('</ns1:paramsListOperation>', '<strict>sometimes</strict></ns1:paramsListOperation>'),
      ),
      20114,
      'paramsListOperation.strict: "sometimes" is not a valid boolean',
    );
  });
});
