/** deleteCustomObjects on the bridge (MAPPING.md row 23). */
import type { SyncCustomObjStatus, SyncStatusEnum } from '@mktows/protocol';
import { customObjectPath, customObjectRest, customObjectType } from '../custom-object-type.js';
import { checkRecordCount, keyEcho, keyRecord, writeRecords } from '../custom-object-write.js';
import { reasonOf } from '../record-result.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

export const deleteCustomObjects: BridgeOperation<'deleteCustomObjects'> = {
  rest: [
    'GET /rest/v1/customobjects/<objTypeName>/describe.json (cached)',
    'POST /rest/v1/customobjects/<objTypeName>/delete.json {deleteBy:"dedupeFields", input}',
  ],
  differences: [
    "A record REST skips as not found (1013) is UNCHANGED, as the emulator answers; any other skip is FAILED with REST's reason message.",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const type = await customObjectType(call, params.objTypeName);
    const lists = params.customObjKeyLists.keyList ?? [];
    checkRecordCount(lists.length, 'deleteCustomObjects', 'keyList', 'customObjKeyLists');
    // UNCHANGED is a documented status that SyncStatusEnum lacks; the emulator sends it too.
    const status = (i: number, s: SyncStatusEnum | 'UNCHANGED', error: string | null = null): SyncCustomObjStatus => ({
      objTypeName: type.name,
      customObjKeyList: keyEcho(lists[i].attribute ?? []),
      status: s as SyncStatusEnum,
      error,
    });
    const statuses = await writeRecords({
      count: lists.length,
      prepare: (i) => keyRecord(type, lists[i].attribute ?? []),
      failed: (i, message) => status(i, 'FAILED', message),
      send: (input) =>
        customObjectRest(call, type.name, {
          method: 'POST',
          path: `${customObjectPath(type.name)}/delete.json`,
          json: { deleteBy: 'dedupeFields', input },
        }),
      answer: (i, r, sent) => {
        if (r?.status === 'deleted') return status(i, 'DELETED');
        const reason = reasonOf(r);
        if (reason.code !== 1013) return status(i, 'FAILED', reason.message);
        const keys = type.keys.map((k) => `${k.soap}=${sent[k.rest]}`).join(', ');
        return status(i, 'UNCHANGED', `No ${type.name} with ${keys}`);
      },
    });
    return { deleteCustomObjStatusList: { syncCustomObjStatus: statuses } };
  },
};
