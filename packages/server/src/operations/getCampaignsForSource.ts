import type { CampaignRecord } from '@mktows/protocol';
import { campaignFullName } from '../domain/campaigns.js';
import type { Handler } from './context.js';

/**
 * Trigger campaigns that may be requested from the source (their "Campaign is Requested" trigger
 * names it), as `Program Name.Campaign Name`. `name` filters: a case-insensitive substring of the
 * full name, or with `exactName` the full name or the campaign's own name, case-insensitively.
 */
export const getCampaignsForSource: Handler<'getCampaignsForSource'> = async (params, ctx) => {
  const filter = params.name?.trim().toLowerCase() ?? '';
  const exact = params.exactName === true;
  const records: CampaignRecord[] = [];
  for (const c of await ctx.store.campaigns.listCampaigns()) {
    if (c.kind !== 'trigger' || !c.sources.includes(params.source)) continue;
    const full = campaignFullName(c);
    if (filter) {
      const hit = exact
        ? full.toLowerCase() === filter || c.name.toLowerCase() === filter
        : full.toLowerCase().includes(filter);
      if (!hit) continue;
    }
    records.push({ id: c.id, name: full, description: c.description });
  }
  return { returnCount: records.length, campaignRecordList: records.length ? { campaignRecord: records } : null };
};
