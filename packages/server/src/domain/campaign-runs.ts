/**
 * Running a campaign, whichever API asked: SOAP requestCampaign/scheduleCampaign and REST
 * campaigns/{id}/trigger.json and schedule.json call these, so the run, its Request Campaign
 * activities and a program clone are the same. Each API words the refusals in its own codes:
 * a refusal carries a kind and one message both use.
 */
import { echo, quotaDay } from '@mktows/protocol';
import type { Campaign, CampaignRun, TokenPairs } from '../store/campaign-store.js';
import type { Store, StoreTx } from '../store/store.js';
import { campaignFullName, describeCampaign, recordRun } from './campaigns.js';

/** Marketo's limit of leads per request (SOAP lead keys, REST lead ids); more is refused by both APIs. */
export const MAX_CAMPAIGN_LEADS = 100;

/** Marketo's limit of scheduleCampaign calls with a clone, per user (REST: per client) and quota day. */
export const MAX_CLONES_PER_DAY = 10;

export type RefusalKind = 'not-requestable' | 'not-batch' | 'clone-limit' | 'clone-name-taken' | 'campaign-gone';

/** A campaign that cannot run as asked; SOAP answers 20113/20110, REST 1003/1020. */
export class CampaignRefusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'CampaignRefusal';
  }
}

/**
 * The campaigns a source may request: trigger campaigns whose "Campaign is Requested" trigger names
 * it. REST's trigger.json is the Web Service API source, MKTOWS; a SALES-only campaign (Sales
 * Insight) is not triggerable through REST.
 */
export function isRequestable(c: Campaign, source: string): boolean {
  return c.kind === 'trigger' && c.sources.includes(source);
}

/** Refuses a campaign that cannot be requested from `source`: a batch one, or one without that source. */
export function assertRequestable(c: Campaign, source: string, verb: string): void {
  if (c.kind !== 'trigger')
    throw new CampaignRefusal(
      'not-requestable',
      `${describeCampaign(c)} is a batch campaign; ${verb} runs trigger campaigns (use scheduleCampaign)`,
    );
  if (!c.sources.includes(source))
    throw new CampaignRefusal('not-requestable', `${describeCampaign(c)} cannot be requested from source ${source}`);
}

/** cloneToProgramName names a program that exists (`name` as the program is spelt). */
export function cloneNameTaken(name: string): CampaignRefusal {
  return new CampaignRefusal('clone-name-taken', `cloneToProgramName: a program named "${echo(name)}" already exists`);
}

export function assertBatch(c: Campaign, verb: string): void {
  if (c.kind !== 'batch')
    throw new CampaignRefusal(
      'not-batch',
      `${describeCampaign(c)} is a trigger campaign; ${verb} schedules batch campaigns only (use requestCampaign)`,
    );
}

interface RunBy {
  userId: string;
  tokens: TokenPairs;
  now: number;
  quotaTimeZone: string;
}

/** Records a requested run for the leads `leadsOf` finds inside the transaction. */
export async function requestRun(
  store: Store,
  campaign: Campaign,
  source: string,
  by: RunBy,
  leadsOf: (tx: StoreTx) => Promise<number[]>,
): Promise<CampaignRun> {
  return store.transaction(async (tx) =>
    recordRun(tx, campaign, {
      operation: 'requestCampaign',
      source,
      userId: by.userId,
      leadIds: await leadsOf(tx),
      tokens: by.tokens,
      runAt: by.now,
      createdAt: by.now,
      quotaDay: quotaDay(by.now, by.quotaTimeZone),
      clonedFrom: null,
      cloneToProgram: null,
    }),
  );
}

/**
 * Records a scheduled run at `runAt`; with `cloneTo`, the campaign's program (campaigns and lists)
 * is first copied under that name and the copy's campaign is scheduled.
 */
export async function scheduleRun(
  store: Store,
  campaign: Campaign,
  by: RunBy & { runAt: number; cloneTo: string | null },
): Promise<CampaignRun> {
  const day = quotaDay(by.now, by.quotaTimeZone);
  return store.transaction(async (tx) => {
    let target = campaign;
    if (by.cloneTo) {
      // Counted inside the transaction, so concurrent calls cannot pass the limit together.
      if ((await tx.campaigns.countCloneRuns(by.userId, day)) >= MAX_CLONES_PER_DAY)
        throw new CampaignRefusal(
          'clone-limit',
          `cloneToProgramName: the limit of ${MAX_CLONES_PER_DAY} clone calls per day is reached`,
        );
      const taken = await tx.campaigns.findProgram(by.cloneTo);
      if (taken) throw cloneNameTaken(taken.name);
      const source = await tx.campaigns.findProgram(campaign.programName);
      if (!source)
        throw new CampaignRefusal('campaign-gone', `${campaignFullName(campaign)}: its program no longer exists`);
      const copy = await tx.campaigns.cloneProgram(source, by.cloneTo, by.now);
      const cloned = await tx.campaigns.findCampaign(copy.id, campaign.name);
      if (!cloned) throw new Error(`cloned program ${copy.name} lacks campaign ${campaign.name}`);
      target = cloned;
    }
    return recordRun(tx, target, {
      operation: 'scheduleCampaign',
      source: null,
      userId: by.userId,
      leadIds: [],
      tokens: by.tokens,
      runAt: by.runAt,
      createdAt: by.now,
      quotaDay: day,
      clonedFrom: by.cloneTo ? campaign.programName : null,
      cloneToProgram: by.cloneTo,
    });
  });
}
