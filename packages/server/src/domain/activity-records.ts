/**
 * Between stored activities and the wire: activity filters of getLeadActivity/getLeadChanges
 * (ActivityType tokens, display names) and the ActivityRecord / LeadChangeRecord shapes Marketo
 * wrote. Versions are the encoder's business: `marketoGUID` only reaches 3_1 paths.
 */
import {
  type ActivityRecord,
  type ActivityTypeFilter,
  type ArrayOfAttribute,
  echo,
  FAULT,
  type LeadChangeRecord,
  MktowsFault,
} from '@mktows/protocol';
import type { TypeFilter } from '../store/activity-store.js';
import type { Activity } from '../store/store.js';
import { activityByToken, canonicalActivityName } from './activity-types.js';

/**
 * The type filter of an ActivityTypeFilter: includeTypes or excludeTypes, never both (20107).
 * Tokens outside the enum were refused by the decoder (20107).
 */
export function tokenFilter(filter: ActivityTypeFilter | null | undefined): TypeFilter {
  const { include, exclude } = filterTokens(filter);
  const names = (tokens: readonly string[]) => [...new Set(tokens.map((t) => activityByToken(t)?.name ?? t))];
  if (include.length) return { include: names(include) };
  if (exclude.length) return { exclude: names(exclude) };
  return {};
}

/** The tokens of an ActivityTypeFilter: includeTypes or excludeTypes, never both (20107). */
export function filterTokens(filter: ActivityTypeFilter | null | undefined): { include: string[]; exclude: string[] } {
  const include = filter?.includeTypes?.activityType ?? [];
  const exclude = filter?.excludeTypes?.activityType ?? [];
  if (include.length && exclude.length) {
    throw new MktowsFault(
      FAULT.ACTIVITY_KEY_BAD,
      'activityFilter has both includeTypes and excludeTypes; give one of them (include or exclude)',
    );
  }
  return { include, exclude };
}

/** A page size: batchSize (default and cap `max`); below 1 is a bad parameter (20110). */
export function pageLimit(batchSize: number | null | undefined, max: number): number {
  const size = batchSize ?? max;
  if (size < 1) throw new MktowsFault(FAULT.BAD_PARAMETER, `batchSize ${size} must be at least 1`);
  return Math.min(size, max);
}

/** activityNameFilter: display names, matched case-insensitively; an unknown name is 20107. */
export function nameFilter(names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of names) {
    const name = canonicalActivityName(n);
    if (!name)
      throw new MktowsFault(
        FAULT.ACTIVITY_KEY_BAD,
        `activityNameFilter: "${echo(n)}" is not the name of an activity type`,
      );
    out.add(name);
  }
  return [...out];
}

/** Both filters of getLeadChanges together: every condition applies (types by name or by id). */
export function combineFilters<T>(
  a: { include?: readonly T[]; exclude?: readonly T[] },
  b: { include?: readonly T[]; exclude?: readonly T[] },
): { include?: readonly T[]; exclude?: readonly T[] } {
  const out: { include?: readonly T[]; exclude?: readonly T[] } = {};
  if (a.include && b.include) out.include = a.include.filter((n) => b.include?.includes(n));
  else if (a.include ?? b.include) out.include = a.include ?? b.include;
  const exclude = [...(a.exclude ?? []), ...(b.exclude ?? [])];
  if (exclude.length) out.exclude = [...new Set(exclude)];
  return out;
}

function attributes(a: Activity): ArrayOfAttribute {
  return { attribute: a.attributes.map(([attrName, attrValue]) => ({ attrName, attrType: null, attrValue })) };
}

/**
 * getLeadActivity's record, as in Marketo's samples: `<mktgAssetName/>` and `<campaign/>` empty when
 * there is none, personName, foreignSysId, orgName and foreignSysOrgId nil.
 */
export function toActivityRecord(a: Activity): ActivityRecord {
  return {
    id: a.id,
    marketoGUID: a.guid,
    activityDateTime: new Date(a.occurredAt),
    activityType: a.typeName,
    mktgAssetName: a.assetName ?? '',
    activityAttributes: attributes(a),
    campaign: a.campaign ?? '',
    personName: null,
    mktPersonId: String(a.leadId),
    foreignSysId: null,
    orgName: null,
    foreignSysOrgId: null,
  };
}

/** getLeadChanges' record, as in Marketo's sample: `campaign` left out when there is none. */
export function toLeadChangeRecord(a: Activity): LeadChangeRecord {
  return {
    id: a.id,
    marketoGUID: a.guid,
    activityDateTime: new Date(a.occurredAt),
    activityType: a.typeName,
    mktgAssetName: a.assetName,
    activityAttributes: attributes(a),
    ...(a.campaign ? { campaign: a.campaign } : {}),
    mktPersonId: String(a.leadId),
  };
}
