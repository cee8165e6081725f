/**
 * Opportunities and opportunity roles (Lead Database API): describe, query, sync and delete over
 * the store SOAP's getMObjects/syncMObjects/deleteMObjects use. Writes become the SOAP MObject
 * they stand for and go through the same sync (domain/mobject-sync.ts), so both APIs apply the
 * same rules. REST names: externalOpportunityId is the opportunity's external key; the other
 * fields are the SOAP attribute names in lower camel case (Amount → amount), as Marketo's.
 */
import { type MObject, RestError, type SyncOperationEnum } from '@mktows/protocol';
import { deleteObject, type ObjectOutcome, syncObject } from '../../domain/mobject-sync.js';
import { OPPORTUNITY_FIELDS } from '../../domain/mobjects.js';
import type { MObjectReader, Opportunity, OpportunityRole } from '../../store/mobject-store.js';
import type { StoreTx } from '../../store/store.js';
import type { RestRoute } from '../route.js';
import { idOfGuid, marketoGuid } from './guid.js';
import {
  checkRecordFields,
  deleteBody,
  describeObject,
  filterTexts,
  guidField,
  intText,
  keyOfRecord,
  keyTexts,
  type ObjectField,
  type ObjectMeta,
  objectQuery,
  pageOf,
  perRecord,
  type RecordResult,
  SkipRecord,
  textOf,
  timestampFields,
  typedValue,
  unique,
  unsearchable,
  type WriteAction,
  writeBody,
} from './lead-db-object.js';

const lowerCamel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** REST name → SOAP attribute name, for the opportunity fields that are attributes. */
const OPP_ATTRIBUTES = new Map(OPPORTUNITY_FIELDS.filter((f) => f.name !== 'id').map((f) => [lowerCamel(f.name), f]));

const EXTERNAL_OPPORTUNITY_ID = 'externalOpportunityId';

export const OPPORTUNITY: ObjectMeta<Opportunity> = {
  name: 'opportunity',
  displayName: 'Opportunity',
  dedupeFields: [EXTERNAL_OPPORTUNITY_ID],
  searchableFields: [[EXTERNAL_OPPORTUNITY_ID], ['marketoGUID']],
  fields: [
    guidField((o) => marketoGuid('opportunity', o.id)),
    ...timestampFields<Opportunity>(
      (o) => o.createdAt,
      (o) => o.updatedAt,
    ),
    {
      name: EXTERNAL_OPPORTUNITY_ID,
      displayName: 'External Opportunity Id',
      dataType: 'string',
      length: 50,
      updateable: false,
      get: (o) => o.externalKey?.value ?? null,
    },
    ...[...OPP_ATTRIBUTES].map(
      ([rest, f]): ObjectField<Opportunity> => ({
        name: rest,
        displayName: f.name.replace(/([a-z])([A-Z])/g, '$1 $2'),
        dataType: f.dataType === 'dateTime' ? 'datetime' : f.dataType,
        ...(f.size !== null && f.dataType === 'string' ? { length: f.size } : {}),
        updateable: !f.readOnly,
        get: (o) =>
          f.name === 'Name'
            ? o.name || null
            : typedValue(f.dataType === 'dateTime' ? 'datetime' : f.dataType, o.attributes[f.name]),
      }),
    ),
    {
      name: 'externalCompanyId',
      displayName: 'External Company Id',
      dataType: 'string',
      length: 100,
      updateable: true,
      get: (o) => o.company?.key ?? null,
    },
  ],
};

/** A role with its opportunity's external id, for reads. */
interface RoleView {
  role: OpportunityRole;
  externalOpportunityId: string | null;
}

export const OPPORTUNITY_ROLE: ObjectMeta<RoleView> = {
  name: 'opportunityRole',
  displayName: 'Opportunity Role',
  dedupeFields: [EXTERNAL_OPPORTUNITY_ID, 'leadId', 'role'],
  searchableFields: [
    [EXTERNAL_OPPORTUNITY_ID, 'leadId', 'role'],
    ['marketoGUID'],
    ['leadId'],
    [EXTERNAL_OPPORTUNITY_ID],
  ],
  fields: [
    guidField((v) => marketoGuid('role', v.role.id)),
    ...timestampFields<RoleView>(
      (v) => v.role.createdAt,
      (v) => v.role.updatedAt,
    ),
    {
      name: EXTERNAL_OPPORTUNITY_ID,
      displayName: 'External Opportunity Id',
      dataType: 'string',
      length: 50,
      updateable: false,
      get: (v) => v.externalOpportunityId,
    },
    { name: 'leadId', displayName: 'Lead Id', dataType: 'integer', updateable: false, get: (v) => v.role.leadId },
    { name: 'role', displayName: 'Role', dataType: 'string', length: 50, updateable: false, get: (v) => v.role.role },
    {
      name: 'isPrimary',
      displayName: 'Is Primary',
      dataType: 'boolean',
      updateable: true,
      get: (v) => v.role.isPrimary,
    },
    {
      name: 'externalCreatedDate',
      displayName: 'External Created Date',
      dataType: 'datetime',
      updateable: true,
      get: (v) => typedValue('datetime', v.role.externalCreatedDate ?? undefined),
    },
  ],
};

const OPERATION: Record<WriteAction, SyncOperationEnum> = {
  createOnly: 'INSERT',
  updateOnly: 'UPDATE',
  createOrUpdate: 'UPSERT',
};

/** Programs are never synced here, so the known tags are never asked for. */
const NO_TAGS = async () => [];

/**
 * A sync or delete outcome as a REST result: CREATED → created, UPDATED and UNCHANGED → updated
 * (Marketo's REST has no unchanged), DELETED → deleted; a skip on create is 1017, on update or
 * delete 1013; any other failure 1003 with the reason.
 */
function resultOf(r: ObjectOutcome, kind: 'opportunity' | 'role', action: WriteAction | 'delete'): RecordResult {
  const guid = r.id !== null ? marketoGuid(kind, r.id) : undefined;
  switch (r.status) {
    case 'CREATED':
      return { status: 'created', marketoGUID: guid };
    case 'UPDATED':
    case 'UNCHANGED':
      if (action === 'delete') throw new SkipRecord(1013);
      return { status: 'updated', marketoGUID: guid };
    case 'DELETED':
      return { marketoGUID: guid, status: 'deleted' };
    case 'SKIPPED':
      throw new SkipRecord(action === 'createOnly' ? 1017 : 1013);
    default:
      throw new SkipRecord(1003, r.error ?? 'Invalid data');
  }
}

function guidId(kind: 'opportunity' | 'role', rec: Record<string, unknown>): number {
  const id = idOfGuid(kind, keyTexts(rec, ['marketoGUID'])[0]);
  if (id === undefined) throw new SkipRecord(1013);
  return id;
}

async function findOpportunities(reader: MObjectReader, filterType: string, values: string[]): Promise<Opportunity[]> {
  const found: (Opportunity | undefined)[] = [];
  if (filterType === 'marketoGUID' || filterType === 'idField') {
    for (const v of values) {
      const id = idOfGuid('opportunity', v);
      found.push(id === undefined ? undefined : await reader.getOpportunity(id));
    }
  } else if (filterType === EXTERNAL_OPPORTUNITY_ID || filterType === 'dedupeFields') {
    for (const v of values) found.push(await reader.findOpportunityByKey(v));
  } else {
    throw unsearchable(OPPORTUNITY, filterType);
  }
  return unique(
    found.filter((o): o is Opportunity => o !== undefined),
    (o) => o.id,
  );
}

async function syncOpportunity(
  tx: StoreTx,
  rec: Record<string, unknown>,
  action: WriteAction,
  byId: boolean,
  now: number,
) {
  checkRecordFields(OPPORTUNITY, rec, byId ? [] : [EXTERNAL_OPPORTUNITY_ID]);
  const obj: MObject = { type: 'Opportunity' };
  if (byId) obj.id = guidId('opportunity', rec);
  else obj.externalKey = { name: EXTERNAL_OPPORTUNITY_ID, value: keyTexts(rec, [EXTERNAL_OPPORTUNITY_ID])[0] };
  const attrib = [...Object.entries(rec)].flatMap(([k, v]) => {
    const f = OPP_ATTRIBUTES.get(k);
    return f ? [{ name: f.name, value: textOf(k, v) }] : [];
  });
  obj.attribList = { attrib };
  if (rec.externalCompanyId !== undefined && rec.externalCompanyId !== null) {
    const key = textOf('externalCompanyId', rec.externalCompanyId);
    obj.associationList = {
      mObjAssociation: [{ mObjType: 'Company', externalKey: { name: 'externalCompanyId', value: key } }],
    };
  }
  return resultOf(await syncObject(tx, obj, OPERATION[action], now, NO_TAGS), 'opportunity', action);
}

const ROLE_KEYS = [EXTERNAL_OPPORTUNITY_ID, 'leadId', 'role'];

/** The opportunity and lead a role's dedupe fields name: 1013 and 1004 when they do not exist. */
async function roleTargets(tx: StoreTx, rec: Record<string, unknown>) {
  const [external, leadText, role] = keyTexts(rec, ROLE_KEYS);
  if (!/^\d{1,10}$/.test(leadText)) throw new SkipRecord(1003, `Invalid value '${leadText}' for field 'leadId'`);
  const opportunity = await tx.mobjects.findOpportunityByKey(external);
  if (!opportunity) throw new SkipRecord(1013, `Opportunity '${external}' not found`);
  const leadId = Number(leadText);
  if ((await tx.getLeads([leadId])).length === 0) throw new SkipRecord(1004);
  return { opportunity, leadId, role, external };
}

async function syncRole(tx: StoreTx, rec: Record<string, unknown>, action: WriteAction, byId: boolean, now: number) {
  checkRecordFields(OPPORTUNITY_ROLE, rec, byId ? [] : ROLE_KEYS);
  const obj: MObject = { type: 'OpportunityPersonRole' };
  const attrib: { name: string; value: string }[] = [];
  if (byId) obj.id = guidId('role', rec);
  else {
    const t = await roleTargets(tx, rec);
    attrib.push({ name: 'PersonId', value: String(t.leadId) }, { name: 'Role', value: t.role });
    obj.associationList = {
      mObjAssociation: [{ mObjType: 'Opportunity', externalKey: { name: EXTERNAL_OPPORTUNITY_ID, value: t.external } }],
    };
  }
  if (rec.isPrimary !== undefined) attrib.push({ name: 'IsPrimary', value: textOf('isPrimary', rec.isPrimary) });
  if (rec.externalCreatedDate !== undefined)
    attrib.push({ name: 'ExternalCreatedDate', value: textOf('externalCreatedDate', rec.externalCreatedDate) });
  obj.attribList = { attrib };
  return resultOf(await syncObject(tx, obj, OPERATION[action], now, NO_TAGS), 'role', action);
}

async function roleViews(reader: MObjectReader, roles: readonly OpportunityRole[]): Promise<RoleView[]> {
  const keys = new Map<number, string | null>();
  const out: RoleView[] = [];
  for (const role of roles) {
    if (!keys.has(role.opportunityId))
      keys.set(role.opportunityId, (await reader.getOpportunity(role.opportunityId))?.externalKey?.value ?? null);
    out.push({ role, externalOpportunityId: keys.get(role.opportunityId) ?? null });
  }
  return out;
}

async function findRoles(reader: MObjectReader, q: ReturnType<typeof objectQuery>): Promise<OpportunityRole[]> {
  const found: (OpportunityRole | undefined)[] = [];
  const ft = q.filterType;
  if (ft === 'marketoGUID' || ft === 'idField') {
    for (const v of filterTexts(q, 'marketoGUID')) {
      const id = idOfGuid('role', v);
      found.push(id === undefined ? undefined : await reader.getOpportunityRole(id));
    }
  } else if (ft === 'leadId') {
    const leadIds = filterTexts(q, 'leadId').map(intText);
    found.push(...(await reader.listOpportunityRoles({ leadIds })));
  } else if (ft === EXTERNAL_OPPORTUNITY_ID) {
    for (const v of filterTexts(q, EXTERNAL_OPPORTUNITY_ID)) {
      const o = await reader.findOpportunityByKey(v);
      if (o) found.push(...(await reader.listOpportunityRoles({ opportunityIds: [o.id] })));
    }
  } else if (ft === 'dedupeFields') {
    // Decision: the compound key needs the JSON input (POST …?_method=GET), as the docs show it.
    if (!q.input)
      throw new RestError(1003, 'filterType dedupeFields of opportunityRole needs input records (POST ?_method=GET)');
    for (const r of q.input) {
      const [external, leadText, role] = ROLE_KEYS.map((k) =>
        r[k] === undefined || r[k] === null ? '' : String(r[k]),
      );
      const o = await reader.findOpportunityByKey(external);
      if (o && /^\d{1,10}$/.test(leadText))
        found.push(await reader.findOpportunityRoleFor(o.id, Number(leadText), role));
    }
  } else {
    throw unsearchable(OPPORTUNITY_ROLE, ft);
  }
  return unique(
    found.filter((r): r is OpportunityRole => r !== undefined),
    (r) => r.id,
  );
}

export const OPPORTUNITY_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/opportunities/describe.json',
    operationId: 'describeUsingGET_4',
    handler: async () => ({ result: [describeObject(OPPORTUNITY)] }),
  },
  {
    method: 'GET',
    path: '/rest/v1/opportunities.json',
    operationId: 'getOpportunitiesUsingGET',
    handler: async (req, { rt }) => {
      const q = objectQuery(req);
      const found = await findOpportunities(rt.store.mobjects, q.filterType, filterTexts(q, EXTERNAL_OPPORTUNITY_ID));
      return pageOf(OPPORTUNITY, q, found);
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/opportunities.json',
    operationId: 'syncOpportunitiesUsingPOST',
    handler: async (req, { rt, now }) => {
      const b = writeBody(req);
      const byId = b.dedupeBy === 'idField';
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord([byId ? 'marketoGUID' : EXTERNAL_OPPORTUNITY_ID]), (rec) =>
          syncOpportunity(tx, rec, b.action, byId, now),
        ),
      );
      return { result };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/opportunities/delete.json',
    operationId: 'deleteOpportunitiesUsingPOST',
    handler: async (req, { rt }) => {
      const b = deleteBody(req);
      const byId = b.deleteBy === 'idField';
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord([byId ? 'marketoGUID' : EXTERNAL_OPPORTUNITY_ID]), async (rec) => {
          const obj: MObject = byId
            ? { type: 'Opportunity', id: guidId('opportunity', rec) }
            : {
                type: 'Opportunity',
                externalKey: { name: EXTERNAL_OPPORTUNITY_ID, value: keyTexts(rec, [EXTERNAL_OPPORTUNITY_ID])[0] },
              };
          return resultOf(await deleteObject(tx, obj), 'opportunity', 'delete');
        }),
      );
      return { result };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/opportunities/roles/describe.json',
    operationId: 'describeOpportunityRoleUsingGET',
    handler: async () => ({ result: [describeObject(OPPORTUNITY_ROLE)] }),
  },
  {
    method: 'GET',
    path: '/rest/v1/opportunities/roles.json',
    operationId: 'getOpportunityRolesUsingGET',
    handler: async (req, { rt }) => {
      const q = objectQuery(req);
      const roles = await findRoles(rt.store.mobjects, q);
      return pageOf(OPPORTUNITY_ROLE, q, await roleViews(rt.store.mobjects, roles));
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/opportunities/roles.json',
    operationId: 'syncOpportunityRolesUsingPOST',
    handler: async (req, { rt, now }) => {
      const b = writeBody(req);
      const byId = b.dedupeBy === 'idField';
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord(byId ? ['marketoGUID'] : ROLE_KEYS), (rec) =>
          syncRole(tx, rec, b.action, byId, now),
        ),
      );
      return { result };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/opportunities/roles/delete.json',
    operationId: 'deleteOpportunityRolesUsingPOST',
    handler: async (req, { rt }) => {
      const b = deleteBody(req);
      const byId = b.deleteBy === 'idField';
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord(byId ? ['marketoGUID'] : ROLE_KEYS), async (rec) => {
          let id: number;
          if (byId) id = guidId('role', rec);
          else {
            const t = await roleTargets(tx, rec);
            const role = await tx.mobjects.findOpportunityRoleFor(t.opportunity.id, t.leadId, t.role);
            if (!role) throw new SkipRecord(1013);
            id = role.id;
          }
          return resultOf(await deleteObject(tx, { type: 'OpportunityPersonRole', id }), 'role', 'delete');
        }),
      );
      return { result };
    },
  },
];
