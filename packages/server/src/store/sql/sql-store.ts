/**
 * The Store over a SQL database through Kysely. The queries are written once here; a backend only
 * supplies the Kysely instance (store/sqlite/, store/postgres/) and its flavour for migrations.
 */
import { CompiledQuery, type Kysely, Migrator, sql, type Transaction } from 'kysely';
import type { ActivityPage, ChangeQuery, LeadActivityQuery } from '../activity-store.js';
import type {
  Activity,
  CampaignInput,
  CustomObjectTypeInput,
  Lead,
  LeadFieldDef,
  LeadFieldType,
  LeadFilter,
  LeadLookup,
  LeadPage,
  LeadReader,
  NewActivity,
  NewLead,
  OpportunityInput,
  Owner,
  PagedLead,
  ProgramInput,
  StaticList,
  StaticListInfo,
  Store,
  StoreTx,
} from '../store.js';
import { CompiledSql } from './compiled-sql.js';
import * as leadBatch from './lead-batch.js';
import { migrations } from './migrations/migrations.js';
import type { Database } from './schema.js';
import { TABLES } from './schema.js';
import { SqlActivities } from './sql-activities.js';
import { SqlBridgeImports } from './sql-bridge-imports.js';
import { SqlCampaigns } from './sql-campaigns.js';
import { SqlCustomObjects } from './sql-custom-objects.js';
import type { SqlFlavour } from './sql-flavour.js';
import { SqlImports } from './sql-imports.js';
import { SqlJournal } from './sql-journal.js';
import { SqlMObjects } from './sql-mobjects.js';
import { SqlOperator } from './sql-operator.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Synchronous prepared statements beside Kysely, where a backend offers them (SQLite: store/sqlite/). */
export interface DirectSql {
  /** The rows, or undefined when the statement cannot run now and Kysely must run it. */
  all(sql: string, params: readonly unknown[]): unknown[] | undefined;
}

/** The root store runs direct statements only while the connection is idle; a transaction owns it. */
export interface DirectAccess {
  idle: DirectSql;
  owned: DirectSql;
}

type FindBy = LeadLookup['by'];

/** Every column a Lead is read from, qualified (findLeads joins lead_cookies for COOKIE). */
const LEAD_ROW_COLUMNS = leadBatch.LEAD_ROW_COLUMNS.map((c) => `leads.${c}` as const);

/** Only what a LeadRecord shows, named as PagedLead names it. */
const STORED_LEAD_COLUMNS = [
  'leads.id',
  'leads.email',
  'leads.foreign_sys_person_id as foreignSysPersonId',
  'leads.foreign_sys_type as foreignSysType',
  'leads.attributes as attributesJson',
] as const;
function leadColumns(l: NewLead) {
  const a = l.attributes;
  return {
    email: l.email,
    email_lc: l.email === null ? null : l.email.toLowerCase(),
    foreign_sys_person_id: l.foreignSysPersonId,
    foreign_sys_type: l.foreignSysType,
    owner_id: l.ownerId,
    sfdc_lead_id: a.SFDCLeadId || null,
    sfdc_contact_id: a.SFDCContactId || null,
    sfdc_account_id: a.SFDCAccountId || null,
    attributes: JSON.stringify(a),
    created_at: l.createdAt,
    updated_at: l.updatedAt,
  };
}

/** Read queries, shared by the store and its transactions. */
class Reader implements LeadReader {
  constructor(
    protected readonly db: Db,
    /** This store's compiled SQL, shared with its transactions. */
    protected readonly compiled: CompiledSql,
    protected readonly direct?: DirectSql,
  ) {
    this.activityLog = new SqlActivities(db);
  }

  /** The activity log and list membership (store/sql/sql-activities.ts). */
  protected readonly activityLog: SqlActivities;

  /** Runs findLeads' query for a lookup, all columns or only those of a PagedLead. */
  private async findRows(lookup: LeadLookup, stored: boolean): Promise<unknown[]> {
    const param =
      lookup.by === 'OWNER' ? lookup.ownerId : lookup.by === 'EMAIL' ? lookup.value.toLowerCase() : lookup.value;
    const cache = stored ? this.compiled.findStoredLeads : this.compiled.findLeads;
    let text = cache.get(lookup.by);
    if (text === undefined) {
      const q = this.findLeadsQuery(lookup.by);
      text = (stored ? q.select(STORED_LEAD_COLUMNS) : q.select(LEAD_ROW_COLUMNS)).compile().sql;
      cache.set(lookup.by, text);
      // getLead's and the sync path's one-lead lookups: hot, and their columns are listed.
      this.compiled.prepare(`${stored ? 'find-stored-leads' : 'find-leads'}-${lookup.by}`, text);
    }
    return this.direct?.all(text, [param]) ?? (await this.db.executeQuery(CompiledQuery.raw(text, [param]))).rows;
  }

  async findLeads(lookup: LeadLookup): Promise<Lead[]> {
    return ((await this.findRows(lookup, false)) as leadBatch.LeadRow[]).map(leadBatch.rowToLead);
  }

  async findStoredLeads(lookup: LeadLookup): Promise<PagedLead[]> {
    const leads = (await this.findRows(lookup, true)) as PagedLead[];
    // Drivers that return 64-bit integers as strings (PostgreSQL) get numbers here.
    for (const l of leads) if (typeof l.id !== 'number') l.id = Number(l.id);
    return leads;
  }

  /** The lookup with a placeholder for its one value. */
  private findLeadsQuery(by: FindBy) {
    const value = sql<never>`${'?'}`;
    let q = this.db.selectFrom('leads');
    switch (by) {
      case 'IDNUM':
        q = q.where('leads.id', '=', value);
        break;
      case 'EMAIL':
        q = q.where('leads.email_lc', '=', value);
        break;
      case 'FSPID':
        q = q.where('leads.foreign_sys_person_id', '=', value);
        break;
      case 'COOKIE':
        q = q.innerJoin('lead_cookies', 'lead_cookies.lead_id', 'leads.id').where('lead_cookies.cookie', '=', value);
        break;
      case 'SFDCLEADID':
        q = q.where('leads.sfdc_lead_id', '=', value);
        break;
      case 'SFDCCONTACTID':
        q = q.where('leads.sfdc_contact_id', '=', value);
        break;
      case 'SFDCACCOUNTID':
        q = q.where('leads.sfdc_account_id', '=', value);
        break;
      case 'OWNER':
        q = q.where('leads.owner_id', '=', value);
        break;
      case 'OPPORTUNITY':
        q = q.where('leads.id', 'in', (eb) =>
          eb
            .selectFrom('opportunity_roles')
            .innerJoin('opportunities', 'opportunities.id', 'opportunity_roles.opportunity_id')
            .select('opportunity_roles.lead_id')
            .where('opportunities.external_key', '=', value),
        );
        break;
    }
    return q.orderBy('leads.id', 'desc');
  }

  async getLeads(ids: readonly number[]): Promise<Lead[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('leads')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    const byId = new Map(rows.map((r) => [Number(r.id), leadBatch.rowToLead(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async findOwner(by: 'email' | 'sfdcId', value: string): Promise<Owner | undefined> {
    const q = this.db.selectFrom('owners').selectAll();
    const r = await (by === 'email'
      ? q.where('email_lc', '=', value.toLowerCase())
      : q.where('sfdc_id', '=', value)
    ).executeTakeFirst();
    return r && { id: Number(r.id), email: r.email, sfdcId: r.sfdc_id, firstName: r.first_name, lastName: r.last_name };
  }

  async getOwner(id: number): Promise<Owner | undefined> {
    const r = await this.db.selectFrom('owners').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: Number(r.id), email: r.email, sfdcId: r.sfdc_id, firstName: r.first_name, lastName: r.last_name };
  }

  findList(by: 'name', value: string): Promise<StaticList | undefined>;
  findList(by: 'id', value: number): Promise<StaticList | undefined>;
  async findList(by: 'name' | 'id', value: string | number): Promise<StaticList | undefined> {
    const q = this.db.selectFrom('lists').selectAll();
    const r = await (by === 'name'
      ? q.where('name', '=', String(value))
      : q.where('id', '=', Number(value))
    ).executeTakeFirst();
    return r && { id: Number(r.id), name: r.name, programName: r.program_name };
  }

  isListMember(listId: number, leadId: number): Promise<boolean> {
    return this.activityLog.isListMember(listId, leadId);
  }
}

class TxImpl extends Reader implements StoreTx {
  readonly mobjects = new SqlMObjects(this.db);
  readonly customObjects = new SqlCustomObjects(this.db);
  readonly campaigns = new SqlCampaigns(this.db);
  readonly imports: SqlImports;

  constructor(
    db: Db,
    compiled: CompiledSql,
    private readonly kind: SqlFlavour,
    direct?: DirectSql,
  ) {
    super(db, compiled, direct);
    this.imports = new SqlImports(db, kind);
  }

  // Activities and list membership (store/sql/sql-activities.ts).
  listMembersAmong(listId: number, leadIds: readonly number[]): Promise<Set<number>> {
    return this.activityLog.listMembersAmong(listId, leadIds);
  }
  removeListMembers(listId: number, leadIds: readonly number[]): Promise<void> {
    return this.activityLog.removeListMembers(listId, leadIds);
  }
  clearListMembers(listId: number): Promise<number[]> {
    return this.activityLog.clearListMembers(listId);
  }

  async lockLeadKeys(keys: readonly string[]): Promise<void> {
    // SQLite runs one write transaction at a time: the lookup and the insert cannot interleave.
    // PostgreSQL under READ COMMITTED lets two transactions both find no lead with an e-mail and
    // both insert one (Marketo would update the first). A unique index cannot help: duplicates by
    // e-mail are legal (syncLead without dedup, importToList). An advisory lock per key, held to
    // the transaction's end, makes the second writer wait and then find the first one's lead: one
    // statement for the whole batch, nothing in any table. The locks are taken in the order of their
    // 64-bit hashes, the same in every transaction, so two batches never wait for each other in a
    // cycle; two keys sharing a hash only serialise more than needed.
    if (this.kind !== 'postgres' || keys.length === 0) return;
    await sql`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(${[...keys]}::text[]) AS k ORDER BY h) AS locks`.execute(
      this.db,
    );
  }

  async insertLead(lead: NewLead): Promise<Lead> {
    const r = await this.db.insertInto('leads').values(leadColumns(lead)).returning('id').executeTakeFirstOrThrow();
    return { ...lead, id: Number(r.id) };
  }

  async updateLead(lead: Lead): Promise<void> {
    await this.db.updateTable('leads').set(leadColumns(lead)).where('id', '=', lead.id).execute();
  }

  // Batched lead writes (store/sql/lead-batch.ts).
  findLeadsByKeys(by: 'IDNUM' | 'EMAIL' | 'FSPID', values: readonly (string | number)[]): Promise<Lead[]> {
    return leadBatch.findLeadsByKeys(this.db, this.compiled, by, values);
  }
  insertLeads(leads: readonly NewLead[]): Promise<number[]> {
    return leadBatch.insertLeads(this.db, this.compiled, leads);
  }
  updateLeads(leads: readonly Lead[]): Promise<void> {
    return leadBatch.updateLeads(this.db, this.compiled, leads);
  }

  async deleteLeads(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .deleteFrom('leads')
      .where('id', 'in', [...ids])
      .execute();
  }

  async setCookie(cookie: string, leadId: number): Promise<void> {
    await this.db
      .insertInto('lead_cookies')
      .values({ cookie, lead_id: leadId })
      .onConflict((oc) => oc.column('cookie').doUpdateSet({ lead_id: leadId }))
      .execute();
  }

  async moveLeadData(fromIds: readonly number[], toId: number): Promise<void> {
    if (fromIds.length === 0) return;
    const from = [...fromIds];
    await this.activityLog.moveListMemberships(from, toId);
    await this.activityLog.moveActivities(from, toId);
    await this.db.updateTable('lead_cookies').set({ lead_id: toId }).where('lead_id', 'in', from).execute();
    // Opportunity person roles follow the lead.
    await this.mobjects.moveRoles(from, toId);
  }

  appendActivities(activities: readonly NewActivity[]): Promise<void> {
    // Many rows per statement, compiled once per shape (store/sql/lead-batch.ts).
    return leadBatch.appendActivities(this.db, this.compiled, activities);
  }

  async upsertOwner(owner: Omit<Owner, 'id'>): Promise<Owner> {
    const values = {
      email: owner.email,
      email_lc: owner.email.toLowerCase(),
      sfdc_id: owner.sfdcId,
      first_name: owner.firstName,
      last_name: owner.lastName,
    };
    const r = await this.db
      .insertInto('owners')
      .values(values)
      .onConflict((oc) =>
        oc
          .column('email_lc')
          .doUpdateSet({ sfdc_id: values.sfdc_id, first_name: values.first_name, last_name: values.last_name }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...owner, id: Number(r.id) };
  }

  async upsertList(name: string, programName: string | null): Promise<StaticList> {
    const existing = await this.findList('name', name);
    if (existing) return existing;
    const r = await this.db
      .insertInto('lists')
      .values({ name, program_name: programName })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(r.id), name, programName };
  }

  addListMembers(listId: number, leadIds: readonly number[], at: number): Promise<void> {
    return this.activityLog.addListMembers(listId, leadIds, at);
  }

  async upsertCustomLeadFields(fields: readonly LeadFieldDef[]): Promise<void> {
    for (const f of fields) {
      const values = {
        name: f.name,
        display_name: f.displayName,
        data_type: f.dataType,
        length: f.length ?? null,
        read_only: f.readOnly ? 1 : 0,
      };
      await this.db
        .insertInto('lead_fields')
        .values(values)
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            display_name: values.display_name,
            data_type: values.data_type,
            length: values.length,
            read_only: values.read_only,
          }),
        )
        .execute();
    }
  }

  async clearAll(): Promise<void> {
    // Ids start again at 1, so that a reset store seeded with the demo matches a new one.
    if (this.kind === 'postgres') {
      await sql`TRUNCATE TABLE ${sql.join(TABLES.map((t) => sql.table(t)))} RESTART IDENTITY`.execute(this.db);
      return;
    }
    for (const t of TABLES) await this.db.deleteFrom(t).execute();
    await sql`DELETE FROM sqlite_sequence`.execute(this.db);
  }

  // Rows of tables another part owns: written there (store/sql/schema.ts names each table's owner).
  upsertProgram(program: ProgramInput, at: number): Promise<number> {
    return this.mobjects.upsertProgram(program, at);
  }
  upsertOpportunity(opportunity: OpportunityInput, at: number): Promise<number> {
    return this.mobjects.upsertOpportunity(opportunity, at);
  }
  upsertCampaign(campaign: CampaignInput): Promise<number> {
    return this.campaigns.upsertCampaign(campaign);
  }
  upsertCustomObjectType(type: CustomObjectTypeInput): Promise<void> {
    return this.customObjects.upsertCustomObjectType(type);
  }
}

export class SqlStore extends Reader implements Store {
  readonly mobjects = new SqlMObjects(this.db);
  readonly customObjects = new SqlCustomObjects(this.db);
  readonly campaigns = new SqlCampaigns(this.db);
  readonly imports: SqlImports;
  readonly operator = new SqlOperator(this.db);
  readonly bridgeImports = new SqlBridgeImports(this.db);
  readonly journal: SqlJournal;

  constructor(
    readonly kind: SqlFlavour,
    private readonly kysely: Kysely<Database>,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly access?: DirectAccess,
  ) {
    super(kysely, new CompiledSql(kind), access?.idle);
    this.imports = new SqlImports(kysely, kind);
    this.journal = new SqlJournal(kysely);
  }

  async migrate(): Promise<void> {
    const all = migrations(this.kind);
    const migrator = new Migrator({
      db: this.kysely,
      provider: { getMigrations: async () => all },
      migrationTableName: 'mktows_migrations',
      migrationLockTableName: 'mktows_migrations_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async ping(): Promise<void> {
    await this.kysely.selectFrom('meta').select('key').limit(1).execute();
  }

  async reset(): Promise<void> {
    await this.transaction((tx) => tx.clearAll());
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
    await this.onClose();
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.kysely
      .transaction()
      .execute((trx) => fn(new TxImpl(trx, this.compiled, this.kind, this.access?.owned)));
  }

  async listCustomLeadFields(): Promise<LeadFieldDef[]> {
    const rows = await this.kysely.selectFrom('lead_fields').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      name: r.name,
      displayName: r.display_name,
      dataType: r.data_type as LeadFieldType,
      ...(r.length === null ? {} : { length: r.length }),
      readOnly: r.read_only === 1,
      custom: true,
    }));
  }

  async pageLeads(filter: LeadFilter, afterId: number, limit: number, remainingBefore?: number): Promise<LeadPage> {
    const base = (byTime = false) => {
      let q = this.kysely.selectFrom('leads').where('leads.id', '>', afterId);
      if (filter.kind === 'updated') {
        // The unary plus keeps the planner on the primary key: paging is by id, and the time index
        // would make it read and sort the whole range on every page. Counting is the other way
        // round: the time index covers the count (a fifth of the time over 1M leads).
        const updated = byTime ? sql<number>`leads.updated_at` : sql<number>`+leads.updated_at`;
        q = q.where(updated, '>=', filter.from).where(updated, '<=', filter.to);
      } else if (filter.kind === 'list') {
        q = q.where('leads.id', 'in', (eb) =>
          eb
            .selectFrom('list_members')
            .select('list_members.lead_id')
            .where('list_members.list_id', '=', filter.listId),
        );
      } else {
        q = q.where('leads.id', 'in', filter.ids.length ? filter.ids : [-1]);
      }
      return q;
    };
    const leads: PagedLead[] = await base().select(STORED_LEAD_COLUMNS).orderBy('leads.id').limit(limit).execute();
    // Drivers that return 64-bit integers as strings (PostgreSQL) get numbers here.
    if (leads.length && typeof leads[0].id !== 'number') for (const l of leads) l.id = Number(l.id);
    // A short page is the last one. Otherwise the count carried from the previous page saves
    // counting the whole rest of the range on every page; only the first page counts.
    if (leads.length < limit) return { leads, remaining: 0 };
    if (remainingBefore !== undefined) return { leads, remaining: Math.max(0, remainingBefore - leads.length) };
    const last = leads[leads.length - 1].id;
    const rest = await base(true)
      .where('leads.id', '>', last)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { leads, remaining: Number(rest.n) };
  }

  async countLeads(): Promise<number> {
    const r = await this.kysely
      .selectFrom('leads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // Activities (store/sql/sql-activities.ts).
  pageLeadActivities(query: LeadActivityQuery): Promise<ActivityPage> {
    return this.activityLog.pageLeadActivities(query);
  }
  pageActivityChanges(query: ChangeQuery): Promise<ActivityPage> {
    return this.activityLog.pageActivityChanges(query);
  }

  async listLists(): Promise<StaticListInfo[]> {
    const rows = await this.db
      .selectFrom('lists')
      .leftJoin('programs', 'programs.name', 'lists.program_name')
      .select(['lists.id', 'lists.name', 'lists.program_name', 'programs.workspace'])
      .orderBy('lists.id')
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      programName: r.program_name,
      workspace: r.workspace ?? 'Default',
    }));
  }

  listActivities(leadId: number): Promise<Activity[]> {
    return this.activityLog.listActivities(leadId);
  }

  async getMeta(key: string): Promise<string | undefined> {
    const r = await this.kysely.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.kysely
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
