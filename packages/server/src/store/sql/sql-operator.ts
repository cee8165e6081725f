/** Operator state in SQL (store/operator-store.ts): the tables of 0007_operator_state and one meta row. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { RestClientConfig, UserConfig } from '../../config.js';
import type { FaultRule, FaultRuleSpec } from '../../state/fault-rules.js';
import type { OperatorSnapshot, OperatorStore, RestToken } from '../operator-store.js';
import type { Database, FaultRuleTable, OperatorUserTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The meta row holding the clock offset, in milliseconds. */
const CLOCK_OFFSET_KEY = 'clock_offset_ms';

/** How long an expired access token is remembered. */
const EXPIRED_TOKEN_KEPT_MS = 86_400_000;

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
    const clients = await this.db.selectFrom('rest_clients').selectAll().orderBy('client_id').execute();
    return {
      users: users.map(rowToUser),
      rules: rules.map(rowToRule),
      clockOffsetMs: offset ? Number(offset.value) : 0,
      restClients: clients.map((c) => ({ clientId: c.client_id, clientSecret: c.client_secret })),
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

  async putRestClient(client: RestClientConfig, at: number): Promise<void> {
    const values = { client_secret: client.clientSecret, updated_at: at };
    await this.db
      .insertInto('rest_clients')
      .values({ client_id: client.clientId, ...values })
      .onConflict((oc) => oc.column('client_id').doUpdateSet(values))
      .execute();
  }

  async restToken(token: string): Promise<RestToken | undefined> {
    const r = await this.db.selectFrom('rest_tokens').selectAll().where('token', '=', token).executeTakeFirst();
    return r && { token: r.token, clientId: r.client_id, expiresAt: Number(r.expires_at) };
  }

  async currentRestToken(clientId: string, now: number): Promise<RestToken | undefined> {
    const r = await this.db
      .selectFrom('rest_tokens')
      .selectAll()
      .where('client_id', '=', clientId)
      .where('expires_at', '>', now)
      .orderBy('expires_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r && { token: r.token, clientId: r.client_id, expiresAt: Number(r.expires_at) };
  }

  async addRestToken(token: RestToken, now: number): Promise<void> {
    await this.db
      .deleteFrom('rest_tokens')
      .where('client_id', '=', token.clientId)
      // Kept a day past expiry, so that a late caller hears 602 (expired) rather than 601 (invalid).
      .where('expires_at', '<=', now - EXPIRED_TOKEN_KEPT_MS)
      .execute();
    await this.db
      .insertInto('rest_tokens')
      .values({ token: token.token, client_id: token.clientId, expires_at: token.expiresAt })
      .execute();
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('rest_clients').execute();
    await this.db.deleteFrom('rest_tokens').execute();
    await this.db.deleteFrom('operator_users').execute();
    await this.db.deleteFrom('fault_rules').execute();
    await this.db.deleteFrom('meta').where('key', '=', CLOCK_OFFSET_KEY).execute();
  }
}
