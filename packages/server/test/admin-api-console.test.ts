/**
 * The admin endpoints the web console reads (console-routes.ts, typed in console-types.ts): the
 * journal's extra filters, leads, lists, campaigns and replay, with exact values and refusals.
 * Runs on SQLite and, under MKTOWS_TEST_STORE=postgres, on the shared journal in PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  CampaignsPage,
  JournalPage,
  LeadDetail,
  LeadsPage,
  ListIndex,
  ListPage,
  ReplayResult,
} from '../src/admin/console-types.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';

describe('admin API for the console', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(async () => {
    await s?.close();
  });

  const journal = async (query: string) => {
    const r = await s.admin('GET', `/_mktows/journal?${query}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body as JournalPage).entries;
  };

  test('journal: sinceId returns only newer entries, search finds text case-insensitively, api filters', async () => {
    await s.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    const [first] = await journal('limit=1');
    await s.soap(getLeadBody('EMAIL', 'Under_Score%@nowhere.example'));
    await s.soap(getLeadBody('IDNUM', '3'));
    assert.deepEqual(
      (await journal(`sinceId=${first.id}`)).map((e) => e.id),
      [first.id + 2, first.id + 1],
    );
    assert.deepEqual(await journal(`sinceId=${first.id + 2}`), []);
    const found = await journal('search=UNDER_score%25@');
    assert.deepEqual(
      found.map((e) => e.id),
      [first.id + 1],
    );
    // `_` and `%` are text, not wildcards.
    assert.deepEqual(await journal('search=under-score'), []);
    assert.deepEqual(await journal('search=ada@demo.example&sinceId=0').then((e) => e.map((x) => x.id)), [first.id]);
    assert.equal((await journal('api=soap')).length, 3);
    assert.deepEqual(await journal('api=rest'), []);
  });

  test('journal: bad filters are refused', async () => {
    for (const [q, error] of [
      ['api=ftp', 'api must be soap or rest'],
      ['sinceId=-1', 'sinceId must be an integer ≥ 0'],
      ['sinceId=x', 'sinceId must be an integer ≥ 0'],
    ]) {
      const r = await s.admin('GET', `/_mktows/journal?${q}`);
      assert.equal(r.status, 400);
      assert.equal(r.body.error, error);
    }
  });

  test('leads: by e-mail, the first page by id, and one lead with attributes and activities', async () => {
    const page = (await s.admin('GET', '/_mktows/leads?limit=3')).body as LeadsPage;
    assert.equal(page.total, 500);
    assert.deepEqual(
      page.leads.map((l) => l.id),
      [1, 2, 3],
    );
    const ada = (await s.admin('GET', '/_mktows/leads?email=ada@demo.example')).body as LeadsPage;
    assert.deepEqual(
      ada.leads.map((l) => [l.id, l.email]),
      [[1, 'ada@demo.example']],
    );
    assert.deepEqual(((await s.admin('GET', '/_mktows/leads?email=none@nowhere.example')).body as LeadsPage).leads, []);
    const lead = (await s.admin('GET', '/_mktows/leads/1')).body as LeadDetail;
    assert.equal(lead.attributes.FirstName, 'Ada');
    assert.equal(lead.attributes.Email, 'ada@demo.example');
    assert.ok(lead.activities.length > 0 && lead.activities.length <= 100);
    assert.equal((await s.admin('GET', '/_mktows/leads/999999')).status, 404);
    assert.equal((await s.admin('GET', '/_mktows/leads/abc')).status, 404);
    const bad = await s.admin('GET', '/_mktows/leads?limit=201');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'limit must be an integer from 1 to 200');
  });

  test('lists: a static list and a page of its members', async () => {
    const r = (await s.admin('GET', '/_mktows/lists?name=Demo%20List&limit=40')).body as ListPage;
    assert.equal(r.list.name, 'Demo List');
    assert.equal(r.members.length, 40);
    assert.equal(r.remaining, 60);
    const next = (await s.admin('GET', `/_mktows/lists?name=Demo%20List&afterId=${r.members[39].id}&limit=200`))
      .body as ListPage;
    assert.equal(next.members.length, 60);
    assert.equal(next.remaining, 0);
    assert.equal((await s.admin('GET', '/_mktows/lists?name=Nope')).status, 404);
    const blank = await s.admin('GET', '/_mktows/lists?name=');
    assert.equal(blank.status, 400);
  });

  test('lists: without a name, the index of every static list, each of which opens by its name', async () => {
    const { lists } = (await s.admin('GET', '/_mktows/lists')).body as ListIndex;
    assert.deepEqual(
      lists.map((l) => [l.name, l.programName]),
      [
        ['Demo List', null],
        ['Demo Program.Imports', 'Demo Program'],
      ],
    );
    for (const l of lists) {
      const r = await s.admin('GET', `/_mktows/lists?name=${encodeURIComponent(l.name)}&limit=1`);
      assert.equal(r.status, 200);
      assert.equal((r.body as ListPage).list.id, l.id);
    }
  });

  test('campaigns: every smart campaign with its program, kind and sources', async () => {
    const { campaigns } = (await s.admin('GET', '/_mktows/campaigns')).body as CampaignsPage;
    const welcome = campaigns.find((c) => c.name === 'Welcome');
    assert.deepEqual(welcome && { ...welcome, id: 0 }, {
      id: 0,
      program: 'Demo Program',
      name: 'Welcome',
      kind: 'trigger',
      sources: ['MKTOWS', 'SALES'],
    });
  });

  test('replay: a SOAP call signed afresh, its answer returned and journaled; refusals', async () => {
    await s.soap(getLeadBody('IDNUM', '4'));
    const [call] = await journal('limit=1');
    const r = await s.admin('POST', `/_mktows/journal/${call.id}/replay`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const replayed = r.body as ReplayResult;
    assert.equal(replayed.replayOf, call.id);
    assert.equal(replayed.status, 200);
    assert.equal(replayed.faultCode, null);
    assert.match(replayed.response, /<Id>4<\/Id>/);
    const [newest] = await journal('limit=1');
    assert.equal(newest.id, call.id + 1);
    assert.match(newest.request, /<keyValue>4<\/keyValue>/);

    await s.soap(getLeadBody('EMAIL', 'nobody@nowhere.example'));
    const [faulted] = await journal('limit=1');
    const again = (await s.admin('POST', `/_mktows/journal/${faulted.id}/replay`)).body as ReplayResult;
    assert.equal(again.status, 500);
    assert.equal(again.faultCode, 20103);

    const unknown = await s.admin('POST', '/_mktows/journal/99999999/replay');
    assert.equal(unknown.status, 404);
    const badVersion = await s.admin('POST', `/_mktows/journal/${call.id}/replay`, { version: '9_9' });
    assert.equal(badVersion.status, 400);
    assert.equal(badVersion.body.error, 'version must be an API version such as 3_1');
  });

  test('the console page, its script and style; GET / links to it for a browser', async () => {
    const page = await fetch(`${s.url}/_mktows/console/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await page.text(), /<script type="module" src="console.js"><\/script>/);
    assert.equal(
      (await fetch(`${s.url}/_mktows/console/console.js`)).headers.get('content-type'),
      'text/javascript; charset=utf-8',
    );
    assert.equal(
      (await fetch(`${s.url}/_mktows/console/console.css`)).headers.get('content-type'),
      'text/css; charset=utf-8',
    );
    assert.equal((await fetch(`${s.url}/_mktows/console/other.js`)).status, 404);
    const redirect = await fetch(`${s.url}/_mktows/console`, { redirect: 'manual' });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get('location'), '/_mktows/console/');
    const home = await fetch(`${s.url}/`, { headers: { Accept: 'text/html' } });
    assert.match(await home.text(), /<a href="\/_mktows\/console\/">Web console<\/a>/);
    // Another site's script cannot load it (the admin API's cross-site rule).
    const cross = await fetch(`${s.url}/_mktows/console/`, {
      headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' },
    });
    assert.equal(cross.status, 403);
  });
});
