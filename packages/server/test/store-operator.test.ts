/**
 * store.operator (store/sql/sql-operator.ts) and its migration: claims are atomic decrements, the
 * data reset leaves the operator state, and 0007_operator_state compiles for PostgreSQL too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FAULT } from '@mktows/protocol';
import {
  type CompiledQuery,
  type DatabaseConnection,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';
import { openStore } from '../src/store/open.js';
import { migrations } from '../src/store/sql/migrations/migrations.js';
import type { Store } from '../src/store/store.js';

describe('store.operator', () => {
  let store: Store;
  before(async () => {
    store = await openStore('sqlite::memory:');
  });
  after(() => store.close());

  test('a count rule is claimed exactly count times, then leaves the snapshot', async () => {
    const rule = await store.operator.addFaultRule({ operation: '*', code: FAULT.INTERNAL_ERROR, count: 2 }, 1);
    const claims = await Promise.all([1, 2, 3, 4].map(() => store.operator.claimFaultRule(rule.id)));
    assert.equal(claims.filter(Boolean).length, 2);
    assert.deepEqual((await store.operator.snapshot()).rules, []);
    assert.equal(await store.operator.deleteFaultRule(rule.id), true);
    assert.equal(await store.operator.deleteFaultRule(rule.id), false);
  });

  test('users and offset survive the data reset; clear() removes them', async () => {
    await store.operator.putUser({ userId: 'u', encryptionKey: 'u-key-0123456', blocked: false, quotaPerDay: 3 }, 1);
    await store.operator.setClockOffset(-250);
    await store.operator.addFaultRule({ operation: 'getLead', delayMs: 10 }, 1);
    await store.reset();
    const kept = await store.operator.snapshot();
    assert.deepEqual(kept.users, [{ userId: 'u', encryptionKey: 'u-key-0123456', blocked: false, quotaPerDay: 3 }]);
    assert.equal(kept.clockOffsetMs, -250);
    assert.deepEqual(
      kept.rules.map((r) => [r.operation, r.delayMs, r.remaining]),
      [['getLead', 10, undefined]],
    );
    await store.operator.clear();
    assert.deepEqual(await store.operator.snapshot(), { users: [], rules: [], clockOffsetMs: 0, restClients: [] });
  });
});

test('0007_operator_state compiles for PostgreSQL: serial ids, bigint times', async () => {
  const statements: string[] = [];
  const recording: DatabaseConnection = {
    async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
      statements.push(q.sql);
      return { rows: [] };
    },
    async *streamQuery() {},
  };
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => Object.assign(new DummyDriver(), { acquireConnection: async () => recording }),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  await migrations('postgres')['0007_operator_state'].up(db);
  const text = statements.join('\n');
  assert.match(text, /create table "operator_users" \("user_id" text primary key/);
  assert.match(text, /create table "fault_rules" \("id" serial primary key/);
  assert.match(text, /"created_at" bigint not null/);
  assert.doesNotMatch(text, /autoincrement/i);
});
