/** Programs, opportunities and opportunity person roles in SQL (store/mobject-store.ts). */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  MObjectStore,
  NewOpportunity,
  NewOpportunityRole,
  Opportunity,
  OpportunityRole,
  Program,
  ProgramCost,
  ProgramDetails,
  ProgramToken,
  RoleFilter,
  Tag,
} from '../mobject-store.js';
import type { OpportunityInput, ProgramInput } from '../store.js';
import type { Database, OpportunityRoleTable, OpportunityTable, ProgramCostTable, ProgramTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const DEFAULT_WORKSPACE = 'Default';

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toOpportunity(r: Selectable<OpportunityTable>): Opportunity {
  return {
    id: Number(r.id),
    externalKey: r.external_key === null ? null : { name: r.external_key_name ?? 'externalKey', value: r.external_key },
    name: r.name,
    attributes: parseJson<Record<string, string>>(r.attributes, {}),
    company:
      r.company_id === null && r.company_key === null
        ? null
        : { id: r.company_id === null ? null : Number(r.company_id), key: r.company_key },
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function opportunityColumns(o: NewOpportunity) {
  return {
    external_key: o.externalKey?.value ?? null,
    external_key_name: o.externalKey?.name ?? null,
    name: o.name,
    attributes: JSON.stringify(o.attributes),
    company_id: o.company?.id ?? null,
    company_key: o.company?.key ?? null,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

function toRole(r: Selectable<OpportunityRoleTable>): OpportunityRole {
  return {
    id: Number(r.id),
    externalKey: r.external_key === null ? null : { name: r.external_key_name ?? 'externalKey', value: r.external_key },
    opportunityId: Number(r.opportunity_id),
    leadId: Number(r.lead_id),
    role: r.role,
    isPrimary: Number(r.is_primary) === 1,
    externalCreatedDate: r.external_created_date,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function roleColumns(r: NewOpportunityRole) {
  return {
    external_key: r.externalKey?.value ?? null,
    external_key_name: r.externalKey?.name ?? null,
    opportunity_id: r.opportunityId,
    lead_id: r.leadId,
    role: r.role,
    is_primary: r.isPrimary ? 1 : 0,
    external_created_date: r.externalCreatedDate,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

function toCost(r: Selectable<ProgramCostTable>): ProgramCost {
  return { id: Number(r.id), month: r.month, amount: r.amount, note: r.note };
}

/** The SQL implementation, over a database or a transaction. */
export class SqlMObjects implements MObjectStore {
  constructor(private readonly db: Db) {}

  /** Workspace ids: Default is 1, the others follow in the order their first program was made. */
  private async workspaceIds(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('programs')
      .select(['workspace', (eb) => eb.fn.min<number>('id').as('first')])
      .groupBy('workspace')
      .execute();
    const others = rows
      .filter((r) => r.workspace !== DEFAULT_WORKSPACE)
      .sort((a, b) => Number(a.first) - Number(b.first))
      .map((r) => r.workspace);
    return new Map([[DEFAULT_WORKSPACE, 1], ...others.map((w, i) => [w, i + 2] as [string, number])]);
  }

  private async toPrograms(rows: Selectable<ProgramTable>[]): Promise<Program[]> {
    if (rows.length === 0) return [];
    const ws = await this.workspaceIds();
    const costs = await this.db
      .selectFrom('program_costs')
      .selectAll()
      .where(
        'program_id',
        'in',
        rows.map((r) => Number(r.id)),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const tags = parseJson<Tag[]>(r.tags, []);
      return {
        id: Number(r.id),
        name: r.name,
        type: r.type,
        channel: r.channel,
        workspaceId: ws.get(r.workspace) ?? 1,
        workspaceName: r.workspace,
        treePath: r.tree_path ?? `/Marketing Activities/${r.workspace}/${r.name}`,
        description: r.description ?? '',
        archived: Number(r.is_archived) === 1,
        crmId: r.crm_id,
        tags,
        tokens: parseJson<ProgramToken[]>(r.tokens, []),
        costs: costs.filter((c) => Number(c.program_id) === Number(r.id)).map(toCost),
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at) || Number(r.created_at),
      };
    });
  }

  async scanPrograms(afterId: number, limit: number): Promise<Program[]> {
    const rows = await this.db
      .selectFrom('programs')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return this.toPrograms(rows);
  }

  async getProgram(id: number): Promise<Program | undefined> {
    const rows = await this.db.selectFrom('programs').selectAll().where('id', '=', id).execute();
    return (await this.toPrograms(rows))[0];
  }

  async knownTags(): Promise<Tag[]> {
    const rows = await this.db.selectFrom('programs').select(['channel', 'tags']).execute();
    const seen = new Map<string, Tag>();
    for (const r of rows) {
      if (r.channel) seen.set(`Channel\u0000${r.channel}`, { type: 'Channel', value: r.channel });
      for (const t of parseJson<Tag[]>(r.tags, [])) seen.set(`${t.type}\u0000${t.value}`, t);
    }
    return [...seen.values()];
  }

  async scanOpportunities(afterId: number, limit: number): Promise<Opportunity[]> {
    const rows = await this.db
      .selectFrom('opportunities')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toOpportunity);
  }

  async getOpportunity(id: number): Promise<Opportunity | undefined> {
    const r = await this.db.selectFrom('opportunities').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toOpportunity(r);
  }

  async findOpportunityByKey(value: string): Promise<Opportunity | undefined> {
    const r = await this.db
      .selectFrom('opportunities')
      .selectAll()
      .where('external_key', '=', value)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r && toOpportunity(r);
  }

  async scanOpportunityRoles(afterId: number, limit: number): Promise<OpportunityRole[]> {
    const rows = await this.db
      .selectFrom('opportunity_roles')
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toRole);
  }

  async getOpportunityRole(id: number): Promise<OpportunityRole | undefined> {
    const r = await this.db.selectFrom('opportunity_roles').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRole(r);
  }

  async findOpportunityRoleByKey(value: string): Promise<OpportunityRole | undefined> {
    const r = await this.db
      .selectFrom('opportunity_roles')
      .selectAll()
      .where('external_key', '=', value)
      .executeTakeFirst();
    return r && toRole(r);
  }

  async findOpportunityRoleFor(
    opportunityId: number,
    leadId: number,
    role: string,
  ): Promise<OpportunityRole | undefined> {
    const r = await this.db
      .selectFrom('opportunity_roles')
      .selectAll()
      .where('opportunity_id', '=', opportunityId)
      .where('lead_id', '=', leadId)
      .where('role', '=', role)
      .orderBy('id')
      .executeTakeFirst();
    return r && toRole(r);
  }

  async listOpportunityRoles(filter: RoleFilter): Promise<OpportunityRole[]> {
    let q = this.db.selectFrom('opportunity_roles').selectAll();
    if (filter.opportunityIds) q = q.where('opportunity_id', 'in', [...filter.opportunityIds, -1]);
    if (filter.leadIds) q = q.where('lead_id', 'in', [...filter.leadIds, -1]);
    const rows = await q.orderBy('id').execute();
    return rows.map(toRole);
  }

  async setProgramDetails(id: number, d: ProgramDetails, at: number): Promise<void> {
    await this.db
      .updateTable('programs')
      .set({
        ...(d.type !== undefined ? { type: d.type } : {}),
        ...(d.treePath !== undefined ? { tree_path: d.treePath } : {}),
        ...(d.archived !== undefined ? { is_archived: d.archived ? 1 : 0 } : {}),
        ...(d.crmId !== undefined ? { crm_id: d.crmId } : {}),
        ...(d.tokens !== undefined ? { tokens: JSON.stringify(d.tokens) } : {}),
        ...(d.description !== undefined ? { description: d.description } : {}),
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  }

  async setProgramTags(id: number, channel: string | null, tags: readonly Tag[], at: number): Promise<void> {
    await this.db
      .updateTable('programs')
      .set({ channel, tags: JSON.stringify(tags), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async addProgramCost(programId: number, cost: Omit<ProgramCost, 'id'>, at: number): Promise<number> {
    const r = await this.db
      .insertInto('program_costs')
      .values({ program_id: programId, month: cost.month, amount: cost.amount, note: cost.note })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db.updateTable('programs').set({ updated_at: at }).where('id', '=', programId).execute();
    return Number(r.id);
  }

  async updateProgramCost(programId: number, cost: ProgramCost, at: number): Promise<void> {
    await this.db
      .updateTable('program_costs')
      .set({ month: cost.month, amount: cost.amount, note: cost.note })
      .where('id', '=', cost.id)
      .where('program_id', '=', programId)
      .execute();
    await this.db.updateTable('programs').set({ updated_at: at }).where('id', '=', programId).execute();
  }

  async insertOpportunity(o: NewOpportunity): Promise<Opportunity> {
    const r = await this.db
      .insertInto('opportunities')
      .values(opportunityColumns(o))
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...o, id: Number(r.id) };
  }

  async updateOpportunity(o: Opportunity): Promise<void> {
    await this.db.updateTable('opportunities').set(opportunityColumns(o)).where('id', '=', o.id).execute();
  }

  async deleteOpportunity(id: number): Promise<void> {
    await this.db.deleteFrom('opportunity_roles').where('opportunity_id', '=', id).execute();
    await this.db.deleteFrom('opportunities').where('id', '=', id).execute();
  }

  async insertOpportunityRole(r: NewOpportunityRole): Promise<OpportunityRole> {
    const row = await this.db
      .insertInto('opportunity_roles')
      .values(roleColumns(r))
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...r, id: Number(row.id) };
  }

  async updateOpportunityRole(r: OpportunityRole): Promise<void> {
    await this.db.updateTable('opportunity_roles').set(roleColumns(r)).where('id', '=', r.id).execute();
  }

  async deleteOpportunityRole(id: number): Promise<void> {
    await this.db.deleteFrom('opportunity_roles').where('id', '=', id).execute();
  }

  /** A program by name, created or given this channel, workspace and tags (the seed). */
  async upsertProgram(p: ProgramInput, at: number): Promise<number> {
    const values = { channel: p.channel, workspace: p.workspace, tags: JSON.stringify(p.tags) };
    const r = await this.db
      .insertInto('programs')
      .values({ name: p.name, created_at: at, ...values })
      .onConflict((oc) => oc.column('name').doUpdateSet(values))
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** An opportunity by external key, created or renamed with these attributes (the seed). */
  async upsertOpportunity(o: OpportunityInput, at: number): Promise<number> {
    const values = { name: o.name, attributes: JSON.stringify(o.attributes), updated_at: at };
    if (o.externalKey !== null) {
      const existing = await this.db
        .selectFrom('opportunities')
        .select('id')
        .where('external_key', '=', o.externalKey)
        .executeTakeFirst();
      if (existing) {
        await this.db.updateTable('opportunities').set(values).where('id', '=', existing.id).execute();
        return Number(existing.id);
      }
    }
    const r = await this.db
      .insertInto('opportunities')
      .values({ external_key: o.externalKey, created_at: at, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Moves the person roles of merged leads to the lead that stays (mergeLeads). */
  async moveRoles(fromIds: readonly number[], toId: number): Promise<void> {
    await this.db
      .updateTable('opportunity_roles')
      .set({ lead_id: toId })
      .where('lead_id', 'in', [...fromIds])
      .execute();
  }
}
