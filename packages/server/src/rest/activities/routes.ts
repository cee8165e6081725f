/**
 * Activities of the Lead Database API: types, paging tokens, activities by type, lead changes and
 * deleted leads, all read from the activity log SOAP getLeadActivity/getLeadChanges read, oldest
 * first by id from the token's time. Every page answers a nextPageToken (Marketo: "This endpoint
 * always returns nextPageToken"); `moreResult` says whether activities remain.
 */
import { RestError } from '@mktows/protocol';
import { ACTIVITY, ACTIVITY_TYPES, activityById } from '../../domain/activity-types.js';
import { campaignFullName } from '../../domain/campaigns.js';
import type { ChangeLeadFilter } from '../../store/activity-store.js';
import type { Activity } from '../../store/store.js';
import { restFields } from '../leads/lead-fields.js';
import { batchSize } from '../leads/query.js';
import { listById } from '../lists/list-json.js';
import { listParam } from '../request.js';
import type { RestContext, RestRequest, RestResult, RestRoute } from '../route.js';
import { activityJson, activityTypeJson } from './activity-json.js';
import { encodeActivityToken, parseSinceDatetime, readActivityToken } from './paging-token.js';

export const MAX_ACTIVITY_TYPE_IDS = 10;
export const MAX_ACTIVITY_LEAD_IDS = 30;

function ids(query: URLSearchParams, name: string): number[] | undefined {
  return listParam(query, name)?.map((v) => {
    if (!/^\d+$/.test(v)) throw new RestError(1001, `Invalid value '${v}'. Required of type 'Integer'`);
    return Number(v);
  });
}

/** leadIds (≤30) or listId (1013 for an unknown list); leadIds wins when both are given. */
async function leadFilter(req: RestRequest, ctx: RestContext): Promise<ChangeLeadFilter | undefined> {
  const leadIds = ids(req.query, 'leadIds');
  if (leadIds?.length) {
    if (leadIds.length > MAX_ACTIVITY_LEAD_IDS)
      throw new RestError(1003, `Too many leadIds: ${leadIds.length}; the maximum is ${MAX_ACTIVITY_LEAD_IDS}`);
    return { kind: 'ids', ids: leadIds };
  }
  const listId = req.query.get('listId')?.trim();
  if (!listId) return undefined;
  return { kind: 'list', listId: (await listById(ctx.rt.store, listId)).id };
}

/** Smart campaign ids by the full name activities carry (`Program.Campaign`). */
async function campaignIds(ctx: RestContext): Promise<Map<string, number>> {
  const all = await ctx.rt.store.campaigns.listCampaigns();
  return new Map(all.map((c) => [campaignFullName(c), c.id]));
}

/**
 * One page of activities of the named types after the token. `keep` filters a page after it is
 * read (assetIds, lead change fields): a page can then hold fewer than batchSize activities with
 * moreResult true, which Marketo's pages also do.
 */
async function activityPage(
  req: RestRequest,
  ctx: RestContext,
  typeNames: string[],
  toJson: (a: Activity, campaignId: number | undefined) => Record<string, unknown> | undefined,
): Promise<RestResult> {
  const cursor = readActivityToken(ctx.rt.state.streams, req.query);
  const size = batchSize(req.query);
  const leads = await leadFilter(req, ctx);
  const p = await ctx.rt.store.pageActivityChanges({
    include: typeNames,
    from: cursor.since,
    ...(leads ? { leads } : {}),
    afterId: cursor.after,
    limit: size,
  });
  const last = p.activities[p.activities.length - 1];
  const campaigns = p.activities.some((a) => a.campaign) ? await campaignIds(ctx) : new Map<string, number>();
  const result = p.activities.flatMap((a) => toJson(a, a.campaign ? campaigns.get(a.campaign) : undefined) ?? []);
  return {
    result,
    bare: true,
    moreResult: p.remaining > 0,
    nextPageToken: encodeActivityToken(ctx.rt.state.streams, {
      since: cursor.since,
      after: last ? last.id : cursor.after,
    }),
  };
}

async function activities(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const typeIds = ids(req.query, 'activityTypeIds');
  if (!typeIds?.length) throw new RestError(1002, "Missing value for the required parameter 'activityTypeIds'");
  if (typeIds.length > MAX_ACTIVITY_TYPE_IDS)
    throw new RestError(1003, `Too many activityTypeIds: ${typeIds.length}; the maximum is ${MAX_ACTIVITY_TYPE_IDS}`);
  const names = typeIds.map((id) => {
    const t = activityById(id);
    // Decision: an id that names no activity type of this instance is 1003, not an empty page.
    if (!t) throw new RestError(1003, `Invalid activityTypeId '${id}'`);
    return t.name;
  });
  const assetIds = ids(req.query, 'assetIds');
  return activityPage(req, ctx, names, (a, campaignId) => {
    const json = activityJson(a, campaignId);
    if (assetIds?.length && !assetIds.includes(json.primaryAttributeValueId as number)) return undefined;
    return json;
  });
}

/**
 * leadchanges.json: New Lead, and Change Data Value of the named fields, each change as
 * `fields: [{id, name, newValue, oldValue}]` with the field's describe id and REST name.
 */
async function leadChanges(req: RestRequest, ctx: RestContext): Promise<RestResult> {
  const names = listParam(req.query, 'fields');
  if (!names?.length) throw new RestError(1002, "Missing value for the required parameter 'fields'");
  const all = [...restFields(ctx.rt.state.leadSchema).values()];
  const byLabel = new Map<string, { id: number; name: string }>();
  for (const n of names) {
    const i = all.findIndex((f) => f.rest === n);
    if (i < 0) throw new RestError(1006, `Field '${n}' not found`);
    byLabel.set(all[i].displayName, { id: i + 1, name: n });
  }
  return activityPage(req, ctx, [ACTIVITY.NewLead.name, ACTIVITY.ChangeDataValue.name], (a, campaignId) => {
    const { primaryAttributeValueId: _, primaryAttributeValue: __, ...json } = activityJson(a, campaignId);
    if (a.typeId === ACTIVITY.NewLead.id) return { ...json, fields: [] };
    const attr = (n: string) => a.attributes.find(([k]) => k === n)?.[1] ?? null;
    const field = byLabel.get(attr('Attribute Name') ?? '');
    if (!field) return undefined;
    const attributes = (json.attributes as { name: string }[]).filter(
      (x) => x.name !== 'Old Value' && x.name !== 'New Value',
    );
    return {
      ...json,
      fields: [{ id: field.id, name: field.name, newValue: attr('New Value'), oldValue: attr('Old Value') }],
      attributes,
    };
  });
}

export const ACTIVITY_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/activities/types.json',
    operationId: 'getAllActivityTypesUsingGET',
    handler: async () => ({ result: ACTIVITY_TYPES.map(activityTypeJson) }),
  },
  {
    method: 'GET',
    path: '/rest/v1/activities/pagingtoken.json',
    operationId: 'getActivitiesPagingTokenUsingGET',
    handler: async (req, { rt }) => ({
      bare: true,
      nextPageToken: encodeActivityToken(rt.state.streams, { since: parseSinceDatetime(req.query), after: 0 }),
    }),
  },
  { method: 'GET', path: '/rest/v1/activities.json', operationId: 'getLeadActivitiesUsingGET', handler: activities },
  {
    method: 'GET',
    path: '/rest/v1/activities/leadchanges.json',
    operationId: 'getLeadChangesUsingGET',
    handler: leadChanges,
  },
  {
    method: 'GET',
    path: '/rest/v1/activities/deletedleads.json',
    operationId: 'getDeletedLeadsUsingGET',
    handler: (req, ctx) => activityPage(req, ctx, [ACTIVITY.DeleteLead.name], (a, c) => activityJson(a, c)),
  },
];
