import { FAULT, MktowsFault, type SyncCustomObjStatus, type SyncStatusEnum } from '@mktows/protocol';
import {
  customObjectType,
  describeKeys,
  keyValues,
  MAX_CUSTOM_OBJECTS,
  RecordError,
  wireAttributes,
} from '../domain/custom-objects.js';
import type { Handler } from './context.js';

/**
 * Deletes records by their full key list: DELETED, UNCHANGED when no record has those keys, FAILED
 * for a bad key list. The items are `syncCustomObjStatus` elements inside
 * `deleteCustomObjStatusList`. UNCHANGED is a documented status that SyncStatusEnum
 * lacks; it is sent as the docs list it.
 */
export const deleteCustomObjects: Handler<'deleteCustomObjects'> = async (params, ctx) => {
  const type = await customObjectType(ctx.store.customObjects, params.objTypeName);
  const lists = params.customObjKeyLists.keyList ?? [];
  if (lists.length === 0)
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'deleteCustomObjects: customObjKeyLists holds no keyList');
  if (lists.length > MAX_CUSTOM_OBJECTS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `deleteCustomObjects: ${lists.length} key lists exceed the limit of ${MAX_CUSTOM_OBJECTS} per call`,
    );
  }
  const statuses = await ctx.store.transaction(async (tx) => {
    const out: SyncCustomObjStatus[] = [];
    for (const list of lists) {
      const attrs = list.attribute ?? [];
      const status = (s: SyncStatusEnum | 'UNCHANGED', error: string | null = null): SyncCustomObjStatus => ({
        objTypeName: type.name,
        customObjKeyList: { attribute: wireAttributes(attrs.map((a) => [a.attrName, a.attrValue ?? ''])) },
        status: s as SyncStatusEnum,
        error,
      });
      try {
        const keys = keyValues(type, attrs);
        const existing = await tx.customObjects.findCustomObject(type.name, keys);
        if (!existing) {
          out.push(status('UNCHANGED', `No ${type.name} with ${describeKeys(type, keys)}`));
          continue;
        }
        await tx.customObjects.deleteCustomObject(existing.id);
        out.push(status('DELETED'));
      } catch (e) {
        if (e instanceof RecordError) out.push(status('FAILED', e.message));
        else throw e;
      }
    }
    return out;
  });
  return { deleteCustomObjStatusList: { syncCustomObjStatus: statuses } };
};
