/**
 * Writing MObjects (syncMObjects, deleteMObjects) and resolving the objects an association names.
 * One object at a time inside the caller's transaction: a bad object is FAILED (or SKIPPED /
 * UNCHANGED) with a message and writes nothing, the others are written.
 */
import {
  type Attrib,
  compareVersions,
  FAULT,
  MktowsFault,
  type MObjAssociation,
  type MObject,
  type MObjStatus,
  type MObjStatusEnum,
  type SyncOperationEnum,
  type Version,
} from '@mktows/protocol';
import type {
  ExternalKey,
  MObjectReader,
  MObjectStore,
  Opportunity,
  OpportunityRole,
  ProgramCost,
  Tag,
} from '../store/mobject-store.js';
import type { LeadReader } from '../store/store.js';
import { FieldValueError } from './lead-schema.js';
import { type MObjFieldDef, matchName, mobjValue, OPPORTUNITY_FIELDS, ROLE_FIELDS } from './mobjects.js';

export interface ObjectOutcome {
  status: MObjStatusEnum;
  id: number | null;
  error?: string;
}

/** A failure of one object: FAILED (or SKIPPED) with a message. */
class ObjectError extends Error {
  constructor(
    readonly status: MObjStatusEnum,
    message: string,
    readonly id: number | null = null,
  ) {
    super(message);
  }
}

const failed = (message: string, id: number | null = null) => new ObjectError('FAILED', message, id);

interface Tx extends LeadReader {
  readonly mobjects: MObjectStore;
}

/** Lead key names an association's externalKey may use, and the lookup each one means. */
export const LEAD_EXTERNAL_KEYS = {
  Email: 'EMAIL',
  ForeignSysPersonId: 'FSPID',
  SFDCLeadId: 'SFDCLEADID',
  SFDCContactId: 'SFDCCONTACTID',
  SFDCAccountId: 'SFDCACCOUNTID',
} as const;

/** The lead key type an association's externalKey name means; others throw `onBad(message)`. */
export function leadExternalKeyOf(
  keyName: string | undefined,
  onBad: (message: string) => Error,
): keyof typeof LEAD_EXTERNAL_KEYS {
  const name = matchName(Object.keys(LEAD_EXTERNAL_KEYS) as (keyof typeof LEAD_EXTERNAL_KEYS)[], keyName ?? '');
  if (!name) {
    throw onBad(
      `externalKey "${keyName}" cannot name a Lead; use one of ${Object.keys(LEAD_EXTERNAL_KEYS).join(', ')}`,
    );
  }
  return name;
}

/**
 * The ids of the leads an association names (by id, or by an externalKey naming a lead key
 * field). Unsupported key names throw `onBad(message)`.
 */
export async function leadIdsFor(
  reader: LeadReader,
  a: Pick<MObjAssociation, 'id' | 'externalKey'>,
  onBad: (message: string) => Error,
): Promise<number[]> {
  if (a.id != null) return (await reader.getLeads([a.id])).map((l) => l.id);
  const k = a.externalKey;
  if (!k) throw onBad('a Lead association needs an id or an externalKey');
  const name = leadExternalKeyOf(k.name, onBad);
  return (await reader.findLeads({ by: LEAD_EXTERNAL_KEYS[name], value: k.value })).map((l) => l.id);
}

/** The opportunity an id or an externalKey names. */
export async function findOpportunity(
  reader: MObjectReader,
  ref: { id?: number; externalKey?: Attrib },
): Promise<Opportunity | undefined> {
  if (ref.id != null) return reader.getOpportunity(ref.id);
  if (ref.externalKey) return reader.findOpportunityByKey(ref.externalKey.value);
  return undefined;
}

function externalKeyOf(obj: MObject): ExternalKey | null {
  const k = obj.externalKey;
  if (!k || (k.value ?? '') === '') return null;
  return { name: k.name || 'externalKey', value: k.value };
}

/** attribList values checked against the fields of a type: unknown or read-only names fail. */
function checkedValues(obj: MObject, fields: readonly MObjFieldDef[], type: string): Record<string, string> {
  const names = fields.map((f) => f.name);
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const a of obj.attribList?.attrib ?? []) {
    const name = matchName(names, a.name ?? '');
    const f = name && fields.find((x) => x.name === name);
    if (!f) {
      unknown.push(a.name);
      continue;
    }
    if (f.readOnly) throw failed(`Attribute ${f.name} of ${type} is read-only`);
    try {
      out[f.name] = mobjValue(f, a.value ?? '');
    } catch (e) {
      if (e instanceof FieldValueError) throw failed(`Invalid value: ${e.message}`);
      throw e;
    }
  }
  if (unknown.length) throw failed(`Unknown attribute name(s) for ${type}: ${unknown.join(', ')}`);
  return out;
}

function noTypeAttribs(obj: MObject, type: string): void {
  if (obj.typeAttribList?.typeAttrib?.length) throw failed(`typeAttribList is only used with Program, not ${type}`);
}

/** Runs one object's sync, turning its ObjectError into a status. */
async function outcome(fn: () => Promise<ObjectOutcome>, id: number | null): Promise<ObjectOutcome> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ObjectError) return { status: e.status, id: e.id ?? id, error: e.message };
    throw e;
  }
}

/** How an UPDATE, INSERT or UPSERT treats an object that does or does not exist. */
function missing(op: SyncOperationEnum, type: string, what: string, id: number | null): ObjectError | undefined {
  if (op === 'UPDATE') return new ObjectError('SKIPPED', `No ${type} with ${what}; UPDATE skips new objects`, id);
  return undefined;
}

async function syncOpportunity(tx: Tx, obj: MObject, op: SyncOperationEnum, now: number): Promise<ObjectOutcome> {
  noTypeAttribs(obj, 'Opportunity');
  const values = checkedValues(obj, OPPORTUNITY_FIELDS, 'Opportunity');
  const key = externalKeyOf(obj);
  let company: Opportunity['company'] | undefined;
  for (const a of obj.associationList?.mObjAssociation ?? []) {
    if (matchName(['Company'], a.mObjType ?? '') !== 'Company')
      throw failed(`Opportunity can only be associated with a Company, not "${a.mObjType}"`);
    if (a.id == null && !a.externalKey) throw failed('A Company association needs an id or an externalKey');
    company = { id: a.id ?? null, key: a.externalKey?.value ?? null };
  }
  let existing: Opportunity | undefined;
  if (obj.id != null) {
    existing = await tx.mobjects.getOpportunity(obj.id);
    if (!existing) {
      if (op === 'INSERT')
        throw failed(`Opportunity ids are assigned by Marketo; INSERT cannot use id ${obj.id}`, obj.id);
      throw missing(op, 'Opportunity', `id ${obj.id}`, obj.id) ?? failed(`No Opportunity with id ${obj.id}`, obj.id);
    }
  } else if (key) {
    existing = await tx.mobjects.findOpportunityByKey(key.value);
    if (!existing) {
      const skip = missing(op, 'Opportunity', `externalKey ${key.name} = ${key.value}`, null);
      if (skip) throw skip;
    }
  } else if (op === 'UPDATE') {
    throw failed('UPDATE needs the id or the externalKey of the Opportunity');
  }
  const { Name: name, ...attributes } = values;
  if (existing) {
    if (op === 'INSERT') {
      return { status: 'SKIPPED', id: existing.id, error: `Opportunity ${existing.id} exists; INSERT skips it` };
    }
    if (key && key.value !== existing.externalKey?.value) {
      const other = await tx.mobjects.findOpportunityByKey(key.value);
      if (other) throw failed(`externalKey ${key.value} already names Opportunity ${other.id}`, existing.id);
    }
    const next: Opportunity = {
      ...existing,
      externalKey: key ?? existing.externalKey,
      name: name ?? existing.name,
      attributes: { ...existing.attributes, ...attributes },
      company: company ?? existing.company,
    };
    const same =
      JSON.stringify([next.externalKey, next.name, next.attributes, next.company]) ===
      JSON.stringify([existing.externalKey, existing.name, existing.attributes, existing.company]);
    if (same) return { status: 'UNCHANGED', id: existing.id };
    await tx.mobjects.updateOpportunity({ ...next, updatedAt: now });
    return { status: 'UPDATED', id: existing.id };
  }
  const created = await tx.mobjects.insertOpportunity({
    externalKey: key,
    name: name ?? '',
    attributes,
    company: company ?? null,
    createdAt: now,
    updatedAt: now,
  });
  return { status: 'CREATED', id: created.id };
}

async function syncRole(tx: Tx, obj: MObject, op: SyncOperationEnum, now: number): Promise<ObjectOutcome> {
  noTypeAttribs(obj, 'OpportunityPersonRole');
  const values = checkedValues(obj, ROLE_FIELDS, 'OpportunityPersonRole');
  const key = externalKeyOf(obj);
  let opportunityId =
    values.OpportunityId === undefined || values.OpportunityId === '' ? undefined : Number(values.OpportunityId);
  let leadId = values.PersonId === undefined || values.PersonId === '' ? undefined : Number(values.PersonId);
  for (const a of obj.associationList?.mObjAssociation ?? []) {
    const t = matchName(['Lead', 'Opportunity'], a.mObjType ?? '');
    if (t === 'Opportunity') {
      if (a.id == null && !a.externalKey) throw failed('An Opportunity association needs an id or an externalKey');
      const opp = await findOpportunity(tx.mobjects, a);
      if (!opp)
        throw failed(`No Opportunity with ${a.id != null ? `id ${a.id}` : `externalKey ${a.externalKey?.value}`}`);
      opportunityId = opp.id;
    } else if (t === 'Lead') {
      const ids = await leadIdsFor(tx, a, (m) => failed(m));
      if (ids.length === 0) {
        throw failed(`No lead with ${a.id != null ? `id ${a.id}` : `${a.externalKey?.name} ${a.externalKey?.value}`}`);
      }
      leadId = Math.max(...ids);
    } else {
      throw failed(`OpportunityPersonRole can only be associated with a Lead or an Opportunity, not "${a.mObjType}"`);
    }
  }
  if (opportunityId !== undefined && !(await tx.mobjects.getOpportunity(opportunityId)))
    throw failed(`No Opportunity with id ${opportunityId}`, obj.id ?? null);
  if (leadId !== undefined && (await tx.getLeads([leadId])).length === 0)
    throw failed(`No lead with id ${leadId}`, obj.id ?? null);

  let existing: OpportunityRole | undefined;
  if (obj.id != null) {
    existing = await tx.mobjects.getOpportunityRole(obj.id);
    if (!existing) {
      if (op === 'INSERT')
        throw failed(`OpportunityPersonRole ids are assigned by Marketo; INSERT cannot use id ${obj.id}`, obj.id);
      throw (
        missing(op, 'OpportunityPersonRole', `id ${obj.id}`, obj.id) ??
        failed(`No OpportunityPersonRole with id ${obj.id}`, obj.id)
      );
    }
  } else if (key) {
    existing = await tx.mobjects.findOpportunityRoleByKey(key.value);
  }
  if (!existing && !key && opportunityId !== undefined && leadId !== undefined) {
    // Without an id or externalKey, a role is known by its opportunity, lead and role name.
    existing = await tx.mobjects.findOpportunityRoleFor(opportunityId, leadId, values.Role ?? '');
  }
  if (!existing) {
    const what = key ? `externalKey ${key.name} = ${key.value}` : 'this OpportunityId, PersonId and Role';
    const skip = missing(op, 'OpportunityPersonRole', what, null);
    if (skip) throw skip;
  }
  if (existing) {
    if (op === 'INSERT') {
      return {
        status: 'SKIPPED',
        id: existing.id,
        error: `OpportunityPersonRole ${existing.id} exists; INSERT skips it`,
      };
    }
    const next: OpportunityRole = {
      ...existing,
      externalKey: key ?? existing.externalKey,
      opportunityId: opportunityId ?? existing.opportunityId,
      leadId: leadId ?? existing.leadId,
      role: values.Role ?? existing.role,
      isPrimary:
        values.IsPrimary === undefined || values.IsPrimary === '' ? existing.isPrimary : values.IsPrimary === 'true',
      externalCreatedDate:
        values.ExternalCreatedDate === undefined ? existing.externalCreatedDate : values.ExternalCreatedDate || null,
    };
    const fields = (r: OpportunityRole) => [
      r.externalKey,
      r.opportunityId,
      r.leadId,
      r.role,
      r.isPrimary,
      r.externalCreatedDate,
    ];
    if (JSON.stringify(fields(next)) === JSON.stringify(fields(existing)))
      return { status: 'UNCHANGED', id: existing.id };
    await tx.mobjects.updateOpportunityRole({ ...next, updatedAt: now });
    return { status: 'UPDATED', id: existing.id };
  }
  if (opportunityId === undefined || leadId === undefined) {
    throw failed('OpportunityPersonRole needs OpportunityId and PersonId (or Opportunity and Lead associations)');
  }
  const created = await tx.mobjects.insertOpportunityRole({
    externalKey: key,
    opportunityId,
    leadId,
    role: values.Role ?? '',
    isPrimary: values.IsPrimary === 'true',
    externalCreatedDate: values.ExternalCreatedDate || null,
    createdAt: now,
    updatedAt: now,
  });
  return { status: 'CREATED', id: created.id };
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])(-\d{2})?$/;
const AMOUNT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** typeAttrib attribs by name (case-insensitive), refusing names outside `allowed`. */
function pairs(list: readonly Attrib[], allowed: readonly string[], what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of list) {
    const name = matchName(allowed, a.name ?? '');
    if (!name) throw failed(`Unknown ${what} attribute "${a.name}"; expected ${allowed.join(', ')}`);
    out.set(name, (a.value ?? '').trim());
  }
  return out;
}

/**
 * Program: UPDATE only, by id. `Cost` typeAttribs add a period cost (or change the one their Id
 * names), `Tag` typeAttribs set the channel (Type Channel) or the value of a tag type; tags and
 * channels must already exist (`known`).
 */
async function syncProgram(
  tx: Tx,
  obj: MObject,
  op: SyncOperationEnum,
  now: number,
  known: readonly Tag[],
): Promise<ObjectOutcome> {
  if (op !== 'UPDATE') throw failed(`Programs can only be updated: use operation UPDATE, not ${op}`, obj.id ?? null);
  if (obj.id == null) throw failed('A Program is named by its id');
  if (obj.attribList?.attrib?.length)
    throw failed('Program attributes cannot be changed; send Cost or Tag typeAttribs', obj.id);
  if (obj.associationList?.mObjAssociation?.length) throw failed('Program takes no associations', obj.id);
  const program = await tx.mobjects.getProgram(obj.id);
  if (!program) throw new ObjectError('SKIPPED', `No Program with id ${obj.id}; UPDATE skips new objects`, obj.id);

  const costs: (Omit<ProgramCost, 'id'> & { id?: number })[] = [];
  let channel = program.channel;
  const tags = program.tags.map((t) => ({ ...t }));
  for (const ta of obj.typeAttribList?.typeAttrib ?? []) {
    const kind = matchName(['Cost', 'Tag'], ta.attrType ?? '');
    const list = ta.attrList?.attrib ?? [];
    if (kind === 'Cost') {
      const c = pairs(list, ['Id', 'Month', 'Amount', 'Note'], 'Cost');
      const month = c.get('Month');
      const amount = c.get('Amount');
      if (!month) throw failed('Cost needs a Month (YYYY-MM)', program.id);
      const m = MONTH.exec(month);
      if (!m) throw failed(`Cost Month "${month}" is not a month (YYYY-MM)`, program.id);
      if (!amount) throw failed('Cost needs an Amount', program.id);
      if (!AMOUNT.test(amount)) throw failed(`Cost Amount "${amount}" is not a number`, program.id);
      const idText = c.get('Id');
      let id: number | undefined;
      if (idText) {
        if (!/^\d+$/.test(idText)) throw failed(`Cost Id "${idText}" is not an integer`, program.id);
        id = Number(idText);
        if (!program.costs.some((x) => x.id === id))
          throw failed(`Cost Id ${id} does not exist on Program ${program.id}`, program.id);
      }
      costs.push({ id, month: `${m[1]}-${m[2]}`, amount: String(Number(amount)), note: c.get('Note') || null });
    } else if (kind === 'Tag') {
      const t = pairs(list, ['Type', 'Value'], 'Tag');
      const type = t.get('Type');
      const value = t.get('Value');
      if (!type || !value) throw failed('Tag needs a Type and a Value', program.id);
      const def = known.find(
        (k) => k.type.toLowerCase() === type.toLowerCase() && k.value.toLowerCase() === value.toLowerCase(),
      );
      if (!def) {
        const what = type.toLowerCase() === 'channel' ? `Channel "${value}"` : `Tag ${type} = "${value}"`;
        throw failed(`${what} is not defined; tags and channels cannot be created through the API`, program.id);
      }
      if (def.type === 'Channel') channel = def.value;
      else {
        const at = tags.findIndex((x) => x.type === def.type);
        if (at >= 0) tags[at] = { ...def };
        else tags.push({ ...def });
      }
    } else {
      throw failed(`typeAttrib attrType "${ta.attrType}" is not valid for Program; expected Cost or Tag`, program.id);
    }
  }
  let changed = false;
  if (channel !== program.channel || JSON.stringify(tags) !== JSON.stringify(program.tags)) {
    await tx.mobjects.setProgramTags(program.id, channel, tags, now);
    changed = true;
  }
  for (const c of costs) {
    if (c.id === undefined) {
      await tx.mobjects.addProgramCost(program.id, { month: c.month, amount: c.amount, note: c.note }, now);
      changed = true;
      continue;
    }
    const before = program.costs.find((x) => x.id === c.id);
    if (before && before.month === c.month && before.amount === c.amount && before.note === c.note) continue;
    await tx.mobjects.updateProgramCost(program.id, { id: c.id, month: c.month, amount: c.amount, note: c.note }, now);
    changed = true;
  }
  return { status: changed ? 'UPDATED' : 'UNCHANGED', id: program.id };
}

export const SYNC_TYPES = ['Opportunity', 'OpportunityPersonRole', 'Program'] as const;

/** Syncs one object; the outcome carries the status and, on failure, the message. */
export async function syncObject(
  tx: Tx,
  obj: MObject,
  op: SyncOperationEnum,
  now: number,
  known: () => Promise<readonly Tag[]>,
): Promise<ObjectOutcome> {
  const id = obj.id ?? null;
  return outcome(async () => {
    const type = matchName(SYNC_TYPES, obj.type ?? '');
    switch (type) {
      case 'Opportunity':
        return syncOpportunity(tx, obj, op, now);
      case 'OpportunityPersonRole':
        return syncRole(tx, obj, op, now);
      case 'Program':
        return syncProgram(tx, obj, op, now, await known());
      default:
        throw failed(`MObject type "${obj.type}" cannot be synced; expected one of ${SYNC_TYPES.join(', ')}`);
    }
  }, id);
}

export const DELETE_TYPES = ['Opportunity', 'OpportunityPersonRole'] as const;

/** Deletes one object: DELETED, UNCHANGED when it does not exist, FAILED when it cannot be deleted. */
export async function deleteObject(tx: Tx, obj: MObject): Promise<ObjectOutcome> {
  const id = obj.id ?? null;
  return outcome(async () => {
    const type = matchName(DELETE_TYPES, obj.type ?? '');
    if (!type) {
      throw failed(`MObject type "${obj.type}" cannot be deleted; expected one of ${DELETE_TYPES.join(', ')}`);
    }
    const key = externalKeyOf(obj);
    if (id === null && !key) throw failed(`Deleting an ${type} needs its id`);
    const what = id !== null ? `id ${id}` : `externalKey ${key?.name} = ${key?.value}`;
    if (type === 'Opportunity') {
      const o =
        id !== null ? await tx.mobjects.getOpportunity(id) : await tx.mobjects.findOpportunityByKey(key?.value ?? '');
      if (!o) return { status: 'UNCHANGED', id, error: `No Opportunity with ${what}` };
      await tx.mobjects.deleteOpportunity(o.id);
      return { status: 'DELETED', id: o.id };
    }
    const r =
      id !== null
        ? await tx.mobjects.getOpportunityRole(id)
        : await tx.mobjects.findOpportunityRoleByKey(key?.value ?? '');
    if (!r) return { status: 'UNCHANGED', id, error: `No OpportunityPersonRole with ${what}` };
    await tx.mobjects.deleteOpportunityRole(r.id);
    return { status: 'DELETED', id: r.id };
  }, id);
}

/** 20110 for a list of more than `max` objects, 20109 for none. */
export function checkObjectCount(n: number, max: number, op: string): void {
  if (n === 0) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${op}: mObjectList holds no mObject`);
  if (n > max) throw new MktowsFault(FAULT.BAD_PARAMETER, `${op}: ${n} MObjects exceed the limit of ${max} per call`);
}

/**
 * The wire status of one object's outcome. Before 2_6 MObjStatus.id is not nillable, so an
 * outcome without an id reports 0 on those paths.
 */
export function toMObjStatus(obj: MObject, r: ObjectOutcome, version: Version): MObjStatus {
  return {
    id: r.id ?? (compareVersions(version, '2_6') < 0 ? 0 : null),
    ...(obj.externalKey ? { externalKey: obj.externalKey } : {}),
    status: r.status,
    ...(r.error ? { error: r.error } : {}),
  };
}
