import { compareVersions, type MObjStatus } from '@mktows/protocol';
import { checkObjectCount, deleteObject } from '../domain/mobject-sync.js';
import type { Handler } from './context.js';

export const MAX_DELETE_MOBJECTS = 100;

/**
 * Opportunities (with their person roles) and person roles, by id: DELETED, UNCHANGED when there
 * is no such object, FAILED for a type that cannot be deleted or an object without an id.
 */
export const deleteMObjects: Handler<'deleteMObjects'> = async (params, ctx) => {
  const objects = params.mObjectList.mObject ?? [];
  checkObjectCount(objects.length, MAX_DELETE_MOBJECTS, 'deleteMObjects');
  const noId = compareVersions(ctx.version, '2_6') < 0 ? 0 : null;
  const statuses = await ctx.store.transaction(async (tx) => {
    const out: MObjStatus[] = [];
    for (const obj of objects) {
      const r = await deleteObject(tx, obj);
      out.push({
        id: r.id ?? noId,
        ...(obj.externalKey ? { externalKey: obj.externalKey } : {}),
        status: r.status,
        ...(r.error ? { error: r.error } : {}),
      });
    }
    return out;
  });
  return { mObjStatusList: { mObjStatus: statuses } };
};
