import { FAULT, MktowsFault } from '@mktows/protocol';
import { assertBatch, scheduleRun } from '../domain/campaign-runs.js';
import { campaignByName, programTokens } from '../domain/campaigns.js';
import { soapRefusals } from './campaign-faults.js';
import type { Handler } from './context.js';

/**
 * Schedules a batch campaign now or at `campaignRunAt`, with tokens for that run. With
 * `cloneToProgramName` the campaign's program (its campaigns and lists) is first copied under that
 * name and the copy's campaign is scheduled; at most 10 such calls per user and quota day (our code
 * for the limit: 20110), and a name already taken is 20110.
 */
export const scheduleCampaign: Handler<'scheduleCampaign'> = async (params, ctx) => {
  const programName = params.programName.trim();
  const campaignName = params.campaignName.trim();
  if (!programName) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'paramsScheduleCampaign.programName is required');
  if (!campaignName) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'paramsScheduleCampaign.campaignName is required');
  const campaign = await campaignByName(ctx.store.campaigns, programName, campaignName);
  const now = ctx.now();
  await soapRefusals(async () => {
    assertBatch(campaign, 'scheduleCampaign');
    return scheduleRun(ctx.store, campaign, {
      userId: ctx.userId,
      tokens: programTokens(params.programTokenList),
      now,
      quotaTimeZone: ctx.quotaTimeZone ?? 'America/Chicago',
      runAt: params.campaignRunAt ? params.campaignRunAt.getTime() : now,
      cloneTo: params.cloneToProgramName?.trim() || null,
    });
  });
  return { success: true };
};
