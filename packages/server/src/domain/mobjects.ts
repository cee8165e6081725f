/**
 * Marketo objects: the object names, their field metadata (describeMObject), the
 * conversion of stored programs, opportunities and person roles to wire MObjects, and the
 * getMObjects criteria. Pure functions: no store, no XML.
 */
import {
  type Attrib,
  echo,
  FAULT,
  formatDateTime,
  MktowsFault,
  type MObjCriteria,
  type MObject,
  type MObjectMetadata,
  type MObjFieldMetadata,
  parseLenientDateTime,
  type TypeAttrib,
} from '@mktows/protocol';
import type { Opportunity, OpportunityRole, Program } from '../store/mobject-store.js';
import { canonicalValue, FieldValueError, type LeadSchema } from './lead-schema.js';

/** What listMObjects answers, in this order. */
export const MOBJECT_NAMES = [
  'ActivityRecord',
  'LeadRecord',
  'Opportunity',
  'OpportunityPersonRole',
  'Program',
] as const;
export type MObjectName = (typeof MOBJECT_NAMES)[number];

/** The types getMObjects and syncMObjects take. */
export const QUERYABLE_TYPES = ['Opportunity', 'OpportunityPersonRole', 'Program'] as const;
export type QueryableType = (typeof QUERYABLE_TYPES)[number];

/** Marketo's metadata timestamp for its built-in objects. */
const BUILT_IN_UPDATED_AT = new Date('2010-01-01T00:00:00Z');

/** Case-insensitive lookup of a name in a list of names; the listed spelling. */
export function matchName<T extends string>(names: readonly T[], name: string): T | undefined {
  const n = name.trim();
  return names.find((x) => x === n) ?? names.find((x) => x.toLowerCase() === n.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Field metadata

/** Data types of MObject fields: the describe `dataType` and how values are checked. */
export type MObjFieldType = 'integer' | 'string' | 'dateTime' | 'date' | 'boolean' | 'currency' | 'float' | 'Array';

export interface MObjFieldDef {
  name: string;
  dataType: MObjFieldType;
  size: number | null;
  description: string | null;
  displayName?: string | null;
  sourceObject?: string | null;
  readOnly?: boolean;
  isName?: boolean | null;
  primaryKey?: boolean;
  custom?: boolean;
}

export function metadataField(f: MObjFieldDef, sourceObject: string | null): MObjFieldMetadata {
  return {
    name: f.name,
    description: f.description,
    displayName: f.displayName ?? null,
    sourceObject: f.sourceObject === undefined ? sourceObject : f.sourceObject,
    dataType: f.dataType,
    size: f.size,
    isReadonly: f.readOnly ?? false,
    isUpdateBlocked: f.readOnly ?? false,
    isName: f.isName === undefined ? false : f.isName,
    isPrimaryKey: f.primaryKey ?? false,
    isCustom: f.custom ?? false,
    isDynamic: false,
    dynamicFieldRef: null,
    updatedAt: BUILT_IN_UPDATED_AT,
  };
}

const ro = { readOnly: true } as const;

/** ActivityRecord as Marketo described it (recorded describeMObject response). */
const ACTIVITY_FIELDS: MObjFieldDef[] = [
  { name: 'id', dataType: 'integer', size: 10, description: 'Unique system id of Event', ...ro, primaryKey: true },
  { name: 'activityDateTime', dataType: 'dateTime', size: null, description: 'Event timestamp', ...ro },
  { name: 'activityType', dataType: 'string', size: 255, description: 'Name of Event', ...ro, isName: true },
  {
    name: 'mktgAssetName',
    dataType: 'string',
    size: 255,
    description: 'Name of email, landing page, or object field',
    ...ro,
  },
  {
    name: 'activityAttributes',
    dataType: 'Array',
    size: null,
    description: 'Array of name / value pairs of dynamic event attributes',
    ...ro,
  },
  {
    name: 'campaign',
    dataType: 'string',
    size: 255,
    description: 'Name of Campaign that caused the Event',
    sourceObject: 'Campaign',
    ...ro,
  },
  {
    name: 'personName',
    dataType: 'string',
    size: 255,
    description: 'Name of Lead that owns the Event',
    sourceObject: 'Lead',
    ...ro,
  },
  {
    name: 'mktPersonId',
    dataType: 'integer',
    size: 10,
    description: 'Unique system id of Lead',
    sourceObject: 'Lead',
    ...ro,
  },
  {
    name: 'foreignSysId',
    dataType: 'string',
    size: 50,
    description: 'Unique foreign system id of Lead',
    sourceObject: 'Lead',
    ...ro,
  },
  {
    name: 'orgName',
    dataType: 'string',
    size: 255,
    description: 'Name of Company associated to the Lead',
    sourceObject: 'Company',
    ...ro,
  },
  {
    name: 'foreignSysOrgId',
    dataType: 'string',
    size: 50,
    description: 'Unique foreign system id of Company',
    sourceObject: 'Company',
    ...ro,
  },
];

/** The standard Opportunity fields (syncMObjects docs), in describe order. */
export const OPPORTUNITY_FIELDS: MObjFieldDef[] = [
  {
    name: 'id',
    dataType: 'integer',
    size: 10,
    description: 'Unique system id of Opportunity',
    ...ro,
    primaryKey: true,
  },
  { name: 'Name', dataType: 'string', size: 255, description: 'Name of the opportunity', isName: true },
  { name: 'Amount', dataType: 'currency', size: null, description: 'Estimated total sale amount' },
  { name: 'CloseDate', dataType: 'date', size: null, description: 'Date when the opportunity is expected to close' },
  { name: 'Description', dataType: 'string', size: 2000, description: 'Text description of the opportunity' },
  { name: 'ExpectedRevenue', dataType: 'currency', size: null, description: 'Amount times probability' },
  {
    name: 'ExternalCreatedDate',
    dataType: 'dateTime',
    size: null,
    description: 'When the opportunity was created in the external system',
  },
  { name: 'Fiscal', dataType: 'string', size: 255, description: 'Fiscal period, e.g. 2013 2' },
  { name: 'FiscalQuarter', dataType: 'integer', size: 10, description: 'Fiscal quarter of the close date (1-4)' },
  { name: 'FiscalYear', dataType: 'integer', size: 10, description: 'Fiscal year of the close date' },
  { name: 'ForecastCategoryName', dataType: 'string', size: 255, description: 'Forecast category' },
  { name: 'IsClosed', dataType: 'boolean', size: null, description: 'Whether the opportunity is closed' },
  { name: 'IsWon', dataType: 'boolean', size: null, description: 'Whether the opportunity was won' },
  { name: 'LastActivityDate', dataType: 'date', size: null, description: 'Date of the last activity' },
  { name: 'LeadSource', dataType: 'string', size: 255, description: 'Source of the opportunity' },
  { name: 'NextStep', dataType: 'string', size: 255, description: 'Next step towards closing' },
  { name: 'Probability', dataType: 'integer', size: 10, description: 'Likelihood of closing, in percent' },
  { name: 'Quantity', dataType: 'float', size: null, description: 'Total quantity of products' },
  { name: 'Stage', dataType: 'string', size: 255, description: 'Current sales stage' },
  { name: 'Type', dataType: 'string', size: 255, description: 'Type of opportunity, e.g. New Business' },
];

export const ROLE_FIELDS: MObjFieldDef[] = [
  {
    name: 'id',
    dataType: 'integer',
    size: 10,
    description: 'Unique system id of OpportunityPersonRole',
    ...ro,
    primaryKey: true,
  },
  { name: 'OpportunityId', dataType: 'integer', size: 10, description: 'Id of the Opportunity (required)' },
  {
    name: 'PersonId',
    dataType: 'integer',
    size: 10,
    description: 'Id of the Lead (required)',
    sourceObject: 'Lead',
  },
  { name: 'Role', dataType: 'string', size: 50, description: 'Role of the person in the opportunity', isName: true },
  { name: 'IsPrimary', dataType: 'boolean', size: null, description: 'Whether the person is the primary contact' },
  {
    name: 'ExternalCreatedDate',
    dataType: 'dateTime',
    size: null,
    description: 'When the role was created in the external system',
  },
];

const PROGRAM_FIELDS: MObjFieldDef[] = [
  { name: 'Id', dataType: 'integer', size: 10, description: 'Unique system id of Program', ...ro, primaryKey: true },
  { name: 'Name', dataType: 'string', size: 255, description: 'Name of the program', ...ro, isName: true },
  { name: 'Type', dataType: 'string', size: 255, description: 'Program type, e.g. Marketing Program', ...ro },
  { name: 'Workspace Id', dataType: 'integer', size: 10, description: 'Id of the workspace', ...ro },
  { name: 'Workspace Name', dataType: 'string', size: 255, description: 'Name of the workspace', ...ro },
  { name: 'Tree Path', dataType: 'string', size: 2000, description: 'Folder path of the program', ...ro },
  { name: 'Is Archived', dataType: 'boolean', size: null, description: 'Whether the program is archived', ...ro },
  { name: 'CRM Id', dataType: 'string', size: 50, description: 'Id of the program in the CRM', ...ro },
  { name: 'Created At', dataType: 'dateTime', size: null, description: 'When the program was created', ...ro },
  { name: 'Updated At', dataType: 'dateTime', size: null, description: 'When the program last changed', ...ro },
  {
    name: 'Tag',
    dataType: 'Array',
    size: null,
    description: 'Channel and tags (typeAttrib Tag: Type, Value); updated by syncMObjects',
  },
  {
    name: 'Cost',
    dataType: 'Array',
    size: null,
    description: 'Period costs (typeAttrib Cost: Id, Month, Amount, Note); added by syncMObjects',
  },
  { name: 'Token', dataType: 'Array', size: null, description: 'My Tokens (typeAttrib Token: Name, Value)', ...ro },
];

/** Lead fields that come from the lead's Company. */
const COMPANY_FIELDS = new Set([
  'Company',
  'Site',
  'BillingStreet',
  'BillingCity',
  'BillingState',
  'BillingCountry',
  'BillingPostalCode',
  'Website',
  'MainPhone',
  'AnnualRevenue',
  'NumberOfEmployees',
  'Industry',
  'SICCode',
  'MktoCompanyNotes',
]);

/** One lead field of LeadRecord's metadata (the emulator's schema or, on a bridge, REST describe). */
export function leadFieldMetadata(f: {
  name: string;
  dataType: string;
  length?: number;
  displayName: string;
  readOnly: boolean;
  custom: boolean;
}): MObjFieldMetadata {
  return metadataField(
    {
      name: f.name,
      dataType: (f.dataType === 'datetime' ? 'dateTime' : f.dataType) as MObjFieldType,
      size: f.length ?? null,
      description: null,
      displayName: f.displayName,
      readOnly: f.readOnly,
      custom: f.custom,
    },
    COMPANY_FIELDS.has(f.name) ? 'Company' : 'Lead',
  );
}

function leadRecordFields(schema: LeadSchema): MObjFieldMetadata[] {
  const fixed: MObjFieldDef[] = [
    {
      name: 'Id',
      dataType: 'integer',
      size: 10,
      description: 'Unique system id of Lead',
      displayName: 'Id',
      ...ro,
      primaryKey: true,
    },
    { name: 'Email', dataType: 'string', size: 255, description: null, displayName: 'Email Address', isName: true },
    { name: 'ForeignSysPersonId', dataType: 'string', size: 50, description: 'Unique foreign system id of Lead' },
    {
      name: 'ForeignSysType',
      dataType: 'string',
      size: 50,
      description: 'Foreign system type: CUSTOM, SFDC, NETSUITE',
    },
  ];
  const out = fixed.map((f) => metadataField(f, 'Lead'));
  for (const name of schema.attributeOrder) {
    const f = schema.field(name);
    if (!f) continue;
    out.push(leadFieldMetadata(f));
  }
  return out;
}

/** describeMObject's metadata; 20110 for a name that is not one of MOBJECT_NAMES. */
export function describe(objectName: string, schema: LeadSchema): MObjectMetadata {
  const name = matchName(MOBJECT_NAMES, objectName);
  if (!name) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `Object name "${echo(objectName)}" is not valid; describeMObject knows ${MOBJECT_NAMES.join(', ')}`,
    );
  }
  const meta = (description: string, isVirtual: boolean, fields: MObjFieldMetadata[]): MObjectMetadata => ({
    name,
    description,
    isCustom: false,
    isVirtual,
    fieldList: { field: fields },
    updatedAt: BUILT_IN_UPDATED_AT,
  });
  switch (name) {
    case 'ActivityRecord':
      return meta(
        'Composite object composed of fields from Event, Campaign, Lead, and Company',
        true,
        ACTIVITY_FIELDS.map((f) => metadataField(f, 'Event')),
      );
    case 'LeadRecord':
      return meta('Composite object composed of fields from Lead and Company', true, leadRecordFields(schema));
    case 'Opportunity':
      return meta(
        'Sales opportunity, linked to leads through OpportunityPersonRole',
        false,
        OPPORTUNITY_FIELDS.map((f) => metadataField(f, 'Opportunity')),
      );
    case 'OpportunityPersonRole':
      return meta(
        'Role of a lead in an opportunity',
        false,
        ROLE_FIELDS.map((f) => metadataField(f, 'OpportunityPersonRole')),
      );
    case 'Program':
      return meta(
        'Marketing program, with its channel, tags, period costs and tokens',
        false,
        PROGRAM_FIELDS.map((f) => metadataField(f, 'Program')),
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Values

/** Canonical text of a value for an MObject field; throws FieldValueError when not convertible. */
export function mobjValue(f: MObjFieldDef, raw: string): string {
  if (f.dataType === 'boolean') {
    const t = raw.trim().toLowerCase();
    if (t === '') return '';
    if (t === 'true' || t === '1' || t === 'yes') return 'true';
    if (t === 'false' || t === '0' || t === 'no') return 'false';
    throw new FieldValueError(`value "${echo(raw)}" of ${f.name} is not a boolean`);
  }
  const dataType = f.dataType === 'dateTime' ? 'datetime' : f.dataType === 'Array' ? 'string' : f.dataType;
  return canonicalValue(
    { name: f.name, displayName: f.name, dataType, readOnly: false, custom: false, length: f.size ?? undefined },
    raw,
  );
}

// ---------------------------------------------------------------------------------------------
// Stored objects as wire MObjects

const attrib = (name: string, value: string): Attrib => ({ name, value });
const typeAttrib = (attrType: string, pairs: [string, string][]): TypeAttrib => ({
  attrType,
  attrList: { attrib: pairs.map(([n, v]) => attrib(n, v)) },
});

/** `YYYY-MM` → `YYYY-MM-01`, as Marketo wrote the Month of a cost. */
const costMonth = (m: string) => (/^\d{4}-\d{2}$/.test(m) ? `${m}-01` : m);

/**
 * A program as Marketo returned it (recorded getMObjects, without includeDetails): attribList
 * Name, Type, Workspace Id, Workspace Name, Tree Path, Is Archived, and typeAttribs for its channel
 * and tags (`Tag`: Type, Value), My Tokens (`Token`: Name, Value) and period costs (`Cost`: Id,
 * Month, Amount, Note). includeDetails adds the remaining attributes: CRM Id, Created At, Updated At.
 */
export function programToMObject(p: Program, includeDetails: boolean): MObject {
  const typeAttribs: TypeAttrib[] = [];
  if (p.channel)
    typeAttribs.push(
      typeAttrib('Tag', [
        ['Type', 'Channel'],
        ['Value', p.channel],
      ]),
    );
  for (const t of p.tags)
    typeAttribs.push(
      typeAttrib('Tag', [
        ['Type', t.type],
        ['Value', t.value],
      ]),
    );
  for (const t of p.tokens)
    typeAttribs.push(
      typeAttrib('Token', [
        ['Name', t.name],
        ['Value', t.value],
      ]),
    );
  for (const c of p.costs) {
    const pairs: [string, string][] = [
      ['Id', String(c.id)],
      ['Month', costMonth(c.month)],
      ['Amount', c.amount],
    ];
    if (c.note) pairs.push(['Note', c.note]);
    typeAttribs.push(typeAttrib('Cost', pairs));
  }
  const attribs: Attrib[] = [
    attrib('Name', p.name),
    attrib('Type', p.type),
    attrib('Workspace Id', String(p.workspaceId)),
    attrib('Workspace Name', p.workspaceName),
    attrib('Tree Path', p.treePath),
    attrib('Is Archived', p.archived ? 'true' : 'false'),
  ];
  if (includeDetails) {
    if (p.crmId) attribs.push(attrib('CRM Id', p.crmId));
    attribs.push(attrib('Created At', formatDateTime(new Date(p.createdAt))));
    attribs.push(attrib('Updated At', formatDateTime(new Date(p.updatedAt))));
  }
  return {
    type: 'Program',
    id: p.id,
    attribList: { attrib: attribs },
    ...(typeAttribs.length ? { typeAttribList: { typeAttrib: typeAttribs } } : {}),
  };
}

export function opportunityToMObject(o: Opportunity): MObject {
  const attribs: Attrib[] = [];
  if (o.name) attribs.push(attrib('Name', o.name));
  for (const f of OPPORTUNITY_FIELDS) {
    const v = o.attributes[f.name];
    if (f.name !== 'Name' && v !== undefined && v !== '') attribs.push(attrib(f.name, v));
  }
  // Fields beyond the standard ones (created through a support request, in Marketo's words).
  for (const [k, v] of Object.entries(o.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!OPPORTUNITY_FIELDS.some((f) => f.name === k) && v !== '') attribs.push(attrib(k, v));
  }
  const company = o.company
    ? [
        {
          mObjType: 'Company',
          ...(o.company.id !== null ? { id: o.company.id } : {}),
          ...(o.company.key !== null ? { externalKey: attrib('externalKey', o.company.key) } : {}),
        },
      ]
    : [];
  return {
    type: 'Opportunity',
    id: o.id,
    ...(o.externalKey ? { externalKey: attrib(o.externalKey.name, o.externalKey.value) } : {}),
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
    ...(attribs.length ? { attribList: { attrib: attribs } } : {}),
    ...(company.length ? { associationList: { mObjAssociation: company } } : {}),
  };
}

export function roleToMObject(r: OpportunityRole): MObject {
  const attribs: Attrib[] = [
    attrib('OpportunityId', String(r.opportunityId)),
    attrib('PersonId', String(r.leadId)),
    attrib('Role', r.role),
    attrib('IsPrimary', r.isPrimary ? 'true' : 'false'),
  ];
  if (r.externalCreatedDate) attribs.push(attrib('ExternalCreatedDate', r.externalCreatedDate));
  return {
    type: 'OpportunityPersonRole',
    id: r.id,
    ...(r.externalKey ? { externalKey: attrib(r.externalKey.name, r.externalKey.value) } : {}),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
    attribList: { attrib: attribs },
  };
}

// ---------------------------------------------------------------------------------------------
// getMObjects criteria

type AttrKind = 'number' | 'string' | 'date' | 'tagType' | 'tagValue' | 'archive';

/** The criteria attributes each type takes, with how their values compare. */
const CRITERIA: Record<QueryableType, Record<string, AttrKind>> = {
  Program: {
    Id: 'number',
    Name: 'string',
    Type: 'string',
    'CRM Id': 'string',
    'Created At': 'date',
    'Updated At': 'date',
    'Tag Type': 'tagType',
    'Tag Value': 'tagValue',
    'Workspace Id': 'number',
    'Workspace Name': 'string',
    'Include Archive': 'archive',
  },
  Opportunity: {
    Id: 'number',
    Name: 'string',
    Type: 'string',
    Stage: 'string',
    'CRM Id': 'string',
    'Created At': 'date',
    'Updated At': 'date',
  },
  OpportunityPersonRole: {
    Id: 'number',
    Role: 'string',
    'CRM Id': 'string',
    'Created At': 'date',
    'Updated At': 'date',
  },
};

/** A checked criterion: the attribute's listed spelling, its kind and the parsed value. */
export interface Criterion {
  attr: string;
  kind: AttrKind;
  op: MObjCriteria['comparison'];
  text: string;
  num?: number;
  time?: number;
  bool?: boolean;
}

function parseDate(s: string): number | undefined {
  const t = s.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? parseLenientDateTime(`${t}T00:00:00Z`) : parseLenientDateTime(t);
  return d?.getTime();
}

/** Checks criteria against the type: unknown attribute, bad value or bad comparison → 20110. */
export function parseCriteria(type: QueryableType, list: readonly MObjCriteria[]): Criterion[] {
  const allowed = CRITERIA[type];
  const names = Object.keys(allowed);
  let tagTypes = 0;
  return list.map((c) => {
    const attr = matchName(names, c.attrName ?? '');
    if (!attr) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `Criteria attribute "${echo(c.attrName)}" is not valid for ${type}; expected one of ${names.join(', ')}`,
      );
    }
    const kind = allowed[attr];
    const text = String(c.attrValue ?? '');
    const out: Criterion = { attr, kind, op: c.comparison, text };
    if (kind === 'number') {
      if (!/^\s*[+-]?\d+\s*$/.test(text))
        throw new MktowsFault(FAULT.BAD_PARAMETER, `Criteria ${attr}: "${echo(text)}" is not an integer`);
      out.num = Number(text.trim());
    } else if (kind === 'date') {
      const t = parseDate(text);
      if (t === undefined)
        throw new MktowsFault(FAULT.BAD_PARAMETER, `Criteria ${attr}: "${echo(text)}" is not a dateTime`);
      out.time = t;
    } else if (kind === 'archive') {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false')
        throw new MktowsFault(FAULT.BAD_PARAMETER, `Criteria ${attr}: "${echo(text)}" is not true or false`);
      if (c.comparison !== 'EQ' && c.comparison !== 'NE')
        throw new MktowsFault(FAULT.BAD_PARAMETER, `Criteria ${attr} takes EQ or NE, not ${c.comparison}`);
      out.bool = (t === 'true') === (c.comparison === 'EQ');
    } else if (kind === 'tagType' && ++tagTypes > 1) {
      throw new MktowsFault(FAULT.BAD_PARAMETER, 'Only one Tag Type criterion is allowed');
    }
    return out;
  });
}

function compare(op: Criterion['op'], a: number | string, b: number | string): boolean {
  switch (op) {
    case 'EQ':
      return a === b;
    case 'NE':
      return a !== b;
    case 'LT':
      return a < b;
    case 'LE':
      return a <= b;
    case 'GT':
      return a > b;
    case 'GE':
      return a >= b;
  }
}

/** String comparisons ignore case, as Marketo's database did. */
function test(c: Criterion, value: string | number | null | undefined): boolean {
  if (value === null || value === undefined || value === '') return c.op === 'NE';
  if (c.kind === 'number') return compare(c.op, Number(value), c.num as number);
  if (c.kind === 'date') return compare(c.op, Number(value), c.time as number);
  return compare(c.op, String(value).toLowerCase(), c.text.toLowerCase());
}

/** The value of a (non-tag) criteria attribute of an object. */
function attrValueOf(
  obj: { kind: 'Program'; p: Program } | { kind: 'Opportunity'; o: Opportunity } | { kind: 'Role'; r: OpportunityRole },
  attr: string,
): string | number | null | undefined {
  if (obj.kind === 'Program') {
    const p = obj.p;
    return {
      Id: p.id,
      Name: p.name,
      Type: p.type,
      'CRM Id': p.crmId,
      'Created At': p.createdAt,
      'Updated At': p.updatedAt,
      'Workspace Id': p.workspaceId,
      'Workspace Name': p.workspaceName,
    }[attr];
  }
  if (obj.kind === 'Opportunity') {
    const o = obj.o;
    return {
      Id: o.id,
      Name: o.name,
      Type: o.attributes.Type,
      Stage: o.attributes.Stage,
      'CRM Id': o.externalKey?.value,
      'Created At': o.createdAt,
      'Updated At': o.updatedAt,
    }[attr];
  }
  const r = obj.r;
  return {
    Id: r.id,
    Role: r.role,
    'CRM Id': r.externalKey?.value,
    'Created At': r.createdAt,
    'Updated At': r.updatedAt,
  }[attr];
}

/**
 * Whether a program matches: every plain criterion, and one of its tags (the channel counts as a
 * tag of type Channel) matching every Tag Type / Tag Value criterion. Archived programs match only
 * with `Include Archive` EQ true.
 */
export function programMatches(p: Program, criteria: readonly Criterion[]): boolean {
  const archive = criteria.find((c) => c.kind === 'archive');
  if (p.archived && !archive?.bool) return false;
  const tagCriteria = criteria.filter((c) => c.kind === 'tagType' || c.kind === 'tagValue');
  if (tagCriteria.length) {
    const tags = [...(p.channel ? [{ type: 'Channel', value: p.channel }] : []), ...p.tags];
    const ok = tags.some((t) => tagCriteria.every((c) => test(c, c.kind === 'tagType' ? t.type : t.value)));
    if (!ok) return false;
  }
  return criteria
    .filter((c) => c.kind !== 'archive' && c.kind !== 'tagType' && c.kind !== 'tagValue')
    .every((c) => test(c, attrValueOf({ kind: 'Program', p }, c.attr)));
}

export function opportunityMatches(o: Opportunity, criteria: readonly Criterion[]): boolean {
  return criteria.every((c) => test(c, attrValueOf({ kind: 'Opportunity', o }, c.attr)));
}

export function roleMatches(r: OpportunityRole, criteria: readonly Criterion[]): boolean {
  return criteria.every((c) => test(c, attrValueOf({ kind: 'Role', r }, c.attr)));
}

/** For messages: a dateTime as the wire writes it. */
export const wireTime = (ms: number) => formatDateTime(new Date(ms));
