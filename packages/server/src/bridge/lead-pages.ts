/**
 * Paged lead reads through REST for getMultipleLeads: `leads.json`/`lists/{id}/leads.json` pages
 * joined into one SOAP page (REST pages at most 300, SOAP up to 1000), and "leads updated between
 * two times", which REST has no query for, read from the activities that update a lead
 * (MAPPING.md §2.1-2, option a).
 */
import type { BridgeCall } from './bridge.js';
import type { QueryValue, RestBody } from './upstream.js';

/** REST's largest `batchSize` for lead and activity reads. */
export const REST_MAX_BATCH = 300;

export type RestLead = Record<string, unknown>;

/** Whether a REST page says more follow: `moreResult`, or a `nextPageToken` where it is left out. */
export function nextTokenOf(body: RestBody): string | undefined {
  const token = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
  if (body.moreResult === false) return undefined;
  return body.moreResult === true || body.moreResult === undefined ? token : undefined;
}

/**
 * Up to `limit` leads from `path` starting at REST's `token`, asking each REST page for no more than
 * is still missing, so that the page ends exactly where the SOAP page does and the REST token
 * left is where the next SOAP page starts.
 */
export async function readLeadPages(
  call: BridgeCall,
  path: string,
  query: Readonly<Record<string, QueryValue>>,
  token: string | undefined,
  limit: number,
): Promise<{ leads: RestLead[]; token: string | undefined }> {
  const leads: RestLead[] = [];
  let next = token;
  do {
    const body = await call.rest({
      method: 'GET',
      path,
      query: { ...query, batchSize: Math.min(REST_MAX_BATCH, limit - leads.length), nextPageToken: next },
    });
    leads.push(...((body.result ?? []) as RestLead[]));
    next = nextTokenOf(body);
  } while (next && leads.length < limit);
  return { leads, token: next };
}

/** The activity types that stamp a lead's "updated at": a new lead, a changed value, a merge. */
const UPDATE_ACTIVITY_TYPES = ['New Lead', 'Change Data Value', 'Merge Leads'];

/** REST dates carry whole seconds: a time read from one may lie up to 999 ms before the true one. */
const SECOND = 999;

async function updateTypeIds(call: BridgeCall): Promise<number[]> {
  return call.bridge.cache<number[]>('activity-types').get('lead-update', async () => {
    const body = await call.rest({ method: 'GET', path: '/rest/v1/activities/types.json' });
    return ((body.result ?? []) as { id?: unknown; name?: unknown }[])
      .filter((t) => UPDATE_ACTIVITY_TYPES.includes(String(t.name)))
      .map((t) => Number(t.id));
  });
}

/**
 * The leads whose last update lies in [from, to], by ascending id after `afterId`, `limit` of them,
 * and whether more follow. The activities of the window name every lead updated in it; each is
 * then read back and kept only if its `updatedAt` is still inside the window, which is what the
 * SOAP selector asks (a lead changed again since is no longer "updated between").
 */
export async function readUpdatedLeads(
  call: BridgeCall,
  fields: readonly string[],
  window: { from: number; to: number },
  afterId: number,
  limit: number,
): Promise<{ leads: RestLead[]; more: boolean }> {
  const { from, to } = window;
  if (to < from) return { leads: [], more: false };
  const types = await updateTypeIds(call);
  const start = await call.rest({
    method: 'GET',
    path: '/rest/v1/activities/pagingtoken.json',
    query: { sinceDatetime: new Date(from).toISOString() },
  });
  const ids = new Set<number>();
  let token = typeof start.nextPageToken === 'string' ? start.nextPageToken : undefined;
  while (token) {
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/activities.json',
      query: { activityTypeIds: types, nextPageToken: token, batchSize: REST_MAX_BATCH },
    });
    let past = false;
    for (const a of (body.result ?? []) as { leadId?: unknown; activityDate?: unknown }[]) {
      const t = Date.parse(String(a.activityDate));
      if (t > to) past = true;
      else if (t + SECOND >= from && Number(a.leadId) > afterId) ids.add(Number(a.leadId));
    }
    token = past || body.moreResult !== true ? undefined : body.nextPageToken;
  }
  const sorted = [...ids].sort((a, b) => a - b);
  const kept: RestLead[] = [];
  let i = 0;
  // One lead beyond the page tells whether another page follows.
  while (kept.length <= limit && i < sorted.length) {
    const chunk = sorted.slice(i, i + REST_MAX_BATCH);
    i += chunk.length;
    const body = await call.rest({
      method: 'GET',
      path: '/rest/v1/leads.json',
      query: { filterType: 'id', filterValues: chunk, fields: [...fields, 'updatedAt'], batchSize: REST_MAX_BATCH },
    });
    const leads = ((body.result ?? []) as RestLead[]).sort((a, b) => Number(a.id) - Number(b.id));
    for (const l of leads) {
      const u = Date.parse(String(l.updatedAt));
      if (u + SECOND >= from && u <= to) kept.push(l);
    }
  }
  return { leads: kept.slice(0, limit), more: kept.length > limit };
}
