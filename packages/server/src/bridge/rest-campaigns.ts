/**
 * Smart campaigns on the instance (MAPPING.md B6, rows 9–11): by program and name through
 * `GET /rest/v1/campaigns.json` (cached as `campaign`), and REST's campaign JSON as the emulator's
 * Campaign, so that the bridge refuses a campaign of the wrong kind with the emulator's words.
 */
import type { Campaign as RestCampaign } from '@mktows/client';
import { FAULT, MktowsFault } from '@mktows/protocol';
import type { Campaign } from '../store/campaign-store.js';
import type { BridgeCall } from './bridge.js';
import { notFoundInProgram } from './rest-programs.js';

/**
 * REST's campaign as a Campaign. `sources` is not in REST's JSON: a campaign listed by
 * `isTriggerable=true` is requestable from the Web Service API (MKTOWS); nothing else is known.
 */
export function campaignOf(c: RestCampaign, triggerable = false): Campaign {
  return {
    id: Number(c.id),
    programId: Number(c.programId ?? 0),
    programName: c.programName ?? '',
    name: c.name,
    kind: c.type === 'batch' ? 'batch' : 'trigger',
    sources: triggerable ? ['MKTOWS'] : [],
    description: c.description ?? '',
  };
}

/** Campaign `campaignName` of program `programName`, or 20113. */
export function campaignByName(call: BridgeCall, programName: string, campaignName: string): Promise<Campaign> {
  return call.bridge.cache<Campaign>('campaign').get(`${programName}\u0000${campaignName}`, async () => {
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/campaigns.json',
      query: { name: campaignName, programName },
    });
    const [found] = (body.result ?? []) as RestCampaign[];
    if (!found) {
      throw new MktowsFault(
        FAULT.CAMPAIGN_NOT_FOUND,
        await notFoundInProgram(call, 'campaign', campaignName, programName),
      );
    }
    return campaignOf(found);
  });
}

/** Campaign `id` (`GET /rest/v1/campaigns/{id}.json`), or undefined. */
export async function campaignById(call: BridgeCall, id: number): Promise<Campaign | undefined> {
  try {
    const body = await call.rest({ method: 'GET', path: `/rest/v1/campaigns/${id}.json` });
    const [found] = (body.result ?? []) as RestCampaign[];
    return found ? campaignOf(found) : undefined;
  } catch (e) {
    if ((e as { restCode?: number }).restCode === 1013) return undefined;
    throw e;
  }
}

/** Every campaign requestable from the Web Service API, all pages of `isTriggerable=true`. */
export async function triggerableCampaigns(call: BridgeCall): Promise<Campaign[]> {
  const out: Campaign[] = [];
  let nextPageToken: string | undefined;
  do {
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/campaigns.json',
      query: { isTriggerable: true, batchSize: 300, nextPageToken },
    });
    for (const c of (body.result ?? []) as RestCampaign[]) out.push(campaignOf(c, true));
    nextPageToken = body.moreResult === false ? undefined : body.nextPageToken;
  } while (nextPageToken);
  return out;
}

/** A REST failure of a campaign call, with the campaign meaning of its codes (MAPPING.md rows 10, 11). */
export function campaignFault(e: unknown): unknown {
  const restCode = (e as { restCode?: number }).restCode;
  const detail = (e as { detail?: string }).detail ?? String(e);
  // 1013: no such campaign; 1003: not one this call may run (batch vs trigger, inactive, source).
  if (restCode === 1013 || restCode === 1003) return new MktowsFault(FAULT.CAMPAIGN_NOT_FOUND, detail);
  // 1004: a lead id that names no lead (requestCampaign with IDNUM keys).
  if (restCode === 1004) return new MktowsFault(FAULT.LEAD_NOT_FOUND, detail);
  // 1042: runAt more than two years ahead; 1020: the daily cloneToProgramName allowance (decision).
  if (restCode === 1042 || restCode === 1020) return new MktowsFault(FAULT.BAD_PARAMETER, detail);
  return e;
}
