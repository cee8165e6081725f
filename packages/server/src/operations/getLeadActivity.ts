import type { StreamPosition } from '@mktows/protocol';
import { pageLimit, toActivityRecord, tokenFilter } from '../domain/activity-records.js';
import { findLeadsByKey } from '../domain/lead-keys.js';
import { selectorHash } from '../domain/stream-position.js';
import type { Handler, OpContext } from './context.js';

/** "System will limit to 100 or batchSize, whichever is less." */
export const MAX_ACTIVITY_BATCH = 100;

/**
 * One lead's activity history, newest first. The first call fixes the upper bound at
 * latestCreatedAt (or now) and echoes it in newStartPosition, as Marketo did, so later pages see
 * the same history; `offset` is our signed cursor (time and id of the last record returned).
 * Past the end: returnCount 0 and the position echoed.
 */
/**
 * Where a newest-first read continues: before the time and id of the last record returned, with
 * the count so far and the upper bound fixed on the first page (latestCreatedAt, or now).
 */
export function newestFirstCursor(
  sp: StreamPosition,
  sel: string,
  ctx: Pick<OpContext, 'streams' | 'now'>,
): { before?: { at: number; id: number }; returned: number; to: number } {
  if (!sp.offset) return { returned: 0, to: sp.latestCreatedAt ? sp.latestCreatedAt.getTime() : ctx.now() };
  // Signed and bound to this lead and filter, so its fields are the ones issued with it.
  const state = ctx.streams.decode(sp.offset, sel);
  return { before: { at: Number(state.at), id: state.after }, returned: state.os, to: Number(state.to) };
}

export const getLeadActivity: Handler<'getLeadActivity'> = async (params, ctx) => {
  const { keyType, keyValue } = params.leadKey;
  // An e-mail shared by several leads names the most recent of them.
  const [lead] = await findLeadsByKey(ctx.store, keyType, keyValue);
  const filter = tokenFilter(params.activityFilter);
  const limit = pageLimit(params.batchSize, MAX_ACTIVITY_BATCH);

  const sp = params.startPosition ?? {};
  const oldest = sp.oldestCreatedAt ?? undefined;
  const sel = selectorHash({ op: 'getLeadActivity', lead: lead.id, filter, oldest });
  const { before, returned, to } = newestFirstCursor(sp, sel, ctx);

  const page = await ctx.store.pageLeadActivities({
    leadId: lead.id,
    ...filter,
    from: oldest?.getTime(),
    to,
    before,
    limit,
  });
  const last = page.activities[page.activities.length - 1];
  return {
    returnCount: page.activities.length,
    remainingCount: page.remaining,
    newStartPosition: {
      latestCreatedAt: new Date(to),
      oldestCreatedAt: oldest ?? null,
      activityCreatedAt: sp.activityCreatedAt ?? null,
      offset: last
        ? ctx.streams.encode({
            sel,
            after: last.id,
            at: last.occurredAt,
            os: returned + page.activities.length,
            to,
          })
        : (sp.offset ?? null),
    },
    activityRecordList: page.activities.length ? { activityRecord: page.activities.map(toActivityRecord) } : null,
  };
};
