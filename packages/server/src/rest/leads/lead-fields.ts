/**
 * Lead fields under their REST names, from the one field table (domain/lead-fields.ts): standard
 * fields carry their REST name there, custom fields use their SOAP name (describe shows both the
 * same), and `createdAt`/`updatedAt` are REST-only fields read from the lead's own timestamps.
 */
import type { LeadFieldDef, LeadFieldType } from '../../domain/lead-fields.js';
import type { LeadSchema } from '../../domain/lead-schema.js';
import type { Lead } from '../../store/store.js';

export interface RestField {
  rest: string;
  /** The stored field, or undefined for the REST-only timestamps. */
  def?: LeadFieldDef;
  displayName: string;
  dataType: LeadFieldType;
  length?: number;
  readOnly: boolean;
}

const TIMESTAMPS: readonly RestField[] = [
  { rest: 'createdAt', displayName: 'Created At', dataType: 'datetime', readOnly: true },
  { rest: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', readOnly: true },
];

/** The fields a lead read returns when `fields` is not given, in the order Marketo sends them. */
export const DEFAULT_REST_FIELDS = ['id', 'updatedAt', 'lastName', 'email', 'createdAt', 'firstName'] as const;

export function restNameOf(f: LeadFieldDef): string | undefined {
  return f.restName ?? (f.custom ? f.name : undefined);
}

const cache = new WeakMap<LeadSchema, Map<string, RestField>>();

/** Every field with a REST name, by REST name (case-sensitive, as Marketo). */
export function restFields(schema: LeadSchema): Map<string, RestField> {
  let m = cache.get(schema);
  if (m) return m;
  m = new Map();
  for (const def of schema.fields()) {
    const rest = restNameOf(def);
    if (!rest) continue;
    m.set(rest, {
      rest,
      def,
      displayName: def.displayName,
      dataType: def.dataType,
      ...(def.length !== undefined ? { length: def.length } : {}),
      readOnly: def.restReadOnly ?? def.readOnly,
    });
  }
  for (const t of TIMESTAMPS) m.set(t.rest, t);
  cache.set(schema, m);
  return m;
}

/** A stored value as REST types it: numbers as numbers, booleans, datetimes as `2017-09-25T17:55:39Z`. */
export function restValue(type: LeadFieldType, text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  switch (type) {
    case 'integer':
    case 'score':
    case 'float':
    case 'currency':
    case 'percent':
      return Number(text);
    case 'boolean':
      return text === '1' || text === 'true';
    case 'datetime':
      // Stored as `…T17:55:39+00:00` (domain/lead-schema.ts); Marketo's REST writes UTC as `Z`.
      return text.endsWith('+00:00') ? `${text.slice(0, -6)}Z` : text;
    default:
      return text;
  }
}

/** Marketo's datetime text: seconds, UTC, `Z` (recorded: `2017-09-25T17:55:39Z`). */
export function restTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** One lead as a REST result record, with the requested fields (unknown ones already refused). */
export function leadJson(lead: Lead, fields: readonly RestField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.rest === 'createdAt') out.createdAt = restTimestamp(lead.createdAt);
    else if (f.rest === 'updatedAt') out.updatedAt = restTimestamp(lead.updatedAt);
    else if (f.def?.name === 'Id') out[f.rest] = lead.id;
    else if (f.def?.name === 'Email') out[f.rest] = lead.email;
    else out[f.rest] = restValue(f.dataType, f.def ? lead.attributes[f.def.name] : undefined);
  }
  return out;
}

/**
 * How a REST bulk import header names a field: its REST name, exactly; failing that, its name
 * case-insensitively (Marketo's own files are written with REST names, clients vary the case).
 */
export function restHeaderField(schema: LeadSchema): (label: string) => LeadFieldDef | undefined {
  const fields = restFields(schema);
  return (label) => {
    const f = fields.get(label) ?? [...fields.values()].find((x) => x.rest.toLowerCase() === label.toLowerCase());
    return f?.def;
  };
}
