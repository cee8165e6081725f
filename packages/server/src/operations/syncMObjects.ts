import type { MObjStatus } from '@mktows/protocol';
import { checkObjectCount, syncObject, toMObjStatus } from '../domain/mobject-sync.js';
import type { Tag } from '../store/mobject-store.js';
import type { Handler } from './context.js';

export const MAX_SYNC_MOBJECTS = 100;

/**
 * One status per object, in input order: CREATED, UPDATED, UNCHANGED, SKIPPED (INSERT of an
 * existing object, UPDATE of a missing one) or FAILED with the reason. Objects are written in order,
 * so a person role may name an opportunity created earlier in the same call.
 */
export const syncMObjects: Handler<'syncMObjects'> = async (params, ctx) => {
  const objects = params.mObjectList.mObject ?? [];
  checkObjectCount(objects.length, MAX_SYNC_MOBJECTS, 'syncMObjects');
  const now = ctx.now();
  const statuses = await ctx.store.transaction(async (tx) => {
    let known: Tag[] | undefined;
    const knownTags = async () => {
      // Tags that exist: those programs carry (channels included), the tag-type catalogue's values
      // and the defined channels.
      known ??= [
        ...(await tx.mobjects.knownTags()),
        ...(await tx.campaigns.listTagTypes()).flatMap((t) => t.values.map((value) => ({ type: t.type, value }))),
        ...(await tx.campaigns.listChannels()).map((c) => ({ type: 'Channel', value: c.name })),
      ];
      return known;
    };
    const out: MObjStatus[] = [];
    for (const obj of objects) {
      out.push(toMObjStatus(obj, await syncObject(tx, obj, params.operation, now, knownTags), ctx.version));
    }
    return out;
  });
  return { mObjStatusList: { mObjStatus: statuses } };
};
