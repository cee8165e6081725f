/**
 * Custom objects: resolving a declared type, checking key lists and attribute
 * lists against it, and the wire form of records and statuses. Pure functions over the store's
 * types; the handlers do the reads and writes.
 */
import { type Attribute, echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { CustomObject, CustomObjectReader, CustomObjectType } from '../store/custom-object-store.js';
import type { StoreTx } from '../store/store.js';
import type { LeadFieldType } from './lead-fields.js';
import { canonicalValue, FieldValueError } from './lead-schema.js';
import { matchName } from './mobjects.js';

/** Records per call (sync, delete) and per batch (get). */
export const MAX_CUSTOM_OBJECTS = 100;

/** The declared type an objTypeName names (case-insensitively); 20110 as Marketo answered. */
export async function customObjectType(reader: CustomObjectReader, name: string): Promise<CustomObjectType> {
  const t = name.trim() ? await reader.getCustomObjectType(name) : undefined;
  if (!t) throw new MktowsFault(FAULT.BAD_PARAMETER, `Object name is not valid: "${echo(name)}"`);
  return t;
}

/**
 * What went wrong with one record, for the APIs that report it by code (REST): a bad key or value,
 * a link naming no lead, a create of an existing record, an update of a missing one.
 */
export type RecordProblem = 'invalid' | 'no-lead' | 'exists' | 'missing';

/** A per-record problem: the record's status is FAILED (SOAP) or skipped (REST) with this message. */
export class RecordError extends Error {
  constructor(
    message: string,
    readonly problem: RecordProblem = 'invalid',
  ) {
    super(message);
  }
}

/** The wire attribute list of name/value pairs, attrType nil as Marketo wrote it. */
export function wireAttributes(pairs: readonly [string, string][]): Attribute[] {
  return pairs.map(([attrName, attrValue]) => ({ attrName, attrType: null, attrValue }));
}

/** The key values of a key list in the type's key order; every key is required. */
export function keyValues(type: CustomObjectType, list: readonly Attribute[]): string[] {
  const values = new Map<string, string>();
  const unknown: string[] = [];
  for (const a of list) {
    const k = matchName(type.keys, a.attrName ?? '');
    if (!k) unknown.push(a.attrName);
    else values.set(k, (a.attrValue ?? '').trim());
  }
  if (unknown.length) throw new RecordError(`Unknown key attribute list: ${unknown.join(', ')}`);
  const missing = type.keys.filter((k) => (values.get(k) ?? '') === '');
  if (missing.length) throw new RecordError(`Missing key attribute list: ${missing.join(', ')}`);
  return type.keys.map((k) => values.get(k) as string);
}

const FIELD_TYPES = new Set<string>(['integer', 'float', 'currency', 'boolean', 'date', 'datetime', 'percent']);

/** Field values checked against the type (unknown names as Marketo worded it, then values). */
export function fieldValues(type: CustomObjectType, list: readonly Attribute[]): Record<string, string> {
  const names = type.fields.map((f) => f.name);
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const a of list) {
    const name = matchName(names, a.attrName ?? '');
    if (!name) {
      unknown.push(a.attrName);
      continue;
    }
    const f = type.fields.find((x) => x.name === name);
    const dt = (f?.dataType ?? 'string').toLowerCase();
    const dataType = (dt === 'datetime' ? 'datetime' : FIELD_TYPES.has(dt) ? dt : 'string') as LeadFieldType;
    try {
      out[name] = canonicalValue(
        { name, displayName: name, dataType, readOnly: false, custom: true },
        a.attrValue ?? '',
      );
    } catch (e) {
      if (e instanceof FieldValueError) throw new RecordError(`Invalid value: ${e.message}`);
      throw e;
    }
  }
  if (unknown.length) throw new RecordError(`Unknown name attribute list: ${unknown.join(', ')}`);
  return out;
}

/** `MKTOID=1090177, rid=rid1`, for messages. */
export function describeKeys(type: CustomObjectType, values: readonly string[]): string {
  return type.keys.map((k, i) => `${k}=${values[i]}`).join(', ');
}

/** A record as a wire customObj: every key, then the (included) fields that have a value. */
export function toCustomObj(
  type: CustomObjectType,
  o: CustomObject,
  include: ReadonlySet<string> | undefined,
): { customObjKeyList: { attribute: Attribute[] }; customObjAttributeList: { attribute: Attribute[] } | null } {
  const keys = wireAttributes(type.keys.map((k, i) => [k, o.keyValues[i] ?? '']));
  const fields = type.fields
    .filter((f) => (include ? include.has(f.name) : true))
    .map((f) => [f.name, o.attributes[f.name] ?? ''] as [string, string])
    .filter(([, v]) => v !== '');
  return {
    customObjKeyList: { attribute: keys },
    customObjAttributeList: fields.length ? { attribute: wireAttributes(fields) } : null,
  };
}

export type CustomObjectWriteMode = 'UPSERT' | 'INSERT' | 'UPDATE';

/**
 * Creates or updates one record inside the caller's transaction (SOAP syncCustomObjects and REST
 * sync share it): the link field must name a lead, INSERT refuses an existing record and UPDATE a
 * missing one (RecordError); an update merges the given values over the stored ones.
 */
export async function writeCustomObject(
  tx: StoreTx,
  type: CustomObjectType,
  keys: readonly string[],
  values: Record<string, string>,
  op: CustomObjectWriteMode,
  now: number,
): Promise<{ status: 'CREATED' | 'UPDATED'; id: number }> {
  if (type.linkField) {
    const v = keys[type.keys.indexOf(type.linkField)];
    const leads = /^\d{1,10}$/.test(v) ? await tx.getLeads([Number(v)]) : [];
    if (leads.length === 0) throw new RecordError(`${type.linkField} ${v} names no lead`, 'no-lead');
  }
  const existing = await tx.customObjects.findCustomObject(type.name, keys);
  if (existing) {
    if (op === 'INSERT') {
      throw new RecordError(
        `${type.name} with ${describeKeys(type, keys)} already exists; INSERT does not update`,
        'exists',
      );
    }
    await tx.customObjects.updateCustomObject(existing.id, { ...existing.attributes, ...values }, now);
    return { status: 'UPDATED', id: existing.id };
  }
  if (op === 'UPDATE') {
    throw new RecordError(`No ${type.name} with ${describeKeys(type, keys)}; UPDATE does not create`, 'missing');
  }
  const created = await tx.customObjects.insertCustomObject({
    typeName: type.name,
    keyValues: [...keys],
    attributes: values,
    createdAt: now,
    updatedAt: now,
  });
  return { status: 'CREATED', id: created.id };
}
