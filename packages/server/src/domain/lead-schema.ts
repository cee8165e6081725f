/**
 * The lead schema in force: standard fields plus the custom fields a seed declared. It converts
 * incoming attribute text to the canonical stored form and back to `attribute` elements.
 */
import { echo, formatDateTime, parseLenientDateTime } from '@mktows/protocol';
import { type LeadFieldDef, type LeadFieldType, STANDARD_LEAD_FIELDS } from './lead-fields.js';

export class FieldValueError extends Error {}

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Canonical text of a value for a field type; throws FieldValueError when not convertible. */
export function canonicalValue(f: LeadFieldDef, raw: string): string {
  const v = raw.trim();
  switch (f.dataType) {
    case 'integer':
    case 'score': {
      if (v === '') return '';
      if (!INT.test(v)) throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not an integer`);
      const n = Number(v);
      if (n < -2147483648 || n > 2147483647) throw new FieldValueError(`value ${echo(v)} of ${f.name} is out of range`);
      return String(n);
    }
    case 'float':
    case 'currency':
    case 'percent': {
      if (v === '') return '';
      if (!NUM.test(v)) throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not a number`);
      return String(Number(v));
    }
    case 'boolean': {
      const t = v.toLowerCase();
      if (t === 'true' || t === '1' || t === 'yes') return '1';
      if (t === 'false' || t === '0' || t === 'no' || t === '') return '0';
      throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not a boolean`);
    }
    case 'date': {
      if (v === '') return '';
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
      const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
      if (!m || !d || d.getUTCDate() !== Number(m[3]))
        throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not a date (YYYY-MM-DD)`);
      return `${m[1]}-${m[2]}-${m[3]}`;
    }
    case 'datetime': {
      if (v === '') return '';
      const d = parseLenientDateTime(v);
      if (!d) throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not a dateTime`);
      return formatDateTime(d);
    }
    default:
      if (f.length !== undefined && raw.length > f.length) {
        throw new FieldValueError(`value of ${f.name} is ${raw.length} characters long; the maximum is ${f.length}`);
      }
      return raw;
  }
}

/** Marketo sorts attributes by name as if upper-cased (so `_` sorts after letters). */
export function compareAttrNames(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export class LeadSchema {
  private readonly byName = new Map<string, LeadFieldDef>();
  private readonly byLower = new Map<string, LeadFieldDef>();
  private readonly byDisplay = new Map<string, LeadFieldDef>();
  /** Attribute field names in output order. */
  readonly attributeOrder: readonly string[];

  constructor(custom: readonly LeadFieldDef[] = []) {
    for (const f of [...STANDARD_LEAD_FIELDS, ...custom]) {
      if (this.byName.has(f.name)) continue; // a seed cannot redefine a standard field
      this.byName.set(f.name, f);
      this.byLower.set(f.name.toLowerCase(), f);
      this.byDisplay.set(f.displayName.toLowerCase(), f);
    }
    this.attributeOrder = [...this.byName.keys()].filter((n) => n !== 'Id' && n !== 'Email').sort(compareAttrNames);
  }

  field(name: string): LeadFieldDef | undefined {
    return this.byName.get(name);
  }

  /** Field by display name or SOAP name, case-insensitively (importToList headers). */
  fieldByLabel(label: string): LeadFieldDef | undefined {
    const k = label.trim().toLowerCase();
    return this.byDisplay.get(k) ?? this.byLower.get(k);
  }

  fields(): LeadFieldDef[] {
    return [...this.byName.values()];
  }

  typeOf(name: string): LeadFieldType | undefined {
    return this.byName.get(name)?.dataType;
  }
}
