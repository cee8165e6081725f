/**
 * Marketo's attribute lists (`leadAttributeList`, custom object keys) as plain objects:
 * `{ FirstName: 'Ada', LeadScore: 12 }` ⇄ `{ attribute: [{ attrName, attrType, attrValue }] }`.
 */

export type AttributeValue = string | number | boolean | Date | null;

/** The WSDL's Attribute: the decoder may leave out a nil attrValue, so readers check for it. */
export interface Attribute {
  attrName: string;
  attrType?: string | null;
  attrValue: string;
}

export interface AttributeList {
  attribute?: Attribute[];
}

/** The SOAP type of a value: the one Marketo's lead fields use for it. */
function typeOf(value: Exclude<AttributeValue, null>): string {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  if (value instanceof Date) return 'datetime';
  return 'string';
}

/**
 * An attribute list from a plain object: strings, numbers (integer or float), booleans, Dates (sent
 * as ISO 8601 datetimes) and null (sent as an empty value, which clears the field). Undefined
 * properties are left out.
 */
export function toAttributeList(values: Readonly<Record<string, AttributeValue | undefined>>): AttributeList {
  const attribute: Attribute[] = [];
  for (const [attrName, v] of Object.entries(values)) {
    if (v === undefined) continue;
    if (v === null) {
      attribute.push({ attrName, attrValue: '' });
      continue;
    }
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new TypeError(`${attrName}: ${v} is not a number Marketo can store`);
    if (v instanceof Date && Number.isNaN(v.getTime())) throw new TypeError(`${attrName}: invalid Date`);
    attribute.push({ attrName, attrType: typeOf(v), attrValue: v instanceof Date ? v.toISOString() : String(v) });
  }
  return { attribute };
}

const NUMERIC = new Set(['integer', 'float', 'currency', 'score', 'percent']);

/**
 * A plain object from an attribute list: numeric types (integer, float, currency, score, percent)
 * as numbers, booleans as booleans, everything else (dates too) as the string sent; a missing
 * value is null.
 */
export function fromAttributeList(
  list: AttributeList | null | undefined,
): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const a of list?.attribute ?? []) {
    const v = a.attrValue as string | null | undefined;
    const type = a.attrType?.toLowerCase();
    if (v === undefined || v === null) out[a.attrName] = null;
    else if (type && NUMERIC.has(type) && v.trim() !== '' && Number.isFinite(Number(v))) out[a.attrName] = Number(v);
    else if (type === 'boolean') out[a.attrName] = v === 'true' || v === '1';
    else out[a.attrName] = v;
  }
  return out;
}
