/**
 * client.iterate over the five stream operations and the batch helpers. getMultipleLeads and
 * syncMultipleLeads run against the server; the operations it does not implement yet run against
 * a fake endpoint that speaks through the protocol's own encoder and decoder.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LeadKey, LeadRecord } from '@mktows/protocol';
import { BatchError, MktowsClient, StreamError } from '../src/index.js';
import { fakeEndpoint, KEY, startMktows, type TestServer } from './support.js';

let server: TestServer;

before(async () => {
  server = await startMktows();
});
after(() => server.close());

function fakeClient(f: typeof fetch): MktowsClient {
  return new MktowsClient({
    endpoint: 'http://fake.invalid/soap/mktows/3_1',
    userId: `fake_${Math.random()}`,
    encryptionKey: KEY,
    fetch: f,
  });
}

describe('iterate getMultipleLeads against the server', () => {
  test('2,500 leads synced in batches of 300 are each yielded exactly once, statuses in input order', async () => {
    const user = await server.user('stream');
    const client = server.client(user);
    const since = new Date(Date.now() - 60_000);
    const records: LeadRecord[] = Array.from({ length: 2500 }, (_, i) => ({
      Email: `stream.${i}@iterate.example`,
      leadAttributeList: { attribute: [{ attrName: 'FirstName', attrValue: `N${i}` }] },
    }));
    const synced = await client.batch.syncMultipleLeads({ leadRecordList: { leadRecord: records } });
    const statuses = synced.syncStatusList.syncStatus ?? [];
    assert.equal(statuses.length, 2500);
    assert.ok(statuses.every((s) => s.status === 'CREATED'));
    const calls = (await server.journal(user)).filter((e) => e.operation === 'syncMultipleLeads');
    assert.equal(calls.length, 9, 'ceil(2500 / 300) calls');
    for (const c of calls) assert.ok((c.request.match(/<leadRecord>/g) ?? []).length <= 300);

    const seen = new Map<string, number>();
    const idOf = new Map<string, number>();
    let pages = 0;
    for await (const page of client.pages('getMultipleLeads', {
      leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: since.toISOString() },
      batchSize: 1000,
    })) {
      pages++;
      for (const lead of page.leadRecordList?.leadRecord ?? []) {
        const email = lead.Email ?? '';
        seen.set(email, (seen.get(email) ?? 0) + 1);
        idOf.set(email, lead.Id ?? -1);
      }
    }
    assert.ok(pages >= 3);
    const ours = [...seen].filter(([email]) => email.endsWith('@iterate.example'));
    assert.equal(ours.length, 2500);
    assert.ok(
      [...seen.values()].every((n) => n === 1),
      'no record twice',
    );
    // The merged statuses are in input order: status i is the lead of record i.
    for (let i = 0; i < 2500; i += 97) assert.equal(statuses[i].leadId, idOf.get(`stream.${i}@iterate.example`));

    // iterate yields the same records one by one (dates as Date or ISO string both accepted).
    let n = 0;
    for await (const lead of client.iterate('getMultipleLeads', {
      leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: since },
      batchSize: 700,
    })) {
      if (lead.Email?.endsWith('@iterate.example')) n++;
    }
    assert.equal(n, 2500);
  });

  test('20123 Stream at End ends the iteration quietly', async () => {
    const user = await server.user('stream_end');
    const client = server.client(user);
    let n = 0;
    for await (const _lead of client.iterate('getMultipleLeads', {
      leadSelector: { xsiType: 'StaticListSelector', staticListName: 'Demo List' },
      batchSize: 10,
    })) {
      if (++n === 10) {
        // The next page answers 20123, as a server does when the position is past the end.
        await server.admin('POST', '/_mktows/faults', {
          operation: 'getMultipleLeads',
          code: 20123,
          count: 1,
          userId: user,
        });
      }
    }
    assert.equal(n, 10);
  });

  test('20122 Bad Stream Position is thrown as a StreamError', async () => {
    const user = await server.user('stream_bad');
    const client = server.client(user);
    const it = client.iterate('getMultipleLeads', {
      leadSelector: { xsiType: 'StaticListSelector', staticListName: 'Demo List' },
      streamPosition: 'tampered.position',
    });
    const e = await it.next().catch((x) => x);
    assert.ok(e instanceof StreamError);
    assert.equal(e.code, 20122);
    assert.equal(e.retryAdvice, 'restart-stream');
  });
});

describe('the other helpers against the server', () => {
  test('batch.listOperation: 1,200 lead ids in calls of 1000; membership of Demo List in input order', async () => {
    const user = await server.user('list_batch');
    const client = server.client(user);
    const ids = Array.from({ length: 1200 }, (_, i) => ({ keyType: 'IDNUM' as const, keyValue: String(i + 1) }));
    const r = await client.batch.listOperation({
      listOperation: 'ISMEMBEROFLIST',
      listKey: { keyType: 'MKTOLISTNAME', keyValue: 'Demo List' },
      listMemberList: { leadKey: ids },
    });
    const calls = (await server.journal(user)).filter((e) => e.operation === 'listOperation');
    assert.deepEqual(
      calls.map((c) => (c.request.match(/<leadKey>/g) ?? []).length),
      [1000, 200],
    );
    const statuses = r.statusList?.leadStatus ?? [];
    assert.equal(statuses.length, 1200);
    assert.deepEqual(
      statuses.map((s) => s.leadKey.keyValue),
      ids.map((k) => k.keyValue),
    );
    // The demo list holds the first 100 leads.
    assert.equal(statuses.filter((s) => s.status).length, 100);
    assert.ok(statuses.slice(0, 100).every((s) => s.status));
  });

  test("iterate getLeadActivity yields a lead's activities once each, in small pages", async () => {
    const user = await server.user('activity');
    const client = server.client(user);
    const all = [];
    for await (const a of client.iterate('getLeadActivity', { leadKey: { keyType: 'IDNUM', keyValue: '1' } })) {
      all.push(a);
    }
    const paged = [];
    for await (const a of client.iterate('getLeadActivity', {
      leadKey: { keyType: 'IDNUM', keyValue: '1' },
      batchSize: 1,
    })) {
      paged.push(a);
    }
    assert.ok(all.length >= 1);
    assert.deepEqual(
      paged.map((a) => a.marketoGUID),
      all.map((a) => a.marketoGUID),
    );
    assert.equal(new Set(all.map((a) => a.marketoGUID)).size, all.length);
  });
});

describe('iterate the other stream operations (fake endpoint)', () => {
  test('getLeadActivity pages with the returned startPosition until returnCount 0', async () => {
    const fake = fakeEndpoint((_op, params, call) => {
      const offset = Number(params.startPosition?.offset ?? 0);
      const count = offset >= 5 ? 0 : 2;
      return {
        returnCount: count,
        remainingCount: count ? 1 : 0,
        newStartPosition: { offset: String(offset + count) },
        activityRecordList: {
          activityRecord: Array.from({ length: count }, (_, i) => ({
            id: offset + i,
            marketoGUID: `g${offset + i}`,
            activityDateTime: new Date(Date.UTC(2026, 0, call)),
            activityType: 'Visit Webpage',
            mktPersonId: '1',
          })),
        },
      };
    });
    const client = fakeClient(fake.fetch);
    const ids: number[] = [];
    for await (const a of client.iterate('getLeadActivity', { leadKey: { keyType: 'IDNUM', keyValue: '1' } })) {
      ids.push(a.id ?? -1);
      assert.ok(a.activityDateTime instanceof Date);
    }
    assert.deepEqual(ids, [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(
      fake.calls.map((c) => c.params.startPosition?.offset),
      [undefined, '2', '4', '6'],
    );
  });

  test('getLeadChanges stops when remainingCount is 0', async () => {
    const fake = fakeEndpoint((_op, params) => {
      const offset = Number(params.startPosition.offset ?? 0);
      return {
        returnCount: 3,
        remainingCount: offset === 0 ? 3 : 0,
        newStartPosition: { offset: String(offset + 3), oldestCreatedAt: new Date('2026-01-01T00:00:00Z') },
        leadChangeRecordList: {
          leadChangeRecord: [0, 1, 2].map((i) => ({
            id: offset + i,
            marketoGUID: `g${offset + i}`,
            activityDateTime: new Date('2026-01-02T00:00:00Z'),
            activityType: 'Change Data Value',
            mktPersonId: '7',
          })),
        },
      };
    });
    const client = fakeClient(fake.fetch);
    const ids: number[] = [];
    for await (const c of client.iterate('getLeadChanges', {
      startPosition: { oldestCreatedAt: '2026-01-01T00:00:00Z' },
    })) {
      ids.push(c.id ?? -1);
    }
    assert.deepEqual(ids, [0, 1, 2, 3, 4, 5]);
    assert.equal(fake.calls.length, 2);
    assert.equal(fake.calls[1].params.startPosition.offset, '3');
  });

  test('getMObjects pages while hasMore; getCustomObjects while remainingCount > 0', async () => {
    const mobjects = fakeEndpoint((_op, params) => {
      const page = params.streamPosition ? Number(params.streamPosition) : 0;
      return {
        returnCount: 2,
        hasMore: page < 2,
        newStreamPosition: String(page + 1),
        mObjectList: {
          mObject: [
            { type: 'Opportunity', id: page * 2 },
            { type: 'Opportunity', id: page * 2 + 1 },
          ],
        },
      };
    });
    const ids: number[] = [];
    for await (const o of fakeClient(mobjects.fetch).iterate('getMObjects', { type: 'Opportunity' }))
      ids.push(o.id ?? -1);
    assert.deepEqual(ids, [0, 1, 2, 3, 4, 5]);

    const custom = fakeEndpoint((_op, params) => {
      const page = params.streamPosition ? Number(params.streamPosition) : 0;
      return {
        objTypeName: 'RoadShow',
        returnCount: 1,
        remainingCount: 2 - page,
        newStreamPosition: page < 2 ? String(page + 1) : '',
        customObjList: {
          customObj: [{ customObjKeyList: { attribute: [{ attrName: 'rid', attrValue: `r${page}` }] } }],
        },
      };
    });
    const keys: string[] = [];
    for await (const o of fakeClient(custom.fetch).iterate('getCustomObjects', {
      objTypeName: 'RoadShow',
      includeAttributes: { stringItem: ['city'] },
    })) {
      keys.push(o.customObjKeyList?.attribute?.[0].attrValue ?? '');
    }
    assert.deepEqual(keys, ['r0', 'r1', 'r2']);
  });
});

describe('batch helpers (fake endpoint)', () => {
  const keys = (n: number): LeadKey[] =>
    Array.from({ length: n }, (_, i) => ({ keyType: 'IDNUM', keyValue: String(i + 1) }));

  test('listOperation: 2,500 keys in calls of 1000, statuses merged in input order', async () => {
    const fake = fakeEndpoint(async (_op, params) => {
      // Answer out of order in time: later batches finish first.
      const list = params.listMemberList.leadKey as LeadKey[];
      await new Promise((r) => setTimeout(r, 3000 / list.length));
      return {
        success: true,
        statusList: { leadStatus: list.map((k) => ({ leadKey: k, status: Number(k.keyValue) % 2 === 0 })) },
      };
    });
    const client = fakeClient(fake.fetch);
    const r = await client.batch.listOperation(
      {
        listOperation: 'ISMEMBEROFLIST',
        listKey: { keyType: 'MKTOLISTNAME', keyValue: 'Demo List' },
        listMemberList: { leadKey: keys(2500) },
      },
      { concurrency: 3 },
    );
    assert.deepEqual(
      fake.calls.map((c) => c.params.listMemberList.leadKey.length),
      [1000, 1000, 500],
    );
    assert.equal(r.success, true);
    const statuses = r.statusList?.leadStatus ?? [];
    assert.equal(statuses.length, 2500);
    statuses.forEach((s, i) => {
      assert.equal(s.leadKey.keyValue, String(i + 1));
      assert.equal(s.status, (i + 1) % 2 === 0);
    });
  });

  test('requestCampaign: 250 leads in calls of 100; syncMultipleLeads: 700 records in calls of 300', async () => {
    const fake = fakeEndpoint((op, params) => {
      if (op === 'requestCampaign') return { success: true };
      return {
        syncStatusList: {
          syncStatus: params.leadRecordList.leadRecord.map((r: LeadRecord) => ({
            leadId: Number(r.Email?.split('@')[0]),
            status: 'CREATED',
            error: null,
          })),
        },
      };
    });
    const client = fakeClient(fake.fetch);
    const rc = await client.batch.requestCampaign({
      source: 'MKTOWS',
      campaignId: 7,
      leadList: { leadKey: keys(250) },
    });
    assert.equal(rc.success, true);
    const sync = await client.batch.syncMultipleLeads(
      { leadRecordList: { leadRecord: Array.from({ length: 700 }, (_, i) => ({ Email: `${i}@x.example` })) } },
      { concurrency: 2 },
    );
    assert.deepEqual(
      fake.calls.map((c) => [c.operation, (c.params.leadList?.leadKey ?? c.params.leadRecordList.leadRecord).length]),
      [
        ['requestCampaign', 100],
        ['requestCampaign', 100],
        ['requestCampaign', 50],
        ['syncMultipleLeads', 300],
        ['syncMultipleLeads', 300],
        ['syncMultipleLeads', 100],
      ],
    );
    assert.deepEqual(
      (sync.syncStatusList.syncStatus ?? []).map((s) => s.leadId),
      Array.from({ length: 700 }, (_, i) => i),
    );
  });

  test('a failing batch stops the helper with a BatchError carrying the completed results', async () => {
    const fake = fakeEndpoint((_op, _params, call) => (call === 2 ? { fault: 20113 } : { success: true }));
    const client = fakeClient(fake.fetch);
    const e = await client.batch
      .requestCampaign({
        source: 'MKTOWS',
        campaignName: 'Welcome',
        programName: 'Demo',
        leadList: { leadKey: keys(350) },
      })
      .catch((x) => x);
    assert.ok(e instanceof BatchError);
    assert.equal(e.batchIndex, 1);
    assert.equal(e.firstItem, 100);
    assert.deepEqual(e.results, [{ success: true }, undefined, undefined, undefined]);
    assert.equal((e.cause as { code: number }).code, 20113);
    assert.equal(fake.calls.length, 2, 'no batch after the failing one');
  });
});
