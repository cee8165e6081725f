import {
  compareVersions,
  echo,
  FAULT,
  type LeadStatus,
  MktowsFault,
  type ParamsListOperation,
  type Version,
} from '@mktows/protocol';
import { listActivity } from '../domain/activities.js';
import { leadLookup } from '../domain/lead-keys.js';
import type { StoreTx } from '../store/store.js';
import type { Handler } from './context.js';

/** "Max 1000 leads per call." */
export const MAX_LIST_LEADS = 1000;
/** The last API version that had CLEARLIST (and skipActivityLog). */
const LAST_CLEARLIST_VERSION = '2_2';

async function resolveMember(tx: StoreTx, keyType: 'IDNUM' | 'EMAIL', keyValue: string): Promise<number | undefined> {
  const lookup = await leadLookup(tx, keyType, keyValue);
  if (!lookup) return undefined;
  // An e-mail shared by several leads names the most recent of them.
  const [lead] = await tx.findLeads(lookup);
  return lead?.id;
}

/** listOperation's parameters once checked: what the emulator and the bridge both refuse, they refuse alike. */
export interface ListOperationCall {
  op: ParamsListOperation['listOperation'];
  listName: string;
  keys: { keyType: 'IDNUM' | 'EMAIL'; keyValue: string }[];
  strict: boolean;
  /** False when skipActivityLog asked for no activities (2_2 and earlier only). */
  log: boolean;
}

/**
 * Checks a listOperation call: CLEARLIST only up to 2_2 (20110), lists only by MKTOLISTNAME (20110),
 * at most 1000 leads (20110), IDNUM or EMAIL keys only (20102), at least one lead except for
 * CLEARLIST (20109).
 */
export function checkListOperation(params: ParamsListOperation, version: Version): ListOperationCall {
  const op = params.listOperation;
  const oldPath = compareVersions(version, LAST_CLEARLIST_VERSION) <= 0;
  if (op === 'CLEARLIST' && !oldPath) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `listOperation CLEARLIST exists only up to API version ${LAST_CLEARLIST_VERSION}, not ${version}; use REMOVEFROMLIST`,
    );
  }
  const { keyType: listKeyType, keyValue: listName } = params.listKey;
  if (listKeyType !== 'MKTOLISTNAME') {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `listKey keyType ${echo(listKeyType)} is not supported by this server; name the list with MKTOLISTNAME`,
    );
  }
  const keys = params.listMemberList.leadKey ?? [];
  if (keys.length > MAX_LIST_LEADS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `listMemberList has ${keys.length} leads; listOperation accepts at most ${MAX_LIST_LEADS}`,
    );
  }
  for (const k of keys) {
    if (k.keyType !== 'IDNUM' && k.keyType !== 'EMAIL') {
      throw new MktowsFault(
        FAULT.LEAD_KEY_BAD,
        `Lead key type "${echo(k.keyType)}" is not valid for listOperation; use IDNUM or EMAIL`,
      );
    }
  }
  if (keys.length === 0 && op !== 'CLEARLIST')
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'listMemberList names no lead');
  return {
    op,
    listName,
    keys: keys.map((k) => ({ keyType: k.keyType as 'IDNUM' | 'EMAIL', keyValue: k.keyValue })),
    strict: params.strict === true,
    // skipActivityLog was removed after 2_2; later paths ignore it.
    log: !(oldPath && params.skipActivityLog === true),
  };
}

/**
 * A static list, by name: add, remove, test membership (and clear, on 2_1/2_2 paths). Each lead's
 * part succeeds or not on its own (a missing lead, a lead that is not a member for REMOVEFROMLIST
 * or ISMEMBEROFLIST); `success` is true only when every part did, and then `statusList` is nil for
 * ADDTOLIST and REMOVEFROMLIST, as Marketo answered. `strict` true makes it all or nothing: when any
 * part fails, nothing is written and the statuses say which part failed.
 */
export const listOperation: Handler<'listOperation'> = async (params, ctx) => {
  const { op, listName, keys, strict, log } = checkListOperation(params, ctx.version);
  const now = ctx.now();

  return ctx.store.transaction(async (tx) => {
    const list = await tx.findList('name', listName);
    if (!list) throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with name "${echo(listName)}"`);

    if (op === 'CLEARLIST') {
      const removed = await tx.clearListMembers(list.id);
      if (log) await tx.appendActivities(removed.map((id) => listActivity('remove', id, list, now)));
      return { success: true, statusList: null };
    }

    const leadIds: (number | undefined)[] = [];
    for (const k of keys) leadIds.push(await resolveMember(tx, k.keyType, k.keyValue));
    const found = [...new Set(leadIds.filter((id): id is number => id !== undefined))];
    const members = await tx.listMembersAmong(list.id, found);
    const ok = leadIds.map((id) => id !== undefined && (op === 'ADDTOLIST' || members.has(id)));
    const success = ok.every(Boolean);
    const statusList = {
      leadStatus: keys.map(
        (k, i): LeadStatus => ({ leadKey: { keyType: k.keyType, keyValue: k.keyValue }, status: ok[i] }),
      ),
    };
    if (op === 'ISMEMBEROFLIST') return { success, statusList };
    if (!success && strict) return { success: false, statusList };

    if (op === 'ADDTOLIST') {
      const adding = found.filter((id) => !members.has(id));
      await tx.addListMembers(list.id, adding, now);
      if (log) await tx.appendActivities(adding.map((id) => listActivity('add', id, list, now)));
    } else {
      const removing = found.filter((id) => members.has(id));
      await tx.removeListMembers(list.id, removing);
      if (log) await tx.appendActivities(removing.map((id) => listActivity('remove', id, list, now)));
    }
    return { success, statusList: success ? null : statusList };
  });
};
