/**
 * What the Lead Database objects that are not leads (opportunities, roles, custom objects) share:
 * the field table behind describe and reads, the write and delete bodies (`action`, `dedupeBy`,
 * `deleteBy`, `input` ≤ 300), the query (`filterType`/`filterValues`, or `POST …?_method=GET` with
 * a JSON `input` for compound keys) and per-record results (`seq`, `status`, `marketoGUID` or
 * `reasons`).
 */
import { RestError, type RestErrorCode } from '@mktows/protocol';
import type { LeadFieldType } from '../../domain/lead-fields.js';
import { restTimestamp, restValue } from '../leads/lead-fields.js';
import { page } from '../leads/query.js';
import { listParam } from '../request.js';
import type { RestRequest, RestResult } from '../route.js';

/** Records per write, delete or query call (docs: "up to 300 records"). */
export const MAX_INPUT = 300;

export interface ObjectField<T> {
  name: string;
  displayName: string;
  dataType: string;
  length?: number;
  updateable: boolean;
  get(record: T): unknown;
}

export interface ObjectMeta<T> {
  name: string;
  displayName: string;
  description?: string;
  dedupeFields: string[];
  searchableFields: string[][];
  fields: ObjectField<T>[];
  relationships?: Record<string, unknown>[];
}

/**
 * Decision: the store keeps no history of object types, so a type's createdAt and updatedAt are
 * the Unix epoch (well-formed, and plainly not a real date).
 */
const TYPE_TIME = restTimestamp(0);

/** The list entry of a type (customobjects.json): describe without the fields. */
export function typeSummary<T>(meta: ObjectMeta<T>, relationKey = 'relatedTo'): Record<string, unknown> {
  return {
    name: meta.name,
    displayName: meta.displayName,
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    createdAt: TYPE_TIME,
    updatedAt: TYPE_TIME,
    idField: 'marketoGUID',
    dedupeFields: meta.dedupeFields,
    searchableFields: meta.searchableFields,
    ...(meta.relationships
      ? {
          relationships: meta.relationships.map(({ related, ...r }) => ({ ...r, [relationKey]: related })),
        }
      : {}),
  };
}

/** describe.json's one result: the type with its fields (the docs name a relationship's target `object` here). */
export function describeObject<T>(meta: ObjectMeta<T>): Record<string, unknown> {
  return {
    ...typeSummary(meta, 'object'),
    fields: meta.fields.map((f) => ({
      name: f.name,
      displayName: f.displayName,
      dataType: f.dataType,
      ...(f.length !== undefined ? { length: f.length } : {}),
      updateable: f.updateable,
    })),
  };
}

/** A stored text value as REST types it (numbers, booleans, `…Z` datetimes, null for empty). */
export function typedValue(dataType: string, text: string | undefined): unknown {
  return restValue(dataType as LeadFieldType, text);
}

/** createdAt and updatedAt, read-only datetimes, from the record's own timestamps. */
export function timestampFields<T>(created: (r: T) => number, updated: (r: T) => number): ObjectField<T>[] {
  return [
    {
      name: 'createdAt',
      displayName: 'Created At',
      dataType: 'datetime',
      updateable: false,
      get: (r) => restTimestamp(created(r)),
    },
    {
      name: 'updatedAt',
      displayName: 'Updated At',
      dataType: 'datetime',
      updateable: false,
      get: (r) => restTimestamp(updated(r)),
    },
  ];
}

export const guidField = <T>(get: (r: T) => string): ObjectField<T> => ({
  name: 'marketoGUID',
  displayName: 'Marketo GUID',
  dataType: 'string',
  length: 36,
  updateable: false,
  get,
});

// ---------------------------------------------------------------------------------------------
// Bodies

export type WriteAction = 'createOnly' | 'updateOnly' | 'createOrUpdate';
export type DedupeBy = 'dedupeFields' | 'idField';

/** The JSON body of a write or delete, an object; anything else is 609 (a form or nothing: 1002 input). */
function bodyOf(req: RestRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined) throw new RestError(1002, "Missing value for the required parameter 'input'");
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new RestError(609);
  return b as Record<string, unknown>;
}

function choice<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[], fallback: T): T {
  const v = body[name];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v !== 'string' || !allowed.includes(v as T))
    throw new RestError(1003, `Invalid value '${String(v)}' for ${name}; expected one of ${allowed.join(', ')}`);
  return v as T;
}

/** The `input` array: required, at most 300 entries (1003 beyond). */
function inputOf(body: Record<string, unknown>): unknown[] {
  const input = body.input;
  if (input === undefined || input === null)
    throw new RestError(1002, "Missing value for the required parameter 'input'");
  if (!Array.isArray(input)) throw new RestError(1003, 'input must be an array of records');
  if (input.length === 0) throw new RestError(1002, "Missing value for the required parameter 'input'");
  if (input.length > MAX_INPUT)
    throw new RestError(1003, `Too many records in input: ${input.length}; the maximum is ${MAX_INPUT}`);
  return input;
}

export interface WriteBody {
  action: WriteAction;
  dedupeBy: DedupeBy;
  input: unknown[];
}

/** A sync body; dedupeBy idField is valid with updateOnly only (marketoGUID is system managed). */
export function writeBody(req: RestRequest): WriteBody {
  const body = bodyOf(req);
  const action = choice(body, 'action', ['createOnly', 'updateOnly', 'createOrUpdate'], 'createOrUpdate');
  const dedupeBy = choice(body, 'dedupeBy', ['dedupeFields', 'idField'], 'dedupeFields');
  if (dedupeBy === 'idField' && action !== 'updateOnly')
    throw new RestError(1003, `dedupeBy idField is only valid with action updateOnly, not ${action}`);
  return { action, dedupeBy, input: inputOf(body) };
}

export function deleteBody(req: RestRequest): { deleteBy: DedupeBy; input: unknown[] } {
  const body = bodyOf(req);
  return { deleteBy: choice(body, 'deleteBy', ['dedupeFields', 'idField'], 'dedupeFields'), input: inputOf(body) };
}

// ---------------------------------------------------------------------------------------------
// Per-record results

export type RecordResult = Record<string, unknown>;

/** A record refused: `skipped` with one reason, the code as a string, as Marketo writes it. */
export class SkipRecord extends Error {
  constructor(
    readonly code: RestErrorCode,
    message?: string,
  ) {
    super(message ?? new RestError(code).message);
  }
}

export function skipped(seq: number, e: SkipRecord): RecordResult {
  return { seq, status: 'skipped', reasons: [new RestError(e.code, e.message).toJSON()] };
}

/** An input entry as a record; anything else is skipped with 1003. */
export function inputRecord(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SkipRecord(1003, 'An input record must be a JSON object');
  return v as Record<string, unknown>;
}

/** A JSON value as the stored text: null clears, numbers and booleans as text; objects are refused. */
export function textOf(name: string, v: unknown): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new SkipRecord(1003, `Invalid value for field '${name}'`);
}

/** The fields a record names must be fields of the type (1006) and updateable, keys excepted (1003). */
export function checkRecordFields<T>(meta: ObjectMeta<T>, rec: Record<string, unknown>, keys: readonly string[]): void {
  for (const name of Object.keys(rec)) {
    const f = meta.fields.find((x) => x.name === name);
    if (!f) throw new SkipRecord(1006, `Field '${name}' not found`);
    if (!f.updateable && !keys.includes(name) && name !== 'marketoGUID')
      throw new SkipRecord(1003, `Field '${name}' is not updateable`);
  }
}

/** The required key values of a record, as text (1003 when one is missing). */
export function keyTexts(rec: Record<string, unknown>, keys: readonly string[]): string[] {
  return keys.map((k) => {
    const v = rec[k];
    const t = v === undefined ? '' : textOf(k, v).trim();
    if (t === '') throw new SkipRecord(1003, `Value for required field '${k}' not specified`);
    return t;
  });
}

/**
 * Runs `one` per input record in order, turning SkipRecord into a skipped result and refusing a
 * record whose key (`keyOf`) an earlier record of the same call used (1036).
 */
export async function perRecord(
  input: readonly unknown[],
  keyOf: (rec: Record<string, unknown>) => string,
  one: (rec: Record<string, unknown>, seq: number) => Promise<RecordResult>,
): Promise<RecordResult[]> {
  const seen = new Set<string>();
  const out: RecordResult[] = [];
  for (const [seq, v] of input.entries()) {
    try {
      const rec = inputRecord(v);
      const key = keyOf(rec);
      if (seen.has(key)) throw new SkipRecord(1036);
      seen.add(key);
      out.push({ seq, ...(await one(rec, seq)) });
    } catch (e) {
      if (e instanceof SkipRecord) out.push(skipped(seq, e));
      else throw e;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface ObjectQuery {
  filterType: string;
  /** filterValues (GET, or a form), when given. */
  values?: string[];
  /** The JSON body's `input` records (`POST …?_method=GET`, compound keys). */
  input?: Record<string, unknown>[];
  fields?: string[];
  /** The parameters paging is bound to (body members included). */
  params: URLSearchParams;
}

/** filterType (1002) and filterValues or a JSON input (1002 when neither; at most 300, 1003). */
export function objectQuery(req: RestRequest): ObjectQuery {
  const params = new URLSearchParams(req.query);
  const body = req.body;
  let input: Record<string, unknown>[] | undefined;
  if (body !== undefined) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RestError(609);
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k === 'input') continue;
      params.set(k, Array.isArray(v) ? v.join(',') : String(v));
    }
    const raw = (body as Record<string, unknown>).input;
    if (raw !== undefined) {
      if (!Array.isArray(raw) || raw.some((r) => typeof r !== 'object' || r === null || Array.isArray(r)))
        throw new RestError(1003, 'input must be an array of records');
      input = raw as Record<string, unknown>[];
      params.set('input', JSON.stringify(raw));
    }
  }
  const filterType = params.get('filterType')?.trim();
  if (!filterType) throw new RestError(1002, "Missing value for the required parameter 'filterType'");
  const values = listParam(params, 'filterValues');
  if (!input && !values?.length) throw new RestError(1002, "Missing value for the required parameter 'filterValues'");
  const n = input?.length ?? values?.length ?? 0;
  if (n > MAX_INPUT) throw new RestError(1003, `Too many values in filterValues: ${n}; the maximum is ${MAX_INPUT}`);
  return { filterType, values, input, fields: listParam(params, 'fields'), params };
}

/**
 * A page of found records under the requested fields (1006 for an unknown one); without `fields`,
 * marketoGUID, the dedupe fields and the two timestamps, as Marketo answers. Each record has its
 * `seq`, its index in the whole result.
 */
export function pageOf<T>(meta: ObjectMeta<T>, q: ObjectQuery, found: readonly T[]): RestResult {
  const names = q.fields?.length
    ? q.fields
    : ['marketoGUID', ...meta.dedupeFields.filter((f) => f !== 'marketoGUID'), 'createdAt', 'updatedAt'];
  const fields = names.map((n) => {
    const f =
      meta.fields.find((x) => x.name === n) ?? meta.fields.find((x) => x.name.toLowerCase() === n.toLowerCase());
    if (!f) throw new RestError(1006, `Field '${n}' not found`);
    return f;
  });
  const indexed = found.map((r, seq) => ({ r, seq }));
  const p = page(indexed, q.params);
  return {
    result: p.items.map(({ r, seq }) => {
      const out: Record<string, unknown> = { seq };
      for (const f of fields) out[f.name] = f.get(r);
      return out;
    }),
    ...(p.nextPageToken ? { moreResult: true, nextPageToken: p.nextPageToken } : {}),
  };
}

/** A filterType that is a field but not searchable is 1011; one that is no field at all, 1006. */
export function unsearchable<T>(meta: ObjectMeta<T>, filterType: string): RestError {
  if (meta.fields.some((f) => f.name === filterType)) return new RestError(1011, `Field '${filterType}' not supported`);
  return new RestError(1006, `Field '${filterType}' not found`);
}

/** Records in first-found order, each once (by a key such as the store id). */
export function unique<T>(items: readonly T[], id: (t: T) => number): T[] {
  const m = new Map<number, T>();
  for (const t of items) if (!m.has(id(t))) m.set(id(t), t);
  return [...m.values()];
}

/** The values a query looks for in one field: filterValues, or that member of each input record. */
export function filterTexts(q: ObjectQuery, field: string): string[] {
  if (q.values) return q.values;
  return (q.input ?? []).map((r) => (r[field] === undefined || r[field] === null ? '' : String(r[field])).trim());
}

/** An integer filter value or key (1001 otherwise, as Marketo types parameters). */
export function intText(v: string): number {
  if (!/^\d{1,10}$/.test(v)) throw new RestError(1001, `Invalid value '${v}'. Required of type 'Integer'`);
  return Number(v);
}

/** The identity of an input record for the duplicate check: its key values. */
export const keyOfRecord = (keys: readonly string[]) => (rec: Record<string, unknown>) =>
  JSON.stringify(keyTexts(rec, keys));
