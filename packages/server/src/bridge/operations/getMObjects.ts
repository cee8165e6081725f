/**
 * getMObjects on the bridge (MAPPING.md row 16): opportunities and roles from the Lead Database
 * API, programs from the asset API. The emulator's criteria checks and matching run here over what
 * REST returns (REST filters only on a few fields, so it is asked for a superset); a stream
 * position carries the query and the REST paging token or offset.
 */
import { echo, FAULT, MktowsFault, type MObjAssociation, type MObject } from '@mktows/protocol';
import {
  type Criterion,
  matchName,
  opportunityMatches,
  parseCriteria,
  programMatches,
  QUERYABLE_TYPES,
  roleMatches,
} from '../../domain/mobjects.js';
import { MOBJECT_BATCH, type Query, resumeQuery } from '../../operations/getMObjects.js';
import { assetGet } from '../asset-read.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdsOfAssociation } from '../lead-lookup.js';
import {
  opportunityMObject,
  opportunityOf,
  programMObject,
  programOf,
  roleMObject,
  roleOf,
} from '../mobject-convert.js';
import { EXTERNAL_OPPORTUNITY_ID, MOBJ_PATH, type MObjKind, mobjFields } from '../mobject-fields.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** The 2_6 WSDL names the role type OpportunityLeadRole: both spellings are taken. */
const TYPES = [...QUERYABLE_TYPES, 'OpportunityLeadRole'] as const;

const bad = (message: string) => new MktowsFault(FAULT.BAD_PARAMETER, message);

const noIds = (type: string) =>
  bad(
    `${type} has no integer id on this bridge: Marketo's REST API names it by marketoGUID; use the externalKey or an association`,
  );

/** One page of what REST found, and where the next one starts (undefined at the end). */
interface Page {
  objects: MObject[];
  next?: string | number;
}

type Json = Record<string, unknown>;

/** A Lead Database read by one filter, one page of at most 100. */
async function lookup(
  call: BridgeCall,
  kind: MObjKind,
  filterType: string,
  values: readonly string[],
  fields: readonly string[],
  token: string | undefined,
): Promise<{ records: Json[]; next?: string }> {
  try {
    const body = await call.rest({
      method: 'GET',
      path: `${MOBJ_PATH[kind]}.json`,
      query: { filterType, filterValues: values, fields, batchSize: MOBJECT_BATCH, nextPageToken: token },
    });
    const more = body.moreResult === true && typeof body.nextPageToken === 'string' && body.nextPageToken !== '';
    return { records: (body.result ?? []) as Json[], ...(more ? { next: body.nextPageToken } : {}) };
  } catch (e) {
    const code = (e as { restCode?: number }).restCode;
    if (code === 1011 || code === 1006) throw bad(`Marketo cannot look ${kind} up by ${filterType}`);
    throw e;
  }
}

const ASSOCIATIONS: Record<MObjKind | 'Program', readonly string[]> = {
  Opportunity: ['Lead', 'Company'],
  OpportunityPersonRole: ['Lead', 'Opportunity'],
  Program: [],
};

/** The one association of a type, by name; others are 20110 as on the emulator. */
function associationsOf(kind: MObjKind | 'Program', list: readonly MObjAssociation[]): Map<string, MObjAssociation> {
  const allowed = ASSOCIATIONS[kind];
  const out = new Map<string, MObjAssociation>();
  for (const a of list) {
    const t = matchName(allowed, a.mObjType ?? '');
    if (!t) {
      const expected = allowed.length ? `; expected ${allowed.join(' or ')}` : '';
      throw bad(`mObjAssociation "${a.mObjType}" is not valid for ${kind}${expected}`);
    }
    if (a.id == null && !a.externalKey)
      throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `mObjAssociation ${t} needs an id or an externalKey`);
    out.set(t, a);
  }
  return out;
}

/** The ids of the leads a Lead association names (REST finds roles by lead id). */
async function leadIdsOf(call: BridgeCall, a: MObjAssociation): Promise<string[]> {
  return (await leadIdsOfAssociation(call, a, bad)).map(String);
}

async function opportunities(call: BridgeCall, q: Query, criteria: Criterion[], token?: string): Promise<Page> {
  if (q.id !== undefined || criteria.some((c) => c.attr === 'Id')) throw noIds('Opportunity');
  const map = await mobjFields(call, 'Opportunity');
  const assoc = associationsOf('Opportunity', q.associations);
  const crm = criteria.find((c) => c.attr === 'CRM Id' && c.op === 'EQ');
  const key = q.externalKey?.value ?? crm?.text;
  let filter: [string, string[]] | undefined;
  if (key !== undefined) filter = [EXTERNAL_OPPORTUNITY_ID, [key]];
  else if (assoc.get('Company')?.externalKey)
    filter = ['externalCompanyId', [assoc.get('Company')?.externalKey?.value ?? '']];
  else if (assoc.has('Lead')) {
    // The lead's opportunities are those its roles name.
    const leads = await leadIdsOf(call, assoc.get('Lead') as MObjAssociation);
    if (leads.length === 0) return { objects: [] };
    const ids = new Set<string>();
    for (let t: string | undefined, first = true; first || t; first = false) {
      const page = await lookup(call, 'OpportunityPersonRole', 'leadId', leads, [EXTERNAL_OPPORTUNITY_ID], t);
      for (const r of page.records)
        if (typeof r[EXTERNAL_OPPORTUNITY_ID] === 'string') ids.add(r[EXTERNAL_OPPORTUNITY_ID]);
      t = page.next;
    }
    if (ids.size === 0) return { objects: [] };
    filter = [EXTERNAL_OPPORTUNITY_ID, [...ids]];
  }
  if (!filter) {
    throw bad(
      "getMObjects Opportunity needs an externalKey, a CRM Id EQ criterion or a Lead or Company association: Marketo's REST API reads opportunities only by a filter",
    );
  }
  const company = assoc.get('Company');
  if (company && company.externalKey === undefined)
    throw bad('A Company association names its company by externalKey on this bridge');
  const page = await lookup(call, 'Opportunity', filter[0], filter[1], map.restNames, token);
  const objects = page.records
    .map((r) => opportunityOf(r, map))
    .filter(
      (o) =>
        (key === undefined || o.externalKey?.value === key) &&
        (!company || o.company?.key === company.externalKey?.value) &&
        opportunityMatches(o, criteria),
    )
    .map(opportunityMObject);
  return { objects, ...(page.next ? { next: page.next } : {}) };
}

async function roles(call: BridgeCall, type: string, q: Query, criteria: Criterion[], token?: string): Promise<Page> {
  if (q.id !== undefined || criteria.some((c) => c.attr === 'Id')) throw noIds(type);
  if (q.externalKey)
    throw bad(`${type} has no externalKey in Marketo's REST API; name its Opportunity or Lead association`);
  const map = await mobjFields(call, 'OpportunityPersonRole');
  const assoc = associationsOf('OpportunityPersonRole', q.associations);
  const opportunity = assoc.get('Opportunity');
  const lead = assoc.get('Lead');
  if (opportunity && opportunity.id != null) throw noIds('Opportunity');
  const leads = lead ? new Set(await leadIdsOf(call, lead)) : undefined;
  if (leads?.size === 0) return { objects: [] };
  const filter: [string, string[]] | undefined = opportunity
    ? [EXTERNAL_OPPORTUNITY_ID, [opportunity.externalKey?.value ?? '']]
    : leads
      ? ['leadId', [...leads]]
      : undefined;
  if (!filter) {
    throw bad(
      `getMObjects ${type} needs an Opportunity or Lead association: Marketo's REST API reads roles only by a filter`,
    );
  }
  const page = await lookup(call, 'OpportunityPersonRole', filter[0], filter[1], map.restNames, token);
  const objects = page.records
    .map(roleOf)
    .filter(
      (r) =>
        (!opportunity || r.opportunity === filter[1][0]) &&
        (!leads || leads.has(String(r.role.leadId))) &&
        roleMatches(r.role, criteria),
    )
    .map((r) => roleMObject(r, type));
  return { objects, ...(page.next ? { next: page.next } : {}) };
}

/** A program with its tags and costs; undefined when there is none. */
async function programById(call: BridgeCall, id: number): Promise<Json | undefined> {
  return (await assetGet(call, `/rest/asset/v1/program/${id}.json`))[0];
}

async function programs(call: BridgeCall, q: Query, criteria: Criterion[], offset = 0): Promise<Page> {
  associationsOf('Program', q.associations);
  const keep = async (found: Json[]) => {
    const out: MObject[] = [];
    for (const p of found) {
      const program = await programOf(call, p);
      if ((q.externalKey === undefined || program.crmId === q.externalKey.value) && programMatches(program, criteria))
        out.push(programMObject(program, q.includeDetails));
    }
    return out;
  };
  const idEq = criteria.find((c) => c.attr === 'Id' && c.op === 'EQ');
  const id = q.id ?? idEq?.num;
  if (id !== undefined) {
    const p = id > 0 ? await programById(call, id) : undefined;
    return { objects: p ? await keep([p]) : [] };
  }
  const nameEq = criteria.find((c) => c.attr === 'Name' && c.op === 'EQ');
  if (nameEq) {
    const found = await assetGet(call, '/rest/asset/v1/program/byName.json', {
      name: nameEq.text,
      includeTags: true,
      includeCosts: true,
    });
    return { objects: await keep(found) };
  }
  // Browse, within the updated-at bounds the criteria give; tags and costs come by id.
  const updated = criteria.filter((c) => c.attr === 'Updated At');
  const iso = (c?: Criterion) => (c?.time !== undefined ? new Date(c.time).toISOString() : undefined);
  const page = await assetGet(call, '/rest/asset/v1/programs.json', {
    maxReturn: MOBJECT_BATCH,
    offset,
    earliestUpdatedAt: iso(updated.find((c) => c.op === 'GE' || c.op === 'GT' || c.op === 'EQ')),
    latestUpdatedAt: iso(updated.find((c) => c.op === 'LE' || c.op === 'LT' || c.op === 'EQ')),
  });
  const full: Json[] = [];
  for (const p of page) {
    const one = await programById(call, Number(p.id));
    if (one) full.push(one);
  }
  return {
    objects: await keep(full),
    ...(page.length === MOBJECT_BATCH ? { next: offset + MOBJECT_BATCH } : {}),
  };
}

export const getMObjects: BridgeOperation<'getMObjects'> = {
  rest: [
    'Opportunity: GET /rest/v1/opportunities/describe.json (cached), then GET /rest/v1/opportunities.json?filterType=externalOpportunityId (externalKey, CRM Id EQ) or externalCompanyId (Company association)&filterValues&fields=<all>&batchSize=100&nextPageToken; a Lead association first reads GET /rest/v1/opportunities/roles.json?filterType=leadId',
    'A Lead association by externalKey (Email, SFDCLeadId, SFDCContactId, SFDCAccountId): GET /rest/v1/leads.json?filterType=email|sfdcLeadId|…&filterValues&fields=id,updatedAt first',
    'OpportunityPersonRole (or OpportunityLeadRole): GET /rest/v1/opportunities/roles.json?filterType=externalOpportunityId (Opportunity association) or leadId (Lead association)&fields=<all>&batchSize=100&nextPageToken',
    'Program: GET /rest/asset/v1/program/{id}.json (id, Id EQ); GET /rest/asset/v1/program/byName.json?name&includeTags&includeCosts (Name EQ); else GET /rest/asset/v1/programs.json?maxReturn=100&offset&earliestUpdatedAt&latestUpdatedAt, then program/{id}.json for each (tags and costs); GET /rest/asset/v1/folder/{id}.json?type=Folder for the Tree Path (cached)',
  ],
  differences: [
    'Opportunities and roles have no integer id: REST names them by marketoGUID, a string. Objects are shown without `id`; an `id` or an Id criterion is 20110 (use the externalKey, externalOpportunityId, or an association).',
    'An opportunity read needs a filter REST has: externalKey, CRM Id EQ, a Company association (by externalKey) or a Lead association (by id or a lead key REST filters on: Email, SFDC ids); a role read needs an Opportunity association (by externalKey) or a Lead association. Otherwise 20110. Other criteria filter what REST returned.',
    "An opportunity's externalKey is named externalOpportunityId: REST keeps its value, not the name a SOAP write gave it (the emulator echoes that name, e.g. externalKey).",
    "A role shows PersonId, Role, IsPrimary and ExternalCreatedDate, and its opportunity as an Opportunity association with the externalKey externalOpportunityId (no OpportunityId attribute); a role's own externalKey does not exist in REST (20110).",
    "A program shows no Workspace Id (REST has none) and no Token typeAttribs (My Tokens are not read); Is Archived is false; a cost's Id is its place in the program's cost list.",
    'Programs: one REST call per program for its tags and costs when the query is not by id or name; Include Archive has no effect.',
  ],
  handler: async (params, ctx) => {
    const type = matchName(TYPES, params.type ?? '');
    if (!type) {
      throw bad(
        `MObject type "${echo(params.type)}" is not valid for getMObjects; expected one of ${QUERYABLE_TYPES.join(', ')}`,
      );
    }
    const kind = type === 'OpportunityLeadRole' ? 'OpportunityPersonRole' : type;
    const { q, state, sel } = resumeQuery(params, type, ctx);
    const criteria = parseCriteria(kind, q.criteria);
    const call = bridgeOf(ctx);
    const at = state?.at as string | number | undefined;
    const page =
      kind === 'Program'
        ? await programs(call, q, criteria, typeof at === 'number' ? at : 0)
        : kind === 'Opportunity'
          ? await opportunities(call, q, criteria, typeof at === 'string' ? at : undefined)
          : await roles(call, type, q, criteria, typeof at === 'string' ? at : undefined);
    const hasMore = page.next !== undefined;
    const os = (state?.os ?? 0) + page.objects.length;
    return {
      returnCount: page.objects.length,
      hasMore,
      newStreamPosition: ctx.streams.encode({ sel, after: 0, os, q, ...(hasMore ? { at: page.next } : { end: true }) }),
      ...(page.objects.length ? { mObjectList: { mObject: page.objects } } : {}),
    };
  },
};
