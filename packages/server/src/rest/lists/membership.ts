/**
 * Add to List, Remove from List and Member of List: lead ids from `id` query parameters (repeated
 * or comma-separated) or a JSON body `{input: [{id}]}`, at most 300, each answered on its own with
 * a status or `skipped` and its reasons. Changes append the same Add to List / Remove from List
 * activities SOAP listOperation does, in one transaction with the membership change.
 */
import { RestError, restErrorDef } from '@mktows/protocol';
import { listActivity } from '../../domain/activities.js';
import type { StaticList, Store } from '../../store/store.js';
import { listParam } from '../request.js';
import type { RestRequest } from '../route.js';

export const MAX_LIST_MEMBER_IDS = 300;

type Status = 'added' | 'removed' | 'memberof' | 'notmemberof';
type Outcome =
  | { id: number; status: Status }
  | { id: number; status: 'skipped'; reasons: { code: string; message: string }[] };

function skipped(id: number, code: 1004 | 1015): Outcome {
  return { id, status: 'skipped', reasons: [{ code: String(code), message: restErrorDef(code).message }] };
}

/** The lead ids of the request, in order; 1003 when none or more than 300, 1001 when one is not an integer. */
export function memberIds(req: RestRequest): number[] {
  const texts: string[] = listParam(req.query, 'id') ?? [];
  const input = (req.body as { input?: unknown } | undefined)?.input;
  if (texts.length === 0 && Array.isArray(input)) {
    for (const r of input) texts.push(String((r as { id?: unknown } | null)?.id ?? ''));
  }
  // Recorded: Marketo answers a call naming no lead with 1003 "Lead ids not specified".
  if (texts.length === 0) throw new RestError(1003, 'Lead ids not specified');
  if (texts.length > MAX_LIST_MEMBER_IDS)
    throw new RestError(1003, `Too many lead ids: ${texts.length}; the maximum is ${MAX_LIST_MEMBER_IDS}`);
  return texts.map((t) => {
    if (!/^\d+$/.test(t.trim())) throw new RestError(1001, `Invalid value '${t}'. Required of type 'Integer'`);
    return Number(t);
  });
}

export async function changeMembers(
  store: Store,
  list: StaticList,
  ids: readonly number[],
  kind: 'add' | 'remove',
  now: number,
): Promise<Outcome[]> {
  return store.transaction(async (tx) => {
    const unique = [...new Set(ids)];
    const existing = new Set((await tx.getLeads(unique)).map((l) => l.id));
    const members = await tx.listMembersAmong(list.id, [...existing]);
    const changing = [...existing].filter((id) => (kind === 'add' ? !members.has(id) : members.has(id)));
    if (kind === 'add') await tx.addListMembers(list.id, changing, now);
    else await tx.removeListMembers(list.id, changing);
    await tx.appendActivities(changing.map((id) => listActivity(kind, id, list, now)));
    // Decision: adding a lead that is already a member answers `added` and logs nothing, as
    // listOperation ADDTOLIST does; a lead named twice is answered twice.
    return ids.map((id): Outcome => {
      if (!existing.has(id)) return skipped(id, 1004);
      if (kind === 'add') return { id, status: 'added' };
      return members.has(id) ? { id, status: 'removed' } : skipped(id, 1015);
    });
  });
}

export async function memberOf(store: Store, list: StaticList, ids: readonly number[]): Promise<Outcome[]> {
  const unique = [...new Set(ids)];
  const existing = new Set((await store.getLeads(unique)).map((l) => l.id));
  const members = await store.transaction((tx) => tx.listMembersAmong(list.id, [...existing]));
  return ids.map((id): Outcome => {
    if (!existing.has(id)) return skipped(id, 1004);
    return { id, status: members.has(id) ? 'memberof' : 'notmemberof' };
  });
}
