/**
 * getLeadChanges over HTTP (spec §4.7, §8, errors.md): startPosition semantics (oldestCreatedAt,
 * latestCreatedAt, activityCreatedAt, offset), activityNameFilter by display name and the
 * deprecated activityFilter, the three lead selectors, batchSize, oldest-first order by activity
 * id, paging that neither repeats nor skips while new activity arrives, the end of the stream, and
 * each fault code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatW3C } from '@mktows/protocol';
import {
  getLeadActivityBody,
  getLeadChangesBody,
  type LeadChangesInput,
  listOperationBody,
  nextPosition,
  type ParsedActivity,
  parseLeadActivity,
  parseLeadChanges,
} from './support/activities.js';
import { onBridge } from './support/bridge-mode.js';
import { assertFault, call } from './support/fault-helpers.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { keySelector, listSelector, ok, seed, syncLeadBody, updatedSelector } from './support/leads.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Whole seconds, as dateTimes travel. */
const iso = (ms: number) => formatW3C(new Date(ms));

const CHANGE_RECORD_3_1 = [
  'id',
  'marketoGUID',
  'activityDateTime',
  'activityType',
  'mktgAssetName',
  'activityAttributes',
  'mktPersonId',
];

async function changes(s: TestServer, p: LeadChangesInput, version?: string) {
  return parseLeadChanges(await s.soap(getLeadChangesBody(p), { version }));
}

const ids = (records: ParsedActivity[]) => records.map((r) => r.id ?? 0);
const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || xs[i - 1] < x);

describe('getLeadChanges', () => {
  let s: TestServer;
  const now = Date.now();
  const T = (daysAgo: number, minutes = 0) => iso(now - daysAgo * DAY + minutes * MINUTE);
  let a: number;
  let b: number;
  let old: number;

  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
    // A lead created 20 days ago, quiet since.
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: -20 * 86_400 });
    await seed(s, { leads: [{ Email: 'old@changes.example' }] });
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    await seed(s, {
      leads: [{ Email: 'a@changes.example' }, { Email: 'b@changes.example' }],
      lists: [{ name: 'Changes List', members: ['b@changes.example'] }],
      activities: [
        { lead: 'a@changes.example', type: 'Visit Webpage', at: T(10), asset: 'Home' },
        { lead: 'a@changes.example', type: 'Click Link', at: T(9), asset: 'https://x.example/' },
        { lead: 'b@changes.example', type: 'Open Email', at: T(8), asset: 'Welcome', campaign: 'Welcome Flow' },
        { lead: 'b@changes.example', type: 'Visit Webpage', at: T(7), asset: 'Pricing' },
        { lead: 'old@changes.example', type: 'Visit Webpage', at: T(19), asset: 'Home' },
      ],
    });
    const find = async (e: string) => (await s.runtime.store.findLeads({ by: 'EMAIL', value: e }))[0].id;
    [a, b, old] = [await find('a@changes.example'), await find('b@changes.example'), await find('old@changes.example')];
  });
  after(() => s.close());

  test('oldest first by activity id, as LeadChangeRecords; newStartPosition echoes the position with our offset', async () => {
    const oldest = T(30);
    const pg = await changes(s, { position: { oldestCreatedAt: oldest } });
    // old: New Lead + Visit; a: New Lead + 2; b: New Lead, Add to List + 2.
    assert.equal(pg.returnCount, 9);
    assert.equal(pg.remainingCount, 0);
    assert.ok(ascending(ids(pg.records)), 'ascending ids');
    const all = await s.runtime.store.pageActivityChanges({ afterId: 0, limit: 1000 });
    assert.deepEqual(ids(pg.records), ids(all.activities.map((x) => ({ id: x.id }) as ParsedActivity)));
    assert.deepEqual(pg.position, {
      latestCreatedAt: null,
      oldestCreatedAt: oldest,
      activityCreatedAt: null,
      offset: pg.position.offset,
    });
    assert.ok((pg.position.offset ?? '').length > 20);
    const newLead = pg.records.find((r) => r.activityType === 'New Lead');
    assert.deepEqual(newLead?.elements, CHANGE_RECORD_3_1, 'no campaign: left out');
    assert.equal(newLead?.mktgAssetName, null, 'no asset: nil');
    const open = pg.records.find((r) => r.activityType === 'Open Email');
    if (!onBridge('seeded campaign names are no REST campaign')) {
      assert.deepEqual(open?.elements, [...CHANGE_RECORD_3_1.slice(0, 6), 'campaign', 'mktPersonId']);
      assert.deepEqual(
        [open?.campaign, open?.mktgAssetName, open?.mktPersonId],
        ['Welcome Flow', 'Welcome', String(b)],
      );
    }
    const add = pg.records.find((r) => r.activityType === 'Add to List');
    assert.deepEqual([add?.mktgAssetName, add?.attributes['Lead ID']], ['Changes List', String(b)]);
  });

  test('on a 2_6 path the records carry ids and no marketoGUID', async () => {
    const pg = await changes(s, { position: { oldestCreatedAt: T(30) }, batchSize: 2 }, '2_6');
    for (const r of pg.records) {
      assert.equal(r.elements[0], 'id');
      assert.ok(!r.elements.includes('marketoGUID'));
    }
  });

  test('oldestCreatedAt and latestCreatedAt bound the activity time', async () => {
    const since = await changes(s, { position: { oldestCreatedAt: T(8, -1) } });
    assert.ok(since.records.every((r) => r.activityDateTime >= T(8, -1)));
    assert.deepEqual(
      since.records
        .filter((r) => r.activityType !== 'New Lead' && r.activityType !== 'Add to List')
        .map((r) => r.mktgAssetName),
      ['Welcome', 'Pricing'],
    );
    const window = await changes(s, { position: { oldestCreatedAt: T(11), latestCreatedAt: T(8) } });
    assert.deepEqual(
      window.records.map((r) => r.mktgAssetName),
      ['Home', 'https://x.example/', 'Welcome'],
    );
    assert.deepEqual([window.position.oldestCreatedAt, window.position.latestCreatedAt], [T(11), T(8)]);
  });

  test('activityCreatedAt keeps only leads with some activity since then, and is echoed', async () => {
    const pg = await changes(s, { position: { oldestCreatedAt: T(30), activityCreatedAt: T(1) } });
    const leads = new Set(pg.records.map((r) => Number(r.mktPersonId)));
    assert.deepEqual([...leads].sort(), [a, b].sort(), 'the quiet lead is left out');
    // Their older activity is included: the filter selects leads, not activities.
    assert.ok(pg.records.some((r) => r.mktgAssetName === 'Home' && Number(r.mktPersonId) === a));
    assert.equal(pg.position.activityCreatedAt, T(1));
    const all = await changes(s, { position: { oldestCreatedAt: T(30), activityCreatedAt: T(25) } });
    assert.ok(all.records.some((r) => Number(r.mktPersonId) === old));
  });

  test('activityNameFilter takes display names (any case); the deprecated activityFilter takes tokens', async () => {
    const names = await changes(s, { position: { oldestCreatedAt: T(30) }, names: ['visit webpage', 'Click Link'] });
    assert.deepEqual(
      names.records.map((r) => [r.activityType, r.mktgAssetName]),
      [
        ['Visit Webpage', 'Home'],
        ['Visit Webpage', 'Home'],
        ['Click Link', 'https://x.example/'],
        ['Visit Webpage', 'Pricing'],
      ],
    );
    const tokens = await changes(s, {
      position: { oldestCreatedAt: T(30) },
      filter: { include: ['OpenEmail', 'AddToList'] },
    });
    assert.deepEqual(
      tokens.records.map((r) => r.activityType),
      ['Add to List', 'Open Email'],
    );
    const exclude = await changes(s, {
      position: { oldestCreatedAt: T(30) },
      filter: { exclude: ['NewLead', 'VisitWebpage'] },
    });
    assert.deepEqual(exclude.records.map((r) => r.activityType).sort(), ['Add to List', 'Click Link', 'Open Email']);
    // Both at once: every condition applies.
    const both = await changes(s, {
      position: { oldestCreatedAt: T(30) },
      names: ['Visit Webpage', 'Click Link'],
      filter: { exclude: ['VisitWebpage'] },
    });
    assert.deepEqual(
      both.records.map((r) => r.activityType),
      ['Click Link'],
    );
    // A name of Adobe's filter page that this server never records: valid, and nothing matches.
    const none = await changes(s, { position: { oldestCreatedAt: T(30) }, names: ['Add to Nurture'] });
    assert.equal(none.returnCount, 0);
    assert.equal(none.list?.attrs.find((x) => x.local === 'nil')?.value, 'true', 'leadChangeRecordList is nil');
  });

  test('leadSelector: LeadKeySelector, StaticListSelector (name or id), LastUpdateAtSelector', async () => {
    const byKey = await changes(s, {
      position: { oldestCreatedAt: T(30) },
      selector: keySelector('EMAIL', ['a@changes.example', 'nobody@changes.example']),
    });
    assert.deepEqual(new Set(byKey.records.map((r) => Number(r.mktPersonId))), new Set([a]));
    assert.equal(byKey.returnCount, 3);
    const byId = await changes(s, {
      position: { oldestCreatedAt: T(30) },
      selector: keySelector('IDNUM', [a, b, 'x']),
    });
    assert.equal(byId.returnCount, 7);

    const list = await s.runtime.store.findList('name', 'Changes List');
    for (const sel of [listSelector({ name: 'Changes List' }), listSelector({ id: list?.id })]) {
      const pg = await changes(s, { position: { oldestCreatedAt: T(30) }, selector: sel });
      assert.deepEqual(new Set(pg.records.map((r) => Number(r.mktPersonId))), new Set([b]));
      assert.equal(pg.returnCount, 4);
    }

    // oldestUpdatedAt/latestUpdatedAt stand for oldestCreatedAt/latestCreatedAt.
    const updated = await changes(s, { position: {}, selector: updatedSelector(T(9, -1), T(7, 1)) });
    assert.deepEqual(
      updated.records.map((r) => r.mktgAssetName),
      ['https://x.example/', 'Welcome', 'Pricing'],
    );
  });

  test('batchSize pages by activity id; remainingCount counts what is left', async () => {
    const full = await changes(s, { position: { oldestCreatedAt: T(30) } });
    const seen: number[] = [];
    let position: LeadChangesInput['position'] = { oldestCreatedAt: T(30) };
    for (let page = 1; ; page++) {
      const pg = await changes(s, { position, batchSize: 3 });
      seen.push(...ids(pg.records));
      assert.equal(pg.remainingCount, full.returnCount - seen.length);
      assert.equal(pg.position.oldestCreatedAt, T(30), 'oldestCreatedAt is echoed on every page');
      position = nextPosition(pg.position);
      if (pg.returnCount === 0) break;
      assert.ok(page < 10);
    }
    assert.deepEqual(seen, ids(full.records));
  });
});

describe('getLeadChanges paging while new activity keeps arriving', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
    await seed(s, {
      leads: Array.from({ length: 10 }, (_, i) => ({ Email: `live${i}@changes.example`, LeadScore: i })),
      lists: [{ name: 'Live List' }],
    });
  });
  after(() => s.close());

  test('a page never repeats or skips a record; the end echoes the position, which later yields only what is new', async () => {
    const start = iso(Date.now() - MINUTE);
    let position: LeadChangesInput['position'] = { oldestCreatedAt: start };
    const seen: number[] = [];
    let writes = 0;
    for (let page = 1; ; page++) {
      const pg = await changes(s, { position, batchSize: 3 });
      assert.equal(pg.returnCount, pg.records.length);
      seen.push(...ids(pg.records));
      // remainingCount is exact at the time of the call.
      const left = await s.runtime.store.pageActivityChanges({ afterId: seen[seen.length - 1] ?? 0, limit: 100_000 });
      assert.equal(pg.remainingCount, left.activities.length, `page ${page}`);
      if (pg.returnCount === 0) {
        assert.deepEqual(nextPosition(pg.position), position, 'the end echoes the position');
        break;
      }
      position = nextPosition(pg.position);
      // New activity between pages, for leads already paged past and for new ones.
      if (writes < 6) {
        writes++;
        const n = writes;
        ok(await s.soap(syncLeadBody({ Email: `live${n}@changes.example`, attrs: { LeadScore: 100 + n } })));
        ok(await s.soap(syncLeadBody({ Email: `late${n}@changes.example` })));
        ok(
          await s.soap(
            listOperationBody({ op: 'ADDTOLIST', list: 'Live List', leads: [['EMAIL', `live${n}@changes.example`]] }),
          ),
        );
      }
      assert.ok(page < 100, 'paging ends');
    }
    assert.ok(ascending(seen), 'strictly ascending: nothing repeated');
    const everything = await s.runtime.store.pageActivityChanges({ afterId: 0, limit: 100_000 });
    assert.deepEqual(
      seen,
      everything.activities.map((x) => x.id),
      'nothing skipped',
    );
    // 10 New Lead, then 6 rounds of Change Data Value + Change Score, New Lead, Add to List.
    assert.equal(seen.length, 10 + 6 * 4);

    // Polling the end position later returns exactly what arrived since.
    ok(await s.soap(syncLeadBody({ Email: 'live9@changes.example', attrs: { City: 'Oslo' } })));
    const later = await changes(s, { position, batchSize: 3 });
    assert.deepEqual(
      later.records.map((r) => [r.activityType, r.mktgAssetName]),
      [['Change Data Value', 'City']],
    );
    assert.equal(later.remainingCount, 0);
  });
});

describe('getLeadChanges batchSize', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none', ratePerWindow: 100_000 });
    const now = Date.now();
    await seed(s, {
      leads: [{ Email: 'many@changes.example' }],
      activities: Array.from({ length: 1100 }, (_, i) => ({
        lead: 'many@changes.example',
        type: 'Visit Webpage',
        at: iso(now - (2000 - i) * 1000),
      })),
    });
  });
  after(() => s.close());

  test('above 1000 (or absent) is limited to 1000', async () => {
    const big = await changes(s, { position: {}, batchSize: 5000 });
    assert.deepEqual([big.returnCount, big.remainingCount], [1000, 101]);
    const dflt = await changes(s, { position: {} });
    assert.deepEqual([dflt.returnCount, dflt.remainingCount], [1000, 101]);
    const rest = await changes(s, { position: nextPosition(big.position), batchSize: 5000 });
    assert.deepEqual([rest.returnCount, rest.remainingCount], [101, 0]);
  });
});

describe('getLeadChanges faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());
  const body = (p: LeadChangesInput) => getLeadChangesBody(p);
  const since = iso(Date.now() - 40 * DAY);

  test('20109: no startPosition; a StaticListSelector naming no list', async () => {
    assertFault(await call(s, body({ names: ['New Lead'] })), 20109, 'paramsGetLeadChanges.startPosition is required');
    assertFault(
      await call(
        s,
        body({
          position: { oldestCreatedAt: since },
          selector:
            '<leadSelector xsi:type="ns1:StaticListSelector"><staticListName xsi:nil="true"/><staticListId xsi:nil="true"/></leadSelector>',
        }),
      ),
      20109,
      'StaticListSelector needs staticListName or staticListId',
    );
  });

  test('20107: an unknown activity name, an unknown token, or both includeTypes and excludeTypes', async () => {
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, names: ['Visit Webpage', 'Visit Web Page'] })),
      20107,
      'activityNameFilter: "Visit Web Page" is not the name of an activity type',
    );
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, filter: { include: ['ChangeDataValues'] } })),
      20107,
      'paramsGetLeadChanges.activityFilter.includeTypes.activityType: "ChangeDataValues" is not a valid ActivityType',
    );
    assertFault(
      await call(
        s,
        body({ position: { oldestCreatedAt: since }, filter: { include: ['NewLead'], exclude: ['AddToList'] } }),
      ),
      20107,
      'activityFilter has both includeTypes and excludeTypes; give one of them (include or exclude)',
    );
  });

  test('20110: a LeadKeySelector with more than 100 keys; batchSize below 1', async () => {
    const keys = Array.from({ length: 101 }, (_, i) => i + 1);
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, selector: keySelector('IDNUM', keys) })),
      20110,
      'LeadKeySelector has 101 keys; getLeadChanges accepts at most 100',
    );
    // 100 keys are fine.
    const pg = await changes(s, {
      position: { oldestCreatedAt: since },
      selector: keySelector('IDNUM', keys.slice(0, 100)),
      batchSize: 1,
    });
    assert.equal(pg.returnCount, 1);
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, batchSize: 0 })),
      20110,
      'batchSize 0 must be at least 1',
    );
  });

  test('20102: a LeadKeySelector keyType outside LeadKeyRef', async () => {
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, selector: keySelector('PHONE', ['1']) })),
      20102,
      'paramsGetLeadChanges.leadSelector.keyType: "PHONE" is not a valid LeadKeyRef',
    );
  });

  test('20108: a LeadKeySelector naming a lead owner that does not exist', {
    skip: onBridge('owner keys have no REST lookup'),
  }, async () => {
    assertFault(
      await call(
        s,
        body({
          position: { oldestCreatedAt: since },
          selector: keySelector('LEADOWNEREMAIL', ['nobody@demo.example']),
        }),
      ),
      20108,
      'No lead owner found with LEADOWNEREMAIL = nobody@demo.example',
    );
  });

  test('20022: a LastUpdateAtSelector spanning more than 30 days', async () => {
    assertFault(
      await call(s, body({ position: {}, selector: updatedSelector('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z') })),
      20022,
      'Time range of 31.0 days between oldestUpdatedAt and latestUpdatedAt exceeds the limit of 30 days',
    );
    // Open-ended: up to now.
    assertFault(
      await call(s, body({ position: {}, selector: updatedSelector(since) })),
      20022,
      /^Time range of 40\.0 days between oldestUpdatedAt and latestUpdatedAt exceeds the limit of 30 days$/,
    );
  });

  test('20111: a StaticListSelector naming a list that does not exist', async () => {
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, selector: listSelector({ name: 'No Such List' }) })),
      20111,
      'No static list found with name "No Such List"',
    );
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since }, selector: listSelector({ id: 9999 }) })),
      20111,
      'No static list found with id 9999',
    );
  });

  test('20114: a dateTime that is not one', async () => {
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: 'yesterday' } })),
      20114,
      'paramsGetLeadChanges.startPosition.oldestCreatedAt: "yesterday" is not a valid dateTime',
    );
  });

  test('20122: an offset that is not ours, tampered, or replayed with another filter, selector or operation', async () => {
    const first = await changes(s, { position: { oldestCreatedAt: since }, names: ['New Lead'], batchSize: 5 });
    const offset = first.position.offset ?? '';
    assert.ok(offset.length > 20);
    const shown = (p: string) => (p.length > 40 ? `${p.slice(0, 40)}…` : p);
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since, offset: 'ID:1086173' } })),
      20122,
      'Stream position "ID:1086173" is not valid',
    );
    const tampered = offset.slice(0, 6) + (offset[6] === 'A' ? 'B' : 'A') + offset.slice(7);
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since, offset: tampered }, names: ['New Lead'] })),
      20122,
      `Stream position "${shown(tampered)}" is not valid`,
    );
    const other = 'Stream position was issued for a different selector or filter; restart the stream';
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: since, offset }, names: ['Add to List'] })),
      20122,
      other,
    );
    assertFault(await call(s, body({ position: { oldestCreatedAt: since, offset } })), 20122, other);
    assertFault(
      await call(
        s,
        body({
          position: { oldestCreatedAt: since, offset },
          names: ['New Lead'],
          selector: listSelector({ name: 'Demo List' }),
        }),
      ),
      20122,
      other,
    );
    assertFault(
      await call(s, body({ position: { oldestCreatedAt: iso(Date.now() - 39 * DAY), offset }, names: ['New Lead'] })),
      20122,
      other,
    );
    // getLeadActivity's offset is not getLeadChanges' and the other way round.
    const act = parseLeadActivity(await s.soap(getLeadActivityBody({ key: ['IDNUM', 1], batchSize: 1 })));
    assertFault(await call(s, body({ position: { offset: act.position.offset ?? '' } })), 20122, other);
    assertFault(await call(s, getLeadActivityBody({ key: ['IDNUM', 1], position: { offset } })), 20122, other);
    // As issued, it pages on.
    const next = await changes(s, { position: nextPosition(first.position), names: ['New Lead'], batchSize: 5 });
    assert.equal(next.returnCount, 5);
    assert.ok((next.records[0].id ?? 0) > (first.records[4].id ?? 0));
  });
});
