/**
 * Client state per endpoint and user, and its reset; attribute lists as plain objects.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fromAttributeList, QuotaExceededError, resetClientState, toAttributeList } from '../src/index.js';
import { getLeadParams, startMktows, type TestServer } from './support.js';

let a: TestServer;
let b: TestServer;
before(async () => {
  [a, b] = await Promise.all([startMktows(), startMktows()]);
});
after(() => Promise.all([a.close(), b.close()]));

/** Spends a quota of 1 and meets 20015: the user's clients are then blocked locally. */
async function exhaust(server: TestServer, user: string) {
  const client = server.client(user, { quotaPerDay: 1 });
  assert.equal((await client.getLead(getLeadParams())).count, 1);
  const e = await client.getLead(getLeadParams()).catch((x) => x);
  assert.ok(e instanceof QuotaExceededError && !e.local, String(e));
  return client;
}

describe('client state', () => {
  test('a server reset between tests: the next client is blocked until reset() forgets the quota', async () => {
    const user = 'state_reset_user';
    await a.admin('POST', '/_mktows/users', {
      userId: user,
      encryptionKey: 'client-test-encryption-key',
      quotaPerDay: 1,
    });
    await exhaust(a, user);
    // The next test resets the server and adds its user again.
    await a.admin('POST', '/_mktows/reset', { seed: 'demo' });
    await a.admin('POST', '/_mktows/users', {
      userId: user,
      encryptionKey: 'client-test-encryption-key',
      quotaPerDay: 1,
    });
    const next = a.client(user, { quotaPerDay: 1 });
    const inherited = await next.getLead(getLeadParams()).catch((x) => x);
    assert.ok(inherited instanceof QuotaExceededError && inherited.local, 'state is shared by the clients of a user');
    next.reset();
    assert.equal(next.usage().quotaBlockedUntil, undefined);
    assert.equal(next.usage().quotaUsedToday, 0);
    assert.equal((await next.getLead(getLeadParams())).count, 1);
    assert.equal(next.usage().quotaUsedToday, 1);
  });

  test('resetClientState() resets every endpoint and user of the process', async () => {
    const user = await a.user('state_all', { quotaPerDay: 1 });
    const client = await exhaust(a, user);
    assert.notEqual(client.usage().quotaBlockedUntil, undefined);
    resetClientState();
    assert.equal(client.usage().quotaBlockedUntil, undefined);
    assert.equal(client.usage().windowCalls, 0);
  });

  test('two endpoints with the same user id share nothing', async () => {
    const user = 'state_two_servers';
    for (const s of [a, b])
      await s.admin('POST', '/_mktows/users', {
        userId: user,
        encryptionKey: 'client-test-encryption-key',
        quotaPerDay: 1,
      });
    await exhaust(a, user);
    const onB = b.client(user, { quotaPerDay: 1 });
    assert.equal(onB.usage().quotaBlockedUntil, undefined);
    assert.equal((await onB.getLead(getLeadParams())).count, 1);
  });

  test('reset() forgets a learnt clock skew', async () => {
    const user = await a.user('state_skew');
    const client = a.client(user, { now: () => Date.now() - 3_600_000 });
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    assert.ok(Math.abs(client.usage().clockSkewMs - 3_600_000) < 5_000, String(client.usage().clockSkewMs));
    client.reset();
    assert.equal(client.usage().clockSkewMs, 0);
  });
});

describe('attribute lists as plain objects', () => {
  test('toAttributeList types each value; undefined is left out, null clears', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    assert.deepEqual(
      toAttributeList({
        FirstName: 'Ada',
        LeadScore: 12,
        Rate: 1.5,
        Unsubscribed: false,
        Seen: at,
        Phone: null,
        X: undefined,
      }),
      {
        attribute: [
          { attrName: 'FirstName', attrType: 'string', attrValue: 'Ada' },
          { attrName: 'LeadScore', attrType: 'integer', attrValue: '12' },
          { attrName: 'Rate', attrType: 'float', attrValue: '1.5' },
          { attrName: 'Unsubscribed', attrType: 'boolean', attrValue: 'false' },
          { attrName: 'Seen', attrType: 'datetime', attrValue: '2026-01-02T03:04:05.000Z' },
          { attrName: 'Phone', attrValue: '' },
        ],
      },
    );
    assert.throws(() => toAttributeList({ LeadScore: Number.NaN }), /LeadScore: NaN is not a number/);
  });

  test('fromAttributeList reads numbers, booleans and strings by attrType', () => {
    assert.deepEqual(
      fromAttributeList({
        attribute: [
          { attrName: 'FirstName', attrType: 'string', attrValue: 'Ada' },
          { attrName: 'LeadScore', attrType: 'integer', attrValue: '12' },
          { attrName: 'Revenue', attrType: 'currency', attrValue: '10.25' },
          { attrName: 'DoNotCall', attrType: 'boolean', attrValue: '1' },
          { attrName: 'Unsubscribed', attrType: 'boolean', attrValue: 'false' },
          { attrName: 'Phone', attrType: 'string', attrValue: null as unknown as string },
          { attrName: 'Untyped', attrValue: '7' },
        ],
      }),
      {
        FirstName: 'Ada',
        LeadScore: 12,
        Revenue: 10.25,
        DoNotCall: true,
        Unsubscribed: false,
        Phone: null,
        Untyped: '7',
      },
    );
    assert.deepEqual(fromAttributeList(undefined), {});
  });

  test('a round trip through the server: syncLead with a built list, getLead read back', async () => {
    const client = a.client(await a.user('attrs'));
    const email = 'attrs.round@example.com';
    await client.syncLead({
      leadRecord: { Email: email, leadAttributeList: toAttributeList({ FirstName: 'Grace', LeadScore: 42 }) },
      returnLead: false,
    });
    const r = await client.getLead({ leadKey: { keyType: 'EMAIL', keyValue: email } });
    const read = fromAttributeList(r.leadRecordList?.leadRecord?.[0]?.leadAttributeList);
    assert.equal(read.FirstName, 'Grace');
    assert.equal(read.LeadScore, 42);
  });
});
