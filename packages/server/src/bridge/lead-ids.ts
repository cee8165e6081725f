/**
 * SOAP lead keys → REST lead ids (MAPPING.md B2), for the operations REST addresses by id only
 * (activities, selectors, list membership, campaign runs): `GET /rest/v1/leads.json?filterType&
 * filterValues&fields=id`, 300 values per call.
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';
import { leadFilterOf } from './lead-convert.js';
import { chunks } from './rest-lists.js';

/** REST's limit on filterValues per call. */
const MAX_FILTER_VALUES = 300;

/**
 * The ids of the leads matching any of the values of one key type, ascending; values no lead can
 * match (a non-numeric IDNUM, a cookie REST cannot parse) match none. 20102/20110 for key types
 * outside the enum or without a REST filter (lead-convert.ts).
 */
export async function leadIdsByKeys(call: BridgeCall, keyType: string, values: readonly string[]): Promise<number[]> {
  const filterType = leadFilterOf(keyType);
  const usable = [
    ...new Set(
      values
        .map((v) => (keyType === 'COOKIE' ? v : v.trim()))
        .filter((v) => v !== '' && (keyType !== 'IDNUM' || /^\d{1,10}$/.test(v))),
    ),
  ];
  const ids = new Set<number>();
  for (let i = 0; i < usable.length; i += MAX_FILTER_VALUES) {
    try {
      const body = await call.rest({
        method: 'GET',
        path: '/rest/v1/leads.json',
        query: { filterType, filterValues: usable.slice(i, i + MAX_FILTER_VALUES), fields: ['id'] },
      });
      for (const l of (body.result ?? []) as { id: number }[]) ids.add(Number(l.id));
    } catch (e) {
      if ((e as { restCode?: number }).restCode !== 1012) throw e;
    }
  }
  return [...ids].sort((a, b) => a - b);
}

/** The lead a single key names: the newest (highest id) of its matches, as the emulator picks; 20103 when none. */
export async function leadIdByKey(call: BridgeCall, keyType: string, keyValue: string): Promise<number> {
  const ids = await leadIdsByKeys(call, keyType, [keyValue]);
  if (ids.length === 0)
    throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with ${keyType} = ${echo(keyValue)}`);
  return ids[ids.length - 1];
}

export interface SoapLeadKey {
  keyType: string;
  keyValue: string;
}

/**
 * Each key's leads, newest (highest id) first; an empty array where none matched. An IDNUM key
 * answers its own number (not checked) or nothing when it is not a number.
 */
export async function leadIdsOfKeys(call: BridgeCall, keys: readonly SoapLeadKey[]): Promise<number[][]> {
  const found = new Map<string, number[]>();
  const emails = new Set<string>();
  const others = new Map<string, SoapLeadKey>();
  for (const k of keys) {
    if (k.keyType === 'EMAIL') emails.add(keyText(k).toLowerCase());
    else if (k.keyType !== 'IDNUM') others.set(keyOf(k), k);
  }
  // E-mails go 300 to a call and are matched back case-insensitively; other key types are rare
  // here and their REST fields are not always comparable text (cookies), so one call each.
  // A value holding a comma would be read as two: REST has no escape for it, so it finds nothing.
  for (const part of chunks(
    [...emails].filter((v) => v !== '' && !v.includes(',')),
    MAX_FILTER_VALUES,
  )) {
    for (const lead of await leads(call, 'email', part, ['id', 'email'])) {
      const key = keyOf({ keyType: 'EMAIL', keyValue: String(lead.email ?? '') });
      found.set(key, [...(found.get(key) ?? []), Number(lead.id)]);
    }
  }
  for (const [key, k] of others) {
    const v = keyText(k);
    if (v === '' || v.includes(',')) continue;
    found.set(
      key,
      (await leads(call, leadFilterOf(k.keyType), [v], ['id'])).map((l) => Number(l.id)),
    );
  }
  return keys.map((k) => {
    const v = keyText(k);
    if (k.keyType === 'IDNUM') return /^\d{1,10}$/.test(v) ? [Number(v)] : [];
    return [...(found.get(keyOf(k)) ?? [])].sort((a, b) => b - a);
  });
}

async function leads(
  call: BridgeCall,
  filterType: string,
  values: readonly string[],
  fields: readonly string[],
): Promise<Record<string, unknown>[]> {
  const body = await call.rest({
    method: 'GET',
    path: '/rest/v1/leads.json',
    query: { filterType, filterValues: values, fields },
  });
  return (body.result ?? []) as Record<string, unknown>[];
}

function keyText(k: SoapLeadKey): string {
  return k.keyType === 'COOKIE' ? k.keyValue : k.keyValue.trim();
}

/** E-mail addresses match case-insensitively, other keys exactly. */
function keyOf(k: SoapLeadKey): string {
  const v = keyText(k);
  return `${k.keyType}:${k.keyType === 'EMAIL' ? v.toLowerCase() : v}`;
}
