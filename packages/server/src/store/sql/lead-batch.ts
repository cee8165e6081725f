/**
 * Set-at-a-time lead writes for syncMultipleLeads: leads by many keys in one query, multi-row
 * inserts, and activity rows in bulk. The SQL is built by Kysely, but only once per statement
 * shape: building a 300-row insert costs more in Kysely than SQLite takes to run it. The compiled
 * text is kept by the store (compiled-sql.ts) and run with fresh parameters through `executeQuery`,
 * on the connection of the transaction it is given.
 *
 * SQLite takes rows as multi-row VALUES (its statements are prepared once and cheap to bind).
 * PostgreSQL takes one array per column instead (`unnest($1::text[], …)`, `= any($1::text[])`):
 * a VALUES list of 300 rows is 3,300 parameters that PostgreSQL parses, plans and binds again on
 * every call, which cost it more than writing the rows; eleven arrays make one small plan, and
 * any number of rows goes in one statement.
 */
import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import type { Lead, NewActivity, NewLead } from '../store.js';
import type { CompiledSql } from './compiled-sql.js';
import type { Database, LeadTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Keys a batch can look leads up by. */
export type LeadBatchKey = 'IDNUM' | 'EMAIL' | 'FSPID';

/**
 * Rows per statement are powers of two up to these, so a table gets at most a handful of distinct
 * statement texts (the SQLite statement cache keeps them prepared), and the bound parameters stay far
 * below every backend's limit (SQLite 32766, PostgreSQL 65535).
 */
const MAX_LEAD_ROWS = 256;
const MAX_ACTIVITY_ROWS = 256;
const MAX_IN_VALUES = 512;

/** The largest power of two ≤ n (n ≥ 1), at most `max`. */
function chunkSize(n: number, max: number): number {
  let s = 1;
  while (s * 2 <= n && s * 2 <= max) s *= 2;
  return s;
}

/** The smallest power of two ≥ n (n ≥ 1). */
function paddedSize(n: number): number {
  let s = 1;
  while (s < n) s *= 2;
  return s;
}

/** The columns a Lead is read from (rowToLead), listed rather than `*` so that a statement's result keeps its shape. */
export const LEAD_ROW_COLUMNS = [
  'id',
  'email',
  'foreign_sys_person_id',
  'foreign_sys_type',
  'owner_id',
  'attributes',
  'created_at',
  'updated_at',
] as const;
export type LeadRow = Pick<Selectable<LeadTable>, (typeof LEAD_ROW_COLUMNS)[number]>;

export function rowToLead(r: LeadRow): Lead {
  return {
    id: Number(r.id),
    email: r.email,
    foreignSysPersonId: r.foreign_sys_person_id,
    foreignSysType: r.foreign_sys_type,
    ownerId: r.owner_id === null ? null : Number(r.owner_id),
    attributes: JSON.parse(r.attributes) as Record<string, string>,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

const KEY_COLUMN = { IDNUM: 'id', EMAIL: 'email_lc', FSPID: 'foreign_sys_person_id' } as const;
/** PostgreSQL's type of each key column, for the array its values are bound as. */
const KEY_PG_TYPE = { IDNUM: 'int4', EMAIL: 'text', FSPID: 'text' } as const;

/** One parameter bound as a PostgreSQL array of `type` (a placeholder until run). */
function pgArray(type: string): RawBuilder<unknown> {
  return sql`cast(${null} as ${sql.raw(type)}[])`;
}

/** Rows from one array per column, in array order: `select * from unnest($1::t1[], $2::t2[], …)`. */
function pgUnnest(types: readonly string[]): RawBuilder<unknown> {
  return sql`select * from unnest(${sql.join(types.map(pgArray))})`;
}

/** The values of one column of `rows` (rows of `width` values, row after row). */
function column(rows: readonly unknown[], width: number, k: number): unknown[] {
  const out: unknown[] = new Array(rows.length / width);
  for (let j = 0, i = k; i < rows.length; j++, i += width) out[j] = rows[i];
  return out;
}

/** Row-major values as one array per column. */
function columns(rows: readonly unknown[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, k) => column(rows, width, k));
}

/**
 * Every lead whose key is one of `values`, in no particular order. E-mails match case-insensitively
 * (as findLeads does). Lists longer than a statement takes are split; a short list is padded with
 * its last value, which an IN list ignores, so that few statement texts arise.
 */
export async function findLeadsByKeys(
  db: Db,
  compiled: CompiledSql,
  by: LeadBatchKey,
  values: readonly (string | number)[],
): Promise<Lead[]> {
  const out: Lead[] = [];
  const column = KEY_COLUMN[by];
  if (compiled.flavour === 'postgres') {
    const keys = by === 'EMAIL' ? values.map((v) => String(v).toLowerCase()) : values;
    // One index probe per distinct key, whatever the planner believes: before the table has
    // statistics (a store filling up) `email_lc = any($1)` is estimated to match every row and
    // becomes a full scan per call. OFFSET 0 keeps the subquery a per-key lookup.
    const text = compiled.shape(
      `leads-by-${column}-lateral`,
      1,
      () =>
        sql`select ${sql.join(LEAD_ROW_COLUMNS.map((c) => sql.ref(`l.${c}`)))} from unnest(${pgArray(KEY_PG_TYPE[by])}) as k(v) cross join lateral (select * from ${sql.table('leads')} where ${sql.ref(column)} = k.v offset 0) as l`.compile(
          db,
        ),
      true,
    );
    const { rows } = await db.executeQuery<LeadRow>(CompiledQuery.raw(text, [[...new Set(keys)]]));
    for (const r of rows) out.push(rowToLead(r));
    return out;
  }
  for (let i = 0; i < values.length; i += MAX_IN_VALUES) {
    const n = Math.min(MAX_IN_VALUES, values.length - i);
    const size = paddedSize(n);
    const params: (string | number)[] = new Array(size);
    for (let j = 0; j < size; j++) {
      const v = values[i + Math.min(j, n - 1)];
      params[j] = by === 'EMAIL' ? String(v).toLowerCase() : v;
    }
    const text = compiled.shape(`leads-by-${column}-${size}`, size, () =>
      db
        .selectFrom('leads')
        .selectAll()
        .where(column, 'in', params as never[])
        .compile(),
    );
    const { rows } = await db.executeQuery<LeadRow>(CompiledQuery.raw(text, params));
    for (const r of rows) out.push(rowToLead(r));
  }
  return out;
}

const LEAD_COLUMNS = 11;
/** The columns pushLeadColumns binds, in its order, with their PostgreSQL types. */
const LEAD_COLUMN_NAMES = [
  'email',
  'email_lc',
  'foreign_sys_person_id',
  'foreign_sys_type',
  'owner_id',
  'sfdc_lead_id',
  'sfdc_contact_id',
  'sfdc_account_id',
  'attributes',
  'created_at',
  'updated_at',
] as const;
const LEAD_PG_TYPES = ['text', 'text', 'text', 'text', 'int4', 'text', 'text', 'text', 'text', 'int8', 'int8'];

/** The row of a lead, as the columns of the multi-row insert and the update take them. */
function pushLeadColumns(p: unknown[], l: NewLead): void {
  const a = l.attributes;
  p.push(
    l.email,
    l.email === null ? null : l.email.toLowerCase(),
    l.foreignSysPersonId,
    l.foreignSysType,
    l.ownerId,
    a.SFDCLeadId || null,
    a.SFDCContactId || null,
    a.SFDCAccountId || null,
    JSON.stringify(a),
    l.createdAt,
    l.updatedAt,
  );
}

/** Placeholder row for compiling: every column a parameter, in the order pushLeadColumns binds them. */
function placeholderLeadRow() {
  return {
    email: '',
    email_lc: '',
    foreign_sys_person_id: '',
    foreign_sys_type: '',
    owner_id: 0,
    sfdc_lead_id: '',
    sfdc_contact_id: '',
    sfdc_account_id: '',
    attributes: '',
    created_at: 0,
    updated_at: 0,
  };
}

/**
 * Inserts the leads in order and returns their ids in the same order. RETURNING gives no row order,
 * so the ids are sorted: the rows of one insert get increasing ids in the order of its VALUES.
 */
export async function insertLeads(db: Db, compiled: CompiledSql, leads: readonly NewLead[]): Promise<number[]> {
  const ids: number[] = [];
  const pg = compiled.flavour === 'postgres';
  let i = 0;
  while (i < leads.length) {
    const n = pg ? leads.length : chunkSize(leads.length - i, MAX_LEAD_ROWS);
    const params: unknown[] = [];
    for (let j = i; j < i + n; j++) pushLeadColumns(params, leads[j]);
    const text = pg
      ? compiled.shape(
          'insert-leads-unnest',
          LEAD_COLUMNS,
          () =>
            db
              .insertInto('leads')
              .columns(LEAD_COLUMN_NAMES)
              .expression(pgUnnest(LEAD_PG_TYPES))
              .returning('id')
              .compile(),
          true,
        )
      : compiled.shape(`insert-leads-${n}`, n * LEAD_COLUMNS, () =>
          db
            .insertInto('leads')
            .values(Array.from({ length: n }, placeholderLeadRow))
            .returning('id')
            .compile(),
        );
    const bound = pg ? columns(params, LEAD_COLUMNS) : params;
    const { rows } = await db.executeQuery<{ id: number | bigint }>(CompiledQuery.raw(text, bound));
    if (rows.length !== n) throw new Error(`insert of ${n} leads returned ${rows.length} ids`);
    const got = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    for (const id of got) ids.push(id);
    i += n;
  }
  return ids;
}

/** Replaces every column of each lead (as StoreTx.updateLead), one prepared statement reused. */
export async function updateLeads(db: Db, compiled: CompiledSql, leads: readonly Lead[]): Promise<void> {
  if (leads.length === 0) return;
  const text = compiled.shape(
    'update-lead',
    LEAD_COLUMNS + 1,
    () => db.updateTable('leads').set(placeholderLeadRow()).where('id', '=', 0).compile(),
    true,
  );
  for (const l of leads) {
    const params: unknown[] = [];
    pushLeadColumns(params, l);
    params.push(l.id);
    await db.executeQuery(CompiledQuery.raw(text, params));
  }
}

const ACTIVITY_COLUMNS = 8;
const ACTIVITY_COLUMN_NAMES = [
  'guid',
  'lead_id',
  'type_id',
  'type_name',
  'occurred_at',
  'asset_name',
  'campaign',
  'attributes',
] as const;
const ACTIVITY_PG_TYPES = ['text', 'int4', 'int4', 'text', 'int8', 'text', 'text', 'text'];

/** Appends activities in order (ids follow the order given), many rows per statement. */
export async function appendActivities(
  db: Db,
  compiled: CompiledSql,
  activities: readonly NewActivity[],
): Promise<void> {
  const pg = compiled.flavour === 'postgres';
  let i = 0;
  while (i < activities.length) {
    const n = pg ? activities.length : chunkSize(activities.length - i, MAX_ACTIVITY_ROWS);
    const params: unknown[] = new Array(n * ACTIVITY_COLUMNS);
    for (let j = 0, k = 0; j < n; j++) {
      const a = activities[i + j];
      params[k++] = randomUUID();
      params[k++] = a.leadId;
      params[k++] = a.typeId;
      params[k++] = a.typeName;
      params[k++] = a.occurredAt;
      params[k++] = a.assetName;
      params[k++] = a.campaign;
      params[k++] = JSON.stringify(a.attributes);
    }
    if (pg) {
      const text = compiled.shape(
        'insert-activities-unnest',
        ACTIVITY_COLUMNS,
        () =>
          db.insertInto('activities').columns(ACTIVITY_COLUMN_NAMES).expression(pgUnnest(ACTIVITY_PG_TYPES)).compile(),
        true,
      );
      await db.executeQuery(CompiledQuery.raw(text, columns(params, ACTIVITY_COLUMNS)));
      i += n;
      continue;
    }
    const text = compiled.shape(`insert-activities-${n}`, n * ACTIVITY_COLUMNS, () =>
      db
        .insertInto('activities')
        .values(
          Array.from({ length: n }, () => ({
            guid: '',
            lead_id: 0,
            type_id: 0,
            type_name: '',
            occurred_at: 0,
            asset_name: '',
            campaign: '',
            attributes: '',
          })),
        )
        .compile(),
    );
    await db.executeQuery(CompiledQuery.raw(text, params));
    i += n;
  }
}
