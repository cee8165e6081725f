/**
 * Reading a REST request: query, JSON or form body, and `POST …?_method=GET`, whose form body
 * carries the query (Marketo's answer to URLs over 8 KB). Multipart bodies are passed on raw for
 * the endpoints that take uploads.
 */
import { RestError } from '@mktows/protocol';
import type { RestMethod } from './route.js';

export interface ReadRequest {
  query: URLSearchParams;
  body: unknown;
}

function isForm(contentType: string): boolean {
  return contentType.split(';')[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The method the call is served as: `GET` for a `POST` whose `_method=GET` is in the query or in
 * its form body (recorded: `POST /rest/v1/list/1112/leads.json` with body `listId=1112&_method=GET`),
 * and `DELETE` for `POST …?_method=DELETE` (how clients delete leads with a JSON body: recorded,
 * grouparoo).
 */
export function servedMethod(httpMethod: string, query: URLSearchParams, contentType = '', raw?: Buffer): RestMethod {
  if (httpMethod !== 'POST') return httpMethod as RestMethod;
  const override = (
    query.get('_method') ??
    (raw?.length && isForm(contentType) ? new URLSearchParams(raw.toString('utf8')).get('_method') : null)
  )?.toUpperCase();
  return override === 'GET' || override === 'DELETE' ? override : 'POST';
}

export function readRestRequest(
  httpMethod: string,
  query: URLSearchParams,
  contentType: string,
  raw: Buffer,
): ReadRequest {
  const override = servedMethod(httpMethod, query, contentType, raw) === 'GET' ? 'GET' : undefined;
  const merged = new URLSearchParams(query);
  merged.delete('_method');
  const type = contentType.split(';')[0].trim().toLowerCase();
  let body: unknown;
  if (raw.length > 0) {
    if (isForm(type)) {
      for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) if (k !== '_method') merged.append(k, v);
    } else if (type === 'application/json' || (type === '' && httpMethod === 'POST' && override !== 'GET')) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new RestError(609);
      }
    } else if (type !== 'multipart/form-data') {
      throw new RestError(612);
    }
  }
  return { query: merged, body };
}

/** A comma-separated list parameter (Marketo's `filterValues=a,b`, `fields=x,y`); repeated parameters add up. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** An optional integer parameter in [min, max]: 1001 when not an integer, 1003 when out of range. */
export function intParam(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw new RestError(1001, `Invalid value '${v}'. Required of type 'Integer'`);
  const n = Number(v);
  if (n < min || n > max) throw new RestError(1003, `${name} must be between ${min} and ${max}`);
  return n;
}
