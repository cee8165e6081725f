/** syncCustomObjects on the bridge (MAPPING.md row 22). */
import type { SyncCustomObjStatus, SyncStatusEnum } from '@mktows/protocol';
import { customObjectPath, customObjectRest, customObjectType } from '../custom-object-type.js';
import { checkRecordCount, keyEcho, keyRecord, RecordRefused, writeRecords } from '../custom-object-write.js';
import { reasonOf } from '../record-result.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const ACTION = { UPSERT: 'createOrUpdate', INSERT: 'createOnly', UPDATE: 'updateOnly' } as const;

export const syncCustomObjects: BridgeOperation<'syncCustomObjects'> = {
  rest: [
    'GET /rest/v1/customobjects/<objTypeName>/describe.json (cached)',
    'POST /rest/v1/customobjects/<objTypeName>.json {action: createOrUpdate | createOnly | updateOnly, dedupeBy:"dedupeFields", input}',
  ],
  differences: [
    "A record REST skips is FAILED with REST's reason message (a missing lead, an existing record on INSERT, a missing one on UPDATE, a bad value).",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const type = await customObjectType(call, params.objTypeName);
    const records = params.customObjList.customObj ?? [];
    checkRecordCount(records.length, 'syncCustomObjects', 'customObj', 'customObjList');
    const action = ACTION[params.operation ?? 'UPSERT'];
    const status = (i: number, s: SyncStatusEnum, error: string | null = null): SyncCustomObjStatus => {
      const keyList = records[i].customObjKeyList;
      return {
        objTypeName: type.name,
        customObjKeyList: keyList ? keyEcho(keyList.attribute ?? []) : null,
        status: s,
        error,
      };
    };
    const statuses = await writeRecords({
      count: records.length,
      prepare: (i) => {
        const out = keyRecord(type, records[i].customObjKeyList?.attribute ?? []);
        const unknown: string[] = [];
        for (const a of records[i].customObjAttributeList?.attribute ?? []) {
          const f = type.field(a.attrName ?? '');
          if (f) out[f.rest] = a.attrValue ?? '';
          else unknown.push(a.attrName);
        }
        if (unknown.length) throw new RecordRefused(`Unknown name attribute list: ${unknown.join(', ')}`);
        return out;
      },
      failed: (i, message) => status(i, 'FAILED', message),
      send: (input) =>
        customObjectRest(call, type.name, {
          method: 'POST',
          path: `${customObjectPath(type.name)}.json`,
          json: { action, dedupeBy: 'dedupeFields', input },
        }),
      answer: (i, r) =>
        r?.status === 'created'
          ? status(i, 'CREATED')
          : r?.status === 'updated'
            ? status(i, 'UPDATED')
            : status(i, 'FAILED', reasonOf(r).message),
    });
    return { syncCustomObjStatusList: { syncCustomObjStatus: statuses } };
  },
};
