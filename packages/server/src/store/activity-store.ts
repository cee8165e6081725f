/**
 * The activity log and list membership, at the level of the domain: page one lead's activities
 * newest first (getLeadActivity), page the change stream of all leads oldest first by activity id
 * (getLeadChanges), and remove list members (listOperation). Part of Store and StoreTx.
 */

export interface NewActivity {
  leadId: number;
  /** Marketo activity type id (1 Visit Webpage, 12 New Lead, 13 Change Data Value, ...). */
  typeId: number;
  /** Display name, e.g. "Change Data Value". */
  typeName: string;
  occurredAt: number;
  assetName: string | null;
  campaign: string | null;
  /** Ordered name/value pairs. */
  attributes: [string, string][];
}

export interface Activity extends NewActivity {
  id: number;
  guid: string;
}

/** Which activity types a query returns, by display name. */
export interface TypeFilter {
  /** Only these names (none = every type). */
  include?: readonly string[];
  /** Every type but these. */
  exclude?: readonly string[];
}

export interface LeadActivityQuery extends TypeFilter {
  leadId: number;
  /** occurred_at bounds, inclusive, in ms. */
  from?: number;
  to?: number;
  /** Newest-first cursor: only activities strictly older than this one (by time, then id). */
  before?: { at: number; id: number };
  limit: number;
}

/** Which leads a change query covers. */
export type ChangeLeadFilter = { kind: 'ids'; ids: readonly number[] } | { kind: 'list'; listId: number };

export interface ChangeQuery extends TypeFilter {
  from?: number;
  to?: number;
  leads?: ChangeLeadFilter;
  /** Only leads that have some activity (of any type) at or after this time. */
  activeSince?: number;
  /** Oldest-first cursor: only activities with a greater id. */
  afterId: number;
  limit: number;
}

export interface ActivityPage {
  activities: Activity[];
  /** Activities matching the query after the last one returned. */
  remaining: number;
}

/** Read side (Store). */
export interface ActivityReader {
  /** One lead's activities, newest first (time, then id). */
  pageLeadActivities(query: LeadActivityQuery): Promise<ActivityPage>;
  /** Activities across leads, by ascending id: a cursor that new activity never disturbs. */
  pageActivityChanges(query: ChangeQuery): Promise<ActivityPage>;
}

/** Write side (StoreTx). */
export interface ListMemberWriter {
  /** The subset of `leadIds` that are members of the list. */
  listMembersAmong(listId: number, leadIds: readonly number[]): Promise<Set<number>>;
  removeListMembers(listId: number, leadIds: readonly number[]): Promise<void>;
  /** Removes every member; returns the ids that were members, ascending. */
  clearListMembers(listId: number): Promise<number[]>;
}
