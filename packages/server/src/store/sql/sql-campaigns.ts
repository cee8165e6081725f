/** Programs' campaigns, runs, tag types, channels and per-lead tokens in SQL (store/campaign-store.ts). */
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  Campaign,
  CampaignRun,
  CampaignWrites,
  Channel,
  ChannelStatus,
  ListSummary,
  NewCampaignRun,
  ProgramSummary,
  TagType,
  TokenPairs,
} from '../campaign-store.js';
import type { CampaignInput } from '../store.js';
import type { CampaignRunTable, Database, ProgramTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

function toProgram(r: Selectable<ProgramTable>): ProgramSummary {
  return {
    id: Number(r.id),
    name: r.name,
    channel: r.channel,
    workspaceName: r.workspace,
    tags: JSON.parse(r.tags) as ProgramSummary['tags'],
  };
}

function toRun(r: Selectable<CampaignRunTable>): CampaignRun {
  return {
    id: Number(r.id),
    operation: r.operation as CampaignRun['operation'],
    campaignId: Number(r.campaign_id),
    campaignName: r.campaign_name,
    source: r.source,
    userId: r.user_id,
    leadIds: JSON.parse(r.lead_ids) as number[],
    tokens: JSON.parse(r.tokens) as TokenPairs,
    leadTokens: JSON.parse(r.lead_tokens) as Record<string, TokenPairs>,
    runAt: Number(r.run_at),
    createdAt: Number(r.created_at),
    quotaDay: r.quota_day,
    clonedFrom: r.cloned_from,
    cloneToProgram: r.clone_to_program,
  };
}

/** Later values of a token replace earlier ones; order of first appearance is kept. */
export function mergeTokens(base: TokenPairs, more: TokenPairs): TokenPairs {
  const m = new Map(base);
  for (const [k, v] of more) m.set(k, v);
  return [...m];
}

export class SqlCampaigns implements CampaignWrites {
  constructor(private readonly db: Db) {}

  private campaignQuery() {
    return this.db
      .selectFrom('campaigns')
      .innerJoin('programs', 'programs.id', 'campaigns.program_id')
      .select([
        'campaigns.id as id',
        'campaigns.program_id as program_id',
        'programs.name as program_name',
        'campaigns.name as name',
        'campaigns.kind as kind',
        'campaigns.sources as sources',
        'campaigns.description as description',
      ]);
  }

  private toCampaign(r: {
    id: number;
    program_id: number;
    program_name: string;
    name: string;
    kind: string;
    sources: string;
    description: string;
  }): Campaign {
    return {
      id: Number(r.id),
      programId: Number(r.program_id),
      programName: r.program_name,
      name: r.name,
      kind: r.kind === 'batch' ? 'batch' : 'trigger',
      sources: JSON.parse(r.sources) as string[],
      description: r.description,
    };
  }

  async findProgram(name: string): Promise<ProgramSummary | undefined> {
    const r = await this.db
      .selectFrom('programs')
      .selectAll()
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .orderBy('id')
      .executeTakeFirst();
    return r && toProgram(r);
  }

  async listPrograms(): Promise<ProgramSummary[]> {
    const rows = await this.db.selectFrom('programs').selectAll().orderBy('id').execute();
    return rows.map(toProgram);
  }

  async getCampaign(id: number): Promise<Campaign | undefined> {
    const r = await this.campaignQuery().where('campaigns.id', '=', id).executeTakeFirst();
    return r && this.toCampaign(r);
  }

  async findCampaign(programId: number, name: string): Promise<Campaign | undefined> {
    const r = await this.campaignQuery()
      .where('campaigns.program_id', '=', programId)
      .where(sql`lower(campaigns.name)`, '=', name.toLowerCase())
      .orderBy('campaigns.id')
      .executeTakeFirst();
    return r && this.toCampaign(r);
  }

  async listCampaigns(): Promise<Campaign[]> {
    const rows = await this.campaignQuery()
      .orderBy('programs.name')
      .orderBy('campaigns.name')
      .orderBy('campaigns.id')
      .execute();
    return rows.map((r) => this.toCampaign(r));
  }

  async listStaticLists(): Promise<ListSummary[]> {
    const rows = await this.db
      .selectFrom('lists')
      .leftJoin('programs', 'programs.name', 'lists.program_name')
      .leftJoin('list_members', 'list_members.list_id', 'lists.id')
      .select([
        'lists.id as id',
        'lists.name as name',
        'lists.program_name as program_name',
        (eb) => eb.fn.min('programs.created_at').as('program_at'),
        (eb) => eb.fn.min('list_members.added_at').as('first_at'),
        (eb) => eb.fn.max('list_members.added_at').as('last_at'),
      ])
      .groupBy(['lists.id', 'lists.name', 'lists.program_name'])
      .orderBy('lists.id')
      .execute();
    return rows.map((r) => {
      const createdAt = Number(r.program_at ?? r.first_at ?? 0);
      return {
        id: Number(r.id),
        name: r.name,
        programName: r.program_name,
        createdAt,
        updatedAt: Math.max(createdAt, Number(r.last_at ?? 0)),
      };
    });
  }

  async listTagTypes(): Promise<TagType[]> {
    const rows = await this.db.selectFrom('tag_types').selectAll().orderBy('position').orderBy('type').execute();
    return rows.map((r) => ({ type: r.type, values: JSON.parse(r.tag_values) as string[] }));
  }

  async listChannels(): Promise<Channel[]> {
    const rows = await this.db.selectFrom('channels').selectAll().orderBy('position').execute();
    return rows.map((r) => ({
      name: r.name,
      statuses: r.statuses === null ? null : (JSON.parse(r.statuses) as ChannelStatus[]),
    }));
  }

  async listCampaignRuns(filter: { campaignId?: number; limit?: number } = {}): Promise<CampaignRun[]> {
    let q = this.db.selectFrom('campaign_runs').selectAll();
    if (filter.campaignId !== undefined) q = q.where('campaign_id', '=', filter.campaignId);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    const rows = await q.orderBy('id', 'desc').execute();
    return rows.map(toRun);
  }

  async countCloneRuns(userId: string, quotaDay: string): Promise<number> {
    const r = await this.db
      .selectFrom('campaign_runs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('quota_day', '=', quotaDay)
      .where('clone_to_program', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async pendingLeadTokens(campaignId: number): Promise<Map<number, TokenPairs>> {
    const rows = await this.db
      .selectFrom('campaign_lead_tokens')
      .selectAll()
      .where('campaign_id', '=', campaignId)
      .orderBy('lead_id')
      .execute();
    return new Map(rows.map((r) => [Number(r.lead_id), JSON.parse(r.tokens) as TokenPairs]));
  }

  async recordCampaignRun(run: NewCampaignRun): Promise<CampaignRun> {
    const r = await this.db
      .insertInto('campaign_runs')
      .values({
        operation: run.operation,
        campaign_id: run.campaignId,
        campaign_name: run.campaignName,
        source: run.source,
        user_id: run.userId,
        lead_ids: JSON.stringify(run.leadIds),
        tokens: JSON.stringify(run.tokens),
        lead_tokens: JSON.stringify(run.leadTokens),
        run_at: run.runAt,
        created_at: run.createdAt,
        quota_day: run.quotaDay,
        cloned_from: run.clonedFrom,
        clone_to_program: run.cloneToProgram,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...run, id: Number(r.id) };
  }

  /** The one write outside this part's tables (schema.ts): the clone's program row and its lists. */
  async cloneProgram(from: ProgramSummary, toName: string, at: number): Promise<ProgramSummary> {
    // Every column of the program is copied (whatever later migrations add), except its identity.
    const src = await this.db.selectFrom('programs').selectAll().where('id', '=', from.id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = src as Record<string, unknown>;
    const values: Record<string, unknown> = { ...copy, name: toName, created_at: at };
    if ('updated_at' in values) values.updated_at = at;
    if ('crm_id' in values) values.crm_id = null;
    const p = await this.db
      .insertInto('programs')
      .values(values as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(p.id);
    const campaigns = await this.db
      .selectFrom('campaigns')
      .select(['name', 'kind', 'sources', 'description'])
      .where('program_id', '=', from.id)
      .orderBy('id')
      .execute();
    for (const c of campaigns)
      await this.db
        .insertInto('campaigns')
        .values({ ...c, program_id: id })
        .execute();
    const lists = await this.db
      .selectFrom('lists')
      .select('name')
      .where('program_name', '=', from.name)
      .orderBy('id')
      .execute();
    for (const l of lists) {
      const local = l.name.slice(from.name.length + 1);
      await this.db
        .insertInto('lists')
        .values({ name: `${toName}.${local}`, program_name: toName })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
    }
    return { ...from, id, name: toName };
  }

  async upsertTagType(t: TagType): Promise<void> {
    const existing = await this.db
      .selectFrom('tag_types')
      .select('position')
      .where('type', '=', t.type)
      .executeTakeFirst();
    if (existing) {
      await this.db
        .updateTable('tag_types')
        .set({ tag_values: JSON.stringify(t.values) })
        .where('type', '=', t.type)
        .execute();
      return;
    }
    await this.db
      .insertInto('tag_types')
      .values({ type: t.type, tag_values: JSON.stringify(t.values), position: await this.nextPosition('tag_types') })
      .execute();
  }

  /** The position after the last of a seed catalogue, which lists in seed order. */
  private async nextPosition(table: 'tag_types' | 'channels'): Promise<number> {
    const last = await this.db
      .selectFrom(table)
      .select((eb) => eb.fn.max<number | null>('position').as('p'))
      .executeTakeFirst();
    return Number(last?.p ?? 0) + 1;
  }

  async upsertChannel(c: Channel): Promise<void> {
    const values = { name: c.name, statuses: c.statuses === null ? null : JSON.stringify(c.statuses) };
    const lc = c.name.toLowerCase();
    const existing = await this.db.selectFrom('channels').select('name').where('name_lc', '=', lc).executeTakeFirst();
    if (existing) {
      await this.db.updateTable('channels').set(values).where('name_lc', '=', lc).execute();
      return;
    }
    await this.db
      .insertInto('channels')
      .values({ ...values, name_lc: lc, position: await this.nextPosition('channels') })
      .execute();
  }

  async setLeadTokens(campaignId: number, leadId: number, tokens: TokenPairs, at: number): Promise<void> {
    const existing = await this.db
      .selectFrom('campaign_lead_tokens')
      .select('tokens')
      .where('campaign_id', '=', campaignId)
      .where('lead_id', '=', leadId)
      .executeTakeFirst();
    if (existing) {
      const merged = mergeTokens(JSON.parse(existing.tokens) as TokenPairs, tokens);
      await this.db
        .updateTable('campaign_lead_tokens')
        .set({ tokens: JSON.stringify(merged), updated_at: at })
        .where('campaign_id', '=', campaignId)
        .where('lead_id', '=', leadId)
        .execute();
    } else {
      await this.db
        .insertInto('campaign_lead_tokens')
        .values({ campaign_id: campaignId, lead_id: leadId, tokens: JSON.stringify(tokens), updated_at: at })
        .execute();
    }
  }

  async takeLeadTokens(campaignId: number, leadIds?: readonly number[]): Promise<Map<number, TokenPairs>> {
    const all = await this.pendingLeadTokens(campaignId);
    const wanted = leadIds ? new Set(leadIds) : undefined;
    const out = new Map<number, TokenPairs>();
    for (const [leadId, tokens] of all) if (!wanted || wanted.has(leadId)) out.set(leadId, tokens);
    if (out.size === 0) return out;
    const ids = [...out.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .deleteFrom('campaign_lead_tokens')
        .where('campaign_id', '=', campaignId)
        .where('lead_id', 'in', ids.slice(i, i + 500))
        .execute();
    }
    return out;
  }

  /** A campaign of a program by name, created or redefined (the seed). */
  async upsertCampaign(c: CampaignInput): Promise<number> {
    const values = { kind: c.kind, sources: JSON.stringify(c.sources), description: c.description };
    const r = await this.db
      .insertInto('campaigns')
      .values({ program_id: c.programId, name: c.name, ...values })
      .onConflict((oc) => oc.columns(['program_id', 'name']).doUpdateSet(values))
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }
}
