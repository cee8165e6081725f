import { type ArrayOfAttribute, FAULT, MktowsFault } from '@mktows/protocol';
import { activity, dataValueActivities } from '../domain/activities.js';
import { ACTIVITY } from '../domain/activity-types.js';
import { findLeadsByKey } from '../domain/lead-keys.js';
import type { Lead, LeadReader, NewActivity } from '../store/store.js';
import type { Handler } from './context.js';

export const MAX_LOSING_LEADS = 100;

/** A merge key list names one lead: the first attribute is `{attrName: <LeadKeyRef>, attrValue}`. */
async function resolveKey(reader: LeadReader, list: ArrayOfAttribute | undefined, what: string): Promise<Lead> {
  const key = list?.attribute?.[0];
  if (!key) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${what} names no lead key`);
  const [lead] = await findLeadsByKey(reader, key.attrName, key.attrValue);
  return lead;
}

/**
 * Losers are deleted; their list memberships, activities and cookies move to the winner, and
 * their values fill the winner's empty fields (the winner's own values win).
 */
export const mergeLeads: Handler<'mergeLeads'> = async (params, ctx) => {
  const losingLists = params.losingLeadKeyLists.keyList ?? [];
  if (losingLists.length === 0)
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'losingLeadKeyLists names no losing lead');
  if (losingLists.length > MAX_LOSING_LEADS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `${losingLists.length} losing leads exceed the limit of ${MAX_LOSING_LEADS}`,
    );
  }
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    const winner = await resolveKey(tx, params.winningLeadKeyList, 'winningLeadKeyList');
    const losers: Lead[] = [];
    for (const [i, list] of losingLists.entries()) {
      const loser = await resolveKey(tx, list, `losingLeadKeyLists keyList ${i + 1}`);
      if (loser.id === winner.id)
        throw new MktowsFault(FAULT.BAD_PARAMETER, `Lead ${winner.id} cannot be merged into itself`);
      if (!losers.some((l) => l.id === loser.id)) losers.push(loser);
    }
    const merged: Lead = { ...winner, attributes: { ...winner.attributes }, updatedAt: now };
    const activities: NewActivity[] = [];
    for (const loser of losers) {
      for (const [k, v] of Object.entries(loser.attributes)) {
        if (v === '' || (merged.attributes[k] ?? '') !== '') continue;
        merged.attributes[k] = v;
        const label = ctx.schema.field(k)?.displayName ?? k;
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
        ['Merged in Sales', params.mergeInSales ? 'true' : 'false'],
        ['Master Updated', activities.length ? 'true' : 'false'],
      ]),
    );
    await tx.appendActivities(activities);
    return {
      mergeStatus: {
        winningLeadId: winner.id,
        losingLeadIdList: { integerItem: loserIds },
        status: 'MERGED',
        error: null,
      },
    };
  });
};
