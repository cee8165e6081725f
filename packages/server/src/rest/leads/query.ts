/**
 * Lead reads: `fields` resolution (1006 for an unknown field), filterType/filterValues (1002 when
 * missing, 1011 for a field that cannot be searched, at most 300 values), batchSize (1 to 300) and
 * paging tokens bound to their query (1003 when replayed with another one).
 */
import { createHash } from 'node:crypto';
import { RestError } from '@mktows/protocol';
import type { LeadSchema } from '../../domain/lead-schema.js';
import type { Lead, Store } from '../../store/store.js';
import { intParam, listParam } from '../request.js';
import { DEFAULT_REST_FIELDS, type RestField, restFields } from './lead-fields.js';

/** The filter types served, and the store lookup each one is (Marketo's searchable lead fields). */
export const FILTER_TYPES: Record<
  string,
  'IDNUM' | 'EMAIL' | 'COOKIE' | 'SFDCLEADID' | 'SFDCCONTACTID' | 'SFDCACCOUNTID' | 'OPPORTUNITY'
> = {
  id: 'IDNUM',
  email: 'EMAIL',
  cookies: 'COOKIE',
  sfdcLeadId: 'SFDCLEADID',
  sfdcContactId: 'SFDCCONTACTID',
  sfdcAccountId: 'SFDCACCOUNTID',
  // The leads with a person role on the opportunity (its external id), as SOAP's SFDCOPPTYID key.
  sfdcOpptyId: 'OPPORTUNITY',
};

export const MAX_FILTER_VALUES = 300;
export const MAX_BATCH_SIZE = 300;

export function requestedFields(schema: LeadSchema, query: URLSearchParams): RestField[] {
  const all = restFields(schema);
  const names = listParam(query, 'fields') ?? [];
  const list = names.length ? names : DEFAULT_REST_FIELDS;
  const fields = list.map((n) => {
    const f = all.get(n);
    if (!f) throw new RestError(1006, `Field '${n}' not found`);
    return f;
  });
  // Marketo answers every lead with its id, named in `fields` or not (recorded: MadKudu
  // find-by-multiple-ids-and-retrieve-a-subset-of-fields, `fields=email,lastName` → `{id, lastName, email}`).
  const id = all.get('id');
  return id && !fields.includes(id) ? [id, ...fields] : fields;
}

function required(query: URLSearchParams, name: string): string {
  const v = query.get(name)?.trim();
  if (!v) throw new RestError(1002, `Missing value for the required parameter '${name}'`);
  return v;
}

/** Leads matching filterType/filterValues, by ascending id, each once. */
export async function findByFilter(store: Store, schema: LeadSchema, query: URLSearchParams): Promise<Lead[]> {
  const filterType = required(query, 'filterType');
  required(query, 'filterValues');
  const values = listParam(query, 'filterValues') ?? [];
  const by = FILTER_TYPES[filterType];
  if (!by) {
    if (restFields(schema).has(filterType)) throw new RestError(1011, `Field '${filterType}' not supported`);
    throw new RestError(1006, `Field '${filterType}' not found`);
  }
  if (values.length > MAX_FILTER_VALUES)
    throw new RestError(1003, `Too many values in filterValues: ${values.length}; the maximum is ${MAX_FILTER_VALUES}`);
  const found = new Map<number, Lead>();
  if (by === 'IDNUM') {
    const ids = values.map((v) => {
      if (!/^\d+$/.test(v)) throw new RestError(1001, `Invalid value '${v}'. Required of type 'Integer'`);
      return Number(v);
    });
    for (const l of await store.getLeads(ids)) found.set(l.id, l);
  } else {
    for (const v of values) for (const l of await store.findLeads({ by, value: v })) found.set(l.id, l);
  }
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/** A page of `items` after the token's offset; the token names a hash of the query it belongs to. */
export function page<T>(
  items: readonly T[],
  query: URLSearchParams,
): { items: T[]; moreResult: boolean; nextPageToken?: string } {
  const size = batchSize(query);
  const offset = readBoundToken(query) ?? 0;
  const slice = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return {
    items: slice,
    moreResult: more,
    ...(more ? { nextPageToken: boundToken(query, offset + size) } : {}),
  };
}

/** batchSize, 1 to 300, 300 when absent. */
export function batchSize(query: URLSearchParams): number {
  return intParam(query, 'batchSize', 1, MAX_BATCH_SIZE) ?? MAX_BATCH_SIZE;
}

/** A token carrying a position (offset or last id) bound to this query. */
export function boundToken(query: URLSearchParams, position: number): string {
  return encodeToken(`${queryHash(query)}=${position}`);
}

/** The position in the query's nextPageToken, undefined without one; 1003 for a token of another query. */
export function readBoundToken(query: URLSearchParams): number | undefined {
  const token = query.get('nextPageToken');
  if (!token) return undefined;
  const m = /^([0-9a-f]{16})=([0-9]+)$/.exec(decodeToken(token));
  if (!m || m[1] !== queryHash(query)) throw new RestError(1003, `Invalid nextPageToken '${token}' for this query`);
  return Number(m[2]);
}

/** What a token is bound to: every parameter but the paging ones. */
function queryHash(query: URLSearchParams): string {
  const parts = [...query]
    .filter(([k]) => k !== 'nextPageToken' && k !== 'batchSize' && k !== 'access_token')
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return createHash('sha256').update(parts.join('&')).digest('hex').slice(0, 16);
}

// Tokens are opaque to clients, as Marketo's are; only this server reads them.
function encodeToken(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

function decodeToken(t: string): string {
  return Buffer.from(t, 'base64url').toString('utf8');
}
