/**
 * One lead key → the leads REST finds for it, newest first (the emulator's order when a key such as
 * an e-mail names several: the lead updated last wins, then the highest id). mergeLeads and
 * syncLead's cookie match use it.
 */
import { echo, FAULT, MktowsFault, type MObjAssociation } from '@mktows/protocol';
import { LEAD_EXTERNAL_KEYS, leadExternalKeyOf } from '../domain/mobject-sync.js';
import type { BridgeCall } from './bridge.js';
import { LEAD_FILTER_TYPES, leadFilterOf } from './lead-convert.js';
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

/**
 * The leads an MObject's Lead association names, as the emulator's leadIdsFor: by id as given, or
 * by an externalKey naming a lead key (Email, SFDC ids) that REST filters on, newest first.
 * `onBad(message)` for a key name SOAP does not take, or one REST has no filter for.
 */
export async function leadIdsOfAssociation(
  call: BridgeCall,
  a: Pick<MObjAssociation, 'id' | 'externalKey'>,
  onBad: (message: string) => Error,
): Promise<number[]> {
  if (a.id != null) return [a.id];
  const k = a.externalKey;
  if (!k) throw onBad('a Lead association needs an id or an externalKey');
  const name = leadExternalKeyOf(k.name, onBad);
  const keyType = LEAD_EXTERNAL_KEYS[name];
  if (!(keyType in LEAD_FILTER_TYPES))
    throw onBad(`externalKey "${name}" has no equivalent in Marketo's REST API; name the lead by its id`);
  return (await findLeadsByKey(call, keyType, k.value ?? '')).map((l) => l.id);
}
