/**
 * MarketoRestClient against a real mktows server: token caching, 601/602 refreshed once, 606/615
 * waits, 604 backoff, 607 thrown without a retry, paging, and the exact HTTP calls each makes
 * (counted by the client and by the server's journal).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ServerConfig } from 'mktows/dist/src/config.js';
import { REST_ROUTER } from 'mktows/dist/src/rest/registry.js';
import {
  type Lead,
  MarketoRestClient,
  type MarketoRestClientOptions,
  RestAuthError,
  RestInvalidRequestError,
  RestQuotaExceededError,
  RestServerError,
} from '../src/index.js';
import { type JournalEntry, recordingSleep, startMktows, type TestServer } from './support.js';

const CLIENT_ID = 'rest-client-test';
const SECRET = 'rest-client-secret';

const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function server(config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const s = await startMktows({ restClients: [{ clientId: CLIENT_ID, clientSecret: SECRET }], ...config });
  servers.push(s);
  return s;
}

function client(s: TestServer, o: Partial<MarketoRestClientOptions> = {}): MarketoRestClient {
  return new MarketoRestClient({ baseUrl: s.url, clientId: CLIENT_ID, clientSecret: SECRET, ...o });
}

async function restJournal(s: TestServer): Promise<JournalEntry[]> {
  return (await s.journal()).filter(
    (e) => e.operation !== null && e.request.match(/^(GET|POST|DELETE) \/(rest|identity)\//),
  );
}

const ops = (entries: JournalEntry[]) => entries.map((e) => `${e.operation}:${e.faultCode ?? 'ok'}`);

describe('MarketoRestClient', () => {
  it('fetches one token for many calls and sends it as a bearer header', async () => {
    const s = await server();
    const c = client(s);
    const results = await Promise.all([
      c.getLeadById(1),
      c.getLeadsByFilter({ filterType: 'email', filterValues: ['ada@demo.example'] }),
      c.describeLeads(),
      c.getLeadById(2, { fields: ['id', 'email', 'firstName'] }),
    ]);
    await c.getLeadById(1);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 5 });
    assert.equal(results[0]?.id, 1);
    assert.equal(results[1].success, true);
    assert.ok((results[1].result as Lead[]).every((l) => l.email === 'ada@demo.example'));
    assert.ok(results[2].some((f) => f.rest?.name === 'email'));
    assert.deepEqual(Object.keys(results[3] ?? {}).sort(), ['email', 'firstName', 'id']);
    const journal = await restJournal(s);
    assert.equal(journal[0].operation, 'identityUsingGET');
    assert.deepEqual(journal.map((e) => e.operation).sort(), [
      'describeUsingGET_2',
      'getLeadByIdUsingGET',
      'getLeadByIdUsingGET',
      'getLeadByIdUsingGET',
      'getLeadsByFilterUsingGET',
      'identityUsingGET',
    ]);
    assert.equal(journal.length, 6);
  });

  it('602: a token expired on the server clock is replaced once and the call retried', async () => {
    const s = await server();
    const c = client(s);
    await c.getLeadById(1);
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 2 * 3600 });
    const lead = await c.getLeadById(1);
    assert.equal(lead?.id, 1);
    assert.deepEqual(c.stats, { tokenCalls: 2, apiCalls: 3 });
    assert.deepEqual(ops(await restJournal(s)), [
      'identityUsingGET:ok',
      'getLeadByIdUsingGET:ok',
      'getLeadByIdUsingGET:602',
      'identityUsingGET:ok',
      'getLeadByIdUsingGET:ok',
    ]);
  });

  it('601 twice in a row: one refresh, then RestAuthError', async () => {
    const s = await server();
    const c = client(s);
    await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 601, count: 2 });
    const e = await c.getLeadById(1).then(
      () => assert.fail('resolved'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof RestAuthError);
    assert.equal(e.code, 601);
    assert.equal(e.attempts, 2);
    assert.equal(e.retryAdvice, 'reauthenticate');
    assert.deepEqual(c.stats, { tokenCalls: 2, apiCalls: 2 });
    // A single 601 is cured by the refresh.
    await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 601, count: 1 });
    assert.equal((await c.getLeadById(1))?.id, 1);
    assert.deepEqual(c.stats, { tokenCalls: 3, apiCalls: 4 });
  });

  it('606: waits until its window frees, then succeeds', async () => {
    const s = await server({ restRatePerWindow: 3, restWindowMs: 600 });
    const rec = recordingSleep();
    // The client does not limit itself here (100 per window), so the server refuses the 4th call.
    const c = client(s, { limits: { ratePerWindow: 100, windowMs: 600 }, sleep: rec.sleep, random: () => 0 });
    for (let i = 0; i < 4; i++) assert.equal((await c.getLeadById(1))?.id, 1);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 5 });
    assert.equal(rec.sleeps.length, 1);
    assert.ok(rec.sleeps[0] > 0 && rec.sleeps[0] <= 600, String(rec.sleeps[0]));
    assert.deepEqual(
      ops(await restJournal(s)).filter((o) => o.endsWith(':606')),
      ['getLeadByIdUsingGET:606'],
    );
  });

  it('client-side limits at the server rate: no 606 at all', async () => {
    const s = await server({ restRatePerWindow: 3, restWindowMs: 400 });
    const c = client(s, { limits: { ratePerWindow: 3, windowMs: 400 } });
    await Promise.all(Array.from({ length: 7 }, () => c.getLeadById(1)));
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 7 });
    assert.equal((await restJournal(s)).filter((e) => e.faultCode !== null).length, 0);
  });

  it('615: retried when a call in flight ends; every call succeeds', async () => {
    const s = await server({ restConcurrency: 2 });
    await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', delayMs: 150 });
    const c = client(s, { limits: { concurrency: 10 } });
    const leads = await Promise.all(Array.from({ length: 4 }, () => c.getLeadById(1)));
    assert.deepEqual(
      leads.map((l) => l?.id),
      [1, 1, 1, 1],
    );
    const journal = await restJournal(s);
    const refused = journal.filter((e) => e.faultCode === 615).length;
    assert.ok(refused >= 1, 'the server refused at least one call');
    assert.equal(journal.filter((e) => e.operation === 'getLeadByIdUsingGET' && e.faultCode === null).length, 4);
    assert.equal(c.stats.apiCalls, 4 + refused);
  });

  it('604: backs off and retries; 611 beyond maxAttempts is thrown as RestServerError', async () => {
    const s = await server();
    const c = client(s, { random: () => 0, retry: { maxAttempts: 3 } });
    await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 604, count: 1 });
    assert.equal((await c.getLeadById(1))?.id, 1);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 2 });
    await s.admin('POST', '/_mktows/faults', { operation: 'getLeadByIdUsingGET', code: 611, count: 5 });
    const e = await c.getLeadById(1).catch((err: unknown) => err);
    assert.ok(e instanceof RestServerError);
    assert.equal(e.code, 611);
    assert.equal(e.attempts, 3);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 5 });
  });

  it('607: RestQuotaExceededError without a retry; later calls refused locally', async () => {
    const s = await server({ restQuotaPerDay: 2 });
    const c = client(s);
    await c.getLeadById(1);
    await c.getLeadById(1);
    const e = await c.getLeadById(1).catch((err: unknown) => err);
    assert.ok(e instanceof RestQuotaExceededError);
    assert.equal(e.code, 607);
    assert.equal(e.attempts, 1);
    assert.equal(e.local, false);
    assert.ok(e.resetsAt.getTime() > Date.now());
    const local = await c.describeLeads().catch((err: unknown) => err);
    assert.ok(local instanceof RestQuotaExceededError);
    assert.equal(local.local, true);
    assert.equal(local.attempts, 0);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 3 });
    assert.deepEqual(ops(await restJournal(s)), [
      'identityUsingGET:ok',
      'getLeadByIdUsingGET:ok',
      'getLeadByIdUsingGET:ok',
      'getLeadByIdUsingGET:607',
    ]);
  });

  it('parameter errors are thrown at once as RestInvalidRequestError', async () => {
    const s = await server();
    const c = client(s);
    const e = await c
      .getLeadsByFilter({ filterType: 'email', filterValues: ['a'], fields: ['noSuchField'] })
      .catch((err: unknown) => err);
    assert.ok(e instanceof RestInvalidRequestError);
    assert.equal(e.code, 1006);
    assert.equal(e.errors[0].message, "Field 'noSuchField' not found");
    assert.equal(e.attempts, 1);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 1 });
  });

  it('iterate follows nextPageToken over every page', async () => {
    const s = await server();
    const c = client(s);
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const all = (await c.getLeadsByFilter({ filterType: 'id', filterValues: ids })).result ?? [];
    assert.ok(all.length >= 3, `demo seed has ${all.length} leads`);
    const before = c.stats.apiCalls;
    const paged: Lead[] = [];
    for await (const l of c.iterateLeadsByFilter({ filterType: 'id', filterValues: ids, batchSize: 2 })) paged.push(l);
    assert.deepEqual(
      paged.map((l) => l.id),
      all.map((l) => l.id),
    );
    assert.equal(c.stats.apiCalls - before, Math.ceil(all.length / 2));
  });

  it('request() reaches any path; an unknown one is 610', async () => {
    const s = await server();
    const c = client(s);
    const env = await c.request('GET', '/rest/v1/leads/describe2.json');
    assert.equal(env.success, true);
    const e = await c.request('GET', '/rest/v1/nothing.json').catch((err: unknown) => err);
    assert.ok(e instanceof RestInvalidRequestError);
    assert.equal(e.code, 610);
  });
});

/** undefined when the server serves the route; else why the test waits (it runs once the group merges). */
function missing(method: 'GET' | 'POST' | 'DELETE', path: string, group: string): string | undefined {
  return REST_ROUTER.match(method, path)?.route ? undefined : `endpoint lands with ${group}`;
}

describe('MarketoRestClient: endpoint groups, run when the server serves them', () => {
  it('createOrUpdate, read back, deleteLeads', {
    skip:
      missing('POST', '/rest/v1/leads.json', 'lead writes') ??
      missing('POST', '/rest/v1/leads/delete.json', 'lead writes'),
  }, async () => {
    const s = await server();
    const c = client(s);
    const emails = ['rest-client-1@example.com', 'rest-client-2@example.com'];
    const created = await c.createOrUpdate(emails.map((email) => ({ email, firstName: 'Rest' })));
    assert.deepEqual(
      created.map((r) => r.status),
      ['created', 'created'],
    );
    const ids = created.map((r) => r.id as number);
    const back = await c.getLeadsByFilter({ filterType: 'email', filterValues: emails, fields: ['id', 'email'] });
    assert.deepEqual(
      (back.result ?? []).map((l) => [l.id, l.email]).sort(),
      ids.map((id, i) => [id, emails[i]]).sort(),
    );
    const deleted = await c.deleteLeads(ids);
    assert.deepEqual(
      deleted.map((r) => [r.id, r.status]),
      ids.map((id) => [id, 'deleted']),
    );
    assert.equal(await c.getLeadById(ids[0]), undefined);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 4 });
  });

  it('lists: add, ismember, remove', {
    skip:
      missing('GET', '/rest/v1/lists.json', 'lists and activities') ??
      missing('POST', '/rest/v1/lists/{listId}/leads.json', 'lists and activities'),
  }, async () => {
    const s = await server();
    const c = client(s);
    const lists = (await c.getLists()).result ?? [];
    assert.ok(lists.length > 0, 'the demo seed has a static list');
    const listId = lists[0].id;
    assert.deepEqual(await c.addToList(listId, [1]), [{ id: 1, status: 'added' }]);
    assert.deepEqual(await c.isMemberOfList(listId, [1]), [{ id: 1, status: 'memberof' }]);
    assert.deepEqual(await c.removeFromList(listId, [1]), [{ id: 1, status: 'removed' }]);
    assert.deepEqual(await c.isMemberOfList(listId, [1]), [{ id: 1, status: 'notmemberof' }]);
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 5 });
  });

  it('activities: types, paging token, a page of activities', {
    skip:
      missing('GET', '/rest/v1/activities/types.json', 'lists and activities') ??
      missing('GET', '/rest/v1/activities/pagingtoken.json', 'lists and activities') ??
      missing('GET', '/rest/v1/activities.json', 'lists and activities'),
  }, async () => {
    const s = await server();
    const c = client(s);
    const types = await c.getActivityTypes();
    assert.ok(types.some((t) => t.id === 1 && t.name === 'Visit Webpage'));
    const token = await c.getPagingToken(new Date(Date.now() - 365 * 86_400_000));
    assert.equal(typeof token, 'string');
    const page = await c.getActivities({ nextPageToken: token, activityTypeIds: types.map((t) => t.id).slice(0, 10) });
    assert.equal(page.success, true);
    for (const a of page.result ?? []) assert.equal(typeof a.leadId, 'number');
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 3 });
  });

  it('campaigns: list', { skip: missing('GET', '/rest/v1/campaigns.json', 'campaigns and assets') }, async () => {
    const s = await server();
    const c = client(s);
    const page = await c.getCampaigns({ batchSize: 10 });
    assert.equal(page.success, true);
    for (const k of page.result ?? []) assert.equal(typeof k.id, 'number');
    assert.deepEqual(c.stats, { tokenCalls: 1, apiCalls: 1 });
  });
});
