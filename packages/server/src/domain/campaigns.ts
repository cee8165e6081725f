/**
 * Smart campaigns: finding one by id or by program and name (20113), checking My Token names, and
 * recording a run (requestCampaign, scheduleCampaign) with its Request Campaign activities. A run is
 * what this server does instead of executing the campaign's flow: it is kept, with the leads and
 * the tokens that would have applied, and shown by GET /_mktows/campaign-runs.
 */
import { type ArrayOfAttrib, echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { Campaign, CampaignReads, CampaignRun, NewCampaignRun, TokenPairs } from '../store/campaign-store.js';
import type { NewActivity, StoreTx } from '../store/store.js';
import { activity } from './activities.js';
import { ACTIVITY, API_SOURCE } from './activity-types.js';

/** `Program Name.Campaign Name`, as getCampaignsForSource and activities name a campaign. */
export function campaignFullName(c: Pick<Campaign, 'programName' | 'name'>): string {
  return `${c.programName}.${c.name}`;
}

/** A My Token name as Marketo writes it: `{{my.name}}`. */
export const MY_TOKEN = /^\{\{my\.[^{}]+\}\}$/i;

/** What the Request Campaign activity names as its source, by ReqCampSourceType. */
const SOURCE_NAME: Record<string, string> = { MKTOWS: API_SOURCE, SALES: 'Sales Insight' };

/** programTokenList as ordered pairs; a name that is not `{{my.name}}` is 20110. */
export function programTokens(list: ArrayOfAttrib | null | undefined): TokenPairs {
  const out = new Map<string, string>();
  for (const a of list?.attrib ?? []) {
    const name = (a.name ?? '').trim();
    if (!MY_TOKEN.test(name)) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `programTokenList: "${echo(name)}" is not a My Token name like {{my.name}}`,
      );
    }
    out.set(name, a.value ?? '');
  }
  return [...out];
}

/** A campaign of a program by names; 20113 naming what was not found. */
export async function campaignByName(
  reads: CampaignReads,
  programName: string,
  campaignName: string,
): Promise<Campaign> {
  const program = await reads.findProgram(programName);
  if (!program)
    throw new MktowsFault(
      FAULT.CAMPAIGN_NOT_FOUND,
      `No campaign "${echo(campaignName)}" found: no program named "${echo(programName)}"`,
    );
  const campaign = await reads.findCampaign(program.id, campaignName);
  if (!campaign) {
    throw new MktowsFault(
      FAULT.CAMPAIGN_NOT_FOUND,
      `No campaign "${echo(campaignName)}" found in program "${program.name}"`,
    );
  }
  return campaign;
}

export function describeCampaign(c: Campaign): string {
  return `Campaign "${campaignFullName(c)}" (id ${c.id})`;
}

/**
 * Records a run and, for requested campaigns, one Request Campaign activity per lead. The per-lead
 * tokens importToList left for the campaign are used up by this run (for its leads, or all of them
 * for a scheduled batch run).
 */
export async function recordRun(
  tx: StoreTx,
  campaign: Campaign,
  run: Omit<NewCampaignRun, 'campaignId' | 'campaignName' | 'leadTokens'>,
): Promise<CampaignRun> {
  const waiting = await tx.campaigns.takeLeadTokens(
    campaign.id,
    run.operation === 'requestCampaign' ? run.leadIds : undefined,
  );
  const leadTokens: Record<string, TokenPairs> = {};
  for (const [leadId, tokens] of waiting) leadTokens[String(leadId)] = tokens;
  const name = campaignFullName(campaign);
  const saved = await tx.campaigns.recordCampaignRun({
    ...run,
    campaignId: campaign.id,
    campaignName: name,
    leadTokens,
  });
  if (run.leadIds.length) {
    const source = SOURCE_NAME[run.source ?? 'MKTOWS'] ?? API_SOURCE;
    const activities: NewActivity[] = run.leadIds.map((leadId) =>
      activity(
        ACTIVITY.RequestCampaign,
        leadId,
        run.createdAt,
        [
          ['Campaign ID', String(campaign.id)],
          ['Source', source],
        ],
        { asset: name, campaign: name },
      ),
    );
    await tx.appendActivities(activities);
  }
  return saved;
}
