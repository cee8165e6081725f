import { type ArrayOfAttribute, FAULT, MktowsFault, type ParamsMergeLeads } from '@mktows/protocol';
import { findLeadsByKey } from '../domain/lead-keys.js';
import { mergeLeadsInto } from '../domain/lead-merge.js';
import type { Lead, LeadReader } from '../store/store.js';
import type { Handler } from './context.js';

export const MAX_LOSING_LEADS = 100;

/** A merge key list names one lead: the first attribute is `{attrName: <LeadKeyRef>, attrValue}`. */
async function resolveKey(reader: LeadReader, list: ArrayOfAttribute | undefined, what: string): Promise<Lead> {
  const key = list?.attribute?.[0];
  if (!key) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${what} names no lead key`);
  const [lead] = await findLeadsByKey(reader, key.attrName, key.attrValue);
  return lead;
}

/** Resolves the keys to leads, then merges (domain/lead-merge.ts). */
/** The losers' key lists, checked: at least one (20109), at most 100 (20110). */
export function losingKeyLists(params: ParamsMergeLeads): ArrayOfAttribute[] {
  const losingLists = params.losingLeadKeyLists.keyList ?? [];
  if (losingLists.length === 0)
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'losingLeadKeyLists names no losing lead');
  if (losingLists.length > MAX_LOSING_LEADS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `${losingLists.length} losing leads exceed the limit of ${MAX_LOSING_LEADS}`,
    );
  }
  return losingLists;
}

export const mergeLeads: Handler<'mergeLeads'> = async (params, ctx) => {
  const losingLists = losingKeyLists(params);
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
    const loserIds = await mergeLeadsInto(tx, ctx.schema, winner, losers, {
      now,
      mergeInSales: !!params.mergeInSales,
    });
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
