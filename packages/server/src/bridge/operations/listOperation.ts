/**
 * listOperation on the bridge (MAPPING.md row 8): the list by name (cached), EMAIL keys → ids in one
 * look-up, then the membership endpoint 300 ids at a time. Statuses follow REST's per-id answers:
 * `added`, `removed`, `memberof` are true; `notmemberof` and `skipped` (1004 no lead, 1015 not in the
 * list) are false.
 */
import type { LeadStatus } from '@mktows/protocol';
import { checkListOperation } from '../../operations/listOperation.js';
import { leadIdsOfKeys } from '../lead-ids.js';
import { listIdBySoapName, listMembership, removeAllMembers } from '../rest-lists.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

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
      await removeAllMembers(call, listId);
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
    if (op === 'ISMEMBEROFLIST') return statusesOf(await listMembership(call, listId, 'GET', unique), 'memberof');
    if (strict) {
      const checked = await listMembership(call, listId, 'GET', unique);
      // ADDTOLIST fails only for a lead that does not exist; REMOVEFROMLIST also for a non-member.
      for (const [id, s] of checked) if (op === 'ADDTOLIST' && s === 'notmemberof') checked.set(id, 'memberof');
      const would = statusesOf(checked, 'memberof');
      if (!would.success) return would;
    }
    const verb = op === 'ADDTOLIST' ? 'POST' : 'DELETE';
    const done = statusesOf(await listMembership(call, listId, verb, unique), op === 'ADDTOLIST' ? 'added' : 'removed');
    return { success: done.success, statusList: done.success ? null : done.statusList };
  },
};
