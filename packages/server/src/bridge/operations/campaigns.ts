/**
 * getCampaignsForSource, requestCampaign and scheduleCampaign on the bridge (MAPPING.md rows 9–11):
 * campaigns by name through `campaigns.json` (cached), runs through `trigger.json` and
 * `schedule.json`. Parameters are checked as the emulator checks them, before any REST call.
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import { assertBatch, assertRequestable, cloneNameTaken } from '../../domain/campaign-runs.js';
import { programTokens } from '../../domain/campaigns.js';
import { soapRefusals } from '../../operations/campaign-faults.js';
import { campaignNameFilter, campaignRecords } from '../../operations/getCampaignsForSource.js';
import { checkRequestCampaign } from '../../operations/requestCampaign.js';
import type { TokenPairs } from '../../store/campaign-store.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdsOfKeys } from '../lead-ids.js';
import { campaignById, campaignByName, campaignFault, triggerableCampaigns } from '../rest-campaigns.js';
import { programByName } from '../rest-programs.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const restTokens = (tokens: TokenPairs) => tokens.map(([name, value]) => ({ name, value }));

/**
 * A refused trigger.json for a campaign given by id: REST says 1013 or 1003 without the campaign's
 * name, so the emulator's words are rebuilt (the campaign read by id on this failure path only).
 */
async function triggerFault(call: BridgeCall, campaignId: number, e: unknown): Promise<unknown> {
  const restCode = (e as { restCode?: number }).restCode;
  if (restCode === 1013) return new MktowsFault(FAULT.CAMPAIGN_NOT_FOUND, `No campaign found with id ${campaignId}`);
  if (restCode === 1003) {
    const campaign = await campaignById(call, campaignId);
    if (campaign) {
      try {
        await soapRefusals(async () =>
          assertRequestable({ ...campaign, sources: ['MKTOWS'] }, 'MKTOWS', 'requestCampaign'),
        );
      } catch (refusal) {
        return refusal;
      }
    }
  }
  return campaignFault(e);
}

export const getCampaignsForSource: BridgeOperation<'getCampaignsForSource'> = {
  rest: ['GET /rest/v1/campaigns.json?isTriggerable=true&batchSize=300 (every page; `name` filtered locally)'],
  differences: [
    'source SALES: an empty list (returnCount 0). REST cannot tell which campaigns Sales Insight may request.',
    'The whole list is read for every call, even with a name: REST filters names exactly and per campaign, SOAP by a substring of `Program.Campaign`.',
  ],
  handler: async (params, ctx) => {
    if (params.source !== 'MKTOWS') return campaignRecords([]);
    const matches = campaignNameFilter(params);
    return campaignRecords((await triggerableCampaigns(bridgeOf(ctx))).filter(matches));
  },
};

export const requestCampaign: BridgeOperation<'requestCampaign'> = {
  rest: [
    'GET /rest/v1/campaigns.json?name=<campaignName>&programName=<programName> (cached; not with campaignId)',
    'GET /rest/v1/leads.json?filterType=<key type>&filterValues=<values>&fields=id (keys other than IDNUM)',
    'POST /rest/v1/campaigns/{id}/trigger.json {input:{leads:[{id}], tokens:[{name, value}]}}',
    'Faults only: GET /rest/asset/v1/program/byName.json?name=<programName> (campaign not found: is the program missing?); GET /rest/v1/campaigns/{id}.json (trigger.json refused a campaign given by id: its name for the fault)',
  ],
  differences: [
    'source SALES: 20110. REST requests campaigns only as the Web Service API.',
    'A LEADOWNEREMAIL key is 20110: REST has no lead filter for it (the emulator answers 20108 for an owner it does not know).',
    'With campaignId, a key matching no lead is 20103 even when the campaign does not exist or is not requestable (REST is asked about the campaign last).',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { keys, tokens } = checkRequestCampaign(params);
    if (params.source !== 'MKTOWS') {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `requestCampaign from source ${echo(params.source)} has no equivalent in Marketo's REST API; use MKTOWS`,
      );
    }
    const byId = params.campaignId != null;
    let campaignId = params.campaignId;
    if (campaignId == null) {
      const campaign = await campaignByName(call, params.programName ?? '', params.campaignName ?? '');
      await soapRefusals(async () =>
        assertRequestable({ ...campaign, sources: ['MKTOWS'] }, 'MKTOWS', 'requestCampaign'),
      );
      campaignId = campaign.id;
    }
    const leadIds: number[] = [];
    const found = await leadIdsOfKeys(call, keys);
    for (const [i, ids] of found.entries()) {
      const k = keys[i];
      if (ids.length === 0)
        throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with ${k.keyType} = ${echo(k.keyValue)}`);
      for (const id of ids) if (!leadIds.includes(id)) leadIds.push(id);
    }
    try {
      await call.rest({
        method: 'POST',
        path: `/rest/v1/campaigns/${campaignId}/trigger.json`,
        json: {
          input: { leads: leadIds.map((id) => ({ id })), ...(tokens.length ? { tokens: restTokens(tokens) } : {}) },
        },
      });
    } catch (e) {
      throw byId ? await triggerFault(call, campaignId, e) : campaignFault(e);
    }
    return { success: true };
  },
};

export const scheduleCampaign: BridgeOperation<'scheduleCampaign'> = {
  rest: [
    'GET /rest/v1/campaigns.json?name=<campaignName>&programName=<programName> (cached)',
    'cloneToProgramName: GET /rest/asset/v1/program/byName.json?name=<cloneToProgramName> (a taken name is refused before scheduling)',
    'POST /rest/v1/campaigns/{id}/schedule.json {input:{runAt, tokens, cloneToProgramName}}',
    'Faults only: GET /rest/asset/v1/program/byName.json?name=<programName> (campaign not found: is the program missing?)',
  ],
  differences: [
    'Without campaignRunAt, or with one less than five minutes ahead, the run starts five minutes after the call: REST never schedules sooner (SOAP ran it at once).',
    "A runAt more than two years ahead (REST 1042) and the daily cloneToProgramName allowance (REST 1020; 20 a day on REST, 10 on SOAP) are 20110 with REST's message.",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const programName = params.programName.trim();
    const campaignName = params.campaignName.trim();
    if (!programName) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'paramsScheduleCampaign.programName is required');
    if (!campaignName)
      throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'paramsScheduleCampaign.campaignName is required');
    const tokens = programTokens(params.programTokenList);
    const campaign = await campaignByName(call, programName, campaignName);
    await soapRefusals(async () => assertBatch(campaign, 'scheduleCampaign'));
    const cloneTo = params.cloneToProgramName?.trim();
    if (cloneTo) {
      // Checked first, as the emulator refuses a taken name with 20110 (REST's code for it is not documented).
      const taken = await programByName(call, cloneTo);
      if (taken) {
        await soapRefusals(async () => {
          throw cloneNameTaken(taken.name);
        });
      }
    }
    try {
      await call.rest({
        method: 'POST',
        path: `/rest/v1/campaigns/${campaign.id}/schedule.json`,
        json: {
          input: {
            ...(params.campaignRunAt ? { runAt: params.campaignRunAt.toISOString() } : {}),
            ...(tokens.length ? { tokens: restTokens(tokens) } : {}),
            ...(cloneTo ? { cloneToProgramName: cloneTo } : {}),
          },
        },
      });
    } catch (e) {
      throw campaignFault(e);
    }
    return { success: true };
  },
};
