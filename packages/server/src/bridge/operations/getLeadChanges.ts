/**
 * getLeadChanges on the bridge (MAPPING.md row 7, §2.1-7): activity across leads, oldest first by
 * activity id, as the emulator pages it. REST reads one stream per group of ≤10 type ids and ≤30
 * lead ids (or a list); the bridge merges the streams by id. Its position is its own signed state:
 * the last id returned, and for each stream the REST token of the page holding its first record
 * not yet returned (or its last token, to poll for new activity at the end).
 */
import { FAULT, type LeadSelector, MktowsFault } from '@mktows/protocol';
import { combineFilters, pageLimit, toLeadChangeRecord } from '../../domain/activity-records.js';
import { selectorHash } from '../../domain/stream-position.js';
import { changeKeys, MAX_CHANGES_BATCH } from '../../operations/getLeadChanges.js';
import { checkRange } from '../../operations/getMultipleLeads.js';
import {
  ACTIVITY_FLOOR_MS,
  ACTIVITY_RECORD_DIFFERENCES,
  ActiveLeads,
  activitiesOf,
  activityPage,
  CAMPAIGN_NAME_CALL,
  chunks,
  pagingToken,
  REST_MAX_BATCH,
  REST_MAX_LEAD_IDS,
  REST_MAX_TYPE_IDS,
  type StreamScope,
} from '../activity-read.js';
import { activityTypes, nameIdFilter, selectedTypeIds, tokenIdFilter } from '../activity-types.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdsByKeys } from '../lead-ids.js';
import { staticListId } from '../list-ids.js';
import type { RestBody } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** Which leads the streams read: ids, a list, or every lead. */
type LeadScope = { leadIds: number[] } | { listId: number } | Record<string, never>;

interface Scope {
  leads: LeadScope;
  from?: number;
  to?: number;
}

async function selectorScope(
  sel: LeadSelector,
  call: BridgeCall,
  now: number,
  fixedTo: number | undefined,
): Promise<Scope> {
  switch (sel.xsiType) {
    case 'LastUpdateAtSelector':
      return { leads: {}, ...checkRange(sel.oldestUpdatedAt, sel.latestUpdatedAt ?? undefined, fixedTo ?? now) };
    case 'StaticListSelector': {
      if (sel.staticListId == null && !sel.staticListName) {
        throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'StaticListSelector needs staticListName or staticListId');
      }
      if (sel.staticListId != null) return { leads: { listId: sel.staticListId } };
      return { leads: { listId: await staticListId(call, sel.staticListName ?? '') } };
    }
    case 'LeadKeySelector': {
      return { leads: { leadIds: await leadIdsByKeys(call, sel.keyType, changeKeys(sel)) } };
    }
  }
}

/** The REST streams of a read: every group of ≤10 types × every group of ≤30 leads (or the list). */
function streamsOf(typeIds: number[], leads: LeadScope): StreamScope[] {
  const typeGroups = chunks(typeIds, REST_MAX_TYPE_IDS);
  if ('leadIds' in leads) {
    const leadGroups = chunks(leads.leadIds, REST_MAX_LEAD_IDS);
    return typeGroups.flatMap((t) => leadGroups.map((l) => ({ typeIds: t, leadIds: l })));
  }
  if ('listId' in leads) return typeGroups.map((t) => ({ typeIds: t, listId: leads.listId }));
  return typeGroups.map((t) => ({ typeIds: t }));
}

interface Candidate {
  id: number;
  json: Record<string, unknown>;
  /** The token of the REST page it came from: where its stream resumes while it is not returned. */
  token: string;
  stream: number;
}

/**
 * Reads a stream from its token until it holds `limit` records after `afterId` inside the time
 * bounds, or REST has no more. Returns them and the stream's last token.
 */
async function readStream(
  call: BridgeCall,
  scope: StreamScope,
  stream: number,
  start: string,
  q: { afterId: number; to?: number; limit: number; active?: ActiveLeads },
): Promise<{ records: Candidate[]; last: string; more: boolean }> {
  const records: Candidate[] = [];
  let token = start;
  let body: RestBody;
  for (;;) {
    try {
      body = await activityPage(call, scope, token, REST_MAX_BATCH);
    } catch (e) {
      if (scope.listId !== undefined && (e as { restCode?: number }).restCode === 1013)
        throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with id ${scope.listId}`);
      throw e;
    }
    const page = ((body.result ?? []) as Record<string, unknown>[]).filter(
      (json) => Number(json.id) > q.afterId && (q.to === undefined || Date.parse(String(json.activityDate)) <= q.to),
    );
    const active = q.active ? await q.active.among(page.map((json) => Number(json.leadId))) : undefined;
    for (const json of page) {
      if (active && !active.has(Number(json.leadId))) continue;
      records.push({ id: Number(json.id), json, token, stream });
    }
    const next = body.nextPageToken ?? token;
    if (!body.moreResult || records.length >= q.limit) return { records, last: next, more: !!body.moreResult };
    token = next;
  }
}

const later = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);
const earlier = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

export const getLeadChanges: BridgeOperation<'getLeadChanges'> = {
  rest: [
    'GET /rest/v1/activities/types.json (cached): activityFilter tokens and activityNameFilter names → type ids',
    'LeadKeySelector: GET /rest/v1/leads.json?filterType=<key type>&filterValues=<keys>&fields=id',
    'StaticListSelector by name: GET /rest/v1/lists.json?name=<name> (cached)',
    'GET /rest/v1/activities/pagingtoken.json?sinceDatetime=<oldestCreatedAt / oldestUpdatedAt, or 2006-01-01> (first page; cached per time)',
    'GET /rest/v1/activities.json?nextPageToken&activityTypeIds=<≤10 ids>[&leadIds=<≤30 ids> | &listId=<id>]&batchSize=300 for every group of 10 types × 30 leads, merged by activity id',
    CAMPAIGN_NAME_CALL,
  ],
  differences: [
    'remainingCount is a lower bound: the records read but not yet returned, or 1 while REST says more may follow; 0 only at the end.',
    'latestCreatedAt (and the end of a LastUpdateAtSelector range) is applied to what REST returns: a page may need several REST calls when much later activity lies between.',
    'startPosition.activityCreatedAt (only leads active since): REST cannot select leads by their latest activity, so each lead met is looked up (≤30 per call, every type, ≤10 per call) once per page.',
    'No filter, or excludeTypes, reads every type, ≤10 per REST call; a LeadKeySelector reads ≤30 leads per REST call: wide reads cost many calls per page.',
    'LEADOWNEREMAIL keys in a LeadKeySelector: 20110 (REST has no filter for them).',
    ...ACTIVITY_RECORD_DIFFERENCES,
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const sp = params.startPosition;
    const types = await activityTypes(call);
    const names = params.activityNameFilter?.stringItem ?? [];
    const filter = combineFilters<number>(
      tokenIdFilter(params.activityFilter, types),
      names.length ? nameIdFilter(names, types) : {},
    );
    const limit = pageLimit(params.batchSize, MAX_CHANGES_BATCH);
    const typeIds = selectedTypeIds(filter, types);
    const sel = selectorHash({
      op: 'getLeadChanges',
      types: typeIds,
      selector: params.leadSelector,
      oldest: sp.oldestCreatedAt ?? undefined,
      latest: sp.latestCreatedAt ?? undefined,
      active: sp.activityCreatedAt ?? undefined,
    });
    const state = sp.offset ? ctx.streams.decode(sp.offset, sel) : undefined;
    const fixedTo = typeof state?.to === 'number' ? state.to : undefined;
    const scope: Scope = params.leadSelector
      ? await selectorScope(params.leadSelector, call, ctx.now(), fixedTo)
      : { leads: {} };
    const from = later(sp.oldestCreatedAt?.getTime(), scope.from);
    const to = earlier(sp.latestCreatedAt?.getTime(), scope.to);
    const afterId = state?.after ?? 0;
    const returned = state?.os ?? 0;

    const streams = 'leadIds' in scope.leads && scope.leads.leadIds.length === 0 ? [] : streamsOf(typeIds, scope.leads);
    const empty = from !== undefined && to !== undefined && to < from;
    // A selector's leads can change between pages (a new lead with a listed e-mail): the streams
    // then differ from the saved ones and restart at the beginning, the id cursor skipping what was returned.
    const saved = Array.isArray(state?.tk) && state.tk.length === streams.length ? (state.tk as string[]) : undefined;
    const start = streams.length && !saved && !empty ? await pagingToken(call, from ?? ACTIVITY_FLOOR_MS) : '';
    const active = sp.activityCreatedAt ? new ActiveLeads(call, types, sp.activityCreatedAt.getTime()) : undefined;
    const reads = empty
      ? []
      : await Promise.all(
          streams.map((s, i) => readStream(call, s, i, saved?.[i] ?? start, { afterId, to, limit, active })),
        );
    const candidates = reads.flatMap((r) => r.records).sort((a, b) => a.id - b.id);
    const page = candidates.slice(0, limit);
    const left = candidates.slice(limit);
    // Each stream resumes at the page of its first record not returned, or after its last page.
    const tokens = reads.map((r, i) => left.find((c) => c.stream === i)?.token ?? r.last);
    const more = reads.some((r) => r.more);
    const activities = await activitiesOf(call, page, types);
    const last = page[page.length - 1];
    return {
      returnCount: page.length,
      remainingCount: left.length || (more ? 1 : 0),
      newStartPosition: {
        latestCreatedAt: sp.latestCreatedAt ?? null,
        oldestCreatedAt: sp.oldestCreatedAt ?? null,
        activityCreatedAt: sp.activityCreatedAt ?? null,
        offset: last
          ? ctx.streams.encode({
              sel,
              after: last.id,
              os: returned + page.length,
              tk: tokens,
              ...(scope.to !== undefined && params.leadSelector?.xsiType === 'LastUpdateAtSelector'
                ? { to: scope.to }
                : {}),
            })
          : (sp.offset ?? null),
      },
      leadChangeRecordList: activities.length ? { leadChangeRecord: activities.map(toLeadChangeRecord) } : null,
    };
  },
};
