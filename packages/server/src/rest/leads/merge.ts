/**
 * `POST /rest/v1/leads/{leadId}/merge.json?leadId=…|leadIds=…&mergeInCRM=`: the SOAP merge
 * (domain/lead-merge.ts) with the winner in the path. Errors, all before anything changes: no loser
 * given (1002), a loser id that is the winner (1003, SOAP's 20110), more than 25 losers (1003:
 * Adobe's limit since March 2026; its code 1080 has no published message), an id that names no
 * lead (1004, SOAP's 20103), mergeInCRM not a boolean (1001).
 */
import { RestError, restMessage } from '@mktows/protocol';
import { mergeLeadsInto } from '../../domain/lead-merge.js';
import type { LeadSchema } from '../../domain/lead-schema.js';
import type { Lead, Store } from '../../store/store.js';
import { listParam } from '../request.js';
import { leadIdParam } from './associate.js';

export const MAX_MERGE_LOSERS = 25;

function booleanParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  if (v !== 'true' && v !== 'false') throw new RestError(1001, restMessage(1001, v, 'Boolean'));
  return v === 'true';
}

export async function mergeLeads(
  store: Store,
  schema: LeadSchema,
  winnerId: number,
  query: URLSearchParams,
  now: number,
): Promise<void> {
  const ids = [...(listParam(query, 'leadId') ?? []), ...(listParam(query, 'leadIds') ?? [])].map(leadIdParam);
  if (ids.length === 0) throw new RestError(1002, restMessage(1002, 'leadId'));
  if (ids.length > MAX_MERGE_LOSERS)
    throw new RestError(1003, `Too many leadIds: ${ids.length}; the maximum is ${MAX_MERGE_LOSERS}`);
  const mergeInSales = booleanParam(query, 'mergeInCRM');
  if (ids.includes(winnerId)) throw new RestError(1003, `Lead ${winnerId} cannot be merged into itself`);
  const unique = [...new Set(ids)];
  await store.transaction(async (tx) => {
    const found = new Map((await tx.getLeads([winnerId, ...unique])).map((l) => [l.id, l]));
    const winner = found.get(winnerId);
    if (!winner) throw new RestError(1004);
    const losers: Lead[] = [];
    for (const id of unique) {
      const l = found.get(id);
      if (!l) throw new RestError(1004);
      losers.push(l);
    }
    await mergeLeadsInto(tx, schema, winner, losers, { now, mergeInSales });
  });
}
