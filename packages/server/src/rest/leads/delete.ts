/**
 * `POST /rest/v1/leads/delete.json` (deleteLeadsUsingPOST): ids in the body (`input:[{id}]`) or
 * in the `id` query parameter, up to 300; each `deleted`, or `skipped` with 1004 when no lead has
 * the id (also a repeated id, deleted by its first occurrence). A deleted lead leaves a Delete Lead
 * activity under its id, which `activities/deletedleads.json` reads.
 */
import { RestError, restMessage } from '@mktows/protocol';
import { activity } from '../../domain/activities.js';
import { ACTIVITY } from '../../domain/activity-types.js';
import type { Lead, StoreTx } from '../../store/store.js';
import { listParam } from '../request.js';

export const MAX_DELETE_RECORDS = 300;

function idOf(v: unknown): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new RestError(1001, restMessage(1001, String(v), 'Integer'));
  return n;
}

/** The ids to delete, in request order; the response-level errors before anything is deleted. */
export function readDeleteIds(body: unknown, query: URLSearchParams): number[] {
  const fromQuery = listParam(query, 'id');
  let raw: unknown[];
  if (body !== undefined) {
    const input = body && typeof body === 'object' ? (body as { input?: unknown }).input : undefined;
    if (!Array.isArray(input)) throw new RestError(1003, 'input must be an array of {id} records');
    raw = input.map((r) => (r && typeof r === 'object' ? (r as { id?: unknown }).id : r));
    if (raw.some((v) => v === undefined)) throw new RestError(1003, 'Lead ids not specified');
  } else raw = fromQuery ?? [];
  // Recorded for list writes with no ids; the same words serve an empty delete.
  if (raw.length === 0) throw new RestError(1003, 'Lead ids not specified');
  if (raw.length > MAX_DELETE_RECORDS)
    throw new RestError(1003, `Too many records in input: ${raw.length}; the maximum is ${MAX_DELETE_RECORDS}`);
  return raw.map(idOf);
}

/** "First Last" as Marketo names a lead in activities; null when it has neither name. */
function leadName(l: Lead): string | null {
  const name = [l.attributes.FirstName, l.attributes.LastName].filter((v) => v).join(' ');
  return name || null;
}

export type DeleteResult =
  | { id: number; status: 'deleted' }
  | { id: number; status: 'skipped'; reasons: { code: string; message: string }[] };

export async function deleteLeads(tx: StoreTx, ids: readonly number[], now: number): Promise<DeleteResult[]> {
  const existing = new Map((await tx.getLeads([...new Set(ids)])).map((l) => [l.id, l]));
  const results: DeleteResult[] = [];
  const deleted: Lead[] = [];
  for (const id of ids) {
    const lead = existing.get(id);
    if (!lead) {
      results.push({ id, status: 'skipped', reasons: [{ code: '1004', message: restMessage(1004) }] });
      continue;
    }
    existing.delete(id);
    deleted.push(lead);
    results.push({ id, status: 'deleted' });
  }
  if (deleted.length) {
    await tx.deleteLeads(deleted.map((l) => l.id));
    // The lead's name is the activity's asset: deletedleads.json shows it as primaryAttributeValue.
    await tx.appendActivities(deleted.map((l) => activity(ACTIVITY.DeleteLead, l.id, now, [], { asset: leadName(l) })));
  }
  return results;
}
