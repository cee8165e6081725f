/** Operator state in SQL (store/operator-store.ts): the tables of 0007_operator_state and one meta row. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { UserConfig } from '../../config.js';
import type { FaultRule, FaultRuleSpec } from '../../state/fault-rules.js';
import type { OperatorSnapshot, OperatorStore } from '../operator-store.js';
import type { Database, FaultRuleTable, OperatorUserTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The meta row holding the clock offset, in milliseconds. */
const CLOCK_OFFSET_KEY = 'clock_offset_ms';

function rowToUser(r: Selectable<OperatorUserTable>): UserConfig {
  return {
    userId: r.user_id,
    encryptionKey: r.encryption_key,
    ...(r.blocked !== null ? { blocked: Number(r.blocked) === 1 } : {}),
    ...(r.quota_per_day !== null ? { quotaPerDay: Number(r.quota_per_day) } : {}),
    ...(r.rate_per_window !== null ? { ratePerWindow: Number(r.rate_per_window) } : {}),
    ...(r.concurrency !== null ? { concurrency: Number(r.concurrency) } : {}),
  };
}

function rowToRule(r: Selectable<FaultRuleTable>): FaultRule {
  return {
    id: Number(r.id),
    ...(JSON.parse(r.spec) as FaultRuleSpec),
    ...(r.remaining !== null ? { remaining: Number(r.remaining) } : {}),
  };
}

export class SqlOperator implements OperatorStore {
  constructor(private readonly db: Db) {}

  async snapshot(): Promise<OperatorSnapshot> {
    const users = await this.db.selectFrom('operator_users').selectAll().orderBy('user_id').execute();
    const rules = await this.db
      .selectFrom('fault_rules')
      .selectAll()
      .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
      .orderBy('id')
      .execute();
    const offset = await this.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', CLOCK_OFFSET_KEY)
      .executeTakeFirst();
    return {
      users: users.map(rowToUser),
      rules: rules.map(rowToRule),
      clockOffsetMs: offset ? Number(offset.value) : 0,
    };
  }

  async putUser(user: UserConfig, at: number): Promise<void> {
    const values = {
      encryption_key: user.encryptionKey,
      blocked: user.blocked === undefined ? null : user.blocked ? 1 : 0,
      quota_per_day: user.quotaPerDay ?? null,
      rate_per_window: user.ratePerWindow ?? null,
      concurrency: user.concurrency ?? null,
      updated_at: at,
    };
    await this.db
      .insertInto('operator_users')
      .values({ user_id: user.userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  async addFaultRule(spec: FaultRuleSpec, at: number): Promise<FaultRule> {
    const r = await this.db
      .insertInto('fault_rules')
      .values({ spec: JSON.stringify(spec), remaining: spec.count ?? null, created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(r.id), ...spec, ...(spec.count !== undefined ? { remaining: spec.count } : {}) };
  }

  async claimFaultRule(id: number): Promise<boolean> {
    // One statement: the check and the decrement cannot interleave with another replica's.
    const r = await this.db
      .updateTable('fault_rules')
      .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
      .where('id', '=', id)
      .where('remaining', '>', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteFaultRule(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('fault_rules').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async clearFaultRules(): Promise<void> {
    await this.db.deleteFrom('fault_rules').execute();
  }

  async setClockOffset(ms: number): Promise<void> {
    const value = String(ms);
    await this.db
      .insertInto('meta')
      .values({ key: CLOCK_OFFSET_KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('operator_users').execute();
    await this.db.deleteFrom('fault_rules').execute();
    await this.db.deleteFrom('meta').where('key', '=', CLOCK_OFFSET_KEY).execute();
  }
}
