import { echo, FAULT, type LeadKey, MktowsFault, type ParamsRequestCampaign } from '@mktows/protocol';
import { assertRequestable, MAX_CAMPAIGN_LEADS, requestRun } from '../domain/campaign-runs.js';
import { campaignByName, programTokens } from '../domain/campaigns.js';
import { findLeadsByKey } from '../domain/lead-keys.js';
import type { Campaign, TokenPairs } from '../store/campaign-store.js';
import { soapRefusals } from './campaign-faults.js';
import type { Handler } from './context.js';

/**
 * Checks a requestCampaign call before anything is looked up: `campaignId` alone, or `programName`
 * + `campaignName` (missing parts 20109, conflicting parts 20110), 1 to 100 lead keys (20101,
 * 20110), My Token names (20110). Answers the lead keys and the tokens.
 */
export function checkRequestCampaign(params: ParamsRequestCampaign): { keys: LeadKey[]; tokens: TokenPairs } {
  const { campaignId, programName, campaignName } = params;
  const hasTokens = (params.programTokenList?.attrib?.length ?? 0) > 0;
  if (campaignId != null) {
    if (campaignName) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `campaignId ${campaignId} and campaignName "${echo(campaignName)}" cannot both be given`,
      );
    }
    if (programName) {
      throw new MktowsFault(FAULT.BAD_PARAMETER, 'programName is only used with campaignName, not with campaignId');
    }
    if (hasTokens) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        'programTokenList is only used with programName and campaignName, not with campaignId',
      );
    }
  } else if (!campaignName) {
    throw new MktowsFault(
      FAULT.PARAMETER_REQUIRED,
      'requestCampaign needs campaignId, or programName and campaignName',
    );
  } else if (!programName) {
    throw new MktowsFault(
      FAULT.PARAMETER_REQUIRED,
      `programName is required with campaignName "${echo(campaignName)}"`,
    );
  }

  const keys = params.leadList?.leadKey ?? [];
  if (keys.length === 0) throw new MktowsFault(FAULT.LEAD_KEY_REQUIRED, 'requestCampaign: leadList holds no leadKey');
  if (keys.length > MAX_CAMPAIGN_LEADS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `requestCampaign: leadList holds ${keys.length} lead keys; the limit is ${MAX_CAMPAIGN_LEADS}`,
    );
  }
  return { keys, tokens: programTokens(params.programTokenList) };
}

/**
 * Runs leads through a trigger campaign: `campaignId` alone, or `programName` + `campaignName` (with
 * optional `programTokenList`). Missing parts of a set are 20109, conflicting parts 20110. The
 * campaign must be a trigger campaign requestable from `source` (else 20113); every lead key must
 * match (20103). The run is recorded and each lead gets a Request Campaign activity.
 */
export const requestCampaign: Handler<'requestCampaign'> = async (params, ctx) => {
  const { campaignId, programName, campaignName } = params;
  const { keys, tokens } = checkRequestCampaign(params);
  let campaign: Campaign;
  if (campaignId != null) {
    const found = await ctx.store.campaigns.getCampaign(campaignId);
    if (!found) throw new MktowsFault(FAULT.CAMPAIGN_NOT_FOUND, `No campaign found with id ${campaignId}`);
    campaign = found;
  } else {
    campaign = await campaignByName(ctx.store.campaigns, programName as string, campaignName as string);
  }
  await soapRefusals(async () => {
    assertRequestable(campaign, params.source, 'requestCampaign');
    return requestRun(
      ctx.store,
      campaign,
      params.source,
      { userId: ctx.userId, tokens, now: ctx.now(), quotaTimeZone: ctx.quotaTimeZone ?? 'America/Chicago' },
      async (tx) => {
        const leadIds: number[] = [];
        for (const key of keys) {
          for (const lead of await findLeadsByKey(tx, key.keyType, key.keyValue)) {
            if (!leadIds.includes(lead.id)) leadIds.push(lead.id);
          }
        }
        return leadIds;
      },
    );
  });
  return { success: true };
};
