import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatW3C } from '@mktows/protocol';
import { DEMO_LEAD_COUNT, DEMO_LIST, DEMO_LIST_SIZE, demoSeed } from '../src/seed/demo.js';
import { onBridge } from './support/bridge-mode.js';
import { startTestServer, type TestServer } from './support/harness.js';
import {
  attrMap,
  faultCode,
  getMultipleBody,
  isNil,
  keySelector,
  listSelector,
  type MultipleInput,
  type MultiplePage,
  ok,
  parseMultiple,
  seed,
  syncLeadBody,
  updatedSelector,
} from './support/leads.js';

const demoLeads = demoSeed().leads as Record<string, string | number>[];
const HOUR = 3_600_000;
const iso = (ms: number) => formatW3C(new Date(ms));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function page(s: TestServer, p: MultipleInput): Promise<MultiplePage> {
  return parseMultiple(await s.soap(getMultipleBody(p)));
}

/** Pages through a selector; checks remainingCount and returnCount on every page. */
async function pageAll(s: TestServer, p: MultipleInput, total: number): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let position: string | undefined;
  let pages = 0;
  for (;;) {
    const pg = await page(s, { ...p, streamPosition: position });
    pages++;
    assert.equal(pg.returnCount, pg.leads.length, `page ${pages}: returnCount`);
    ids.push(...pg.leads.map((l) => l.Id));
    if (!onBridge('remainingCount is 0 or 1 on REST'))
      assert.equal(pg.remainingCount, total - ids.length, `page ${pages}: remainingCount is exact`);
    if (pg.remainingCount === 0) {
      assert.equal(pg.newStreamPosition, '', 'the last page has an empty newStreamPosition');
      return { ids, pages };
    }
    assert.notEqual(pg.newStreamPosition, '');
    position = pg.newStreamPosition;
    assert.ok(pages < 1000, 'paging ends');
  }
}

describe('getMultipleLeads on the demo store', () => {
  let s: TestServer;
  let t0: number;
  before(async () => {
    t0 = Date.now() - 60_000;
    s = await startTestServer();
  });
  after(() => s.close());

  test('LeadKeySelector returns the leads of the keys, by id, in one page', async () => {
    const emails = [
      demoLeads[9].Email,
      demoLeads[2].Email,
      'nobody@example.com',
      String(demoLeads[4].Email).toUpperCase(),
    ];
    const pg = await page(s, { selector: keySelector('EMAIL', emails as string[]) });
    assert.deepEqual(
      pg.leads.map((l) => l.Id),
      [3, 5, 10],
    );
    assert.deepEqual([pg.returnCount, pg.remainingCount, pg.newStreamPosition], [3, 0, '']);
    assert.equal(pg.leads[0].Email, demoLeads[2].Email);
    assert.equal(attrMap(pg.leads[0]).FirstName, demoLeads[2].FirstName);
    const byId = await page(s, { selector: keySelector('IDNUM', [7, 1, 7, 999_999]) });
    assert.deepEqual(
      byId.leads.map((l) => l.Id),
      [1, 7],
    );
  });

  test('LeadKeySelector by owner pages through that owner’s leads', {
    skip: onBridge('owner keys have no REST lookup'),
  }, async () => {
    const sales = demoLeads.flatMap((l, i) => (l.LeadOwnerEmail === 'sales@demo.example' ? [i + 1] : []));
    const { ids } = await pageAll(
      s,
      { selector: keySelector('LEADOWNEREMAIL', ['sales@demo.example']), batchSize: 100 },
      sales.length,
    );
    assert.deepEqual(ids, sales);
  });

  test('LeadKeySelector keeps the first 100 keys and silently ignores the rest', async () => {
    const keys = [...range(1, 100), 500];
    const pg = await page(s, { selector: keySelector('IDNUM', keys), batchSize: 1000 });
    assert.equal(pg.returnCount, 100);
    assert.deepEqual(
      pg.leads.map((l) => l.Id),
      range(1, 100),
    );
    // 100 keys that match nothing, then a real one: the real one is beyond the limit.
    const misses = range(1, 100).map((i) => `missing${i}@example.com`);
    const none = await page(s, { selector: keySelector('EMAIL', [...misses, 'ada@demo.example']) });
    assert.deepEqual([none.returnCount, none.remainingCount, none.newStreamPosition], [0, 0, '']);
    const found = await page(s, { selector: keySelector('EMAIL', [...misses.slice(1), 'ada@demo.example']) });
    assert.deepEqual(
      found.leads.map((l) => l.Id),
      [1],
    );
    const many = await page(s, { selector: keySelector('IDNUM', range(201, 450)), batchSize: 1000 });
    assert.deepEqual(
      many.leads.map((l) => l.Id),
      range(201, 300),
    );
  });

  test('LeadKeySelector with a keyType outside LeadKeyRef is 20102', async () => {
    faultCode(await s.soap(getMultipleBody({ selector: keySelector('PHONE', ['1']) })), 20102);
  });

  test('StaticListSelector by name and by id returns the list members', async () => {
    const list = await s.runtime.store.findList('name', DEMO_LIST);
    assert.ok(list);
    const byName = await page(s, { selector: listSelector({ name: DEMO_LIST }), batchSize: 1000 });
    assert.equal(byName.returnCount, DEMO_LIST_SIZE);
    assert.deepEqual(
      byName.leads.map((l) => l.Id),
      range(1, DEMO_LIST_SIZE),
    );
    assert.deepEqual([byName.remainingCount, byName.newStreamPosition], [0, '']);
    const byId = await page(s, { selector: listSelector({ id: list.id }), batchSize: 1000 });
    assert.deepEqual(
      byId.leads.map((l) => l.Id),
      range(1, DEMO_LIST_SIZE),
    );
    const paged = await pageAll(s, { selector: listSelector({ id: list.id }), batchSize: 30 }, DEMO_LIST_SIZE);
    assert.deepEqual(paged.ids, range(1, DEMO_LIST_SIZE));
    assert.equal(paged.pages, 4);
  });

  test('StaticListSelector: an empty program list returns nothing; unknown lists are 20111; neither name nor id is 20109', async () => {
    const empty = await page(s, { selector: listSelector({ name: 'Demo Program.Imports' }) });
    assert.deepEqual(
      [empty.returnCount, empty.remainingCount, empty.newStreamPosition, empty.leads.length],
      [0, 0, '', 0],
    );
    assert.match(
      faultCode(await s.soap(getMultipleBody({ selector: listSelector({ name: 'No Such List' }) })), 20111),
      /No Such List/,
    );
    faultCode(await s.soap(getMultipleBody({ selector: listSelector({ id: 987_654 }) })), 20111);
    faultCode(await s.soap(getMultipleBody({ selector: listSelector({}) })), 20109);
  });

  test('batchSize defaults to 100 on a 500-lead store; batchSize < 1 is 20110', async () => {
    const pg = await page(s, { selector: updatedSelector(iso(t0)) });
    assert.equal(pg.returnCount, 100);
    if (!onBridge('remainingCount is 0 or 1 on REST')) assert.equal(pg.remainingCount, DEMO_LEAD_COUNT - 100);
    assert.deepEqual(
      pg.leads.map((l) => l.Id),
      range(1, 100),
    );
    faultCode(await s.soap(getMultipleBody({ selector: updatedSelector(iso(t0)), batchSize: 0 })), 20110);
  });

  test('paging all 500 leads with batchSize 37 yields each once, remainingCount exact, empty position at the end', async () => {
    const { ids, pages } = await pageAll(s, { selector: updatedSelector(iso(t0)), batchSize: 37 }, DEMO_LEAD_COUNT);
    assert.equal(pages, Math.ceil(DEMO_LEAD_COUNT / 37));
    assert.equal(new Set(ids).size, DEMO_LEAD_COUNT);
    assert.deepEqual(ids, range(1, DEMO_LEAD_COUNT));
  });

  test('the deprecated lastUpdatedAt selects like a LastUpdateAtSelector without latestUpdatedAt', async () => {
    const pg = await page(s, { lastUpdatedAt: iso(t0), batchSize: 1000 });
    assert.deepEqual([pg.returnCount, pg.remainingCount], [DEMO_LEAD_COUNT, 0]);
    // With no latestUpdatedAt the range ends now: an oldestUpdatedAt in the future selects nothing
    // (a client clock running ahead is no error).
    const future = iso(Date.now() + HOUR);
    const empty = await page(s, { lastUpdatedAt: future, batchSize: 10 });
    assert.deepEqual([empty.returnCount, empty.remainingCount], [0, 0]);
    // An explicit latestUpdatedAt before oldestUpdatedAt is a bad range.
    const detail = faultCode(
      await s.soap(getMultipleBody({ selector: updatedSelector(future, iso(Date.now())), batchSize: 10 })),
      20110,
    );
    assert.match(detail, /^latestUpdatedAt \S+ is before oldestUpdatedAt \S+ \(20110\)$/);
  });

  test('no selector at all is 20109', async () => {
    faultCode(await s.soap(getMultipleBody({ batchSize: 10 })), 20109);
  });

  test('includeAttributes returns only those fields, Email nil unless named', async () => {
    const only = await page(s, {
      selector: keySelector('IDNUM', [1, 2]),
      include: ['LeadScore', 'FirstName'],
    });
    for (const l of only.leads) {
      assert.equal(l.Email, null, 'Email is nil when not named');
      assert.deepEqual(
        l.attributes?.map((a) => a.attrName),
        ['FirstName', 'LeadScore'],
      );
      assert.deepEqual(l.elements, ['Id', 'Email', 'ForeignSysPersonId', 'ForeignSysType', 'leadAttributeList']);
    }
    assert.deepEqual(only.leads[0].attributes, [
      { attrName: 'FirstName', attrType: 'string', attrValue: 'Ada' },
      { attrName: 'LeadScore', attrType: 'integer', attrValue: '0' },
    ]);
    const withEmail = await page(s, { selector: keySelector('IDNUM', [1]), include: ['Email', 'City'] });
    assert.equal(withEmail.leads[0].Email, 'ada@demo.example');
    assert.deepEqual(attrMap(withEmail.leads[0]), { City: 'London' });
    const emailOnly = await s.soap(getMultipleBody({ selector: keySelector('IDNUM', [1]), include: ['Email'] }));
    const [lead] = parseMultiple(emailOnly).leads;
    assert.equal(lead.Email, 'ada@demo.example');
    assert.equal(lead.attributes, null, 'leadAttributeList is nil when no attribute was asked for');
    assert.ok(emailOnly.text.includes('<leadAttributeList xsi:nil="true"/>'));
    // A field the lead has no value for is simply absent.
    assert.equal(demoLeads[0].State, undefined);
    const noValue = await page(s, { selector: keySelector('IDNUM', [1]), include: ['State', 'FirstName'] });
    assert.deepEqual(attrMap(noValue.leads[0]), { FirstName: 'Ada' });
    assert.match(
      faultCode(
        await s.soap(getMultipleBody({ selector: keySelector('IDNUM', [1]), include: ['FirstName', 'Pants'] })),
        20105,
      ),
      /Pants/,
    );
  });

  test('includeAttributes holds across pages', async () => {
    const first = await page(s, { selector: listSelector({ name: DEMO_LIST }), batchSize: 60, include: ['LastName'] });
    const second = await page(s, {
      selector: listSelector({ name: DEMO_LIST }),
      batchSize: 60,
      include: ['LastName'],
      streamPosition: first.newStreamPosition,
    });
    assert.deepEqual([second.returnCount, second.remainingCount], [40, 0]);
    for (const l of [...first.leads, ...second.leads]) {
      assert.equal(l.Email, null);
      assert.deepEqual(
        l.attributes?.map((a) => a.attrName),
        ['LastName'],
      );
    }
  });

  test('a position from one selector is refused (20122) by another selector or other attributes', async () => {
    const byTime = await page(s, { selector: updatedSelector(iso(t0)), batchSize: 10 });
    const byList = await page(s, { selector: listSelector({ name: DEMO_LIST }), batchSize: 10 });
    const byKey = await page(s, { selector: keySelector('IDNUM', range(1, 50)), batchSize: 10 });
    for (const pos of [byTime.newStreamPosition, byKey.newStreamPosition]) {
      faultCode(
        await s.soap(
          getMultipleBody({ selector: listSelector({ name: DEMO_LIST }), batchSize: 10, streamPosition: pos }),
        ),
        20122,
      );
    }
    faultCode(
      await s.soap(
        getMultipleBody({
          selector: updatedSelector(iso(t0)),
          batchSize: 10,
          streamPosition: byList.newStreamPosition,
        }),
      ),
      20122,
    );
    faultCode(
      await s.soap(
        getMultipleBody({
          selector: updatedSelector(iso(t0 - 1000)),
          batchSize: 10,
          streamPosition: byTime.newStreamPosition,
        }),
      ),
      20122,
    );
    faultCode(
      await s.soap(
        getMultipleBody({
          selector: keySelector('IDNUM', range(1, 51)),
          batchSize: 10,
          streamPosition: byKey.newStreamPosition,
        }),
      ),
      20122,
    );
    faultCode(
      await s.soap(
        getMultipleBody({
          selector: listSelector({ name: DEMO_LIST }),
          batchSize: 10,
          include: ['FirstName'],
          streamPosition: byList.newStreamPosition,
        }),
      ),
      20122,
    );
    // The same selector takes it (batchSize may change between pages).
    const next = await page(s, {
      selector: listSelector({ name: DEMO_LIST }),
      batchSize: 25,
      streamPosition: byList.newStreamPosition,
    });
    assert.deepEqual(
      next.leads.map((l) => l.Id),
      range(11, 35),
    );
    if (!onBridge('remainingCount is 0 or 1 on REST')) assert.equal(next.remainingCount, 65);
  });
});

describe('getMultipleLeads: LastUpdateAtSelector ranges', () => {
  let s: TestServer;
  let t0: number;
  before(async () => {
    t0 = Date.now() - 60_000;
    s = await startTestServer();
  });
  after(() => s.close());

  test('only leads updated inside the range come back', async () => {
    const clock = await s.admin('POST', '/_mktows/clock', { offsetSeconds: 7200 });
    assert.equal(clock.status, 200);
    const now = s.runtime.clock.now();
    assert.ok(now >= Date.now() + 2 * HOUR - 1000);
    ok(await s.soap(syncLeadBody({ Email: 'ada@demo.example', attrs: { FirstName: 'Augusta Ada' } })));
    ok(await s.soap(syncLeadBody({ Id: 250, attrs: { City: 'Paris' } })));

    const recent = await page(s, { selector: updatedSelector(iso(now - HOUR)) });
    assert.deepEqual(
      recent.leads.map((l) => l.Id),
      [1, 250],
    );
    assert.equal(attrMap(recent.leads[0]).FirstName, 'Augusta Ada');
    assert.deepEqual([recent.returnCount, recent.remainingCount, recent.newStreamPosition], [2, 0, '']);

    // The seed-time range holds every lead except the two just updated.
    const old = await page(s, { selector: updatedSelector(iso(t0), iso(now - HOUR)), batchSize: 1000 });
    assert.equal(old.returnCount, DEMO_LEAD_COUNT - 2);
    assert.ok(!old.leads.some((l) => l.Id === 1 || l.Id === 250));

    const legacy = await page(s, { lastUpdatedAt: iso(now - HOUR) });
    assert.deepEqual(
      legacy.leads.map((l) => l.Id),
      [1, 250],
    );

    const future = await page(s, { selector: updatedSelector(iso(now + HOUR), iso(now + 2 * HOUR)) });
    assert.deepEqual([future.returnCount, future.remainingCount, future.newStreamPosition], [0, 0, '']);
  });

  test('a range of more than 30 days is 20022; exactly 30 days is fine', async () => {
    const now = s.runtime.clock.now();
    const day = 24 * HOUR;
    faultCode(await s.soap(getMultipleBody({ selector: updatedSelector(iso(now - 31 * day)) })), 20022);
    faultCode(
      await s.soap(getMultipleBody({ selector: updatedSelector(iso(now - 40 * day), iso(now - 9 * day)) })),
      20022,
    );
    ok(await s.soap(getMultipleBody({ selector: updatedSelector(iso(now - 40 * day), iso(now - 10 * day)) })));
  });

  test('an open-ended range is fixed at its first page: leads updated while paging do not show up', async () => {
    // An hour on, so that the updates of the tests before are out of range.
    assert.equal((await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3 * 3600 })).status, 200);
    const start = s.runtime.clock.now() - 1000;
    ok(await s.soap(syncLeadBody({ Id: 10, attrs: { City: 'Rome' } })));
    ok(await s.soap(syncLeadBody({ Id: 20, attrs: { City: 'Rome' } })));
    const first = await page(s, { selector: updatedSelector(iso(start)), batchSize: 1 });
    assert.deepEqual([first.leads[0].Id, first.remainingCount], [10, 1]);
    await new Promise((r) => setTimeout(r, 5));
    ok(await s.soap(syncLeadBody({ Id: 30, attrs: { City: 'Rome' } })));
    const second = await page(s, {
      selector: updatedSelector(iso(start)),
      batchSize: 1,
      streamPosition: first.newStreamPosition,
    });
    assert.equal(second.leads[0].Id, 20);
    if (!onBridge('remainingCount is 0 or 1 on REST'))
      assert.deepEqual([second.remainingCount, second.newStreamPosition], [0, '']);
  });
});

describe('getMultipleLeads: batchSize is capped at 1000', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
    await seed(s, { leads: range(1, 1100).map((i) => ({ Email: `bulk${i}@example.com` })) });
  });
  after(() => s.close());

  test('batchSize 5000 returns at most 1000, and the rest on the next page', async () => {
    const from = iso(Date.now() - HOUR);
    const first = await page(s, { selector: updatedSelector(from), batchSize: 5000 });
    assert.deepEqual([first.returnCount, first.leads.length], [1000, 1000]);
    if (!onBridge('remainingCount is 0 or 1 on REST')) assert.equal(first.remainingCount, 100);
    const second = await page(s, {
      selector: updatedSelector(from),
      batchSize: 5000,
      streamPosition: first.newStreamPosition,
    });
    assert.deepEqual([second.returnCount, second.remainingCount, second.newStreamPosition], [100, 0, '']);
    assert.deepEqual(
      [...first.leads, ...second.leads].map((l) => l.Id),
      range(1, 1100),
    );
    const atMax = await page(s, { selector: updatedSelector(from), batchSize: 1000 });
    assert.equal(atMax.returnCount, 1000);
    assert.ok(!isNil(atMax.list));
  });
});
