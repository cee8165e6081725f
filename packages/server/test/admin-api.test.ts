import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { formatW3C } from '@mktows/protocol';
import { VERSION } from '../src/version.js';
import { getLeadBody, KEY, startTestServer, type TestServer, USER } from './support/harness.js';
import { attrMap, faultCode, getLeadByKey, ok, syncLeadBody } from './support/leads.js';
import { postgresWanted } from './support/test-database.js';

const OTHER = 'other_user';
const OTHER_KEY = 'other-user-key-0123456789';

/** The next 00:00 in America/Chicago after `ms`, worked out from the zone's local date alone. */
function nextChicagoMidnight(ms: number): string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Chicago',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const parts = (t: number) =>
    Object.fromEntries(
      fmt
        .formatToParts(new Date(t))
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    );
  const p = parts(ms);
  // Chicago is UTC-5 (CDT) or UTC-6 (CST): midnight of the next local day is 05:00Z or 06:00Z.
  for (const h of [5, 6]) {
    const t = Date.UTC(p.year, p.month - 1, p.day + 1, h);
    const q = parts(t);
    if (q.hour === 0 && q.minute === 0 && t > ms) return new Date(t).toISOString();
  }
  throw new Error('no Chicago midnight found');
}

async function addUser(s: TestServer, body: Record<string, unknown>) {
  return s.admin('POST', '/_mktows/users', body);
}

async function limits(s: TestServer, userId = USER) {
  const r = await s.admin('GET', `/_mktows/limits?userId=${userId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

function assertError(r: { status: number; body: { error?: unknown } }, status: number, pattern: RegExp): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(typeof r.body?.error, 'string');
  assert.match(r.body.error as string, pattern);
}

describe('admin API: health, reset and seed', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  test('GET /_mktows/health answers exactly status, version, store and limits', async () => {
    const r = await s.admin('GET', '/_mktows/health');
    assert.equal(r.status, 200);
    const store = postgresWanted() ? 'postgres' : 'sqlite';
    assert.deepEqual(r.body, { status: 'ok', version: VERSION, store, limits: 'memory' });
  });

  test('POST /_mktows/seed merges: new leads are added, known e-mails are updated', async () => {
    const before = await s.runtime.store.countLeads();
    const r = await s.admin('POST', '/_mktows/seed', {
      leads: [
        { Email: 'seeded.new@example.com', FirstName: 'Seeded' },
        { Email: 'ADA@demo.example', FirstName: 'Augusta' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.leads, { created: 1, updated: 1 });
    assert.equal(await s.runtime.store.countLeads(), before + 1);
    const [ada] = await getLeadByKey(s, 'EMAIL', 'ada@demo.example');
    assert.equal(ada.Id, 1);
    assert.deepEqual([attrMap(ada).FirstName, attrMap(ada).LastName], ['Augusta', 'Lovelace']);
    const [added] = await getLeadByKey(s, 'EMAIL', 'seeded.new@example.com');
    assert.equal(attrMap(added).FirstName, 'Seeded');
    // A second seed with a new list adds the list and its members.
    const r2 = await s.admin('POST', '/_mktows/seed', {
      leads: [{ Email: 'seeded.two@example.com' }],
      lists: [{ name: 'Second List', members: ['seeded.two@example.com', 'seeded.new@example.com', 1] }],
    });
    assert.equal(r2.status, 200);
    assert.deepEqual([r2.body.leads, r2.body.lists, r2.body.listMembers], [{ created: 1, updated: 0 }, 1, 3]);
    assert.equal(await s.runtime.store.countLeads(), before + 2);
    assert.ok(await s.runtime.store.findList('name', 'Second List'));
  });

  test('a bad seed is refused with 400 and a message, and writes nothing', async () => {
    const before = await s.runtime.store.countLeads();
    const cases: [unknown, RegExp][] = [
      [{ leads: [{ Email: 'bad.1@example.com' }, { Email: 'bad.2@example.com', LeadScore: 'lots' }] }, /leads\[1\]/],
      [{ leads: [{ Email: 'bad.3@example.com', Pants: 'on' }] }, /Pants/],
      [
        { leads: [{ Email: 'bad.4@example.com' }], lists: [{ name: 'Bad List', members: ['nobody@x.example'] }] },
        /nobody@x\.example/,
      ],
      [{ leads: [{ Email: 'bad.5@example.com' }], spaceships: [] }, /spaceships/],
      [{ leads: [{ FirstName: 'No key' }] }, /leads\[0\]/],
      [{ leadFields: [{ name: 'Weird', dataType: 'hologram' }] }, /hologram/],
      [{ leads: { Email: 'not-an-array@example.com' } }, /leads/],
    ];
    for (const [doc, pattern] of cases) {
      assertError(await s.admin('POST', '/_mktows/seed', doc), 400, pattern);
    }
    assertError(await s.admin('POST', '/_mktows/seed', ['not', 'an', 'object']), 400, /./);
    assertError(await s.admin('POST', '/_mktows/seed'), 400, /seed/);
    const raw = await fetch(`${s.url}/_mktows/seed`, {
      method: 'POST',
      body: '{"leads": [',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(raw.status, 400);
    assert.match((await raw.json()).error, /JSON/);
    assert.equal(await s.runtime.store.countLeads(), before);
    for (const e of ['bad.1@example.com', 'bad.4@example.com', 'bad.5@example.com']) {
      faultCode(await s.soap(getLeadBody('EMAIL', e)), 20103);
    }
    assert.equal(await s.runtime.store.findList('name', 'Bad List'), undefined);
    assert.equal(s.runtime.state.leadSchema.field('Weird'), undefined);
  });

  test('POST /_mktows/reset empties data, limit counters, fault rules, journal, clock and admin-added users', async () => {
    // Build up state of every kind.
    assert.equal((await addUser(s, { userId: OTHER, encryptionKey: OTHER_KEY })).status, 200);
    assert.equal((await addUser(s, { userId: USER, quotaPerDay: 1000 })).status, 200);
    ok(await s.soap(syncLeadBody({ Email: 'before.reset@example.com' })));
    ok(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY }));
    assert.equal((await s.admin('POST', '/_mktows/faults', { operation: 'getTags', code: 20011 })).status, 200);
    // Read before the clock moves: 120 s later can be the next quota day (00:00 America/Chicago).
    assert.ok((await limits(s)).quotaUsed > 0);
    assert.equal((await s.admin('POST', '/_mktows/clock', { offsetSeconds: 120 })).status, 200);
    assert.ok((await s.admin('GET', '/_mktows/journal')).body.entries.length > 0);

    const callCounts = async () =>
      (await (await fetch(`${s.url}/metrics`)).text()).split('\n').filter((l) => l.startsWith('mktows_calls_total{'));
    const countedBefore = await callCounts();
    assert.ok(
      countedBefore.includes('mktows_calls_total{api="soap",operation="syncLead",code="ok"} 1'),
      countedBefore.join('\n'),
    );
    const r = await s.admin('POST', '/_mktows/reset', {});
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { reset: true, seed: null });

    assert.equal(await s.runtime.store.countLeads(), 0);
    assert.equal(await s.runtime.store.findList('name', 'Demo List'), undefined);
    assert.deepEqual((await s.admin('GET', '/_mktows/journal')).body, { entries: [] });
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body, { rules: [] });
    assert.equal((await s.admin('GET', '/_mktows/clock')).body.offsetSeconds, 0);
    assert.equal(s.runtime.state.clockOffsetMs, 0);
    // Prometheus counters only grow: the reset leaves the calls made before it counted.
    assert.deepEqual(await callCounts(), countedBefore);
    const lim = await limits(s);
    assert.deepEqual([lim.quotaUsed, lim.windowCalls, lim.inFlight, lim.quotaPerDay], [0, 0, 0, 10_000]);
    // The admin-added user is gone; the configured user stays, with its configured limits.
    assert.equal((await s.admin('GET', `/_mktows/limits?userId=${OTHER}`)).status, 404);
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY }), 20014);
    faultCode(await s.soap(getLeadBody('IDNUM', '1')), 20103);
  });

  test('POST /_mktows/reset with {seed:"demo"} reloads the demo as on a new store', async () => {
    ok(await s.soap(syncLeadBody({ Email: 'stray@example.com' })));
    const r = await s.admin('POST', '/_mktows/reset', { seed: 'demo' });
    assert.equal(r.status, 200);
    assert.equal(r.body.reset, true);
    assert.deepEqual(r.body.seed.leads, { created: 500, updated: 0 });
    assert.equal(await s.runtime.store.countLeads(), 500);
    faultCode(await s.soap(getLeadBody('EMAIL', 'stray@example.com')), 20103);
    const [ada] = await getLeadByKey(s, 'IDNUM', 1);
    assert.deepEqual([ada.Email, attrMap(ada).FirstName], ['ada@demo.example', 'Ada']);
    assert.equal((await s.runtime.store.findList('name', 'Demo List'))?.id, 1);
  });

  test('POST /_mktows/reset with a seed that cannot be loaded answers 400 and empties nothing', async () => {
    const before = await s.runtime.store.countLeads();
    assert.ok(before > 0);
    assertError(await s.admin('POST', '/_mktows/reset', { seed: '/nonexistent/seed.json' }), 400, /seed/);
    assertError(await s.admin('POST', '/_mktows/reset', { seed: 42 }), 400, /seed/);
    assertError(await s.admin('POST', '/_mktows/reset', []), 400, /object/);
    // A document that parses but fails while loading (a bad value in its 2nd lead) changes nothing either.
    assertError(
      await s.admin('POST', '/_mktows/reset', {
        seed: { leads: [{ Email: 'a@x.example' }, { Email: 'b@x.example', LeadScore: 'high' }] },
      }),
      400,
      /^seed: leads\[1\]: value "high" of LeadScore is not an integer$/,
    );
    assert.equal(await s.runtime.store.countLeads(), before);
  });
});

describe('admin API: journal', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(() => s.close());

  test('entries newest first with exact fields, masked signatures, and limit/code/operation filters', async () => {
    const r1 = await s.soap(syncLeadBody({ Email: 'journal@example.com' }));
    const r2 = await s.soap(getLeadBody('EMAIL', 'journal@example.com'));
    const r3 = await s.soap(getLeadBody('EMAIL', 'missing@example.com'));
    const r4 = await s.soap(getLeadBody('IDNUM', '1'), { key: 'wrong-key-0123456789' });
    ok(r1);
    ok(r2);
    faultCode(r3, 20103);
    faultCode(r4, 20014);

    const all = await s.admin('GET', '/_mktows/journal');
    assert.equal(all.status, 200);
    assert.deepEqual(Object.keys(all.body), ['entries']);
    const entries = all.body.entries;
    assert.equal(entries.length, 4);
    assert.deepEqual(
      entries.map((e: { operation: string; faultCode: number | null }) => [e.operation, e.faultCode]),
      [
        ['getLead', 20014],
        ['getLead', 20103],
        ['getLead', null],
        ['syncLead', null],
      ],
    );
    for (const e of entries) {
      assert.deepEqual(Object.keys(e).sort(), [
        'api',
        'durationMs',
        'faultCode',
        'id',
        'operation',
        'replica',
        'request',
        'response',
        'status',
        'time',
        'userId',
      ]);
      // No --replica-id: the process is named by host name and pid.
      assert.equal(e.replica, `${hostname()}:${process.pid}`);
      assert.equal(typeof e.id, 'number');
      assert.equal(typeof e.durationMs, 'number');
      assert.ok(e.durationMs >= 0);
      assert.ok(!Number.isNaN(Date.parse(e.time)) && e.time.endsWith('Z'));
      assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
      assert.doesNotMatch(e.request, /<requestSignature>[0-9a-f]{40}</);
    }
    assert.ok(entries[0].id > entries[1].id && entries[1].id > entries[2].id && entries[2].id > entries[3].id);
    const [auth, missing, found, synced] = entries;
    assert.deepEqual([synced.userId, synced.status, synced.faultCode, synced.response], [USER, 200, null, r1.text]);
    assert.deepEqual([found.status, found.response], [200, r2.text]);
    assert.deepEqual(
      [missing.userId, missing.status, missing.faultCode, missing.response],
      [USER, 500, 20103, r3.text],
    );
    assert.deepEqual([auth.status, auth.faultCode], [500, 20014]);
    assert.match(synced.request, /<ns1:paramsSyncLead><leadRecord><Email>journal@example.com<\/Email>/);

    const limited = (await s.admin('GET', '/_mktows/journal?limit=2')).body.entries;
    assert.deepEqual(
      limited.map((e: { id: number }) => e.id),
      [entries[0].id, entries[1].id],
    );
    const byCode = (await s.admin('GET', '/_mktows/journal?code=20103')).body.entries;
    assert.deepEqual(
      byCode.map((e: { id: number }) => e.id),
      [missing.id],
    );
    const byOp = (await s.admin('GET', '/_mktows/journal?operation=syncLead')).body.entries;
    assert.deepEqual(
      byOp.map((e: { id: number }) => e.id),
      [synced.id],
    );
    const both = (await s.admin('GET', '/_mktows/journal?operation=getLead&limit=1')).body.entries;
    assert.deepEqual(
      both.map((e: { id: number }) => e.id),
      [auth.id],
    );
    assertError(await s.admin('GET', '/_mktows/journal?limit=0'), 400, /limit/);
    assertError(await s.admin('GET', '/_mktows/journal?limit=abc'), 400, /limit/);
    assertError(await s.admin('GET', '/_mktows/journal?code=x'), 400, /code/);
  });

  test('a journal of size 3 keeps the last 3 calls', async () => {
    const small = await startTestServer({ seed: 'none', journalSize: 3 });
    try {
      for (let i = 0; i < 5; i++) await small.soap(getLeadBody('IDNUM', String(i + 1)));
      const entries = (await small.admin('GET', '/_mktows/journal')).body.entries;
      assert.equal(entries.length, 3);
      assert.match(entries[0].request, /<keyValue>5<\/keyValue>/);
      assert.match(entries[2].request, /<keyValue>3<\/keyValue>/);
    } finally {
      await small.close();
    }
  });
});

describe('admin API: users', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(() => s.close());

  test('create, update, block and unblock a user; the key is never echoed', async () => {
    const created = await addUser(s, { userId: OTHER, encryptionKey: OTHER_KEY, quotaPerDay: 50 });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body, { userId: OTHER, quotaPerDay: 50 });
    assert.ok(!JSON.stringify(created.body).includes(OTHER_KEY));
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY }), 20103);

    const blocked = await addUser(s, { userId: OTHER, blocked: true });
    assert.equal(blocked.status, 200);
    assert.deepEqual(blocked.body, { userId: OTHER, quotaPerDay: 50, blocked: true });
    const denied = await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY });
    assert.match(faultCode(denied, 20013), new RegExp(OTHER));
    // A blocked user's key still authenticates: a wrong key is still 20014.
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: 'wrong-key-0123456789' }), 20014);

    assert.equal((await addUser(s, { userId: OTHER, blocked: false })).status, 200);
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY }), 20103);

    const newKey = 'rotated-key-9876543210';
    const rotated = await addUser(s, { userId: OTHER, encryptionKey: newKey });
    assert.equal(rotated.status, 200);
    assert.ok(!JSON.stringify(rotated.body).includes(newKey));
    assert.equal(rotated.body.encryptionKey, undefined);
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY }), 20014);
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: newKey }), 20103);
    assert.equal((await limits(s, OTHER)).quotaPerDay, 50);
  });

  test('GET /_mktows/users lists every user and where it comes from, never a key', async () => {
    await addUser(s, { userId: 'listed_user', encryptionKey: 'listed-user-key-0123', ratePerWindow: 7 });
    await addUser(s, { userId: USER, blocked: true });
    const r = await s.admin('GET', '/_mktows/users');
    assert.equal(r.status, 200);
    const byId = new Map(r.body.users.map((u: { userId: string }) => [u.userId, u]));
    assert.deepEqual(byId.get('listed_user'), {
      userId: 'listed_user',
      source: 'admin',
      blocked: false,
      ratePerWindow: 7,
    });
    assert.deepEqual(byId.get(USER), { userId: USER, source: 'config', blocked: true });
    const text = JSON.stringify(r.body);
    for (const secret of [KEY, OTHER_KEY, 'listed-user-key-0123', 'encryptionKey']) assert.ok(!text.includes(secret));
    await addUser(s, { userId: USER, blocked: false });
  });

  test('bad user bodies are 400 with a message and change nothing', async () => {
    const short = await addUser(s, { userId: 'short_key_user', encryptionKey: '123456789' });
    assertError(short, 400, /at least 10/);
    assert.ok(!JSON.stringify(short.body).includes('123456789'));
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { userId: 'short_key_user', key: '123456789' }), 20014);
    assertError(await addUser(s, { userId: 'no_key_user' }), 400, /encryptionKey/);
    assertError(await addUser(s, { encryptionKey: '0123456789' }), 400, /userId/);
    assertError(await addUser(s, { userId: USER, blocked: 'yes' }), 400, /blocked/);
    assertError(await addUser(s, { userId: USER, quotaPerDay: -1 }), 400, /quotaPerDay/);
    assertError(await addUser(s, { userId: USER, encryptionKey: 'short' }), 400, /at least 10/);
    // The configured user still works with its key.
    faultCode(await s.soap(getLeadBody('IDNUM', '1')), 20103);
    assert.equal(s.runtime.state.user(USER)?.encryptionKey, KEY);
  });
});

describe('admin API: limits', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(() => s.close());

  test('exact figures after N calls: admitted calls count whatever their outcome, rejected ones do not', async () => {
    ok(await s.soap(syncLeadBody({ Email: 'limits@example.com' })));
    ok(await s.soap(getLeadBody('EMAIL', 'limits@example.com')));
    faultCode(await s.soap(getLeadBody('EMAIL', 'nobody@example.com')), 20103); // admitted: counts
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { key: 'wrong-key-0123456789' }), 20014); // rejected
    const body = await limits(s);
    assert.deepEqual(body, {
      userId: USER,
      quotaUsed: 3,
      quotaPerDay: 10_000,
      quotaResetsAt: nextChicagoMidnight(s.runtime.clock.now()),
      windowCalls: 3,
      ratePerWindow: 100,
      inFlight: 0,
      concurrency: 10,
    });
    assertError(await s.admin('GET', '/_mktows/limits'), 400, /userId/);
    assertError(await s.admin('GET', '/_mktows/limits?userId=ghost'), 404, /ghost/);
  });

  test('per-user overrides show in the figures', async () => {
    await addUser(s, { userId: OTHER, encryptionKey: OTHER_KEY, quotaPerDay: 7, ratePerWindow: 3, concurrency: 2 });
    ok(await s.soap(getLeadBody('EMAIL', 'limits@example.com'), { userId: OTHER, key: OTHER_KEY }));
    const body = await limits(s, OTHER);
    assert.deepEqual(
      [body.quotaUsed, body.quotaPerDay, body.windowCalls, body.ratePerWindow, body.inFlight, body.concurrency],
      [1, 7, 1, 3, 0, 2],
    );
  });
});

describe('admin API: fault rules', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
    await addUser(s, { userId: OTHER, encryptionKey: OTHER_KEY });
    ok(await s.soap(syncLeadBody({ Email: 'faults@example.com' })));
  });
  after(() => s.close());

  const getLead = () => s.soap(getLeadBody('EMAIL', 'faults@example.com'));
  const addRule = async (rule: Record<string, unknown>) => {
    const r = await s.admin('POST', '/_mktows/faults', rule);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body), ['id']);
    return r.body.id as number;
  };
  const clear = async () => assert.deepEqual((await s.admin('DELETE', '/_mktows/faults')).body, { deleted: true });

  test('code + count: the rule fires on that many matching calls, then is used up', async () => {
    const id = await addRule({ operation: 'getLead', code: 20023, count: 2 });
    ok(await s.soap(syncLeadBody({ Email: 'faults@example.com' }))); // another operation: untouched
    for (let i = 0; i < 2; i++) {
      const r = await getLead();
      assert.equal(faultCode(r, 20023), `Injected fault (rule ${id}) (20023)`);
      assert.equal(r.fault?.faultstring, '20023 - Rate Limit Exceeded');
    }
    ok(await getLead());
    ok(await getLead());
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body, { rules: [] });
    await clear();
  });

  test('probability 0 never fires, probability 1 always does', async () => {
    await addRule({ operation: 'getLead', code: 20011, probability: 0 });
    for (let i = 0; i < 25; i++) ok(await getLead());
    await clear();
    await addRule({ operation: 'getLead', code: 10001, probability: 1 });
    for (let i = 0; i < 25; i++) {
      const r = await getLead();
      faultCode(r, 10001);
      assert.equal(r.fault?.faultcode, 'SOAP-ENV:Server');
    }
    await clear();
    ok(await getLead());
  });

  test('delayMs delays the call (alone, or before the fault)', async () => {
    await addRule({ operation: 'getLead', delayMs: 300, count: 1 });
    let t = performance.now();
    ok(await getLead());
    assert.ok(performance.now() - t >= 300, 'the delayed call took at least 300 ms');
    t = performance.now();
    ok(await getLead());
    assert.ok(performance.now() - t < 300, 'the rule was used up');
    await addRule({ operation: 'getLead', delayMs: 200, code: 20024, count: 1 });
    t = performance.now();
    faultCode(await getLead(), 20024);
    assert.ok(performance.now() - t >= 200);
    await clear();
  });

  test('userId scopes a rule to one user', async () => {
    await addRule({ operation: 'getLead', code: 20013, userId: OTHER });
    ok(await getLead());
    faultCode(await s.soap(getLeadBody('EMAIL', 'faults@example.com'), { userId: OTHER, key: OTHER_KEY }), 20013);
    await clear();
    ok(await s.soap(getLeadBody('EMAIL', 'faults@example.com'), { userId: OTHER, key: OTHER_KEY }));
  });

  test('operation "*" matches every operation', async () => {
    await addRule({ operation: '*', code: 20011 });
    faultCode(await getLead(), 20011);
    faultCode(await s.soap(syncLeadBody({ Email: 'faults@example.com' })), 20011);
    faultCode(await s.soap('<ns1:paramsGetTags/>'), 20011);
    await clear();
    ok(await getLead());
  });

  test('bad rules are 400 with a message and add nothing', async () => {
    const bad: [unknown, RegExp][] = [
      [{ operation: 'getPants', code: 20011 }, /operation/],
      [{ code: 20011 }, /operation/],
      [{ operation: 'getLead', code: 12345 }, /12345/],
      [{ operation: 'getLead', code: 20011, count: 0 }, /count/],
      [{ operation: 'getLead', code: 20011, count: 1.5 }, /count/],
      [{ operation: 'getLead', code: 20011, probability: 1.5 }, /probability/],
      [{ operation: 'getLead', code: 20011, probability: -0.1 }, /probability/],
      [{ operation: 'getLead', delayMs: -1 }, /delayMs/],
      [{ operation: 'getLead', delayMs: 600_001 }, /delayMs/],
      [{ operation: 'getLead' }, /code|delayMs/],
      [{ operation: 'getLead', code: 20011, userId: 7 }, /userId/],
      [['getLead'], /object/],
    ];
    for (const [rule, pattern] of bad) assertError(await s.admin('POST', '/_mktows/faults', rule), 400, pattern);
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body, { rules: [] });
    ok(await getLead());
  });

  test('DELETE /_mktows/faults/ID removes one rule; an unknown id is 404', async () => {
    const a = await addRule({ operation: 'getLead', code: 20011 });
    const b = await addRule({ operation: 'syncLead', code: 20011 });
    assert.deepEqual((await s.admin('DELETE', `/_mktows/faults/${a}`)).body, { deleted: a });
    assert.deepEqual(
      (await s.admin('GET', '/_mktows/faults')).body.rules.map((r: { id: number }) => r.id),
      [b],
    );
    ok(await getLead());
    assertError(await s.admin('DELETE', `/_mktows/faults/${a}`), 404, /no fault rule/);
    assertError(await s.admin('DELETE', '/_mktows/faults/abc'), 404, /no fault rule/);
    await clear();
  });

  test('DELETE /_mktows/faults removes every rule', async () => {
    const a = await addRule({ operation: 'getLead', code: 20011 });
    const b = await addRule({ operation: 'syncLead', code: 20011, count: 3 });
    assert.ok(b > a);
    assert.equal((await s.admin('GET', '/_mktows/faults')).body.rules.length, 2);
    await clear();
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body, { rules: [] });
    ok(await getLead());
    ok(await s.soap(syncLeadBody({ Email: 'faults@example.com' })));
  });
});

describe('admin API: clock', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(() => s.close());

  test('the clock offset moves the server time; signatures pass on either clock', async () => {
    const r = await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3600 });
    assert.equal(r.status, 200);
    assert.equal(r.body.offsetSeconds, 3600);
    assert.ok(Math.abs(Date.parse(r.body.now) - (Date.now() + 3_600_000)) < 5_000);
    // Signed with the real time, an hour behind the server: still accepted.
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { timestamp: formatW3C(new Date()) }), 20103);
    // Signed with the server's time: fine.
    faultCode(await s.soap(getLeadBody('IDNUM', '1')), 20103);
    // Half an hour ago is outside both windows.
    const stale = await s.soap(getLeadBody('IDNUM', '1'), { timestamp: formatW3C(new Date(Date.now() - 1_800_000)) });
    faultCode(stale, 20016);
    assert.equal((await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 })).body.offsetSeconds, 0);
    faultCode(await s.soap(getLeadBody('IDNUM', '1'), { timestamp: formatW3C(new Date()) }), 20103);
    assertError(await s.admin('POST', '/_mktows/clock', { offsetSeconds: 'soon' }), 400, /offsetSeconds/);
    assertError(await s.admin('POST', '/_mktows/clock', {}), 400, /offsetSeconds/);
  });

  test('the clock offset moves the quota day', async () => {
    await addUser(s, { userId: OTHER, encryptionKey: OTHER_KEY, quotaPerDay: 2 });
    const call = () => s.soap(getLeadBody('IDNUM', '1'), { userId: OTHER, key: OTHER_KEY });
    faultCode(await call(), 20103);
    faultCode(await call(), 20103);
    const m = faultCode(await call(), 20015);
    assert.match(m, new RegExp(nextChicagoMidnight(s.runtime.clock.now()).replace(/[.]/g, '\\.')));
    assert.equal((await limits(s, OTHER)).quotaUsed, 2);
    assert.equal((await s.admin('POST', '/_mktows/clock', { offsetSeconds: 86_400 })).status, 200);
    faultCode(await call(), 20103);
    const lim = await limits(s, OTHER);
    assert.equal(lim.quotaUsed, 1);
    assert.equal(lim.quotaResetsAt, nextChicagoMidnight(s.runtime.clock.now()));
    assert.ok(Date.parse(lim.quotaResetsAt) > Date.now() + 3_600_000);
  });
});

describe('GET /metrics', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(() => s.close());

  test('calls and latency by api, operation and code; limiter and auth counters; build info; process metrics', async () => {
    ok(await s.soap(syncLeadBody({ Email: 'metrics@example.com' })));
    ok(await s.soap(getLeadBody('EMAIL', 'metrics@example.com')));
    ok(await s.soap(getLeadBody('EMAIL', 'metrics@example.com')));
    faultCode(await s.soap(getLeadBody('EMAIL', 'none@example.com')), 20103);
    const r = await fetch(`${s.url}/metrics`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const lines = (await r.text()).split('\n');
    const getLeadOk = 'api="soap",operation="getLead",code="ok"';
    for (const l of [
      '# TYPE mktows_calls_total counter',
      'mktows_calls_total{api="soap",operation="syncLead",code="ok"} 1',
      `mktows_calls_total{${getLeadOk}} 2`,
      'mktows_calls_total{api="soap",operation="getLead",code="20103"} 1',
      '# TYPE mktows_call_duration_seconds histogram',
      `mktows_call_duration_seconds_bucket{${getLeadOk},le="+Inf"} 2`,
      `mktows_call_duration_seconds_count{${getLeadOk}} 2`,
      'mktows_call_duration_seconds_count{api="soap",operation="getLead",code="20103"} 1',
      'mktows_call_duration_seconds_count{api="soap",operation="syncLead",code="ok"} 1',
      '# TYPE mktows_limiter_rejections_total counter',
      'mktows_limiter_rejections_total{code="20023"} 0',
      'mktows_auth_failures_total{reason="bad_signature"} 0',
      'mktows_journal_dropped_total 0',
      `mktows_build_info{version="${VERSION}"} 1`,
    ]) {
      assert.ok(lines.includes(l), `metrics has: ${l}`);
    }
    assert.equal(lines.filter((l) => l.startsWith('mktows_calls_total{')).length, 3);
    const buckets = lines
      .filter((l) => l.startsWith(`mktows_call_duration_seconds_bucket{${getLeadOk}`))
      .map((l) => Number(l.split(' ')[1]));
    assert.equal(buckets.length, 14);
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], 'buckets are cumulative');
    assert.ok(lines.some((l) => new RegExp(`^mktows_call_duration_seconds_sum\\{${getLeadOk}\\} \\d`).test(l)));
    // prom-client's process and runtime metrics.
    assert.ok(lines.some((l) => /^process_cpu_user_seconds_total \d/.test(l)));
    assert.ok(lines.some((l) => /^nodejs_eventloop_lag_seconds \d/.test(l)));
  });

  test('rejections by the limiter are counted by code and the auth failures by reason', async () => {
    // The window starts empty: the reset clears the limiter's counts, not the metrics.
    await s.admin('POST', '/_mktows/reset', {});
    await s.admin('POST', '/_mktows/users', { userId: USER, concurrency: 1, ratePerWindow: 1 });
    const before = (await (await fetch(`${s.url}/metrics`)).text()).split('\n');
    const n = (lines: string[], l: string) => Number(lines.find((x) => x.startsWith(`${l} `))?.split(' ')[1]);
    const rej = 'mktows_limiter_rejections_total{code="20023"}';
    // Admitted (and not found: the reset emptied the store), then refused by the window of 1.
    faultCode(await s.soap(getLeadBody('EMAIL', 'metrics@example.com')), 20103);
    faultCode(await s.soap(getLeadBody('EMAIL', 'metrics@example.com')), 20023);
    faultCode(await s.soap(getLeadBody('EMAIL', 'metrics@example.com'), { key: 'wrong-key' }), 20014);
    const afterLines = (await (await fetch(`${s.url}/metrics`)).text()).split('\n');
    assert.equal(n(afterLines, rej), n(before, rej) + 1);
    const bad = 'mktows_auth_failures_total{reason="bad_signature"}';
    assert.equal(n(afterLines, bad), n(before, bad) + 1);
    assert.ok(afterLines.includes('mktows_calls_total{api="soap",operation="getLead",code="20023"} 1'));
    await s.admin('POST', '/_mktows/reset', {});
  });
});

describe('GET /metrics with tokens', () => {
  test('with --admin-token, 401 without the bearer token and 200 with it', async () => {
    const s = await startTestServer({ seed: 'none', adminToken: 'adm-secret' });
    try {
      const bare = await fetch(`${s.url}/metrics`);
      assert.equal(bare.status, 401);
      assert.match((await bare.json()).error, /Bearer/);
      assert.equal((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer nope' } })).status, 401);
      const r = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer adm-secret' } });
      assert.equal(r.status, 200);
      assert.match(await r.text(), /^mktows_build_info\{/m);
    } finally {
      await s.close();
    }
  });

  test('with --metrics-token, /metrics takes that token only; the admin API keeps its own', async () => {
    const s = await startTestServer({ seed: 'none', adminToken: 'adm-secret', metricsToken: 'scrape-secret' });
    try {
      assert.equal((await fetch(`${s.url}/metrics`)).status, 401);
      const admin = { authorization: 'Bearer adm-secret' };
      assert.equal((await fetch(`${s.url}/metrics`, { headers: admin })).status, 401);
      const scrape = { authorization: 'Bearer scrape-secret' };
      assert.equal((await fetch(`${s.url}/metrics`, { headers: scrape })).status, 200);
      assert.equal((await fetch(`${s.url}/_mktows/health`, { headers: scrape })).status, 401);
      assert.equal((await fetch(`${s.url}/_mktows/health`, { headers: admin })).status, 200);
    } finally {
      await s.close();
    }
  });
});

describe('admin access', () => {
  test('with an admin token, /_mktows/* answers 401 without the bearer token and 200 with it', async () => {
    const s = await startTestServer({ seed: 'none', adminToken: 'secret' });
    try {
      const none = await fetch(`${s.url}/_mktows/health`);
      assert.equal(none.status, 401);
      assert.match((await none.json()).error, /Bearer/);
      const wrong = await fetch(`${s.url}/_mktows/health`, { headers: { Authorization: 'Bearer nope' } });
      assert.equal(wrong.status, 401);
      await wrong.text();
      const reset = await fetch(`${s.url}/_mktows/reset`, { method: 'POST' });
      assert.equal(reset.status, 401);
      await reset.text();
      const good = await fetch(`${s.url}/_mktows/health`, { headers: { Authorization: 'Bearer secret' } });
      assert.equal(good.status, 200);
      assert.equal((await good.json()).status, 'ok');
      // The SOAP endpoint needs no admin token.
      faultCode(await s.soap(getLeadBody('IDNUM', '1')), 20103);
    } finally {
      await s.close();
    }
  });
});

describe('graceful shutdown', () => {
  test('close() lets a call in flight finish with 200 and resolves after it', async () => {
    const s = await startTestServer({ seed: 'none' });
    ok(await s.soap(syncLeadBody({ Email: 'slow@example.com' })));
    assert.equal((await s.admin('POST', '/_mktows/faults', { operation: 'getLead', delayMs: 400 })).status, 200);
    let callDone = 0;
    const started = performance.now();
    const call = s.soap(getLeadBody('EMAIL', 'slow@example.com')).then((r) => {
      callDone = performance.now();
      return r;
    });
    // Wait until the call holds its lease, i.e. it is inside the server.
    for (let i = 0; i < 500 && (await limits(s)).inFlight === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal((await limits(s)).inFlight, 1);
    let closeDone = 0;
    await s.close().then(() => {
      closeDone = performance.now();
    });
    const r = await call;
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<Email>slow@example.com<\/Email>/);
    // close() waited for the delayed call (the client may read the response a moment after).
    assert.ok(
      closeDone - started >= 400,
      `close() resolved after ${closeDone - started} ms, before the 400 ms call ended`,
    );
    assert.ok(callDone - started >= 400);
    // The server no longer accepts connections.
    await assert.rejects(fetch(`${s.url}/_mktows/health`));
  });
});
