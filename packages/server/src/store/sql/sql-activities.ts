/**
 * The activity log and list membership in SQL (store/activity-store.ts): a part over one database
 * or transaction, composed into SqlStore and its transactions as the other parts are.
 */
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool, Transaction } from 'kysely';
import type {
  Activity,
  ActivityPage,
  ActivityReader,
  ChangeQuery,
  LeadActivityQuery,
  ListMemberWriter,
  TypeFilter,
} from '../activity-store.js';
import type { ActivityTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function toActivity(r: Selectable<ActivityTable>): Activity {
  return {
    id: Number(r.id),
    guid: r.guid,
    leadId: Number(r.lead_id),
    typeId: Number(r.type_id),
    typeName: r.type_name,
    occurredAt: Number(r.occurred_at),
    assetName: r.asset_name,
    campaign: r.campaign,
    attributes: JSON.parse(r.attributes) as [string, string][],
  };
}

type Eb = ExpressionBuilder<Database, 'activities'>;

function typeConds(eb: Eb, f: TypeFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (f.include) out.push(f.include.length ? eb('activities.type_name', 'in', [...f.include]) : eb.lit(false));
  if (f.exclude?.length) out.push(eb('activities.type_name', 'not in', [...f.exclude]));
  return out;
}

function timeConds(eb: Eb, from: number | undefined, to: number | undefined): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (from !== undefined) out.push(eb('activities.occurred_at', '>=', from));
  if (to !== undefined) out.push(eb('activities.occurred_at', '<=', to));
  return out;
}

async function count(db: Db, where: (eb: Eb) => Expression<SqlBool>): Promise<number> {
  const r = await db
    .selectFrom('activities')
    .where(where)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Chunked so that a large batch stays under the database's bound-parameter limit. */
const CHUNK = 500;

/** The activity log and list membership, on one database or transaction. */
export class SqlActivities implements ActivityReader, ListMemberWriter {
  constructor(private readonly db: Db) {}

  async pageLeadActivities(q: LeadActivityQuery): Promise<ActivityPage> {
    const base = (eb: Eb) => [
      eb('activities.lead_id', '=', q.leadId),
      ...typeConds(eb, q),
      ...timeConds(eb, q.from, q.to),
    ];
    const olderThan = (eb: Eb, c: { at: number; id: number }) =>
      eb.or([
        eb('activities.occurred_at', '<', c.at),
        eb.and([eb('activities.occurred_at', '=', c.at), eb('activities.id', '<', c.id)]),
      ]);
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where((eb) => eb.and([...base(eb), ...(q.before ? [olderThan(eb, q.before)] : [])]))
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .execute();
    const activities = rows.map(toActivity);
    const last = activities[activities.length - 1];
    const cursor = last ? { at: last.occurredAt, id: last.id } : q.before;
    const remaining = await count(this.db, (eb) => eb.and([...base(eb), ...(cursor ? [olderThan(eb, cursor)] : [])]));
    return { activities, remaining };
  }

  async pageActivityChanges(q: ChangeQuery): Promise<ActivityPage> {
    const base = (eb: Eb): Expression<SqlBool>[] => {
      const conds = [...typeConds(eb, q), ...timeConds(eb, q.from, q.to)];
      if (q.leads?.kind === 'ids') {
        conds.push(q.leads.ids.length ? eb('activities.lead_id', 'in', [...q.leads.ids]) : eb.lit(false));
      } else if (q.leads?.kind === 'list') {
        const listId = q.leads.listId;
        conds.push(
          eb(
            'activities.lead_id',
            'in',
            eb.selectFrom('list_members').select('list_members.lead_id').where('list_members.list_id', '=', listId),
          ),
        );
      }
      if (q.activeSince !== undefined) {
        const since = q.activeSince;
        conds.push(
          eb(
            'activities.lead_id',
            'in',
            eb.selectFrom('activities as recent').select('recent.lead_id').where('recent.occurred_at', '>=', since),
          ),
        );
      }
      return conds;
    };
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where((eb) => eb.and([...base(eb), eb('activities.id', '>', q.afterId)]))
      .orderBy('id')
      .limit(q.limit)
      .execute();
    const activities = rows.map(toActivity);
    const lastId = activities.length ? activities[activities.length - 1].id : q.afterId;
    const remaining = await count(this.db, (eb) => eb.and([...base(eb), eb('activities.id', '>', lastId)]));
    return { activities, remaining };
  }

  async listMembersAmong(listId: number, leadIds: readonly number[]): Promise<Set<number>> {
    const out = new Set<number>();
    for (let i = 0; i < leadIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('list_members')
        .select('lead_id')
        .where('list_id', '=', listId)
        .where('lead_id', 'in', leadIds.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) out.add(Number(r.lead_id));
    }
    return out;
  }

  async removeListMembers(listId: number, leadIds: readonly number[]): Promise<void> {
    for (let i = 0; i < leadIds.length; i += CHUNK) {
      await this.db
        .deleteFrom('list_members')
        .where('list_id', '=', listId)
        .where('lead_id', 'in', leadIds.slice(i, i + CHUNK))
        .execute();
    }
  }

  async clearListMembers(listId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('list_members')
      .select('lead_id')
      .where('list_id', '=', listId)
      .orderBy('lead_id')
      .execute();
    await this.db.deleteFrom('list_members').where('list_id', '=', listId).execute();
    return rows.map((r) => Number(r.lead_id));
  }

  /** Activities of one lead, newest first (by id). */
  async listActivities(leadId: number): Promise<Activity[]> {
    const rows = await this.db
      .selectFrom('activities')
      .selectAll()
      .where('lead_id', '=', leadId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toActivity);
  }

  /** Moves the activities of merged leads to the lead that stays (mergeLeads). */
  async moveActivities(fromIds: readonly number[], toId: number): Promise<void> {
    await this.db
      .updateTable('activities')
      .set({ lead_id: toId })
      .where('lead_id', 'in', [...fromIds])
      .execute();
  }

  /** Whether the lead is a member of the list. */
  async isListMember(listId: number, leadId: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('list_members')
      .select('lead_id')
      .where('list_id', '=', listId)
      .where('lead_id', '=', leadId)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Adds members (already members stay as they were), 200 rows per statement. */
  async addListMembers(listId: number, leadIds: readonly number[], at: number): Promise<void> {
    for (let i = 0; i < leadIds.length; i += 200) {
      const rows = leadIds.slice(i, i + 200).map((lead_id) => ({ list_id: listId, lead_id, added_at: at }));
      await this.db
        .insertInto('list_members')
        .values(rows)
        .onConflict((oc) => oc.columns(['list_id', 'lead_id']).doNothing())
        .execute();
    }
  }

  /** Moves the list memberships of merged leads to the lead that stays (mergeLeads), each list once. */
  async moveListMemberships(from: number[], toId: number): Promise<void> {
    // Memberships the winner already has would collide: drop those, move the rest.
    const winnerLists = this.db.selectFrom('list_members').select('list_id').where('lead_id', '=', toId);
    await this.db.deleteFrom('list_members').where('lead_id', 'in', from).where('list_id', 'in', winnerLists).execute();
    const moving = await this.db
      .selectFrom('list_members')
      .select(['list_id', 'lead_id', 'added_at'])
      .where('lead_id', 'in', from)
      .orderBy('added_at')
      .execute();
    await this.db.deleteFrom('list_members').where('lead_id', 'in', from).execute();
    const seen = new Set<number>();
    for (const m of moving) {
      if (seen.has(Number(m.list_id))) continue;
      seen.add(Number(m.list_id));
      await this.db
        .insertInto('list_members')
        .values({ list_id: m.list_id, lead_id: toId, added_at: m.added_at })
        .execute();
    }
  }
}
