/**
 * Creating and updating leads (syncLead, syncMultipleLeads): key matching, value conversion and
 * the activities every write appends. Runs inside a store transaction supplied by the caller.
 */
import { echo, echoList, FAULT, type LeadRecord, MktowsFault, type SyncStatus } from '@mktows/protocol';
import { type Lead, leadKeyLock, type NewActivity, type NewLead, type StoreTx } from '../store/store.js';
import { dataValueActivities, newLeadActivity } from './activities.js';
import type { LeadFieldDef } from './lead-fields.js';
import { canonicalValue, FieldValueError, type LeadSchema } from './lead-schema.js';

/** A record already checked for keys and field names (see validateRecord). */
export interface SyncInput {
  record: LeadRecord;
  /** attrName → raw attrValue, in input order. */
  values: [string, string][];
  /** The schema field of each value, when validateRecord has looked them up already. */
  fields?: LeadFieldDef[];
}

export interface SyncOptions {
  now: number;
  /** false: always create when no unique key (Id, ForeignSysPersonId) is given. */
  dedup: boolean;
  /**
   * syncMultipleLeads: an Email element next to Id or ForeignSysPersonId is only a key, and the
   * e-mail changes only when Email is also in the attribute list. syncLead updates it.
   */
  emailKeyOnly?: boolean;
  /**
   * Where the activities go: given, they are collected here for the caller to append in one write
   * (syncMultipleLeads, the seed); otherwise each record appends its own.
   */
  activities?: NewActivity[];
  /** Munchkin cookie to associate (syncLead's marketoCookie); also a matching key. */
  cookie?: string;
}

export type SyncOutcome = { status: 'CREATED' | 'UPDATED'; lead: Lead };

export interface ValidateOptions {
  /**
   * syncLead's marketoCookie. It is a key of its own (Id, ForeignSysPersonId, cookie,
   * Email), so a record sent with one may carry no other: the anonymous lead the cookie names.
   */
  cookie?: string;
}

/**
 * Checks what makes the whole call fail: no key (20104) and unknown fields (20105, naming every
 * unknown field). Value problems are left to the write, per record. The record returned has its
 * Email key filled from an Email attribute when the element is absent (see emailKeyed).
 */
export function validateRecord(
  record: LeadRecord | undefined,
  schema: LeadSchema,
  where: string,
  opts: ValidateOptions = {},
): SyncInput {
  if (!record) throw new MktowsFault(FAULT.LEAD_DETAIL_REQUIRED, `${where}: leadRecord is required`);
  const keyed = emailKeyed(record);
  const hasKey =
    keyed.Id != null ||
    (keyed.Email != null && keyed.Email !== '') ||
    (keyed.ForeignSysPersonId ?? '') !== '' ||
    !!opts.cookie;
  if (!hasKey)
    throw new MktowsFault(
      FAULT.LEAD_DETAIL_REQUIRED,
      `${where}: leadRecord needs one of Id, Email or ForeignSysPersonId`,
    );
  const values: [string, string][] = [];
  const fields: LeadFieldDef[] = [];
  const unknown: string[] = [];
  for (const a of keyed.leadAttributeList?.attribute ?? []) {
    const f = schema.field(a.attrName);
    if (!f) unknown.push(a.attrName);
    else {
      values.push([a.attrName, a.attrValue ?? '']);
      fields.push(f);
    }
  }
  if (unknown.length) {
    throw new MktowsFault(FAULT.LEAD_ATTRIBUTE_BAD, `${where} failed: unknown fields for import: ${echoList(unknown)}`);
  }
  return { record: keyed, values, fields };
}

/**
 * An Email attribute names the lead as the Email element does: clients (a popular PHP wrapper
 * among them) send the e-mail only in leadAttributeList. When the element is given it stays the
 * key, and an Email attribute is the e-mail to write, as syncMultipleLeads documents.
 * The last non-empty Email attribute is the key, as the last one is the value written.
 */
function emailKeyed(record: LeadRecord): LeadRecord {
  if (record.Email != null && record.Email !== '') return record;
  let email = '';
  for (const a of record.leadAttributeList?.attribute ?? []) {
    if (a.attrName === 'Email' && a.attrValue) email = a.attrValue;
  }
  return email ? { ...record, Email: email } : record;
}

async function matchLead(tx: StoreTx, input: SyncInput, opts: SyncOptions): Promise<Lead | undefined> {
  const r = input.record;
  // A record without Id may create a lead: its key is locked before it is looked up (lockLeadKeys).
  if (r.Id == null && r.ForeignSysPersonId) await tx.lockLeadKeys([leadKeyLock('FSPID', r.ForeignSysPersonId)]);
  else if (r.Id == null && opts.dedup && r.Email) await tx.lockLeadKeys([leadKeyLock('EMAIL', r.Email)]);
  if (r.Id != null) {
    const [lead] = await tx.findLeads({ by: 'IDNUM', value: r.Id });
    if (!lead) throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with IDNUM = ${r.Id}`);
    return lead;
  }
  if (r.ForeignSysPersonId) {
    const [lead] = await tx.findLeads({ by: 'FSPID', value: r.ForeignSysPersonId });
    return lead;
  }
  if (opts.cookie) {
    const [lead] = await tx.findLeads({ by: 'COOKIE', value: opts.cookie });
    if (lead) return lead;
  }
  if (opts.dedup && r.Email) {
    const leads = await tx.findLeads({ by: 'EMAIL', value: r.Email });
    // Several leads may share an e-mail; the most recently updated one is the match.
    return leads.sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)[0];
  }
  return undefined;
}

function changeActivities(
  leadId: number,
  schema: LeadSchema,
  field: string,
  oldV: string,
  newV: string,
  now: number,
): NewActivity[] {
  const label = schema.field(field)?.displayName ?? field;
  return dataValueActivities(leadId, field, label, oldV, newV, now);
}

async function record(tx: StoreTx, opts: SyncOptions, activities: NewActivity[]): Promise<void> {
  if (opts.activities) opts.activities.push(...activities);
  else await tx.appendActivities(activities);
}

/** Canonical LeadOwnerEmail values → the owner's id, or undefined when no owner has it. */
type OwnerIds = Map<string, number | undefined>;

/**
 * Looks up every owner e-mail the records name, once each, so that converting a record needs no
 * query. Owners do not change during a sync, so a lookup made early answers as a later one would.
 */
async function resolveOwners(
  tx: StoreTx,
  schema: LeadSchema,
  inputs: readonly SyncInput[],
  owners: OwnerIds,
): Promise<void> {
  const f = schema.field('LeadOwnerEmail');
  if (!f) return;
  for (const input of inputs) {
    for (const [name, raw] of input.values) {
      if (name !== 'LeadOwnerEmail') continue;
      let value: string;
      try {
        value = canonicalValue(f, raw);
      } catch {
        continue; // the conversion reports it
      }
      if (value === '' || owners.has(value)) continue;
      owners.set(value, (await tx.findOwner('email', value))?.id);
    }
  }
}

/** A record's values, converted and checked; nothing is written yet. */
interface Converted {
  /**
   * Field name and canonical value pairs, flat (name, value, name, value, …): each name once, with
   * its last value, at the place it first appeared.
   */
  changes: string[];
  /** The e-mail to write, or undefined to leave it. */
  email: string | undefined;
  /** The owner to set (null: none), or undefined to leave it. */
  ownerId: number | null | undefined;
}

/** Converts every value of a record before anything is touched; throws FieldValueError. */
function convertRecord(schema: LeadSchema, input: SyncInput, emailKeyOnly: boolean, owners: OwnerIds): Converted {
  const r = input.record;
  if (r.ForeignSysPersonId && !r.ForeignSysType) {
    throw new FieldValueError(`ForeignSysType is required with ForeignSysPersonId ${echo(r.ForeignSysPersonId)}`);
  }
  const changes: string[] = [];
  let ownerId: number | null | undefined;
  const emailIsKey = emailKeyOnly && (r.Id != null || !!r.ForeignSysPersonId);
  let email = emailIsKey ? undefined : (r.Email ?? undefined);
  const { values, fields } = input;
  for (let i = 0; i < values.length; i++) {
    const [name, raw] = values[i];
    const f = fields ? fields[i] : schema.field(name);
    if (!f) continue;
    if (f.readOnly) throw new FieldValueError(`field ${name} is read-only`);
    if (name === 'Id') continue;
    if (name === 'Email') {
      email = raw;
      continue;
    }
    const value = canonicalValue(f, raw);
    if (name === 'LeadOwnerEmail') {
      if (value === '') ownerId = null;
      else {
        const id = owners.get(value);
        if (id === undefined) throw new FieldValueError(`no lead owner has e-mail ${echo(String(value))}`);
        ownerId = id;
      }
    }
    let j = 0;
    while (j < changes.length && changes[j] !== name) j += 2;
    if (j < changes.length) changes[j + 1] = value;
    else changes.push(name, value);
  }
  if (email !== undefined) {
    const ef = schema.field('Email');
    if (ef) email = canonicalValue(ef, email);
  }
  return { changes, email, ownerId };
}

/** The lead a record creates: its converted values, the non-empty ones as attributes. */
function leadToCreate(r: LeadRecord, { changes, email, ownerId }: Converted, now: number): NewLead {
  const attributes: Record<string, string> = {};
  for (let j = 0; j < changes.length; j += 2) if (changes[j + 1] !== '') attributes[changes[j]] = changes[j + 1];
  return {
    // A key-only Email still names the new lead's e-mail.
    email: email ?? (r.Email || null),
    foreignSysPersonId: r.ForeignSysPersonId || null,
    foreignSysType: r.ForeignSysPersonId ? (r.ForeignSysType ?? null) : null,
    ownerId: ownerId ?? null,
    attributes,
    createdAt: now,
    updatedAt: now,
  };
}

/** Writes changed values into the attributes (an empty value removes one), calling back for each change. */
function applyChanges(
  attributes: Record<string, string>,
  changes: readonly string[],
  changed: (field: string, oldValue: string, newValue: string) => void,
): void {
  for (let j = 0; j < changes.length; j += 2) {
    const k = changes[j];
    const v = changes[j + 1];
    const old = attributes[k] ?? '';
    if (old === v) continue;
    if (v === '') delete attributes[k];
    else attributes[k] = v;
    changed(k, old, v);
  }
}

/**
 * Applies one record. Throws FieldValueError (→ 20106 or a FAILED status) for values that do not
 * convert, and MktowsFault 20103 for an Id that matches no lead.
 */
export async function syncRecord(
  tx: StoreTx,
  schema: LeadSchema,
  input: SyncInput,
  opts: SyncOptions,
): Promise<SyncOutcome> {
  const r = input.record;
  const owners: OwnerIds = new Map();
  await resolveOwners(tx, schema, [input], owners);
  const converted = convertRecord(schema, input, opts.emailKeyOnly === true, owners);
  const { changes, email, ownerId } = converted;

  const existing = await matchLead(tx, input, opts);
  const now = opts.now;
  if (!existing) {
    const lead = await tx.insertLead(leadToCreate(r, converted, now));
    await record(tx, opts, [newLeadActivity(lead.id, now)]);
    if (opts.cookie) await tx.setCookie(opts.cookie, lead.id);
    return { status: 'CREATED', lead };
  }

  const lead: Lead = { ...existing, attributes: { ...existing.attributes } };
  const activities: NewActivity[] = [];
  applyChanges(lead.attributes, changes, (k, old, v) => {
    activities.push(...changeActivities(lead.id, schema, k, old, v, now));
  });
  if (email !== undefined && email !== (lead.email ?? '')) {
    activities.push(...changeActivities(lead.id, schema, 'Email', lead.email ?? '', email, now));
    lead.email = email === '' ? null : email;
  }
  // Id selected the lead: a ForeignSysPersonId given with it is updated.
  if (r.ForeignSysPersonId && r.ForeignSysPersonId !== lead.foreignSysPersonId) {
    const [holder] = await tx.findLeads({ by: 'FSPID', value: r.ForeignSysPersonId });
    if (holder && holder.id !== lead.id) {
      throw new FieldValueError(
        `ForeignSysPersonId ${echo(r.ForeignSysPersonId)} already belongs to lead ${holder.id}`,
      );
    }
    lead.foreignSysPersonId = r.ForeignSysPersonId;
    lead.foreignSysType = r.ForeignSysType ?? null;
  }
  if (ownerId !== undefined) lead.ownerId = ownerId;
  if (
    activities.length ||
    lead.foreignSysPersonId !== existing.foreignSysPersonId ||
    lead.ownerId !== existing.ownerId
  ) {
    lead.updatedAt = now;
    await tx.updateLead(lead);
    await record(tx, opts, activities);
  }
  if (opts.cookie) await tx.setCookie(opts.cookie, lead.id);
  return { status: 'UPDATED', lead };
}

// ---------------------------------------------------------------------------------------------
// Many records at once (syncMultipleLeads).
//
// The records are applied in order against leads held in memory: every lead any record can match
// is read up front with one query per kind of key, and the writes are made at the end, new leads
// in multi-row inserts. Each record sees what the records before it did (a second record with the
// same e-mail updates the lead the first created), so the outcome is that of applying the records
// one by one. Writes happen earlier, at a "flush", only where a record depends on the id of a lead
// not inserted yet, or moves a ForeignSysPersonId (its update is written at once, so that the
// column's unique constraint sees the same order of changes as record-by-record writes would).

/** A lead the batch knows: read from the store, or created by an earlier record of the batch. */
interface Entry {
  lead: Lead;
  /** The lower-cased e-mail it is indexed under in `byEmail`, if any. */
  emailKey: string | null;
  /** Creation order while not inserted yet (its id is 0 then); 0 once stored. */
  seq: number;
  dirty: boolean;
}

/** Ranks a lead not inserted yet above every stored one: it will get a higher id. */
const PENDING_RANK = 2 ** 52;

/** A New Lead (field null) or Change Data Value activity, made once the lead has its id. */
interface PendingActivity {
  entry: Entry;
  field: string | null;
  oldValue: string;
  newValue: string;
}

class SyncBatch {
  readonly byId = new Map<number, Entry>();
  readonly byFsp = new Map<string, Entry>();
  /** Only the e-mails records dedupe on; each holds every lead with that e-mail. */
  readonly byEmail = new Map<string, Entry[]>();
  private pending: Entry[] = [];
  private dirty: Entry[] = [];
  private seq = 0;

  constructor(private readonly tx: StoreTx) {}

  /** Reads every lead a record may match: by Id, by ForeignSysPersonId and by e-mail. */
  async load(inputs: readonly SyncInput[], dedup: boolean): Promise<void> {
    const ids = new Set<number>();
    const fsps = new Set<string>();
    for (const { record: r } of inputs) {
      if (r.Id != null) ids.add(r.Id);
      // With an Id too, the holder of the ForeignSysPersonId is checked.
      if (r.ForeignSysPersonId) fsps.add(r.ForeignSysPersonId);
      else if (r.Id == null && dedup && r.Email) {
        const k = r.Email.toLowerCase();
        if (!this.byEmail.has(k)) this.byEmail.set(k, []);
      }
    }
    // The keys a record may create a lead under are locked before they are looked up (lockLeadKeys).
    const locks = [...fsps].map((v) => leadKeyLock('FSPID', v));
    for (const k of this.byEmail.keys()) locks.push(leadKeyLock('EMAIL', k));
    await this.tx.lockLeadKeys(locks);
    if (ids.size) this.addStored(await this.tx.findLeadsByKeys('IDNUM', [...ids]));
    if (fsps.size) this.addStored(await this.tx.findLeadsByKeys('FSPID', [...fsps]));
    if (this.byEmail.size) this.addStored(await this.tx.findLeadsByKeys('EMAIL', [...this.byEmail.keys()]));
  }

  private addStored(leads: readonly Lead[]): void {
    for (const lead of leads) {
      if (this.byId.has(lead.id)) continue;
      const e: Entry = { lead, emailKey: null, seq: 0, dirty: false };
      this.byId.set(lead.id, e);
      this.index(e);
    }
  }

  private index(e: Entry): void {
    if (e.lead.foreignSysPersonId) this.byFsp.set(e.lead.foreignSysPersonId, e);
    this.indexEmail(e);
  }

  /**
   * (Re)files a lead under its current e-mail, where a record dedupes on that e-mail. The store
   * keeps email_lc as the lower-cased e-mail, so this is the key findLeads would match it by.
   */
  indexEmail(e: Entry): void {
    if (e.emailKey !== null) {
      const old = this.byEmail.get(e.emailKey);
      if (old) old.splice(old.indexOf(e), 1);
      e.emailKey = null;
    }
    const key = e.lead.email?.toLowerCase();
    if (key === undefined) return;
    const bucket = this.byEmail.get(key);
    if (bucket) {
      bucket.push(e);
      e.emailKey = key;
    }
  }

  /** The lead with this e-mail updated last (the highest id among equals), as findLeads would pick. */
  newestByEmail(key: string): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.byEmail.get(key) ?? []) {
      if (
        !best ||
        e.lead.updatedAt > best.lead.updatedAt ||
        (e.lead.updatedAt === best.lead.updatedAt && rank(e) > rank(best))
      ) {
        best = e;
      }
    }
    return best;
  }

  create(lead: Lead): Entry {
    const e: Entry = { lead, emailKey: null, seq: ++this.seq, dirty: false };
    this.pending.push(e);
    this.index(e);
    return e;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Notes a changed lead; a new one is written whole by its insert anyway. */
  touch(e: Entry): void {
    if (e.seq !== 0 || e.dirty) return;
    e.dirty = true;
    this.dirty.push(e);
  }

  moveFsp(e: Entry, fsp: string, type: string | null): void {
    const old = e.lead.foreignSysPersonId;
    if (old && this.byFsp.get(old) === e) this.byFsp.delete(old);
    e.lead.foreignSysPersonId = fsp;
    e.lead.foreignSysType = type;
    this.byFsp.set(fsp, e);
  }

  /** Writes what is pending: new leads first (their ids in creation order), then changed ones. */
  async flush(): Promise<void> {
    if (this.pending.length) {
      const pending = this.pending;
      this.pending = [];
      const ids = await this.tx.insertLeads(pending.map((e) => e.lead));
      for (let k = 0; k < pending.length; k++) {
        const e = pending[k];
        e.lead.id = ids[k];
        e.seq = 0;
        this.byId.set(e.lead.id, e);
      }
    }
    if (this.dirty.length) {
      const dirty = this.dirty;
      this.dirty = [];
      for (const e of dirty) e.dirty = false;
      await this.tx.updateLeads(dirty.map((e) => e.lead));
    }
  }
}

/** New Lead activities at one time: built once, then only the lead's id differs. */
function newLeadActivities(now: number): (leadId: number) => NewActivity {
  const t = newLeadActivity(0, now);
  const k = t.attributes.findIndex(([n, v]) => n === 'Lead ID' && v === '0');
  if (k < 0) return (leadId) => newLeadActivity(leadId, now);
  return (leadId) => {
    const attributes = t.attributes.slice();
    attributes[k] = ['Lead ID', String(leadId)];
    return { ...t, leadId, attributes };
  };
}

function rank(e: Entry): number {
  return e.seq === 0 ? e.lead.id : PENDING_RANK + e.seq;
}

export interface SyncManyOptions {
  now: number;
  /** false: always create when no unique key (Id, ForeignSysPersonId) is given. */
  dedup: boolean;
}

/**
 * syncMultipleLeads: applies the records in order and returns one status per record. A record
 * whose data fail (FieldValueError, or an Id that matches no lead) is FAILED and changes nothing;
 * anything else thrown fails the whole call, and the caller's transaction undoes what was written.
 * Each record's activities are appended after the leads, in record order.
 */
export async function syncRecords(
  tx: StoreTx,
  schema: LeadSchema,
  inputs: readonly SyncInput[],
  opts: SyncManyOptions,
): Promise<SyncStatus[]> {
  const { now, dedup } = opts;
  const owners: OwnerIds = new Map();
  await resolveOwners(tx, schema, inputs, owners);
  const batch = new SyncBatch(tx);
  await batch.load(inputs, dedup);

  const statuses: SyncStatus[] = new Array(inputs.length);
  const entries: (Entry | undefined)[] = new Array(inputs.length);
  const acts: PendingActivity[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const r = input.record;
    try {
      const converted = convertRecord(schema, input, true, owners);
      const { changes, email, ownerId } = converted;
      let e: Entry | undefined;
      if (r.Id != null) {
        e = batch.byId.get(r.Id);
        // The Id may be that of a lead this batch created: its id is known once inserted.
        if (!e && batch.hasPending) {
          await batch.flush();
          e = batch.byId.get(r.Id);
        }
        if (!e) throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with IDNUM = ${r.Id}`);
      } else if (r.ForeignSysPersonId) {
        e = batch.byFsp.get(r.ForeignSysPersonId);
      } else if (dedup && r.Email) {
        e = batch.newestByEmail(r.Email.toLowerCase());
      }

      if (!e) {
        e = batch.create({ id: 0, ...leadToCreate(r, converted, now) });
        acts.push({ entry: e, field: null, oldValue: '', newValue: '' });
        statuses[i] = { leadId: 0, status: 'CREATED', error: null };
        entries[i] = e;
        continue;
      }

      // Every check first: a FAILED record changes nothing.
      const lead = e.lead;
      const fsp = r.ForeignSysPersonId;
      const fspMoves = !!fsp && fsp !== lead.foreignSysPersonId;
      if (fspMoves) {
        const holder = batch.byFsp.get(fsp);
        if (holder && holder !== e) {
          // The message names the holder's id: a lead of this batch must be inserted first.
          if (holder.seq !== 0) await batch.flush();
          throw new FieldValueError(`ForeignSysPersonId ${echo(fsp)} already belongs to lead ${holder.lead.id}`);
        }
      }
      let changed = false;
      applyChanges(lead.attributes, changes, (field, oldValue, newValue) => {
        acts.push({ entry: e, field, oldValue, newValue });
        changed = true;
      });
      if (email !== undefined && email !== (lead.email ?? '')) {
        acts.push({ entry: e, field: 'Email', oldValue: lead.email ?? '', newValue: email });
        lead.email = email === '' ? null : email;
        batch.indexEmail(e);
        changed = true;
      }
      if (fspMoves) {
        batch.moveFsp(e, fsp, r.ForeignSysType ?? null);
        changed = true;
      }
      if (ownerId !== undefined && ownerId !== lead.ownerId) {
        lead.ownerId = ownerId;
        changed = true;
      }
      if (changed) {
        lead.updatedAt = now;
        batch.touch(e);
      }
      // The unique ForeignSysPersonId column must see this move before any later write.
      if (fspMoves) await batch.flush();
      statuses[i] = { leadId: 0, status: 'UPDATED', error: null };
      entries[i] = e;
    } catch (err) {
      if (err instanceof FieldValueError || (err instanceof MktowsFault && err.code === FAULT.LEAD_NOT_FOUND)) {
        statuses[i] = {
          leadId: r.Id ?? 0,
          status: 'FAILED',
          error: err instanceof MktowsFault ? err.detail : err.message,
        };
      } else throw err;
    }
  }
  await batch.flush();

  const activities: NewActivity[] = [];
  const newLead = newLeadActivities(now);
  for (const a of acts) {
    const id = a.entry.lead.id;
    if (a.field === null) activities.push(newLead(id));
    else for (const x of changeActivities(id, schema, a.field, a.oldValue, a.newValue, now)) activities.push(x);
  }
  await tx.appendActivities(activities);
  for (let i = 0; i < statuses.length; i++) {
    const e = entries[i];
    if (e) statuses[i].leadId = e.lead.id;
  }
  return statuses;
}
