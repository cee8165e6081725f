/**
 * getMultipleLeads on the bridge (MAPPING.md row 2): a LeadKeySelector is one `leads.json` filter,
 * a StaticListSelector the list's members, a LastUpdateAtSelector the leads the window's update
 * activities name (lead-pages.ts). The SOAP stream position is the bridge's own signed position
 * (ctx.streams), bound to the request, carrying REST's paging token (or the last lead id).
 */
import { echo, echoList, FAULT, MktowsFault } from '@mktows/protocol';
import { selectorHash } from '../../domain/stream-position.js';
import { checkRange, MAX_SELECTOR_KEYS, selectorAndLimit } from '../../operations/getMultipleLeads.js';
import { leadFilterOf, leadRecordOf, soapReadFields } from '../lead-convert.js';
import { type RestLead, readLeadPages, readUpdatedLeads } from '../lead-pages.js';
import { staticListId } from '../static-lists.js';
import { UpstreamFault } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

interface Page {
  leads: RestLead[];
  /** The position's state after this page, or undefined at the end of the stream. */
  next: { after: number; t?: string; to?: number } | undefined;
}

export const getMultipleLeads: BridgeOperation<'getMultipleLeads'> = {
  rest: [
    'GET /rest/v1/leads/describe.json (cached)',
    'LeadKeySelector: GET /rest/v1/leads.json?filterType=<key type>&filterValues=<the first 100 keys>&fields=<includeAttributes, or every field with a SOAP name>&batchSize&nextPageToken',
    'StaticListSelector: GET /rest/v1/lists.json?name=<the name, and what follows each dot> (cached: `Program.List` is name=List, programName=Program), then GET /rest/v1/lists/{id}/leads.json?fields&batchSize&nextPageToken',
    'LastUpdateAtSelector: GET /rest/v1/activities/types.json (cached), GET /rest/v1/activities/pagingtoken.json?sinceDatetime=<oldestUpdatedAt>, GET /rest/v1/activities.json?activityTypeIds=<New Lead, Change Data Value, Merge Leads>&nextPageToken&batchSize=300 up to latestUpdatedAt, then GET /rest/v1/leads.json?filterType=id&filterValues=<≤300 ids>&fields=…,updatedAt',
    'A SOAP batchSize over 300 takes several REST pages (REST pages at most 300 leads).',
  ],
  differences: [
    'remainingCount is 0 on the last page and 1 otherwise: REST never counts what is left.',
    'LastUpdateAtSelector reads the activities of the whole window on every page (New Lead, Change Data Value, Merge Leads) and keeps the leads whose updatedAt is in the window: a change that leaves none of these activities is not seen, and a long window costs many REST calls. The read stops at the first activity after latestUpdatedAt (activity ids follow time on Marketo).',
    'LeadKeySelector with LEADOWNEREMAIL: 20110 (REST has no filter for it).',
    'includeAttributes naming a SOAP-only field (no REST field in describe, e.g. LeadOwnerEmail) is 20105.',
    "newStreamPosition is the bridge's own signed position around REST's nextPageToken; a REST token that expired (Marketo keeps them for a limited time) surfaces as REST's error.",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { selector, limit } = selectorAndLimit(params);

    const map = await call.leadFields();
    const asked = params.includeAttributes?.stringItem?.length ? params.includeAttributes.stringItem : undefined;
    let include: Set<string> | undefined;
    if (asked) {
      const unknown = asked.filter((n) => !map.bySoapExact(n));
      if (unknown.length)
        throw new MktowsFault(FAULT.LEAD_ATTRIBUTE_BAD, `includeAttributes names unknown fields: ${echoList(unknown)}`);
      include = new Set(asked);
    }
    const sel = selectorHash({ op: 'getMultipleLeads', selector, include: include && [...include].sort() });
    const at = params.streamPosition ? ctx.streams.decode(params.streamPosition, sel) : undefined;
    const fields = soapReadFields(map, include && [...include]);
    const token = typeof at?.t === 'string' ? at.t : undefined;

    let page: Page;
    switch (selector.xsiType) {
      case 'LeadKeySelector': {
        const filterType = leadFilterOf(selector.keyType);
        const values = keyValues(selector.keyType, selector.keyValues.stringItem ?? []);
        page = values.length
          ? restPage(
              await readLeadPages(
                call,
                '/rest/v1/leads.json',
                { filterType, filterValues: values, fields },
                token,
                limit,
              ),
            )
          : { leads: [], next: undefined };
        break;
      }
      case 'StaticListSelector': {
        const listId = await listIdOf(call, selector);
        try {
          page = restPage(await readLeadPages(call, `/rest/v1/lists/${listId}/leads.json`, { fields }, token, limit));
        } catch (e) {
          if (e instanceof UpstreamFault && (e.restCode === 1013 || e.restCode === 702)) throw listNotFound(selector);
          throw e;
        }
        break;
      }
      case 'LastUpdateAtSelector': {
        const fixedTo = typeof at?.to === 'number' ? at.to : undefined;
        const window = checkRange(
          selector.oldestUpdatedAt,
          selector.latestUpdatedAt ?? undefined,
          fixedTo ?? ctx.now(),
        );
        const r = await readUpdatedLeads(call, fields, window, at?.after ?? 0, limit);
        const last = r.leads[r.leads.length - 1];
        // An open-ended window is fixed at its first page, so later pages see the same bound.
        page = { leads: r.leads, next: r.more && last ? { after: Number(last.id), to: window.to } : undefined };
        break;
      }
    }
    if (at && page.leads.length === 0)
      throw new MktowsFault(FAULT.STREAM_AT_END, 'Stream position is at the end of the stream: no more leads');
    const os = (at?.os ?? 0) + page.leads.length;
    const records = page.leads.map((l) => leadRecordOf(l, map, include));
    return {
      returnCount: records.length,
      remainingCount: page.next ? 1 : 0,
      newStreamPosition: page.next ? ctx.streams.encode({ sel, os, ...page.next }) : '',
      leadRecordList: records.length ? { leadRecord: records } : null,
    };
  },
};

function restPage(r: { leads: RestLead[]; token: string | undefined }): Page {
  return { leads: r.leads, next: r.token ? { after: 0, t: r.token } : undefined };
}

/** The keys the emulator would look up: the first 100, trimmed (a cookie as given), ids that are numbers. */
function keyValues(keyType: string, items: readonly string[]): string[] {
  const values = new Set<string>();
  for (const raw of items.slice(0, MAX_SELECTOR_KEYS)) {
    const v = keyType === 'COOKIE' ? raw : raw.trim();
    if (v === '' || (keyType === 'IDNUM' && !/^\d{1,10}$/.test(v))) continue;
    values.add(v);
  }
  return [...values];
}

async function listIdOf(
  call: ReturnType<typeof bridgeOf>,
  sel: { staticListName?: string | null; staticListId?: number | null },
): Promise<number> {
  if (sel.staticListId != null) return sel.staticListId;
  if (!sel.staticListName)
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'StaticListSelector needs staticListName or staticListId');
  const id = await staticListId(call, sel.staticListName);
  if (id === undefined) throw listNotFound(sel);
  return id;
}

function listNotFound(sel: { staticListName?: string | null; staticListId?: number | null }): MktowsFault {
  const what = sel.staticListId != null ? `id ${sel.staticListId}` : `name "${echo(sel.staticListName)}"`;
  return new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with ${what}`);
}
