/**
 * listOperation on the bridge (MAPPING.md row 8): the list by name (cached), EMAIL keys → ids in one
 * look-up, then the membership endpoint 300 ids at a time. Statuses follow REST's per-id answers:
 * `added`, `removed`, `memberof` are true; `notmemberof` and `skipped` (1004 no lead, 1015 not in the
 * list) are false.
 */
import type { LeadStatus } from '@mktows/protocol';
import { checkListOperation } from '../../../operations/listOperation.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdsOfKeys } from '../lead-ids.js';
import { chunks, listIdBySoapName } from '../rest-lists.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** REST's limit of ids per membership call. */
const IDS_PER_CALL = 300;

type Verb = 'GET' | 'POST' | 'DELETE';

/** Each id's REST status, id → `added`/`removed`/`memberof`/`notmemberof`/`skipped`. */
async function membership(call: BridgeCall, listId: number, verb: Verb, ids: readonly number[]) {
  const status = new Map<number, string>();
  const path = verb === 'GET' ? `/rest/v1/lists/${listId}/leads/ismember.json` : `/rest/v1/lists/${listId}/leads.json`;
  for (const part of chunks(ids, IDS_PER_CALL)) {
    const body = await call.rest({
      method: verb,
      path,
      ...(verb === 'POST' ? { json: { input: part.map((id) => ({ id })) } } : { query: { id: part } }),
      // Adding or removing twice leaves the list as once: safe to send again after a lost answer.
      idempotent: true,
    });
    for (const r of (body.result ?? []) as { id: number; status: string }[]) status.set(Number(r.id), r.status);
  }
  return status;
}

/** Pages the list's members (ids only) and removes them 300 at a time: CLEARLIST has no REST call. */
async function clearList(call: BridgeCall, listId: number): Promise<void> {
  const ids: number[] = [];
  let nextPageToken: string | undefined;
  do {
    const body = await call.rest({
      method: 'GET',
      path: `/rest/v1/lists/${listId}/leads.json`,
      query: { fields: 'id', batchSize: IDS_PER_CALL, nextPageToken },
    });
    for (const l of (body.result ?? []) as { id: number }[]) ids.push(Number(l.id));
    nextPageToken = body.moreResult === false ? undefined : body.nextPageToken;
  } while (nextPageToken);
  if (ids.length) await membership(call, listId, 'DELETE', ids);
}

export const listOperation: BridgeOperation<'listOperation'> = {
  rest: [
    'GET /rest/v1/lists.json?name=<list name> (cached; a name `Program.List` is also looked up as name=List&programName=Program)',
    'GET /rest/v1/leads.json?filterType=email&filterValues=<≤300 e-mails>&fields=id,email (EMAIL keys only)',
    'ADDTOLIST: POST /rest/v1/lists/{id}/leads.json {input:[{id}]}; REMOVEFROMLIST: DELETE /rest/v1/lists/{id}/leads.json?id=…; ISMEMBEROFLIST: GET /rest/v1/lists/{id}/leads/ismember.json?id=… (300 ids a call)',
    'strict=true: GET …/ismember.json first; the change only when every lead would succeed',
    'CLEARLIST (2_1, 2_2): GET /rest/v1/lists/{id}/leads.json?fields=id (every page), then DELETE 300 ids a call',
  ],
  differences: [
    'strict=true is checked, then applied: REST has no all-or-nothing call, so a lead added or removed by someone else between the check and the change is not noticed.',
    'skipActivityLog (2_1, 2_2) is ignored: REST always logs Add to List / Remove from List activities.',
    'A list is named as SOAP names it: `List`, or `Program.List` for a list inside a program.',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { op, listName, keys, strict } = checkListOperation(params, ctx.version);
    const listId = await listIdBySoapName(call, listName);
    if (op === 'CLEARLIST') {
      await clearList(call, listId);
      return { success: true, statusList: null };
    }
    // An e-mail shared by several leads names the newest of them, as in the emulator.
    const leadIds = (await leadIdsOfKeys(call, keys)).map((ids) => ids[0]);
    const unique = [...new Set(leadIds.filter((id): id is number => id !== undefined))];
    const statusesOf = (status: Map<number, string>, good: string) => {
      const ok = leadIds.map((id) => id !== undefined && status.get(id) === good);
      const statusList = {
        leadStatus: keys.map((k, i): LeadStatus => ({ leadKey: { ...k }, status: ok[i] })),
      };
      return { success: ok.every(Boolean), statusList };
    };
    if (op === 'ISMEMBEROFLIST') return statusesOf(await membership(call, listId, 'GET', unique), 'memberof');
    if (strict) {
      const checked = await membership(call, listId, 'GET', unique);
      // ADDTOLIST fails only for a lead that does not exist; REMOVEFROMLIST also for a non-member.
      for (const [id, s] of checked) if (op === 'ADDTOLIST' && s === 'notmemberof') checked.set(id, 'memberof');
      const would = statusesOf(checked, 'memberof');
      if (!would.success) return would;
    }
    const verb = op === 'ADDTOLIST' ? 'POST' : 'DELETE';
    const done = statusesOf(await membership(call, listId, verb, unique), op === 'ADDTOLIST' ? 'added' : 'removed');
    return { success: done.success, statusList: done.success ? null : done.statusList };
  },
};
