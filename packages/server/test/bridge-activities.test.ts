/**
 * The bridge's activity reads against the emulator on the demo data: getLeadActivity and
 * getLeadChanges answer the same records in the same order, page after page to the end, with the
 * same faults; positions are each server's own (opaque, signed), and getLeadChanges'
 * remainingCount is a lower bound on the bridge (MAPPING.md B5).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  getLeadActivityBody,
  getLeadChangesBody,
  type LeadActivityInput,
  type LeadChangesInput,
  nextPosition,
  type PositionInput,
  parseLeadActivity,
  parseLeadChanges,
} from './support/activities.js';
import { assertSameAnswer, type BridgePair, startBridgePair, type Tree } from './support/bridge.js';
import { keySelector, listSelector, syncLeadBody, updatedSelector } from './support/leads.js';
import { accessToken } from './support/rest.js';

const DAY = 24 * 3600_000;
/** A fixed upper bound, so both servers echo the same latestCreatedAt. */
const LATEST = new Date(Date.now() + DAY).toISOString().slice(0, 19);

/** Positions are opaque and signed by each server: their text always differs. */
const positionsDiffer = (path: string) => path.endsWith('/newStartPosition/offset');

/** B5: the bridge's remainingCount is positive when the emulator's is, and never more. */
function remainingLowerBound(path: string, e: Tree | undefined, b: Tree | undefined): boolean {
  if (!path.endsWith('/remainingCount')) return false;
  const em = Number(e?.text ?? 0);
  const br = Number(b?.text ?? 0);
  return em > 0 && br > 0 && br <= em;
}

describe('bridge: getLeadActivity and getLeadChanges', () => {
  let p: BridgePair;
  let typeCount = 0;

  before(async () => {
    p = await startBridgePair();
    const res = await fetch(`${p.emulator.url}/rest/v1/activities/types.json`, {
      headers: { authorization: `Bearer ${await accessToken(p.emulator)}` },
    });
    typeCount = ((await res.json()) as { result: unknown[] }).result.length;
  });
  after(() => p?.close());

  /** Pages both servers through to the end, each with its own positions; returns the records read. */
  async function pageActivity(input: LeadActivityInput): Promise<number> {
    let ePos: PositionInput | undefined = input.position;
    let bPos: PositionInput | undefined = input.position;
    let total = 0;
    for (let round = 0; round < 200; round++) {
      const [e, b] = await Promise.all([
        p.emulator.soap(getLeadActivityBody({ ...input, position: ePos })),
        p.bridge.soap(getLeadActivityBody({ ...input, position: bPos })),
      ]);
      assertSameAnswer({ emulator: e, bridge: b }, positionsDiffer);
      const ep = parseLeadActivity(e);
      const bp = parseLeadActivity(b);
      total += bp.returnCount;
      if (bp.returnCount === 0) {
        assert.equal(bp.position.offset, bPos?.offset ?? null, 'the end echoes the position');
        return total;
      }
      ePos = nextPosition(ep.position);
      bPos = nextPosition(bp.position);
    }
    assert.fail('no end after 200 pages');
  }

  async function pageChanges(input: LeadChangesInput): Promise<number> {
    let ePos: PositionInput = input.position ?? {};
    let bPos: PositionInput = input.position ?? {};
    let total = 0;
    for (let round = 0; round < 200; round++) {
      const [e, b] = await Promise.all([
        p.emulator.soap(getLeadChangesBody({ ...input, position: ePos })),
        p.bridge.soap(getLeadChangesBody({ ...input, position: bPos })),
      ]);
      assertSameAnswer(
        { emulator: e, bridge: b },
        (path, et, bt) => positionsDiffer(path) || remainingLowerBound(path, et, bt),
      );
      const ep = parseLeadChanges(e);
      const bp = parseLeadChanges(b);
      total += bp.returnCount;
      if (bp.returnCount === 0) {
        assert.equal(bp.remainingCount, 0);
        return total;
      }
      ePos = nextPosition(ep.position);
      bPos = nextPosition(bp.position);
    }
    assert.fail('no end after 200 pages');
  }

  test('getLeadActivity: the same records, newest first, for several leads and filters, paged to the end', async () => {
    const cases: LeadActivityInput[] = [
      { key: ['EMAIL', 'ada@demo.example'], position: { latestCreatedAt: LATEST } },
      { key: ['EMAIL', 'ada@demo.example'], position: { latestCreatedAt: LATEST }, batchSize: 3 },
      { key: ['IDNUM', '6'], position: { latestCreatedAt: LATEST }, batchSize: 4 },
      {
        key: ['IDNUM', '11'],
        filter: { include: ['VisitWebpage', 'ClickLink'] },
        position: { latestCreatedAt: LATEST },
      },
      {
        key: ['IDNUM', '1'],
        filter: { exclude: ['SendEmail', 'EmailDelivered'] },
        position: { latestCreatedAt: LATEST },
        batchSize: 2,
      },
      { key: ['IDNUM', '2'], position: { latestCreatedAt: LATEST } },
    ];
    const totals: number[] = [];
    for (const c of cases) totals.push(await pageActivity(c));
    // Ada's journey is the longest; lead 2 has only New Lead and Add to List.
    assert.ok(totals[0] >= 8, `ada has ${totals[0]} activities`);
    assert.equal(totals[1], totals[0]);
    assert.equal(totals[5], 2);
  });

  test('getLeadActivity: records carry type, asset, attributes (primary first) and campaign as the emulator writes them', async () => {
    const r = await p.both(
      getLeadActivityBody({ key: ['EMAIL', 'ada@demo.example'], position: { latestCreatedAt: LATEST } }),
    );
    assertSameAnswer(r, positionsDiffer);
    const recs = parseLeadActivity(r.bridge).records;
    const send = recs.find((x) => x.activityType === 'Send Email');
    assert.equal(send?.campaign, 'Demo Program.Welcome');
    const visit = recs.find((x) => x.activityType === 'Visit Webpage');
    assert.equal(Object.keys(visit?.attributes ?? {})[0], 'Webpage ID');
    assert.equal(visit?.campaign, '');
  });

  test('getLeadActivity: oldestCreatedAt and latestCreatedAt bound the history; no latestCreatedAt means now', async () => {
    const ada = parseLeadActivity(
      await p.emulator.soap(
        getLeadActivityBody({ key: ['EMAIL', 'ada@demo.example'], position: { latestCreatedAt: LATEST } }),
      ),
    ).records;
    const mid = ada[Math.floor(ada.length / 2)].activityDateTime;
    await pageActivity({ key: ['EMAIL', 'ada@demo.example'], position: { latestCreatedAt: mid } });
    await pageActivity({
      key: ['EMAIL', 'ada@demo.example'],
      position: { oldestCreatedAt: mid, latestCreatedAt: LATEST },
    });
    const r = await p.both(getLeadActivityBody({ key: ['EMAIL', 'ada@demo.example'] }));
    // Each server fixes "now" itself: the echoed latestCreatedAt may differ by a second.
    assertSameAnswer(r, (path, e, b) => {
      if (positionsDiffer(path)) return true;
      if (!path.endsWith('/latestCreatedAt')) return false;
      return Math.abs(Date.parse(e?.text ?? '') - Date.parse(b?.text ?? '')) <= 2000;
    });
  });

  test('getLeadActivity faults: 20103 unknown lead, 20107 include with exclude, 20110 batchSize 0, 20122 bad or foreign positions', async () => {
    for (const key of [
      ['EMAIL', 'nobody@nowhere.example'],
      ['IDNUM', '999999'],
      ['IDNUM', 'abc'],
    ] as [string, string][]) {
      const r = await p.both(getLeadActivityBody({ key }));
      assert.equal(r.emulator.fault?.code, 20103);
      assert.equal(r.bridge.fault?.code, 20103, r.bridge.text);
    }
    const both = await p.both(
      getLeadActivityBody({ key: ['IDNUM', '1'], filter: { include: ['VisitWebpage'], exclude: ['OpenEmail'] } }),
    );
    assert.equal(both.emulator.fault?.code, 20107);
    assert.equal(both.bridge.fault?.code, 20107, both.bridge.text);
    const zero = await p.both(getLeadActivityBody({ key: ['IDNUM', '1'], batchSize: 0 }));
    assert.equal(zero.emulator.fault?.code, 20110);
    assert.equal(zero.bridge.fault?.code, 20110);

    const first = parseLeadActivity(
      await p.bridge.soap(
        getLeadActivityBody({ key: ['IDNUM', '1'], batchSize: 1, position: { latestCreatedAt: LATEST } }),
      ),
    );
    const offset = first.position.offset as string;
    const tampered = `${offset.slice(0, -2)}${offset.endsWith('AA') ? 'AB' : 'AA'}`;
    const emulatorOffset = parseLeadActivity(
      await p.emulator.soap(
        getLeadActivityBody({ key: ['IDNUM', '1'], batchSize: 1, position: { latestCreatedAt: LATEST } }),
      ),
    ).position.offset as string;
    for (const [key, pos] of [
      [['IDNUM', '1'], tampered],
      [['IDNUM', '6'], offset],
      [['IDNUM', '1'], emulatorOffset],
    ] as [[string, string], string][]) {
      const r = await p.bridge.soap(getLeadActivityBody({ key, batchSize: 1, position: { offset: pos } }));
      assert.equal(r.fault?.code, 20122, r.text);
    }
  });

  test('getLeadActivity with warm caches: one leads.json call, then one activities.json per 10 selected types', async () => {
    const body = (filter?: LeadActivityInput['filter']) =>
      getLeadActivityBody({ key: ['EMAIL', 'ada@demo.example'], filter, position: { latestCreatedAt: LATEST } });
    await p.bridge.soap(body({ include: ['VisitWebpage', 'OpenEmail'] }));
    assert.equal((await p.bridge.soap(body({ include: ['VisitWebpage', 'OpenEmail'] }))).status, 200);
    const leads = { method: 'GET', path: '/rest/v1/leads.json', status: 200, code: null };
    const acts = { method: 'GET', path: '/rest/v1/activities.json', status: 200, code: null };
    assert.deepEqual(await p.lastUpstream(), [leads, acts]);
    assert.equal((await p.bridge.soap(body())).status, 200);
    assert.deepEqual(await p.lastUpstream(), [leads, ...Array(Math.ceil(typeCount / 10)).fill(acts)]);
  });

  test('getLeadChanges: every lead, all types and name filters, paged to the end with positions', async () => {
    const oldest = new Date(Date.now() - 29 * DAY).toISOString().slice(0, 19);
    const all = await pageChanges({ position: { oldestCreatedAt: oldest }, batchSize: 250 });
    assert.ok(all > 300, `${all} activities`);
    assert.ok(
      (await pageChanges({
        position: { oldestCreatedAt: oldest },
        names: ['Visit Webpage', 'fill out form'],
        batchSize: 40,
      })) > 0,
    );
    await pageChanges({
      position: { oldestCreatedAt: oldest },
      filter: { include: ['OpenEmail', 'ClickEmail'] },
      names: ['Open Email'],
    });
    await pageChanges({ position: { oldestCreatedAt: oldest }, filter: { exclude: ['SendEmail'] }, batchSize: 300 });
    // A documented name this instance has no type for matches nothing, as on the emulator.
    assert.equal(await pageChanges({ position: { oldestCreatedAt: oldest }, names: ['Add to Nurture'] }), 0);
  });

  test('getLeadChanges: LeadKeySelector, StaticListSelector (name and id), LastUpdateAtSelector', async () => {
    const oldest = new Date(Date.now() - 29 * DAY).toISOString().slice(0, 19);
    // 70 leads, 14 of them active: three groups of ≤30 lead ids per type group.
    const ids = Array.from({ length: 70 }, (_, i) => i + 1);
    assert.ok(
      (await pageChanges({
        position: { oldestCreatedAt: oldest },
        selector: keySelector('IDNUM', ids),
        batchSize: 7,
      })) > 0,
    );
    await pageChanges({
      position: { oldestCreatedAt: oldest },
      selector: keySelector('EMAIL', ['ada@demo.example', 'nobody@nowhere.example']),
      batchSize: 3,
    });
    await pageChanges({
      position: { oldestCreatedAt: oldest },
      selector: keySelector('IDNUM', [1, 6, 'x']),
      batchSize: 3,
    });
    assert.ok(
      (await pageChanges({
        position: { oldestCreatedAt: oldest },
        selector: listSelector({ name: 'Demo List' }),
        batchSize: 50,
      })) > 0,
    );
    const list = await p.emulator.runtime.store.findList('name', 'Demo List');
    await pageChanges({
      position: { oldestCreatedAt: oldest },
      selector: listSelector({ id: list?.id }),
      batchSize: 90,
    });
    // The demo journeys start two days before seeding; New Lead and Add to List happen at seeding.
    const from = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 19);
    const to = new Date(Date.now() - DAY).toISOString().slice(0, 19);
    assert.ok((await pageChanges({ position: {}, selector: updatedSelector(from, to), batchSize: 60 })) > 0);
    await pageChanges({ position: { latestCreatedAt: to }, selector: updatedSelector(from), batchSize: 60 });
  });

  test('getLeadChanges faults: 20110 >100 keys, 20111 unknown list, 20022 range >30 days, 20107, 20122', async () => {
    const same = async (input: LeadChangesInput, code: number) => {
      const r = await p.both(getLeadChangesBody(input));
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assert.equal(r.bridge.fault?.code, code, r.bridge.text);
    };
    const keys = Array.from({ length: 101 }, (_, i) => i + 1);
    await same({ position: {}, selector: keySelector('IDNUM', keys) }, 20110);
    await same({ position: {}, selector: listSelector({ name: 'No Such List' }) }, 20111);
    await same({ position: {}, selector: listSelector({ id: 987654 }) }, 20111);
    await same({ position: {}, selector: updatedSelector('2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z') }, 20022);
    await same({ position: {}, names: ['Not A Type'] }, 20107);
    await same({ position: {}, filter: { include: ['VisitWebpage'], exclude: ['OpenEmail'] } }, 20107);
    await same({ position: {}, batchSize: 0 }, 20110);
    const r = await p.bridge.soap(getLeadChangesBody({ position: { offset: 'bm90LWEtcG9zaXRpb24.AAAA' } }));
    assert.equal(r.fault?.code, 20122);
    // A position issued for another filter is refused.
    const first = parseLeadChanges(
      await p.bridge.soap(getLeadChangesBody({ position: {}, names: ['Open Email'], batchSize: 1 })),
    );
    const other = await p.bridge.soap(
      getLeadChangesBody({ position: nextPosition(first.position), names: ['Visit Webpage'], batchSize: 1 }),
    );
    assert.equal(other.fault?.code, 20122, other.text);
  });

  test('getLeadChanges with warm caches: one activities.json per stream for a first page', async () => {
    const body = getLeadChangesBody({ position: {}, names: ['Visit Webpage'], batchSize: 10 });
    await p.bridge.soap(body);
    assert.equal((await p.bridge.soap(body)).status, 200);
    assert.deepEqual(await p.lastUpstream(), [
      { method: 'GET', path: '/rest/v1/activities.json', status: 200, code: null },
    ]);
    const keys = getLeadChangesBody({
      position: {},
      filter: { include: ['VisitWebpage', 'OpenEmail'] },
      selector: keySelector(
        'IDNUM',
        Array.from({ length: 31 }, (_, i) => i + 1),
      ),
    });
    await p.bridge.soap(keys);
    assert.equal((await p.bridge.soap(keys)).status, 200);
    const calls = await p.lastUpstream();
    assert.deepEqual(
      calls.map((c) => c.path),
      ['/rest/v1/leads.json', '/rest/v1/activities.json', '/rest/v1/activities.json'],
    );
  });

  test('written activity (Change Data Value, Change Score, New Lead) reads back the same through REST; activityCreatedAt keeps the leads active since', async () => {
    // Whole seconds after everything seeded, so that only the leads written below are active since.
    await sleep(1100);
    const mark = new Date().toISOString().slice(0, 19);
    const r = await p.emulator.soap(
      syncLeadBody({ Email: 'ada@demo.example', attrs: { FirstName: 'Ada B', LeadScore: '42' } }),
    );
    assert.equal(r.status, 200, r.text);
    const created = await p.emulator.soap(syncLeadBody({ Email: 'new.one@demo.example', attrs: { FirstName: 'New' } }));
    assert.equal(created.status, 200, created.text);
    const n = await pageActivity({
      key: ['EMAIL', 'ada@demo.example'],
      filter: { include: ['ChangeDataValue', 'ChangeScore'] },
      position: { latestCreatedAt: LATEST },
    });
    assert.equal(n, 3);
    assert.equal(
      await pageActivity({ key: ['EMAIL', 'new.one@demo.example'], position: { latestCreatedAt: LATEST } }),
      1,
    );
    const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    assert.ok(
      (await pageChanges({ position: { oldestCreatedAt: since }, names: ['Change Data Value', 'New Lead'] })) >= 4,
    );
    // Ada's whole history and the new lead's New Lead: nobody else was active since the mark.
    const oldest = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 19);
    const position = { oldestCreatedAt: oldest, activityCreatedAt: `${mark}Z` };
    const all = await pageChanges({ position, batchSize: 4 });
    assert.ok(all > 10, `${all}`);
    const one = parseLeadChanges(await p.bridge.soap(getLeadChangesBody({ position, batchSize: 1000 })));
    assert.equal(one.returnCount, all);
    assert.equal(new Set(one.records.map((x) => x.mktPersonId)).size, 2);
  });
});
