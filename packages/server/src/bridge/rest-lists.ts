/**
 * Static lists on the instance, by the names SOAP gives them (MAPPING.md B6). SOAP names a program's
 * list `Program.List`, REST names it `List` inside program `Program`: a SOAP name is looked up as a
 * list outside any program first, then split at each dot into program and list. Ids found are
 * cached (the `list-id` cache); a name not found is not, so a list made later is found at once.
 * Membership changes go 300 ids a call, REST's limit.
 */
import type { BridgeCall } from './bridge.js';
import { staticListId } from './list-ids.js';
import { staticListId as findStaticListId } from './static-lists.js';

/** The id of the list SOAP calls `soapName` (`List` or `Program.List`), or 20111. */
export function listIdBySoapName(call: BridgeCall, soapName: string): Promise<number> {
  return staticListId(call, soapName);
}

/** The id of list `listName` in program `programName` (importToList), or undefined. */
export function programListId(call: BridgeCall, programName: string, listName: string): Promise<number | undefined> {
  return findStaticListId(call, `${programName}.${listName}`);
}

/** `items` in runs of `size` (REST takes 300 ids per list call, 100 leads per campaign call). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** REST's limit of ids per membership call. */
const IDS_PER_CALL = 300;

export type MembershipVerb = 'GET' | 'POST' | 'DELETE';

/** Each id's REST status, id → `added`/`removed`/`memberof`/`notmemberof`/`skipped`. */
export async function listMembership(call: BridgeCall, listId: number, verb: MembershipVerb, ids: readonly number[]) {
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
export async function removeAllMembers(call: BridgeCall, listId: number): Promise<void> {
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
  if (ids.length) await listMembership(call, listId, 'DELETE', ids);
}
