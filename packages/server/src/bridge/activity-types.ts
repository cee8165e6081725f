/**
 * The instance's activity types, from `GET /rest/v1/activities/types.json` (cached), and the two
 * ways SOAP names them (MAPPING.md §2.1-7): WSDL `ActivityType` tokens in `activityFilter` (the
 * display name without spaces, or an override for the tokens Marketo spelt otherwise) and display
 * names in `activityNameFilter`. A filter becomes the set of type ids REST is asked for.
 */
import { type ActivityTypeFilter, echo, FAULT, MktowsFault } from '@mktows/protocol';
import { filterTokens } from '../domain/activity-records.js';
import { EXTRA_ACTIVITY_NAMES } from '../domain/activity-types.js';
import type { BridgeCall } from './bridge.js';

/** One entry of types.json. */
export interface RestActivityType {
  id: number;
  name: string;
  primaryAttribute?: { name: string; dataType: string };
}

/** WSDL tokens that are not their type's display name without spaces (Adobe's filter page). */
const TOKEN_NAMES: Readonly<Record<string, string>> = {
  NewSFDCOpprtnty: 'New SFDC Opportunity',
  PushLeadToSales: 'Sync Lead to SFDC',
  PushLeadUpdatesToSales: 'Sync Lead Updates to SFDC',
  DeleteLeadFromSales: 'Delete Lead from SFDC',
  AssocWithOpprtntyInSales: 'Add to Opportunity',
  DissocFromOpprtntyInSales: 'Remove from Opportunity',
  UpdateOpprtntyInSales: 'Update Opportunity',
  EnrichWithDatacom: 'Enrich with Data.com',
};

const squash = (name: string) => name.replace(/\s+/g, '').toLowerCase();

/** Names on Adobe's filter page that an instance may lack: they then match no activity. */
const DOCUMENTED_NAMES: ReadonlySet<string> = new Set(EXTRA_ACTIVITY_NAMES.map((n) => n.toLowerCase()));

export class ActivityTypeMap {
  private readonly byIdMap: Map<number, RestActivityType>;
  private readonly byName: Map<string, RestActivityType>;
  private readonly bySquashed: Map<string, RestActivityType>;

  constructor(readonly types: readonly RestActivityType[]) {
    this.byIdMap = new Map(types.map((t) => [t.id, t]));
    this.byName = new Map(types.map((t) => [t.name.trim().toLowerCase(), t]));
    this.bySquashed = new Map(types.map((t) => [squash(t.name), t]));
  }

  byId(id: number): RestActivityType | undefined {
    return this.byIdMap.get(id);
  }

  /** Every type id, ascending. */
  allIds(): number[] {
    return [...this.byIdMap.keys()].sort((a, b) => a - b);
  }

  /** The type of a WSDL token; 20107 when the instance has none. */
  ofToken(token: string): number {
    const t = this.bySquashed.get(squash(TOKEN_NAMES[token] ?? token));
    if (!t) throw new MktowsFault(FAULT.ACTIVITY_KEY_BAD, `Activity type ${echo(token)} is not known to this instance`);
    return t.id;
  }

  /**
   * The type of a display name (case-insensitive); undefined for a name of Adobe's filter page the
   * instance does not have (it matches nothing); 20107 for any other name.
   */
  ofName(name: string): number | undefined {
    const key = name.trim().toLowerCase();
    const t = this.byName.get(key);
    if (t) return t.id;
    if (DOCUMENTED_NAMES.has(key)) return undefined;
    throw new MktowsFault(
      FAULT.ACTIVITY_KEY_BAD,
      `activityNameFilter: "${echo(name)}" is not the name of an activity type`,
    );
  }
}

/** types.json, cached like describe. */
export function activityTypes(call: BridgeCall): Promise<ActivityTypeMap> {
  return call.bridge.cache<ActivityTypeMap>('activity-types').get('types', async () => {
    const body = await call.rest({ method: 'GET', path: '/rest/v1/activities/types.json' });
    return new ActivityTypeMap((body.result ?? []) as RestActivityType[]);
  });
}

/** Which type ids a read covers: `include` only these (none = every type), minus `exclude`. */
export interface TypeIdFilter {
  include?: readonly number[];
  exclude?: readonly number[];
}

/** activityFilter: includeTypes or excludeTypes, never both (20107, as the emulator). */
export function tokenIdFilter(filter: ActivityTypeFilter | null | undefined, types: ActivityTypeMap): TypeIdFilter {
  const { include, exclude } = filterTokens(filter);
  const ids = (tokens: readonly string[]) => [...new Set(tokens.map((t) => types.ofToken(t)))];
  if (include.length) return { include: ids(include) };
  if (exclude.length) return { exclude: ids(exclude) };
  return {};
}

/** activityNameFilter as an include filter (names the instance lacks match nothing). */
export function nameIdFilter(names: readonly string[], types: ActivityTypeMap): TypeIdFilter {
  const ids = new Set<number>();
  for (const n of names) {
    const id = types.ofName(n);
    if (id !== undefined) ids.add(id);
  }
  return { include: [...ids] };
}

/** The type ids a filter selects, ascending. */
export function selectedTypeIds(filter: TypeIdFilter, types: ActivityTypeMap): number[] {
  const base = filter.include ?? types.allIds();
  const exclude = new Set(filter.exclude ?? []);
  return [...new Set(base)].filter((id) => !exclude.has(id)).sort((a, b) => a - b);
}
