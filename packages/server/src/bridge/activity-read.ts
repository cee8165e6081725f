/**
 * Reading activities through REST for getLeadActivity and getLeadChanges: paging tokens (cached by
 * their time: Marketo's are date-based and bound to no query), `activities.json` streams of ≤10
 * type ids and ≤30 lead ids each, and REST activities turned back into the records SOAP wrote
 * (the shape domain/activity-records.ts encodes).
 */
import type { Activity } from '../store/store.js';
import type { ActivityTypeMap } from './activity-types.js';
import type { BridgeCall } from './bridge.js';
import type { RestBody } from './upstream.js';

/** REST limits of one activities.json call (MAPPING.md §4). */
export const REST_MAX_TYPE_IDS = 10;
export const REST_MAX_LEAD_IDS = 30;
export const REST_MAX_BATCH = 300;

/**
 * Where a read without an oldest time starts. REST reads only forwards from a date; no Marketo
 * instance holds activity from before Marketo existed. A lead's createdAt is no bound: imported
 * and seeded histories predate it.
 */
export const ACTIVITY_FLOOR_MS = Date.UTC(2006, 0, 1);

/** How activity records read through REST differ, for both operations' `differences`. */
export const ACTIVITY_RECORD_DIFFERENCES: readonly string[] = [
  "A type's primary attribute is rebuilt from primaryAttributeValueId (integer) or primaryAttributeValue (text) and listed first, as Marketo listed it.",
  "`campaign` is the name of the activity's campaignId; an activity whose campaign REST does not know shows none.",
  'REST dates have whole seconds: time bounds (oldestCreatedAt, latestCreatedAt) compare with the second, and getLeadActivity orders activities of the same second by descending id.',
];

/** The REST call that names campaigns, for both operations' `rest`. */
export const CAMPAIGN_NAME_CALL = 'GET /rest/v1/campaigns/{id}.json (cached) for the name of each campaignId';

/** A REST activity (`activities.json` result item). */
interface RestActivity {
  id: number;
  marketoGUID?: string;
  leadId: number;
  activityDate: string;
  activityTypeId: number;
  campaignId?: number;
  primaryAttributeValueId?: number;
  primaryAttributeValue?: string;
  attributes?: { name: string; value: unknown }[];
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A paging token for a time; cached, as the same time always gives an equivalent token. */
export function pagingToken(call: BridgeCall, sinceMs: number): Promise<string> {
  const since = new Date(sinceMs).toISOString();
  return call.bridge.cache<string>('activity-paging-token').get(since, async () => {
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/activities/pagingtoken.json',
      query: { sinceDatetime: since },
    });
    return String(body.nextPageToken);
  });
}

/** Which activities one REST stream reads: ≤10 type ids, and ≤30 lead ids or a list. */
export interface StreamScope {
  typeIds: readonly number[];
  leadIds?: readonly number[];
  listId?: number;
}

/** One activities.json page of a stream. */
export function activityPage(
  call: BridgeCall,
  scope: StreamScope,
  token: string,
  batchSize: number,
): Promise<RestBody> {
  return call.rest({
    method: 'GET',
    path: '/rest/v1/activities.json',
    query: {
      nextPageToken: token,
      activityTypeIds: scope.typeIds,
      ...(scope.leadIds ? { leadIds: scope.leadIds } : {}),
      ...(scope.listId !== undefined ? { listId: scope.listId } : {}),
      batchSize,
    },
  });
}

/** A REST value as SOAP attribute text. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

/**
 * REST activities as stored activities. REST moves the type's primary attribute out of
 * `attributes` (its id to primaryAttributeValueId when it is a number, the asset's name to
 * primaryAttributeValue); SOAP listed it first among the attributes, so it goes back there.
 * `campaign` is the full name (`Program.Campaign`) of the activity's campaignId.
 */
export async function activitiesOf(
  call: BridgeCall,
  rest: readonly { json: Record<string, unknown> }[],
  types: ActivityTypeMap,
): Promise<Activity[]> {
  const items = rest.map((r) => r.json as unknown as RestActivity);
  const campaigns = new Map<number, string | null>();
  for (const id of new Set(items.flatMap((a) => (a.campaignId !== undefined ? [a.campaignId] : []))))
    campaigns.set(id, await campaignName(call, id));
  return items.map((a) => {
    const type = types.byId(a.activityTypeId);
    const attributes: [string, string][] = [];
    const primary = type?.primaryAttribute;
    if (primary) {
      const value = primary.dataType === 'integer' ? a.primaryAttributeValueId : a.primaryAttributeValue;
      if (value !== undefined && value !== null) attributes.push([primary.name, text(value)]);
    }
    for (const x of a.attributes ?? []) attributes.push([x.name, text(x.value)]);
    return {
      id: Number(a.id),
      guid: a.marketoGUID ?? String(a.id),
      leadId: Number(a.leadId),
      typeId: a.activityTypeId,
      typeName: type?.name ?? String(a.activityTypeId),
      occurredAt: Date.parse(a.activityDate),
      assetName: a.primaryAttributeValue ?? null,
      campaign: a.campaignId !== undefined ? (campaigns.get(a.campaignId) ?? null) : null,
      attributes,
    };
  });
}

/** `Program.Campaign` of a campaign id (cached); null when REST knows no such campaign. */
function campaignName(call: BridgeCall, id: number): Promise<string | null> {
  return call.bridge.cache<string | null>('campaign-name').get(String(id), async () => {
    try {
      const body = await call.rest({ method: 'GET', path: `/rest/v1/campaigns/${id}.json` });
      const c = (body.result?.[0] ?? undefined) as { name?: string; programName?: string } | undefined;
      return c?.name ? (c.programName ? `${c.programName}.${c.name}` : c.name) : null;
    } catch (e) {
      if ((e as { restCode?: number }).restCode === 1013) return null;
      throw e;
    }
  });
}

/**
 * Which leads have some activity (of any type) at or after a time: getLeadChanges'
 * activityCreatedAt. REST cannot select leads by their latest activity, so each lead is looked up
 * once per SOAP call, ≤30 at a time, in one stream per 10 types, until every lead of the group is
 * seen or REST has no more.
 */
export class ActiveLeads {
  private readonly known = new Map<number, Promise<boolean>>();

  constructor(
    private readonly call: BridgeCall,
    private readonly types: ActivityTypeMap,
    private readonly since: number,
  ) {}

  /** The subset of `leadIds` active since the time. */
  async among(leadIds: readonly number[]): Promise<Set<number>> {
    const unknown = [...new Set(leadIds)].filter((id) => !this.known.has(id));
    for (const group of chunks(unknown, REST_MAX_LEAD_IDS)) {
      const seen = this.lookUp(group);
      for (const id of group)
        this.known.set(
          id,
          seen.then((s) => s.has(id)),
        );
    }
    const out = new Set<number>();
    for (const id of leadIds) if (await this.known.get(id)) out.add(id);
    return out;
  }

  private async lookUp(leadIds: number[]): Promise<Set<number>> {
    const seen = new Set<number>();
    const start = await pagingToken(this.call, this.since);
    for (const typeIds of chunks(this.types.allIds(), REST_MAX_TYPE_IDS)) {
      let token = start;
      while (seen.size < leadIds.length) {
        const body = await activityPage(this.call, { typeIds, leadIds }, token, REST_MAX_BATCH);
        for (const a of (body.result ?? []) as { leadId: number }[]) seen.add(Number(a.leadId));
        if (!body.moreResult || !body.nextPageToken) break;
        token = body.nextPageToken;
      }
      if (seen.size === leadIds.length) break;
    }
    return seen;
  }
}
