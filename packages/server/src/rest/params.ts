/** Parameters the campaign and asset endpoints share: booleans, dates, required text, integer ids. */
import { RestError } from '@mktows/protocol';

const INVALID = (v: string, type: string) => new RestError(1001, `Invalid value '${v}'. Required of type '${type}'`);

/** `true`/`false` (any case); 1001 otherwise. */
export function boolParam(query: URLSearchParams, name: string): boolean | undefined {
  const v = query.get(name)?.trim();
  if (v === undefined || v === '') return undefined;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw INVALID(v, 'Boolean');
}

/** An ISO-8601 date-time (`2016-09-10T23:15:00-00:00`, `…Z`, `…+0000`); 1001 otherwise. */
export function parseDateTime(v: string): number {
  const normalized = v.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(normalized)
    ? Date.parse(normalized)
    : Number.NaN;
  if (Number.isNaN(ms)) throw INVALID(v, 'Date');
  return ms;
}

export function dateParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name)?.trim();
  return v ? parseDateTime(v) : undefined;
}

/** A required text parameter: 1002 when missing or blank. */
export function requiredParam(query: URLSearchParams, name: string): string {
  const v = query.get(name)?.trim();
  if (!v) throw new RestError(1002, `Missing value for the required parameter '${name}'`);
  return v;
}

/** An id in the path: 1001 unless a positive integer. */
export function idParam(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw INVALID(text, 'Integer');
  return Number(text);
}
