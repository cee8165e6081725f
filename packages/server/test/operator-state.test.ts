/**
 * The operator-state contract (state/operator-state.ts), run against every implementation: reads
 * see each change at once, `reload()` follows the store, `reset()` restores what was configured.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { FAULT } from '@mktows/protocol';
import type { RestClientConfig, UserConfig } from '../src/config.js';
import { Clock } from '../src/state/clock.js';
import { MemoryOperatorState } from '../src/state/memory-state.js';
import { fireFaultRule, type OperatorState } from '../src/state/operator-state.js';
import { StoredOperatorState } from '../src/state/stored-state.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

const CONFIGURED: readonly UserConfig[] = [{ userId: 'alice', encryptionKey: 'alice-key-0123', quotaPerDay: 50 }];

const CLIENTS: readonly RestClientConfig[] = [{ clientId: 'app', clientSecret: 'app-secret-1' }];

const KINDS: {
  kind: string;
  open(store: Store, users: readonly UserConfig[], clients?: readonly RestClientConfig[]): Promise<OperatorState>;
}[] = [
  { kind: 'memory', open: (store, users, clients) => MemoryOperatorState.open(store, users, undefined, clients) },
  { kind: 'stored', open: (store, users, clients) => StoredOperatorState.open(store, users, {}, clients) },
];

for (const { kind, open } of KINDS) {
  describe(`${kind} operator state`, () => {
    let store: Store;
    let state: OperatorState;

    before(async () => {
      store = await openStore('sqlite::memory:');
    });
    afterEach(() => state?.close());
    after(() => store.close());

    test('users: configured ones at start, upserts merged and seen at once', async () => {
      state = await open(store, CONFIGURED);
      assert.deepEqual(state.user('alice'), CONFIGURED[0]);
      assert.equal(state.user('bob'), undefined);
      await state.upsertUser({ userId: 'bob', encryptionKey: 'bob-key-01234' });
      const merged = await state.upsertUser({ userId: 'alice', encryptionKey: 'alice-key-0123', blocked: true });
      assert.deepEqual(merged, { ...CONFIGURED[0], blocked: true });
      assert.deepEqual(state.user('alice'), merged);
      assert.deepEqual(
        state
          .users()
          .map((u) => u.userId)
          .sort(),
        ['alice', 'bob'],
      );
      // The configured user is copied, not shared: a change never writes back into the configuration.
      assert.equal(CONFIGURED[0].blocked, undefined);
    });

    test('fault rules: numbered in order, first match wins, a count rule is used up', async () => {
      state = await open(store, CONFIGURED);
      const once = await state.addFaultRule({ operation: 'getLead', code: FAULT.INTERNAL_ERROR, count: 1 });
      const always = await state.addFaultRule({ operation: '*', delayMs: 5, userId: 'alice' });
      assert.ok(always.id > once.id);
      // Matching alone uses nothing up: the firing is claimed apart (as the pipeline does).
      assert.equal(state.matchFaultRule('getLead', 'alice')?.id, once.id);
      assert.equal((await fireFaultRule(state, 'getLead', 'alice'))?.id, once.id);
      assert.equal((await fireFaultRule(state, 'getLead', 'alice'))?.id, always.id);
      assert.equal(await fireFaultRule(state, 'getLead', 'bob'), undefined);
      assert.deepEqual(
        state.faultRules().map((r) => r.id),
        [always.id],
      );
      assert.equal(await state.deleteFaultRule(always.id), true);
      assert.equal(await state.deleteFaultRule(always.id), false);
      assert.deepEqual(state.faultRules(), []);
      await state.addFaultRule({ operation: '*', code: FAULT.INTERNAL_ERROR });
      await state.clearFaultRules();
      assert.deepEqual(state.faultRules(), []);
      assert.equal(state.matchFaultRule('getLead', 'alice'), undefined);
    });

    test('clock offset: the clock reads it on every call', async () => {
      state = await open(store, CONFIGURED);
      const clock = new Clock(state);
      assert.equal(state.clockOffsetMs, 0);
      await state.setClockOffset(3_600_000);
      assert.equal(state.clockOffsetMs, 3_600_000);
      assert.ok(Math.abs(clock.now() - (Date.now() + 3_600_000)) < 1000);
    });

    test('reload: the lead schema follows the store; the stream secret is kept and shared', async () => {
      state = await open(store, CONFIGURED);
      const position = state.streams.encode({ sel: 's', after: 7, os: 7 });
      await store.transaction((tx) =>
        tx.upsertCustomLeadFields([
          { name: 'ShoeSize', displayName: 'Shoe Size', dataType: 'integer', readOnly: false, custom: true },
        ]),
      );
      assert.equal(state.leadSchema.field('ShoeSize'), undefined, 'a stored change waits for reload()');
      await state.reload();
      assert.equal(state.leadSchema.field('ShoeSize')?.dataType, 'integer');
      assert.equal(state.streams.decode(position, 's').after, 7);
      // A second state over the same store (another replica) trusts the same positions.
      const other = await open(store, CONFIGURED);
      assert.equal(other.streams.decode(position, 's').os, 7);
      await other.close();
    });

    test('REST clients: configured ones at start, upserts seen at once, reset restores the configured secret', async () => {
      state = await open(store, CONFIGURED, CLIENTS);
      assert.deepEqual(state.restClient('app'), CLIENTS[0]);
      await state.upsertRestClient({ clientId: 'other', clientSecret: 'other-secret' });
      await state.upsertRestClient({ clientId: 'app', clientSecret: 'changed-secret' });
      assert.deepEqual(state.restClient('app'), { clientId: 'app', clientSecret: 'changed-secret' });
      assert.deepEqual(
        state
          .restClients()
          .map((c) => c.clientId)
          .sort(),
        ['app', 'other'],
      );
      await state.reset();
      assert.deepEqual(state.restClients(), [CLIENTS[0]]);
      assert.equal(CLIENTS[0].clientSecret, 'app-secret-1');
    });

    test('a rule on REST calls is matched only for REST calls, and a SOAP rule only for SOAP calls', async () => {
      state = await open(store, CONFIGURED);
      const rest = await state.addFaultRule({ operation: '*', code: 606, api: 'rest' });
      const soap = await state.addFaultRule({ operation: '*', code: FAULT.INTERNAL_ERROR });
      assert.equal(state.matchFaultRule('getLeadByIdUsingGET', 'app', 'rest')?.id, rest.id);
      assert.equal(state.matchFaultRule('getLead', 'alice')?.id, soap.id);
      assert.equal(state.matchFaultRule('getLead', 'alice', 'soap')?.id, soap.id);
      await state.clearFaultRules();
    });

    test('reset: configured users, no rules, no offset; then a reload', async () => {
      state = await open(store, CONFIGURED);
      await state.upsertUser({ userId: 'bob', encryptionKey: 'bob-key-01234' });
      await state.upsertUser({ userId: 'alice', encryptionKey: 'another-key-0123' });
      await state.addFaultRule({ operation: '*', code: FAULT.INTERNAL_ERROR_BACKEND });
      await state.setClockOffset(-5000);
      await store.reset();
      await state.reset();
      assert.equal(state.user('bob'), undefined);
      assert.deepEqual(state.user('alice'), CONFIGURED[0]);
      assert.deepEqual(state.faultRules(), []);
      assert.equal(state.clockOffsetMs, 0);
      assert.equal(state.leadSchema.field('ShoeSize'), undefined);
    });
  });
}

describe('stored operator state: shared through the store', () => {
  let store: Store;
  const states: OperatorState[] = [];
  const open = async (refreshMs?: number) => {
    const s = await StoredOperatorState.open(store, CONFIGURED, { refreshMs });
    states.push(s);
    return s;
  };

  before(async () => {
    store = await openStore('sqlite::memory:');
  });
  after(async () => {
    for (const s of states) await s.close();
    await store.close();
  });

  test('a state opened later (a restart) finds users, rules and offset; reset removes them', async () => {
    const first = await open();
    await first.upsertUser({ userId: 'bob', encryptionKey: 'bob-key-01234', concurrency: 2 });
    await first.upsertUser({ userId: 'alice', encryptionKey: 'alice-key-0123', blocked: true });
    const rule = await first.addFaultRule({ operation: 'getLead', code: FAULT.INTERNAL_ERROR, count: 2 });
    await first.setClockOffset(90_000);
    await first.close();
    const again = await open();
    assert.deepEqual(again.user('bob'), { userId: 'bob', encryptionKey: 'bob-key-01234', concurrency: 2 });
    assert.equal(again.user('alice')?.blocked, true);
    assert.deepEqual(
      again.faultRules().map((r) => [r.id, r.remaining]),
      [[rule.id, 2]],
    );
    assert.equal(again.clockOffsetMs, 90_000);
    await again.reset();
    const fresh = await open();
    assert.equal(fresh.user('bob'), undefined);
    assert.deepEqual(fresh.user('alice'), CONFIGURED[0]);
    assert.deepEqual(fresh.faultRules(), []);
    assert.equal(fresh.clockOffsetMs, 0);
  });

  test('a change on one state reaches another on its next refresh; a count rule fires N times in all', async () => {
    const a = await open(50);
    const b = await open(50);
    const rule = await a.addFaultRule({ operation: '*', code: FAULT.INTERNAL_ERROR, count: 3 });
    await a.upsertUser({ userId: 'carol', encryptionKey: 'carol-key-0123' });
    await a.setClockOffset(-1000);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(b.user('carol')?.encryptionKey, 'carol-key-0123');
    assert.equal(b.clockOffsetMs, -1000);
    assert.deepEqual(
      b.faultRules().map((r) => r.id),
      [rule.id],
    );
    // Both copies say 3 left; the store's claims decide. Calls race on both states at once.
    const fired = await Promise.all(
      Array.from({ length: 10 }, (_, i) => fireFaultRule(i % 2 ? a : b, 'getLead', 'alice')),
    );
    assert.equal(fired.filter((r) => r?.id === rule.id).length, 3);
    await b.deleteFaultRule(rule.id);
    await a.reset();
  });
});
