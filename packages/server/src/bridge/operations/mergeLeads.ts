/**
 * mergeLeads on the bridge (MAPPING.md row 5): every key to a lead id through `leads.json` (20103
 * when one names none, before anything is merged), then `POST /rest/v1/leads/{winner}/merge.json`
 * with at most 25 losers per call (Marketo's limit since 2026-03-31, REST error 1080 beyond).
 * A merge REST refuses is a FAILED mergeStatus with REST's reason, not a fault.
 */
import { type ArrayOfAttribute, FAULT, type MergeStatus, MktowsFault } from '@mktows/protocol';
import { losingKeyLists } from '../../operations/mergeLeads.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdByKey } from '../lead-lookup.js';
import { UpstreamFault } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** Losers per `merge.json` call. */
export const REST_MAX_LOSERS = 25;

export const mergeLeads: BridgeOperation<'mergeLeads'> = {
  rest: [
    'GET /rest/v1/leads.json?filterType=<key type>&filterValues=<key value>&fields=id,updatedAt for the winner and each loser (a key naming several leads picks the one updated last, as the emulator does)',
    'POST /rest/v1/leads/{winnerId}/merge.json?leadIds=<≤25 loser ids>[&mergeInCRM=true], once per 25 losers',
  ],
  differences: [
    'A merge REST refuses (a 7xx or 1xxx error, e.g. 1004, 1080) answers mergeStatus FAILED with "<code> <message>" as error; losers merged by an earlier call of the same request stay merged, and the error says which.',
    'LEADOWNEREMAIL keys: 20110 (REST has no filter for them).',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const losingLists = losingKeyLists(params);
    const winner = await resolveKey(call, params.winningLeadKeyList, 'winningLeadKeyList');
    const losers: number[] = [];
    for (const [i, list] of losingLists.entries()) {
      const loser = await resolveKey(call, list, `losingLeadKeyLists keyList ${i + 1}`);
      if (loser === winner) throw new MktowsFault(FAULT.BAD_PARAMETER, `Lead ${winner} cannot be merged into itself`);
      if (!losers.includes(loser)) losers.push(loser);
    }
    const status: MergeStatus = {
      winningLeadId: winner,
      losingLeadIdList: { integerItem: losers },
      status: 'MERGED',
      error: null,
    };
    for (let k = 0; k < losers.length; k += REST_MAX_LOSERS) {
      try {
        await call.rest({
          method: 'POST',
          path: `/rest/v1/leads/${winner}/merge.json`,
          query: { leadIds: losers.slice(k, k + REST_MAX_LOSERS), mergeInCRM: params.mergeInSales ? true : undefined },
        });
      } catch (e) {
        // 6xx are the instance's limits and outages: faults as for any call. The rest refuse this merge.
        if (!(e instanceof UpstreamFault && e.restCode >= 700)) throw e;
        const done = k > 0 ? ` (leads ${losers.slice(0, k).join(',')} were merged already)` : '';
        return { mergeStatus: { ...status, status: 'FAILED', error: `${e.restCode} ${e.restMessage}${done}` } };
      }
    }
    return { mergeStatus: status };
  },
};

/** A merge key list names one lead: its first attribute is `{attrName: <key type>, attrValue}`. */
async function resolveKey(call: BridgeCall, list: ArrayOfAttribute | undefined, what: string): Promise<number> {
  const key = list?.attribute?.[0];
  if (!key) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${what} names no lead key`);
  return leadIdByKey(call, key.attrName, key.attrValue ?? '');
}
