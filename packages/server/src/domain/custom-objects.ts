/**
 * Custom objects: resolving a declared type, checking key lists and attribute
 * lists against it, and the wire form of records and statuses. Pure functions over the store's
 * types; the handlers do the reads and writes.
 */
import { type Attribute, echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { CustomObject, CustomObjectReader, CustomObjectType } from '../store/custom-object-store.js';
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

/** A per-record problem: the record's status is FAILED with this message. */
export class RecordError extends Error {}

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
