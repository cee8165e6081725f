import {
  type Attrib,
  FAULT,
  MktowsFault,
  type MObjAssociation,
  type MObjCriteria,
  type MObject,
  type ParamsGetMObjects,
} from '@mktows/protocol';
import { findOpportunity, leadIdsFor } from '../domain/mobject-sync.js';
import {
  type Criterion,
  matchName,
  opportunityMatches,
  opportunityToMObject,
  parseCriteria,
  programMatches,
  programToMObject,
  QUERYABLE_TYPES,
  type QueryableType,
  roleMatches,
  roleToMObject,
} from '../domain/mobjects.js';
import { type PositionState, selectorHash } from '../domain/stream-position.js';
import type { Opportunity, OpportunityRole, Program } from '../store/mobject-store.js';
import type { Handler, OpContext } from './context.js';

/** Objects per batch. */
export const MOBJECT_BATCH = 100;
const SCAN_CHUNK = 500;

/** Everything that selects and shapes the objects; a stream position carries it. */
export interface Query {
  id?: number;
  externalKey?: Attrib;
  criteria: MObjCriteria[];
  associations: MObjAssociation[];
  includeDetails: boolean;
}

type Stored = Program | Opportunity | OpportunityRole;

const bad = (message: string) => new MktowsFault(FAULT.BAD_PARAMETER, message);

/** The association filters of a query as one predicate (allowed types per object type). */
async function associationFilter(
  type: QueryableType,
  associations: readonly MObjAssociation[],
  ctx: OpContext,
): Promise<(x: Stored) => boolean> {
  const allowed: Record<QueryableType, readonly string[]> = {
    Opportunity: ['Lead', 'Company'],
    OpportunityPersonRole: ['Lead', 'Opportunity'],
    Program: [],
  };
  const tests: ((x: Stored) => boolean)[] = [];
  for (const a of associations) {
    const t = matchName(allowed[type], a.mObjType ?? '');
    if (!t) {
      const expected = allowed[type].length ? `; expected ${allowed[type].join(' or ')}` : '';
      throw bad(`mObjAssociation "${a.mObjType}" is not valid for ${type}${expected}`);
    }
    if (a.id == null && !a.externalKey)
      throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `mObjAssociation ${t} needs an id or an externalKey`);
    if (t === 'Lead') {
      const leadIds = new Set(await leadIdsFor(ctx.store, a, bad));
      if (type === 'Opportunity') {
        const roles = await ctx.store.mobjects.listOpportunityRoles({ leadIds: [...leadIds] });
        const oppIds = new Set(roles.map((r) => r.opportunityId));
        tests.push((x) => oppIds.has(x.id));
      } else tests.push((x) => leadIds.has((x as OpportunityRole).leadId));
    } else if (t === 'Opportunity') {
      const opp = await findOpportunity(ctx.store.mobjects, a);
      tests.push((x) => opp !== undefined && (x as OpportunityRole).opportunityId === opp.id);
    } else {
      tests.push((x) => {
        const c = (x as Opportunity).company;
        if (!c) return false;
        return a.id != null ? c.id === a.id : c.key === (a.externalKey?.value ?? null);
      });
    }
  }
  return (x) => tests.every((t) => t(x));
}

function matcher(type: QueryableType, criteria: readonly Criterion[]): (x: Stored) => boolean {
  switch (type) {
    case 'Program':
      return (x) => programMatches(x as Program, criteria);
    case 'Opportunity':
      return (x) => opportunityMatches(x as Opportunity, criteria);
    case 'OpportunityPersonRole':
      return (x) => roleMatches(x as OpportunityRole, criteria);
  }
}

/** The one object an id or externalKey names (a program's externalKey is its CRM Id). */
async function lookup(type: QueryableType, q: Query, ctx: OpContext): Promise<Stored | undefined> {
  const m = ctx.store.mobjects;
  if (type === 'Program') {
    if (q.id !== undefined) return m.getProgram(q.id);
    for (let after = 0; ; ) {
      const page = await m.scanPrograms(after, SCAN_CHUNK);
      const p = page.find((x) => x.crmId !== null && x.crmId === q.externalKey?.value);
      if (p || page.length < SCAN_CHUNK) return p;
      after = page[page.length - 1].id;
    }
  }
  if (type === 'Opportunity') return findOpportunity(m, q);
  return q.id !== undefined ? m.getOpportunityRole(q.id) : m.findOpportunityRoleByKey(q.externalKey?.value ?? '');
}

function scanner(type: QueryableType, ctx: OpContext): (after: number, limit: number) => Promise<Stored[]> {
  const m = ctx.store.mobjects;
  if (type === 'Program') return (a, l) => m.scanPrograms(a, l);
  if (type === 'Opportunity') return (a, l) => m.scanOpportunities(a, l);
  return (a, l) => m.scanOpportunityRoles(a, l);
}

function toMObject(type: QueryableType, x: Stored, includeDetails: boolean): MObject {
  if (type === 'Program') return programToMObject(x as Program, includeDetails);
  if (type === 'Opportunity') return opportunityToMObject(x as Opportunity);
  return roleToMObject(x as OpportunityRole);
}

/**
 * The query a getMObjects call asks, and where it resumes: a signed position carries its query,
 * so a client may send it with the same query or with the type alone; a different query is 20122,
 * a position issued at the end 20123. The bridge reads its positions here too.
 */
export function resumeQuery(
  params: ParamsGetMObjects,
  type: string,
  ctx: Pick<OpContext, 'streams'>,
): { q: Query; state?: PositionState; sel: string } {
  const given: Query = {
    ...(params.id !== undefined ? { id: params.id } : {}),
    ...(params.externalKey ? { externalKey: { name: params.externalKey.name, value: params.externalKey.value } } : {}),
    criteria: params.mObjCriteriaList?.mObjCriteria ?? [],
    associations: params.mObjAssociationList?.mObjAssociation ?? [],
    includeDetails: params.includeDetails ?? false,
  };
  const hasQuery =
    params.id !== undefined ||
    params.externalKey !== undefined ||
    given.criteria.length > 0 ||
    given.associations.length > 0 ||
    params.includeDetails !== undefined;
  const sel = selectorHash({ op: 'getMObjects', type });
  if (!params.streamPosition) return { q: given, sel };
  const state = ctx.streams.decode(params.streamPosition, sel);
  const stored = state.q as Query;
  if (hasQuery && selectorHash(given) !== selectorHash(stored)) {
    throw new MktowsFault(
      FAULT.BAD_STREAM_POSITION,
      'Stream position was issued for a different selector or filter; restart the stream',
    );
  }
  if (state.end)
    throw new MktowsFault(FAULT.STREAM_AT_END, `Stream position is at the end of the stream: no more ${type} objects`);
  return { q: stored, state, sel };
}

/**
 * Objects of one type by id, externalKey, criteria and associations, in id order, 100 per batch.
 * The position is signed and carries the query, so a client may send it with the same query or
 * with the type alone; a different query is 20122, the last batch's position again 20123.
 */
export const getMObjects: Handler<'getMObjects'> = async (params, ctx) => {
  const type = matchName(QUERYABLE_TYPES, params.type ?? '');
  if (!type) {
    throw bad(
      `MObject type "${params.type}" is not valid for getMObjects; expected one of ${QUERYABLE_TYPES.join(', ')}`,
    );
  }
  const { q, state, sel } = resumeQuery(params, type, ctx);
  const after = state?.after ?? 0;
  const os = state?.os ?? 0;
  const criteria = parseCriteria(type, q.criteria);
  const matches = matcher(type, criteria);
  const associated = await associationFilter(type, q.associations, ctx);
  const wanted = (x: Stored) => x.id > after && associated(x) && matches(x);

  const items: Stored[] = [];
  let hasMore = false;
  if (q.id !== undefined || q.externalKey) {
    const one = await lookup(type, q, ctx);
    if (one && wanted(one)) items.push(one);
  } else {
    const scan = scanner(type, ctx);
    for (let cursor = after; ; ) {
      const chunk = await scan(cursor, SCAN_CHUNK);
      for (const x of chunk) {
        if (!wanted(x)) continue;
        if (items.length === MOBJECT_BATCH) {
          hasMore = true;
          break;
        }
        items.push(x);
      }
      if (hasMore || chunk.length < SCAN_CHUNK) break;
      cursor = chunk[chunk.length - 1].id;
    }
  }
  const last = items.length ? items[items.length - 1].id : after;
  const newStreamPosition = ctx.streams.encode({
    sel,
    after: last,
    os: os + items.length,
    q,
    ...(hasMore ? {} : { end: true }),
  });
  return {
    returnCount: items.length,
    hasMore,
    newStreamPosition,
    ...(items.length ? { mObjectList: { mObject: items.map((x) => toMObject(type, x, q.includeDetails)) } } : {}),
  };
};
