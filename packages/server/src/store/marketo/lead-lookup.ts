/**
 * One lead key → the leads REST finds for it, newest first (the emulator's order when a key such as
 * an e-mail names several: the lead updated last wins, then the highest id). mergeLeads and
 * syncLead's cookie match use it.
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';
import { leadFilterOf } from './lead-convert.js';
import { UpstreamFault } from './upstream.js';

export interface FoundLead {
  id: number;
  updatedAt: number;
}

/** The leads a SOAP key names, newest first; [] when none (an IDNUM that is no number finds none). */
export async function findLeadsByKey(call: BridgeCall, keyType: string, keyValue: string): Promise<FoundLead[]> {
  const filterType = leadFilterOf(keyType);
  const value = keyType === 'COOKIE' ? keyValue : keyValue.trim();
  if (value === '' || (keyType === 'IDNUM' && !/^\d{1,10}$/.test(value))) return [];
  try {
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/leads.json',
      query: { filterType, filterValues: value, fields: ['id', 'updatedAt'] },
    });
    return ((body.result ?? []) as { id?: unknown; updatedAt?: unknown }[])
      .map((l) => ({ id: Number(l.id), updatedAt: Date.parse(String(l.updatedAt)) || 0 }))
      .sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id);
  } catch (e) {
    // A cookie REST cannot parse names no lead, as SOAP answered.
    if (e instanceof UpstreamFault && e.restCode === 1012) return [];
    throw e;
  }
}

/** The lead a key names (the newest of several); 20103 when there is none. */
export async function leadIdByKey(call: BridgeCall, keyType: string, keyValue: string): Promise<number> {
  const [lead] = await findLeadsByKey(call, keyType, keyValue);
  if (!lead) throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with ${keyType} = ${echo(keyValue)}`);
  return lead.id;
}
