import type { CampaignRecord, ParamsGetCampaignsForSource, ResultGetCampaignsForSource } from '@mktows/protocol';
import { campaignFullName } from '../domain/campaigns.js';
import type { Campaign } from '../store/campaign-store.js';
import type { Handler } from './context.js';

/**
 * Trigger campaigns that may be requested from the source (their "Campaign is Requested" trigger
 * names it), as `Program Name.Campaign Name`. `name` filters: a case-insensitive substring of the
 * full name, or with `exactName` the full name or the campaign's own name, case-insensitively.
 */
export const getCampaignsForSource: Handler<'getCampaignsForSource'> = async (params, ctx) => {
  const matches = campaignNameFilter(params);
  const found = (await ctx.store.campaigns.listCampaigns()).filter(
    (c) => c.kind === 'trigger' && c.sources.includes(params.source) && matches(c),
  );
  return campaignRecords(found);
};

/** getCampaignsForSource's `name` and `exactName` as a test on a campaign. */
export function campaignNameFilter(
  params: Pick<ParamsGetCampaignsForSource, 'name' | 'exactName'>,
): (c: Pick<Campaign, 'programName' | 'name'>) => boolean {
  const filter = params.name?.trim().toLowerCase() ?? '';
  const exact = params.exactName === true;
  return (c) => {
    if (!filter) return true;
    const full = campaignFullName(c).toLowerCase();
    return exact ? full === filter || c.name.toLowerCase() === filter : full.includes(filter);
  };
}

/** The answer: each campaign as `{id, Program.Campaign, description}`; the list nil when empty. */
export function campaignRecords(
  campaigns: readonly Pick<Campaign, 'id' | 'programName' | 'name' | 'description'>[],
): ResultGetCampaignsForSource {
  const records: CampaignRecord[] = campaigns.map((c) => ({
    id: c.id,
    name: campaignFullName(c),
    description: c.description,
  }));
  return { returnCount: records.length, campaignRecordList: records.length ? { campaignRecord: records } : null };
}
