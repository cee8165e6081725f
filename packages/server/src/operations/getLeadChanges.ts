import { type ArrayOfString, echo, FAULT, type LeadSelector, MktowsFault } from '@mktows/protocol';
import { combineFilters, nameFilter, pageLimit, tokenFilter, toLeadChangeRecord } from '../domain/activity-records.js';
import { leadLookup } from '../domain/lead-keys.js';
import { selectorHash } from '../domain/stream-position.js';
import type { ChangeLeadFilter } from '../store/activity-store.js';
import type { Handler, OpContext } from './context.js';
import { checkRange } from './getMultipleLeads.js';

/** "Limited to 1,000 or batchSize, whichever is less." */
export const MAX_CHANGES_BATCH = 1000;
/** A LeadKeySelector with more keys is a bad parameter (Marketo's doc: "bad parameter exception"). */
export const MAX_CHANGES_KEYS = 100;

/** A LeadKeySelector's values; more than 100 is a bad parameter. */
export function changeKeys(sel: { keyValues: ArrayOfString }): string[] {
  const values = sel.keyValues.stringItem ?? [];
  if (values.length > MAX_CHANGES_KEYS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `LeadKeySelector has ${values.length} keys; getLeadChanges accepts at most ${MAX_CHANGES_KEYS}`,
    );
  }
  return values;
}

interface SelectorScope {
  leads?: ChangeLeadFilter;
  from?: number;
  to?: number;
}

/**
 * What a leadSelector restricts: leads (keys, a static list) or, for a LastUpdateAtSelector, the
 * time range, whose oldestUpdatedAt and latestUpdatedAt stand for oldestCreatedAt and
 * latestCreatedAt (Marketo's doc). An open range ends at the first page's time.
 */
async function selectorScope(sel: LeadSelector, ctx: OpContext, fixedTo: number | undefined): Promise<SelectorScope> {
  switch (sel.xsiType) {
    case 'LastUpdateAtSelector':
      return checkRange(sel.oldestUpdatedAt, sel.latestUpdatedAt ?? undefined, fixedTo ?? ctx.now());
    case 'StaticListSelector': {
      if (sel.staticListId == null && !sel.staticListName) {
        throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'StaticListSelector needs staticListName or staticListId');
      }
      const list =
        sel.staticListId != null
          ? await ctx.store.findList('id', sel.staticListId)
          : await ctx.store.findList('name', sel.staticListName ?? '');
      if (!list) {
        const what = sel.staticListId != null ? `id ${sel.staticListId}` : `name "${echo(sel.staticListName)}"`;
        throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with ${what}`);
      }
      return { leads: { kind: 'list', listId: list.id } };
    }
    case 'LeadKeySelector': {
      const values = changeKeys(sel);
      const ids = new Set<number>();
      for (const v of values) {
        const lookup = await leadLookup(ctx.store, sel.keyType, v);
        if (!lookup) continue;
        for (const l of await ctx.store.findLeads(lookup)) ids.add(l.id);
      }
      return { leads: { kind: 'ids', ids: [...ids].sort((a, b) => a - b) } };
    }
  }
}

const later = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);
const earlier = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * Activity across leads, oldest first by activity id. startPosition: oldestCreatedAt and
 * latestCreatedAt bound the activity time, activityCreatedAt keeps only leads with some activity
 * since then, and `offset` is our signed cursor (the last activity id returned). Paging by id means
 * new activity arriving between pages lands after the cursor: a page never repeats or skips a
 * record. At the end: returnCount 0 and the position echoed, to be polled again later.
 */
export const getLeadChanges: Handler<'getLeadChanges'> = async (params, ctx) => {
  const sp = params.startPosition;
  const names = params.activityNameFilter?.stringItem ?? [];
  const filter = combineFilters(tokenFilter(params.activityFilter), names.length ? { include: nameFilter(names) } : {});
  const limit = pageLimit(params.batchSize, MAX_CHANGES_BATCH);

  const sel = selectorHash({
    op: 'getLeadChanges',
    filter,
    selector: params.leadSelector,
    oldest: sp.oldestCreatedAt ?? undefined,
    latest: sp.latestCreatedAt ?? undefined,
    active: sp.activityCreatedAt ?? undefined,
  });
  const { after: afterId, os: returned, to: fixedTo } = ctx.streams.cursor(sp.offset, sel);
  const scope = params.leadSelector ? await selectorScope(params.leadSelector, ctx, fixedTo) : {};
  const page = await ctx.store.pageActivityChanges({
    ...filter,
    from: later(sp.oldestCreatedAt?.getTime(), scope.from),
    to: earlier(sp.latestCreatedAt?.getTime(), scope.to),
    leads: scope.leads,
    activeSince: sp.activityCreatedAt?.getTime(),
    afterId,
    limit,
  });
  const last = page.activities[page.activities.length - 1];
  return {
    returnCount: page.activities.length,
    remainingCount: page.remaining,
    newStartPosition: {
      latestCreatedAt: sp.latestCreatedAt ?? null,
      oldestCreatedAt: sp.oldestCreatedAt ?? null,
      activityCreatedAt: sp.activityCreatedAt ?? null,
      offset: last
        ? ctx.streams.encode({
            sel,
            after: last.id,
            os: returned + page.activities.length,
            // An open LastUpdateAtSelector range keeps the end it had on the first page.
            ...(scope.to !== undefined && params.leadSelector?.xsiType === 'LastUpdateAtSelector'
              ? { to: scope.to }
              : {}),
          })
        : (sp.offset ?? null),
    },
    leadChangeRecordList: page.activities.length ? { leadChangeRecord: page.activities.map(toLeadChangeRecord) } : null,
  };
};
