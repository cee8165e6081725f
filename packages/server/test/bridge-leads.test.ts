/**
 * The bridge (`--store marketo+http://…`) in front of the emulator's REST API: lead reads answer
 * as the emulator answers the same SOAP request, and each call's REST exchanges are journaled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatW3C } from '@mktows/protocol';
import { DEMO_LEAD_COUNT, DEMO_LIST, DEMO_LIST_SIZE, demoSeed } from '../src/seed/demo.js';
import { assertSameAnswer, type BridgePair, startBridgePair } from './support/bridge.js';
import { getLeadBody, type SoapResult } from './support/harness.js';
import {
  getMultipleBody,
  keySelector,
  listSelector,
  type MultipleInput,
  parseMultiple,
  syncLeadBody,
  updatedSelector,
} from './support/leads.js';

const iso = (ms: number) => formatW3C(new Date(ms));

describe('bridge: getLead', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  test('by EMAIL and IDNUM: the same LeadRecord as the emulator, element by element', async () => {
    for (const [type, value] of [
      ['EMAIL', 'ada@demo.example'],
      ['IDNUM', '2'],
      ['IDNUM', '17'],
    ] as const) {
      const r = await p.both(getLeadBody(type, value));
      assert.equal(r.bridge.status, 200, r.bridge.text);
      assertSameAnswer(r);
    }
  });

  test('warm caches: one REST call per getLead, journaled with method, path and status', async () => {
    await p.bridge.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    const r = await p.bridge.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await p.lastUpstream(), [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, code: null }]);
  });

  test('no lead: 20103 from both, for an unknown e-mail, id and non-numeric id', async () => {
    for (const [type, value] of [
      ['EMAIL', 'nobody@nowhere.example'],
      ['IDNUM', '999999'],
      ['IDNUM', 'abc'],
    ] as const) {
      const r = await p.both(getLeadBody(type, value));
      assert.equal(r.bridge.fault?.code, 20103, r.bridge.text);
      assert.equal(r.emulator.fault?.code, 20103, r.emulator.text);
    }
  });

  test('a key type outside the enum is 20102; LEADOWNEREMAIL has no REST filter: 20110', async () => {
    assert.equal((await p.bridge.soap(getLeadBody('NOPE', 'x'))).fault?.code, 20102);
    const r = await p.bridge.soap(getLeadBody('LEADOWNEREMAIL', 'owner@demo.example'));
    assert.equal(r.fault?.code, 20110, r.text);
    assert.match(r.fault?.message ?? '', /no equivalent in Marketo's REST API/);
  });

  test('listMObjects answers as the emulator', async () => {
    assertSameAnswer(await p.both('<ns1:paramsListMObjects/>'));
  });
});

/** Both answers of a getMultipleLeads page alike but for remainingCount (1 for "more") and the position. */
function assertSamePage(r: { emulator: SoapResult; bridge: SoapResult }): void {
  assertSameAnswer(r, (path, e, b) => {
    if (path.endsWith('/newStreamPosition')) return (e?.text === undefined) === (b?.text === undefined);
    if (path.endsWith('/remainingCount')) return Number(e?.text) > 0 && b?.text === '1';
    return false;
  });
}

/** Pages both servers through one request; answers the lead ids and the number of pages. */
async function pageBoth(p: BridgePair, req: MultipleInput): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let pos: { emulator?: string; bridge?: string } = {};
  for (let pages = 1; ; pages++) {
    const [emulator, bridge] = await Promise.all([
      p.emulator.soap(getMultipleBody({ ...req, streamPosition: pos.emulator })),
      p.bridge.soap(getMultipleBody({ ...req, streamPosition: pos.bridge })),
    ]);
    assertSamePage({ emulator, bridge });
    const e = parseMultiple(emulator);
    const b = parseMultiple(bridge);
    ids.push(...b.leads.map((l) => l.Id));
    if (b.remainingCount === 0) {
      assert.equal(e.remainingCount, 0);
      assert.equal(b.newStreamPosition, '');
      return { ids, pages };
    }
    pos = { emulator: e.newStreamPosition, bridge: b.newStreamPosition };
    assert.ok(pages < 100);
  }
}

describe('bridge: getMultipleLeads', () => {
  let p: BridgePair;
  let seededAt: number;
  before(async () => {
    seededAt = Date.now();
    p = await startBridgePair();
  });
  after(() => p?.close());

  test('LeadKeySelector by EMAIL and IDNUM: the same pages as the emulator, includeAttributes honoured', async () => {
    const emails = (demoSeed().leads ?? []).slice(0, 7).map((l) => String((l as { Email: string }).Email));
    const r = await pageBoth(p, {
      selector: keySelector('EMAIL', [...emails, 'nobody@nowhere.example']),
      batchSize: 3,
    });
    assert.equal(r.pages, 3);
    assert.equal(r.ids.length, 7);
    const ids = await pageBoth(p, {
      selector: keySelector('IDNUM', [9, 3, 'x', 3, 999999, 5]),
      include: ['FirstName', 'Company'],
    });
    assert.deepEqual(ids.ids, [3, 5, 9]);
  });

  test('page 1 with warm caches is one REST call; a key list with no usable key makes none', async () => {
    const req = { selector: keySelector('IDNUM', [1, 2, 3]), batchSize: 2 };
    await p.bridge.soap(getMultipleBody(req));
    const first = parseMultiple(await p.bridge.soap(getMultipleBody(req)));
    assert.deepEqual(
      first.leads.map((l) => l.Id),
      [1, 2],
    );
    assert.deepEqual(await p.lastUpstream(), [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, code: null }]);
    const second = parseMultiple(
      await p.bridge.soap(getMultipleBody({ ...req, streamPosition: first.newStreamPosition })),
    );
    assert.deepEqual(
      second.leads.map((l) => l.Id),
      [3],
    );
    assert.equal(second.remainingCount, 0);
    const none = parseMultiple(await p.bridge.soap(getMultipleBody({ selector: keySelector('IDNUM', ['abc']) })));
    assert.equal(none.returnCount, 0);
    assert.deepEqual(await p.lastUpstream(), []);
  });

  test('StaticListSelector by name and id: the list in pages; the name is looked up once', async () => {
    p.bridge.runtime.bridge?.clearCaches();
    const byName = await pageBoth(p, { selector: listSelector({ name: DEMO_LIST }), batchSize: 40 });
    assert.equal(byName.ids.length, DEMO_LIST_SIZE);
    assert.equal(byName.pages, 3);
    const listId = (await p.emulator.runtime.store.findList('name', DEMO_LIST))?.id;
    await p.bridge.soap(getMultipleBody({ selector: listSelector({ name: DEMO_LIST }), batchSize: 40 }));
    assert.deepEqual(await p.lastUpstream(), [
      { method: 'GET', path: `/rest/v1/lists/${listId}/leads.json`, status: 200, code: null },
    ]);
    const byId = await pageBoth(p, { selector: listSelector({ id: Number(listId) }), batchSize: 100 });
    assert.deepEqual(byId.ids, byName.ids);
    // A program's list is `Program.List` over SOAP, name=List&programName=Program over REST.
    const programList = await pageBoth(p, { selector: listSelector({ name: 'Demo Program.Imports' }) });
    assert.deepEqual(programList.ids, []);
  });

  test('unknown list (name or id) is 20111; no name and no id is 20109, from both', async () => {
    for (const [selector, code] of [
      [listSelector({ name: 'No Such List' }), 20111],
      [listSelector({ name: 'Imports' }), 20111],
      [listSelector({ id: 987654 }), 20111],
      [listSelector({}), 20109],
    ] as const) {
      const r = await p.both(getMultipleBody({ selector }));
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assertSameAnswer(r);
    }
  });

  test('LastUpdateAtSelector: the leads updated in the window, paged as the emulator pages them', async () => {
    const from = iso(seededAt - 3_600_000);
    const all = await pageBoth(p, { selector: updatedSelector(from), batchSize: 200 });
    assert.equal(all.ids.length, DEMO_LEAD_COUNT);
    assert.equal(all.pages, 3);
    // A window after the seed holds only what was written since.
    const t = Date.now() + 1_500;
    await new Promise((res) => setTimeout(res, 1_600));
    const w = await p.emulator.soap(syncLeadBody({ Email: 'ada@demo.example', attrs: { Title: 'Countess' } }));
    assert.equal(w.status, 200, w.text);
    const since = await pageBoth(p, { selector: updatedSelector(iso(t)) });
    assert.equal(since.ids.length, 1);
    // The deprecated lastUpdatedAt is the same selector.
    assertSamePage(await p.both(getMultipleBody({ lastUpdatedAt: iso(t) })));
  });

  test('a SOAP batch over 300 leads takes several REST pages', async () => {
    const r = await p.both(getMultipleBody({ selector: updatedSelector(iso(seededAt - 3_600_000)), batchSize: 1000 }));
    assertSamePage(r);
    assert.equal(parseMultiple(r.bridge).returnCount, DEMO_LEAD_COUNT);
    const calls = (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`);
    assert.deepEqual(
      calls.filter((c) => c === 'GET /rest/v1/leads.json'),
      ['GET /rest/v1/leads.json', 'GET /rest/v1/leads.json'],
    );
  });

  test('range over 30 days: 20022 before any REST call; tampered or foreign positions: 20122', async () => {
    await p.bridge.soap(getMultipleBody({ selector: keySelector('IDNUM', [1]) }));
    const r = await p.both(
      getMultipleBody({ selector: updatedSelector('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z') }),
    );
    assert.equal(r.bridge.fault?.code, 20022, r.bridge.text);
    assertSameAnswer(r);
    assert.deepEqual(await p.lastUpstream(), []);
    const first = parseMultiple(
      await p.bridge.soap(getMultipleBody({ selector: keySelector('IDNUM', [1, 2]), batchSize: 1 })),
    );
    for (const [selector, position] of [
      [keySelector('IDNUM', [1, 2]), `${first.newStreamPosition}x`],
      [keySelector('IDNUM', [1, 3]), first.newStreamPosition],
    ] as const) {
      const f = await p.bridge.soap(getMultipleBody({ selector, batchSize: 1, streamPosition: position }));
      assert.equal(f.fault?.code, 20122, f.text);
    }
  });

  test('unknown includeAttributes is 20105, batchSize 0 is 20110, no selector 20109: as the emulator', async () => {
    for (const req of [
      { selector: keySelector('IDNUM', [1]), include: ['FirstName', 'NoSuchField'] },
      { selector: keySelector('IDNUM', [1]), include: ['company'] },
      { selector: keySelector('IDNUM', [1]), batchSize: 0 },
      {},
    ]) {
      const r = await p.both(getMultipleBody(req));
      assert.equal(r.bridge.status, 500, r.bridge.text);
      assertSameAnswer(r);
    }
    const owner = await p.bridge.soap(getMultipleBody({ selector: keySelector('LEADOWNEREMAIL', ['x@y.z']) }));
    assert.equal(owner.fault?.code, 20110, owner.text);
  });
});
