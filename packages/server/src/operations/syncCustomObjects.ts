import { FAULT, MktowsFault, type SyncCustomObjStatus, type SyncStatusEnum } from '@mktows/protocol';
import {
  customObjectType,
  fieldValues,
  keyValues,
  MAX_CUSTOM_OBJECTS,
  RecordError,
  wireAttributes,
  writeCustomObject,
} from '../domain/custom-objects.js';
import type { Handler } from './context.js';

/**
 * Creates or updates records of a declared type (operation defaults to UPSERT). One status per
 * record, in input order: CREATED, UPDATED, or FAILED with the reason (unknown attribute, missing
 * key, a link field naming no lead, INSERT of an existing record, UPDATE of a missing one).
 * SyncStatusEnum has no SKIPPED or UNCHANGED, so those cases are FAILED with a message.
 */
export const syncCustomObjects: Handler<'syncCustomObjects'> = async (params, ctx) => {
  const type = await customObjectType(ctx.store.customObjects, params.objTypeName);
  const records = params.customObjList.customObj ?? [];
  if (records.length === 0)
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'syncCustomObjects: customObjList holds no customObj');
  if (records.length > MAX_CUSTOM_OBJECTS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `syncCustomObjects: ${records.length} custom objects exceed the limit of ${MAX_CUSTOM_OBJECTS} per call`,
    );
  }
  const op = params.operation ?? 'UPSERT';
  const now = ctx.now();
  const statuses = await ctx.store.transaction(async (tx) => {
    const out: SyncCustomObjStatus[] = [];
    for (const rec of records) {
      const keyList = rec.customObjKeyList?.attribute ?? [];
      const echo = rec.customObjKeyList
        ? { attribute: wireAttributes(keyList.map((a) => [a.attrName, a.attrValue ?? ''])) }
        : null;
      const status = (s: SyncStatusEnum, error: string | null = null): SyncCustomObjStatus => ({
        objTypeName: type.name,
        customObjKeyList: echo,
        status: s,
        error,
      });
      try {
        const keys = keyValues(type, keyList);
        const values = fieldValues(type, rec.customObjAttributeList?.attribute ?? []);
        out.push(status((await writeCustomObject(tx, type, keys, values, op, now)).status));
      } catch (e) {
        if (e instanceof RecordError) out.push(status('FAILED', e.message));
        else throw e;
      }
    }
    return out;
  });
  return { syncCustomObjStatusList: { syncCustomObjStatus: statuses } };
};
