/**
 * Lead ids of SOAP lead keys through `GET /rest/v1/leads.json?filterType&filterValues&fields=id`
 * (MAPPING.md B2), for operations that need only the ids (activities, selectors).
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';
import { leadFilterOf } from './lead-convert.js';

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
