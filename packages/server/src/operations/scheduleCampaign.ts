import { echo, FAULT, MktowsFault, quotaDay } from '@mktows/protocol';
import { campaignByName, describeCampaign, programTokens, recordRun } from '../domain/campaigns.js';
import type { Handler } from './context.js';

/** Marketo's limit of scheduleCampaign calls with cloneToProgramName, per user and quota day. */
export const MAX_CLONES_PER_DAY = 10;

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
  if (campaign.kind !== 'batch') {
    throw new MktowsFault(
      FAULT.CAMPAIGN_NOT_FOUND,
      `${describeCampaign(campaign)} is a trigger campaign; scheduleCampaign schedules batch campaigns only (use requestCampaign)`,
    );
  }
  const tokens = programTokens(params.programTokenList);
  const cloneTo = params.cloneToProgramName?.trim() || null;
  const now = ctx.now();
  const day = quotaDay(now, ctx.quotaTimeZone ?? 'America/Chicago');
  const runAt = params.campaignRunAt ? params.campaignRunAt.getTime() : now;

  await ctx.store.transaction(async (tx) => {
    let target = campaign;
    if (cloneTo) {
      // Counted inside the transaction, so concurrent calls cannot pass the limit together.
      if ((await tx.campaigns.countCloneRuns(ctx.userId, day)) >= MAX_CLONES_PER_DAY) {
        throw new MktowsFault(
          FAULT.BAD_PARAMETER,
          `cloneToProgramName: the limit of ${MAX_CLONES_PER_DAY} clone calls per day is reached`,
        );
      }
      const taken = await tx.campaigns.findProgram(cloneTo);
      if (taken)
        throw new MktowsFault(
          FAULT.BAD_PARAMETER,
          `cloneToProgramName: a program named "${echo(taken.name)}" already exists`,
        );
      const source = await tx.campaigns.findProgram(campaign.programName);
      if (!source)
        throw new MktowsFault(
          FAULT.CAMPAIGN_NOT_FOUND,
          `No campaign "${echo(campaignName)}" found: no program named "${echo(programName)}"`,
        );
      const copy = await tx.campaigns.cloneProgram(source, cloneTo, now);
      const cloned = await tx.campaigns.findCampaign(copy.id, campaign.name);
      if (!cloned) throw new Error(`cloned program ${copy.name} lacks campaign ${campaign.name}`);
      target = cloned;
    }
    await recordRun(tx, target, {
      operation: 'scheduleCampaign',
      source: null,
      userId: ctx.userId,
      leadIds: [],
      tokens,
      runAt,
      createdAt: now,
      quotaDay: day,
      clonedFrom: cloneTo ? campaign.programName : null,
      cloneToProgram: cloneTo,
    });
  });
  return { success: true };
};
