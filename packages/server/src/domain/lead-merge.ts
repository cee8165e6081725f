/**
 * Merging leads (SOAP mergeLeads, REST leads/{id}/merge.json): losers are deleted; their list
 * memberships, activities and cookies move to the winner, and their values fill the winner's empty
 * fields (the winner's own values win). Runs inside a store transaction supplied by the caller.
 */
import type { Lead, NewActivity, StoreTx } from '../store/store.js';
import { activity, dataValueActivities } from './activities.js';
import { ACTIVITY } from './activity-types.js';
import type { LeadSchema } from './lead-schema.js';

/** Merges `losers` (distinct, none the winner) into `winner`; answers the losers' ids. */
export async function mergeLeadsInto(
  tx: StoreTx,
  schema: LeadSchema,
  winner: Lead,
  losers: readonly Lead[],
  opts: { now: number; mergeInSales: boolean },
): Promise<number[]> {
  const { now } = opts;
  const merged: Lead = { ...winner, attributes: { ...winner.attributes }, updatedAt: now };
  const activities: NewActivity[] = [];
  for (const loser of losers) {
    for (const [k, v] of Object.entries(loser.attributes)) {
      if (v === '' || (merged.attributes[k] ?? '') !== '') continue;
      merged.attributes[k] = v;
      const label = schema.field(k)?.displayName ?? k;
      activities.push(...dataValueActivities(winner.id, k, label, '', v, now, 'Merge Leads'));
    }
    if (!merged.email && loser.email) merged.email = loser.email;
    if (!merged.foreignSysPersonId && loser.foreignSysPersonId) {
      merged.foreignSysPersonId = loser.foreignSysPersonId;
      merged.foreignSysType = loser.foreignSysType;
    }
    if (merged.ownerId === null) merged.ownerId = loser.ownerId;
  }
  const loserIds = losers.map((l) => l.id);
  await tx.moveLeadData(loserIds, winner.id);
  // Losers go first so that a foreign id they carried can move to the winner.
  await tx.deleteLeads(loserIds);
  await tx.updateLead(merged);
  activities.push(
    activity(ACTIVITY.MergeLeads, winner.id, now, [
      ['Merge ids', loserIds.join(',')],
      ['Merged in Sales', opts.mergeInSales ? 'true' : 'false'],
      ['Master Updated', activities.length ? 'true' : 'false'],
    ]),
  );
  await tx.appendActivities(activities);
  return loserIds;
}
