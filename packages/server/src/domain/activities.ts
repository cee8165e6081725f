/**
 * The activities that writes append, built in one place so that every write records what Marketo
 * would: the type's id and display name, the asset, and attributes in Marketo's order, each ending
 * with "Lead ID" as in Marketo's records.
 */
import type { NewActivity, StaticList } from '../store/store.js';
import { ACTIVITY, type ActivityTypeDef, API_SOURCE } from './activity-types.js';

/** The field whose changes are also recorded as Change Score. */
export const SCORE_FIELD = 'LeadScore';

export function activity(
  type: ActivityTypeDef,
  leadId: number,
  at: number,
  attributes: [string, string][],
  opts: { asset?: string | null; campaign?: string | null } = {},
): NewActivity {
  const attrs = attributes.some(([n]) => n === 'Lead ID') ? attributes : [...attributes, ['Lead ID', String(leadId)]];
  return {
    leadId,
    typeId: type.id,
    typeName: type.name,
    occurredAt: at,
    assetName: opts.asset ?? null,
    campaign: opts.campaign ?? null,
    attributes: attrs as [string, string][],
  };
}

/** "YYYY-MM-DD" of a time, in UTC. */
function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function newLeadActivity(leadId: number, at: number): NewActivity {
  return activity(ACTIVITY.NewLead, leadId, at, [
    ['Source Type', API_SOURCE],
    ['Source Info', API_SOURCE],
    ['Created Date', day(at)],
  ]);
}

/** `+5`, `-3`, or `=n` when either side is not a number (a score set from nothing). */
function scoreDelta(oldV: string, newV: string): string {
  const o = oldV === '' ? 0 : Number(oldV);
  const n = newV === '' ? 0 : Number(newV);
  if (!Number.isFinite(o) || !Number.isFinite(n)) return `=${newV}`;
  const d = n - o;
  return d < 0 ? String(d) : `+${d}`;
}

/**
 * A field change: Change Data Value, and for the score field also Change Score (Marketo logs both
 * when a score field is written directly).
 */
export function dataValueActivities(
  leadId: number,
  field: string,
  label: string,
  oldV: string,
  newV: string,
  at: number,
  reason: string = API_SOURCE,
): NewActivity[] {
  const out = [
    activity(
      ACTIVITY.ChangeDataValue,
      leadId,
      at,
      [
        ['Attribute Name', label],
        ['Old Value', oldV],
        ['New Value', newV],
        ['Reason', reason],
        ['Source', API_SOURCE],
      ],
      { asset: label },
    ),
  ];
  if (field === SCORE_FIELD) {
    out.push(
      activity(
        ACTIVITY.ChangeScore,
        leadId,
        at,
        [
          ['Score Name', label],
          ['Change Value', scoreDelta(oldV, newV)],
          ['Old Value', oldV],
          ['New Value', newV],
          ['Reason', reason],
          ['Source', API_SOURCE],
        ],
        { asset: label },
      ),
    );
  }
  return out;
}

/** Add to List / Remove from List, with the list's name as the asset. */
export function listActivity(kind: 'add' | 'remove', leadId: number, list: StaticList, at: number): NewActivity {
  return activity(
    kind === 'add' ? ACTIVITY.AddToList : ACTIVITY.RemoveFromList,
    leadId,
    at,
    [
      ['List ID', String(list.id)],
      ['Source', API_SOURCE],
    ],
    { asset: list.name },
  );
}
