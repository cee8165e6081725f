import { echo, echoList, FAULT, type LeadSelector, MktowsFault, type ParamsGetMultipleLeads } from '@mktows/protocol';
import { leadLookup } from '../domain/lead-keys.js';
import { leadRecordWriter } from '../domain/lead-record.js';
import { selectorHash } from '../domain/stream-position.js';
import type { LeadFilter } from '../store/store.js';
import type { Handler, OpContext } from './context.js';

export const DEFAULT_BATCH = 100;
export const MAX_BATCH = 1000;
export const MAX_SELECTOR_KEYS = 100;
export const MAX_RANGE_DAYS = 30;
const DAY_MS = 86_400_000;

/** Checks a LastUpdateAtSelector range (20022 beyond 30 days). */
export function checkRange(oldest: Date, latest: Date | undefined, now: number): { from: number; to: number } {
  const from = oldest.getTime();
  const to = latest ? latest.getTime() : now;
  if (to < from) {
    // An open-ended range that starts after now is empty, not an error (client clocks run ahead).
    if (!latest) return { from, to: from - 1 };
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `latestUpdatedAt ${latest.toISOString()} is before oldestUpdatedAt ${oldest.toISOString()}`,
    );
  }
  if (to - from > MAX_RANGE_DAYS * DAY_MS) {
    const days = ((to - from) / DAY_MS).toFixed(1);
    throw new MktowsFault(
      FAULT.TIME_RANGE_SPECIFIED_IN_QUERY_FILTER_EXCEEDED_LIMIT,
      `Time range of ${days} days between oldestUpdatedAt and latestUpdatedAt exceeds the limit of ${MAX_RANGE_DAYS} days`,
    );
  }
  return { from, to };
}

async function resolveFilter(sel: LeadSelector, ctx: OpContext, fixedTo: number | undefined): Promise<LeadFilter> {
  switch (sel.xsiType) {
    case 'LastUpdateAtSelector': {
      const { from, to } = checkRange(sel.oldestUpdatedAt, sel.latestUpdatedAt ?? undefined, fixedTo ?? ctx.now());
      return { kind: 'updated', from, to };
    }
    case 'StaticListSelector': {
      const list =
        sel.staticListId != null
          ? await ctx.store.findList('id', sel.staticListId)
          : sel.staticListName
            ? await ctx.store.findList('name', sel.staticListName)
            : (() => {
                throw new MktowsFault(
                  FAULT.PARAMETER_REQUIRED,
                  'StaticListSelector needs staticListName or staticListId',
                );
              })();
      if (!list) {
        const what = sel.staticListId != null ? `id ${sel.staticListId}` : `name "${echo(sel.staticListName)}"`;
        throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with ${what}`);
      }
      return { kind: 'list', listId: list.id };
    }
    case 'LeadKeySelector': {
      // Marketo silently ignores keys beyond the hundredth.
      const values = (sel.keyValues.stringItem ?? []).slice(0, MAX_SELECTOR_KEYS);
      const ids = new Set<number>();
      for (const v of values) {
        const lookup = await leadLookup(ctx.store, sel.keyType, v);
        if (!lookup) continue;
        for (const l of await ctx.store.findLeads(lookup)) ids.add(l.id);
      }
      return { kind: 'ids', ids: [...ids].sort((a, b) => a - b) };
    }
  }
}

/** The selector (the deprecated lastUpdatedAt is a LastUpdateAtSelector) and the page size, checked. */
export function selectorAndLimit(params: ParamsGetMultipleLeads): { selector: LeadSelector; limit: number } {
  const selector: LeadSelector | undefined =
    params.leadSelector ??
    (params.lastUpdatedAt ? { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: params.lastUpdatedAt } : undefined);
  if (!selector) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'leadSelector is required');
  const batchSize = params.batchSize ?? DEFAULT_BATCH;
  if (batchSize < 1) throw new MktowsFault(FAULT.BAD_PARAMETER, `batchSize ${batchSize} must be at least 1`);
  return { selector, limit: Math.min(batchSize, MAX_BATCH) };
}

export const getMultipleLeads: Handler<'getMultipleLeads'> = async (params, ctx) => {
  const { selector, limit } = selectorAndLimit(params);

  const include = params.includeAttributes?.stringItem?.length
    ? new Set(params.includeAttributes.stringItem)
    : undefined;
  if (include) {
    const unknown = [...include].filter((n) => !ctx.schema.field(n));
    if (unknown.length)
      throw new MktowsFault(FAULT.LEAD_ATTRIBUTE_BAD, `includeAttributes names unknown fields: ${echoList(unknown)}`);
  }

  const sel = selectorHash({ op: 'getMultipleLeads', selector, include: include && [...include].sort() });
  const { after: afterId, os: offset, to: fixedTo, rc } = ctx.streams.cursor(params.streamPosition, sel);
  const filter = await resolveFilter(selector, ctx, fixedTo);
  const page = await ctx.store.pageLeads(filter, afterId, limit, rc);
  if (params.streamPosition && page.leads.length === 0) {
    throw new MktowsFault(FAULT.STREAM_AT_END, 'Stream position is at the end of the stream: no more leads');
  }
  const last = page.leads.length ? page.leads[page.leads.length - 1].id : afterId;
  const newStreamPosition =
    page.remaining > 0
      ? ctx.streams.encode({
          sel,
          after: last,
          os: offset + page.leads.length,
          rc: page.remaining,
          // An open-ended range is fixed at its first page, so later pages see the same bound.
          ...(filter.kind === 'updated' ? { to: filter.to } : {}),
        })
      : '';
  return {
    returnCount: page.leads.length,
    remainingCount: page.remaining,
    newStreamPosition,
    // Written here from the stored text (the same bytes as toLeadRecord and the schema encoder).
    leadRecordList: leadRecordWriter(ctx.schema, ctx.version, include).recordList(page.leads),
  };
};
