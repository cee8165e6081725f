/**
 * getLeadActivity on the bridge (MAPPING.md row 6, §2.1-6): one lead's activity, newest first.
 * REST reads only forwards from a date, so the bridge reads the lead's whole history within the
 * bounds (oldestCreatedAt, or the floor, up to latestCreatedAt or the first page's time) for the
 * selected types, ≤10 type ids per stream, and serves it newest first. Reading all of it makes the
 * answer exact: the same records, order and remainingCount as the emulator. The position is the
 * bridge's own signed cursor (time and id of the last record returned), as the emulator's.
 */
import { pageLimit, toActivityRecord } from '../../domain/activity-records.js';
import { selectorHash } from '../../domain/stream-position.js';
import { MAX_ACTIVITY_BATCH, newestFirstCursor } from '../../operations/getLeadActivity.js';
import {
  ACTIVITY_FLOOR_MS,
  ACTIVITY_RECORD_DIFFERENCES,
  activitiesOf,
  activityPage,
  CAMPAIGN_NAME_CALL,
  chunks,
  pagingToken,
  REST_MAX_BATCH,
  REST_MAX_TYPE_IDS,
} from '../activity-read.js';
import { activityTypes, selectedTypeIds, tokenIdFilter } from '../activity-types.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdByKey } from '../lead-ids.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

interface RawActivity {
  id: number;
  at: number;
  json: Record<string, unknown>;
}

/** Newest first: time, then id. */
const newestFirst = (a: RawActivity, b: RawActivity) => b.at - a.at || b.id - a.id;

/** Every activity of the lead of these types from `from` to `to`, newest first. */
async function leadHistory(
  call: BridgeCall,
  leadId: number,
  typeIds: readonly number[],
  from: number,
  to: number,
): Promise<RawActivity[]> {
  const out: RawActivity[] = [];
  const start = await pagingToken(call, from);
  for (const group of chunks(typeIds, REST_MAX_TYPE_IDS)) {
    let token = start;
    for (;;) {
      const body = await activityPage(call, { typeIds: group, leadIds: [leadId] }, token, REST_MAX_BATCH);
      for (const json of (body.result ?? []) as Record<string, unknown>[]) {
        const at = Date.parse(String(json.activityDate));
        if (at <= to) out.push({ id: Number(json.id), at, json });
      }
      if (!body.moreResult || !body.nextPageToken) break;
      token = body.nextPageToken;
    }
  }
  return out.sort(newestFirst);
}

export const getLeadActivity: BridgeOperation<'getLeadActivity'> = {
  rest: [
    'GET /rest/v1/leads.json?filterType=<key type>&filterValues=<key value>&fields=id (the newest of several matches)',
    'GET /rest/v1/activities/types.json (cached): activityFilter tokens → type ids',
    'GET /rest/v1/activities/pagingtoken.json?sinceDatetime=<oldestCreatedAt, or 2006-01-01> (cached per time)',
    'GET /rest/v1/activities.json?nextPageToken&activityTypeIds=<≤10 ids>&leadIds=<lead id>&batchSize=300, for every group of 10 selected types, until moreResult is false',
    CAMPAIGN_NAME_CALL,
  ],
  differences: [
    "Every page reads the lead's whole history within its bounds (REST reads forwards only, SOAP pages newest first): a lead with a long history costs one REST call per 300 activities and per 10 selected types on every page; no filter means every type, ≤10 per call.",
    'LEADOWNEREMAIL keys: 20110 (REST has no filter for them).',
    ...ACTIVITY_RECORD_DIFFERENCES,
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { keyType, keyValue } = params.leadKey;
    const leadId = await leadIdByKey(call, keyType, keyValue);
    const types = await activityTypes(call);
    const filter = tokenIdFilter(params.activityFilter, types);
    const limit = pageLimit(params.batchSize, MAX_ACTIVITY_BATCH);

    const sp = params.startPosition ?? {};
    const oldest = sp.oldestCreatedAt ?? undefined;
    const typeIds = selectedTypeIds(filter, types);
    const sel = selectorHash({ op: 'getLeadActivity', lead: leadId, types: typeIds, oldest });
    const { before, returned, to } = newestFirstCursor(sp, sel, ctx);

    const history = typeIds.length
      ? await leadHistory(call, leadId, typeIds, oldest?.getTime() ?? ACTIVITY_FLOOR_MS, to)
      : [];
    const rest = before
      ? history.filter((a) => newestFirst(a, { id: before.id, at: before.at, json: {} }) > 0)
      : history;
    const page = rest.slice(0, limit);
    const activities = await activitiesOf(call, page, types);
    const last = page[page.length - 1];
    return {
      returnCount: page.length,
      remainingCount: rest.length - page.length,
      newStartPosition: {
        latestCreatedAt: new Date(to),
        oldestCreatedAt: oldest ?? null,
        activityCreatedAt: sp.activityCreatedAt ?? null,
        offset: last
          ? ctx.streams.encode({ sel, after: last.id, at: last.at, os: returned + page.length, to })
          : (sp.offset ?? null),
      },
      activityRecordList: activities.length ? { activityRecord: activities.map(toActivityRecord) } : null,
    };
  },
};
