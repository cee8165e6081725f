/**
 * The lead database's campaigns: list and by id, trigger.json (SOAP requestCampaign's twin) and
 * schedule.json (scheduleCampaign's). Runs go through domain/campaign-runs.ts, so a run, its
 * Request Campaign activities and a clone are the same whichever API asked.
 *
 * Triggerability: trigger.json is the "Web Service API" source of a Campaign is Requested trigger,
 * the seed's MKTOWS source. A trigger campaign requestable only from SALES (Sales Insight) is not
 * triggerable here (1003), nor listed by `isTriggerable=true`; `isTriggerable=false` filters nothing
 * (Marketo documents only `true`).
 */
import { RestError } from '@mktows/protocol';
import {
  assertBatch,
  assertRequestable,
  CampaignRefusal,
  isRequestable,
  requestRun,
  scheduleRun,
} from '../../domain/campaign-runs.js';
import type { Campaign } from '../../store/campaign-store.js';
import type { Store } from '../../store/store.js';
import { loadCatalog } from '../assets/catalog.js';
import { page } from '../leads/query.js';
import { boolParam, idParam } from '../params.js';
import { listParam } from '../request.js';
import type { RestContext, RestRoute } from '../route.js';
import { campaignJson } from './campaign-json.js';
import { cloneTo, leadIds, runAt, runInput, runTokens } from './run-input.js';

/** The SOAP source REST calls request from. */
const WEB_SERVICE_API = 'MKTOWS';

async function campaignById(store: Store, idText: string): Promise<Campaign> {
  const c = await store.campaigns.getCampaign(idParam(idText));
  if (!c) throw new RestError(1013, 'Campaign not found');
  return c;
}

/** A refusal as REST words it: the daily clone limit is 1020, the rest is invalid data (1003). */
async function restRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CampaignRefusal) throw new RestError(e.kind === 'clone-limit' ? 1020 : 1003, e.message);
    throw e;
  }
}

function runBy(ctx: RestContext) {
  return { userId: ctx.clientId, now: ctx.now, quotaTimeZone: ctx.rt.config.quotaTimeZone };
}

const lower = (v: string[] | undefined) => v?.map((x) => x.toLowerCase());

export const CAMPAIGN_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/campaigns.json',
    operationId: 'getCampaignsUsingGET',
    handler: async (req, { rt }) => {
      const ids = listParam(req.query, 'id')?.map(idParam);
      const names = lower(listParam(req.query, 'name'));
      const programs = lower(listParam(req.query, 'programName'));
      const workspaces = lower(listParam(req.query, 'workspaceName'));
      const triggerable = boolParam(req.query, 'isTriggerable') === true;
      const catalog = await loadCatalog(rt.store);
      const all = (await rt.store.campaigns.listCampaigns()).sort((a, b) => a.id - b.id);
      const found = all.filter((c) => {
        const ws = catalog.programById.get(c.programId)?.workspaceName ?? 'Default';
        return (
          (!ids || ids.includes(c.id)) &&
          (!names || names.includes(c.name.toLowerCase())) &&
          (!programs || programs.includes(c.programName.toLowerCase())) &&
          (!workspaces || workspaces.includes(ws.toLowerCase())) &&
          (!triggerable || isRequestable(c, WEB_SERVICE_API))
        );
      });
      const p = page(found, req.query);
      return {
        result: p.items.map((c) => campaignJson(c, catalog.programById.get(c.programId))),
        ...(p.nextPageToken ? { nextPageToken: p.nextPageToken } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/campaigns/{campaignId}.json',
    operationId: 'getCampaignByIdUsingGET',
    handler: async (req, { rt }) => {
      const c = await campaignById(rt.store, req.params.campaignId);
      return { result: [campaignJson(c, await rt.store.mobjects.getProgram(c.programId))] };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/campaigns/{campaignId}/trigger.json',
    operationId: 'triggerCampaignUsingPOST',
    handler: async (req, ctx) => {
      const campaign = await campaignById(ctx.rt.store, req.params.campaignId);
      const input = runInput(req.body, true);
      const ids = leadIds(input);
      const tokens = runTokens(input);
      await restRefusals(async () => {
        assertRequestable(campaign, WEB_SERVICE_API, 'trigger.json');
        return requestRun(ctx.rt.store, campaign, WEB_SERVICE_API, { ...runBy(ctx), tokens }, async (tx) => {
          // Checked inside the run's transaction: an unknown lead writes nothing.
          const known = new Set((await tx.getLeads(ids)).map((l) => l.id));
          const missing = ids.find((id) => !known.has(id));
          if (missing !== undefined) throw new RestError(1004, `Lead '${missing}' not found`);
          return ids;
        });
      });
      return { result: [{ id: campaign.id }] };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/campaigns/{campaignId}/schedule.json',
    operationId: 'scheduleCampaignUsingPOST',
    handler: async (req, ctx) => {
      const campaign = await campaignById(ctx.rt.store, req.params.campaignId);
      const input = runInput(req.body, false);
      const tokens = runTokens(input);
      const at = runAt(input, ctx.now);
      const clone = cloneTo(input);
      await restRefusals(async () => {
        assertBatch(campaign, 'schedule.json');
        return scheduleRun(ctx.rt.store, campaign, { ...runBy(ctx), tokens, runAt: at, cloneTo: clone });
      });
      return { result: [{ id: campaign.id }] };
    },
  },
];
