import type { MObjStatus } from '@mktows/protocol';
import { checkObjectCount, deleteObject, toMObjStatus } from '../domain/mobject-sync.js';
import type { Handler } from './context.js';

export const MAX_DELETE_MOBJECTS = 100;

/**
 * Opportunities (with their person roles) and person roles, by id: DELETED, UNCHANGED when there
 * is no such object, FAILED for a type that cannot be deleted or an object without an id.
 */
export const deleteMObjects: Handler<'deleteMObjects'> = async (params, ctx) => {
  const objects = params.mObjectList.mObject ?? [];
  checkObjectCount(objects.length, MAX_DELETE_MOBJECTS, 'deleteMObjects');
  const statuses = await ctx.store.transaction(async (tx) => {
    const out: MObjStatus[] = [];
    for (const obj of objects) {
      out.push(toMObjStatus(obj, await deleteObject(tx, obj), ctx.version));
    }
    return out;
  });
  return { mObjStatusList: { mObjStatus: statuses } };
};
