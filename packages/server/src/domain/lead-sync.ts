/**
 * Creating and updating leads (syncLead, syncMultipleLeads): key matching, value conversion and
 * the activities every write appends. Runs inside a store transaction supplied by the caller.
 */
import { type LeadRecord, MktowsFault } from '@mktows/protocol';
import type { Lead, NewActivity, StoreTx } from '../store/store.js';
import { dataValueActivities, newLeadActivity } from './activities.js';
import { canonicalValue, FieldValueError, type LeadSchema } from './lead-schema.js';

/** A record already checked for keys and field names (see validateRecord). */
export interface SyncInput {
  record: LeadRecord;
  /** attrName → raw attrValue, in input order. */
  values: [string, string][];
}

export interface SyncOptions {
  now: number;
  /** false: always create when no unique key (Id, ForeignSysPersonId) is given. */
  dedup: boolean;
  /**
   * syncMultipleLeads: an Email element next to Id or ForeignSysPersonId is only a key, and the
   * e-mail changes only when Email is also in the attribute list (spec §4.4). syncLead updates it.
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

/**
 * Checks what makes the whole call fail: no key (20104) and unknown fields (20105, naming every
 * unknown field). Value problems are left to the write, per record.
 */
export function validateRecord(record: LeadRecord | undefined, schema: LeadSchema, where: string): SyncInput {
  if (!record) throw new MktowsFault(20104, `${where}: leadRecord is required`);
  const hasKey =
    record.Id != null || (record.Email != null && record.Email !== '') || (record.ForeignSysPersonId ?? '') !== '';
  if (!hasKey) throw new MktowsFault(20104, `${where}: leadRecord needs one of Id, Email or ForeignSysPersonId`);
  const values: [string, string][] = [];
  const unknown: string[] = [];
  for (const a of record.leadAttributeList?.attribute ?? []) {
    const f = schema.field(a.attrName);
    if (!f) unknown.push(a.attrName);
    else values.push([a.attrName, a.attrValue ?? '']);
  }
  if (unknown.length) {
    throw new MktowsFault(20105, `${where} failed: unknown fields for import: ${unknown.join(', ')}`);
  }
  return { record, values };
}

async function matchLead(tx: StoreTx, input: SyncInput, opts: SyncOptions): Promise<Lead | undefined> {
  const r = input.record;
  if (r.Id != null) {
    const [lead] = await tx.findLeads({ by: 'IDNUM', value: r.Id });
    if (!lead) throw new MktowsFault(20103, `No lead found with IDNUM = ${r.Id}`);
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
  if (r.ForeignSysPersonId && !r.ForeignSysType) {
    throw new FieldValueError(`ForeignSysType is required with ForeignSysPersonId ${r.ForeignSysPersonId}`);
  }
  // Convert every value before touching anything.
  const changes = new Map<string, string>();
  let ownerId: number | null | undefined;
  const emailIsKey = opts.emailKeyOnly === true && (r.Id != null || !!r.ForeignSysPersonId);
  let email = emailIsKey ? undefined : (r.Email ?? undefined);
  for (const [name, raw] of input.values) {
    const f = schema.field(name);
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
        const owner = await tx.findOwner('email', value);
        if (!owner) throw new FieldValueError(`no lead owner has e-mail ${value}`);
        ownerId = owner.id;
      }
    }
    changes.set(name, value);
  }
  if (email !== undefined) {
    const ef = schema.field('Email');
    if (ef) email = canonicalValue(ef, email);
  }

  const existing = await matchLead(tx, input, opts);
  const now = opts.now;
  if (!existing) {
    const attributes: Record<string, string> = {};
    for (const [k, v] of changes) if (v !== '') attributes[k] = v;
    const lead = await tx.insertLead({
      // A key-only Email still names the new lead's e-mail.
      email: email ?? (r.Email || null),
      foreignSysPersonId: r.ForeignSysPersonId || null,
      foreignSysType: r.ForeignSysPersonId ? (r.ForeignSysType ?? null) : null,
      ownerId: ownerId ?? null,
      attributes,
      createdAt: now,
      updatedAt: now,
    });
    await record(tx, opts, [newLeadActivity(lead.id, now)]);
    if (opts.cookie) await tx.setCookie(opts.cookie, lead.id);
    return { status: 'CREATED', lead };
  }

  const lead: Lead = { ...existing, attributes: { ...existing.attributes } };
  const activities: NewActivity[] = [];
  for (const [k, v] of changes) {
    const old = lead.attributes[k] ?? '';
    if (old === v) continue;
    if (v === '') delete lead.attributes[k];
    else lead.attributes[k] = v;
    activities.push(...changeActivities(lead.id, schema, k, old, v, now));
  }
  if (email !== undefined && email !== (lead.email ?? '')) {
    activities.push(...changeActivities(lead.id, schema, 'Email', lead.email ?? '', email, now));
    lead.email = email === '' ? null : email;
  }
  // Id selected the lead: a ForeignSysPersonId given with it is updated.
  if (r.ForeignSysPersonId && r.ForeignSysPersonId !== lead.foreignSysPersonId) {
    const [holder] = await tx.findLeads({ by: 'FSPID', value: r.ForeignSysPersonId });
    if (holder && holder.id !== lead.id) {
      throw new FieldValueError(`ForeignSysPersonId ${r.ForeignSysPersonId} already belongs to lead ${holder.id}`);
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
