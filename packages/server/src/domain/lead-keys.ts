/** Resolving LeadKeys (and merge keys) to stored leads. */
import { echo, FAULT, type LeadKeyRef, MktowsFault } from '@mktows/protocol';
import type { Lead, LeadLookup, LeadReader, PagedLead } from '../store/store.js';

const LEAD_KEY_REFS: ReadonlySet<string> = new Set([
  'IDNUM',
  'COOKIE',
  'EMAIL',
  'LEADOWNEREMAIL',
  'SFDCACCOUNTID',
  'SFDCCONTACTID',
  'SFDCLEADID',
  'SFDCLEADOWNERID',
  'SFDCOPPTYID',
]);

export function assertLeadKeyRef(keyType: string): asserts keyType is LeadKeyRef {
  if (!LEAD_KEY_REFS.has(keyType))
    throw new MktowsFault(FAULT.LEAD_KEY_BAD, `Lead key type "${echo(keyType)}" is not valid`);
}

/**
 * The lookup for a key, or undefined when no lead can match (an IDNUM that is not a number, an
 * opportunity id before opportunities exist). Owner keys name an owner that must exist (20108).
 */
export async function leadLookup(
  reader: LeadReader,
  keyType: LeadKeyRef,
  keyValue: string,
): Promise<LeadLookup | undefined> {
  const v = keyValue.trim();
  switch (keyType) {
    case 'IDNUM':
      return /^\d{1,10}$/.test(v) ? { by: 'IDNUM', value: Number(v) } : undefined;
    case 'EMAIL':
    case 'COOKIE':
    case 'SFDCLEADID':
    case 'SFDCCONTACTID':
    case 'SFDCACCOUNTID':
      return { by: keyType, value: keyType === 'COOKIE' ? keyValue : v };
    case 'LEADOWNEREMAIL':
    case 'SFDCLEADOWNERID': {
      const owner = await reader.findOwner(keyType === 'LEADOWNEREMAIL' ? 'email' : 'sfdcId', v);
      if (!owner) throw new MktowsFault(FAULT.LEAD_OWNER_NOT_FOUND, `No lead owner found with ${keyType} = ${echo(v)}`);
      return { by: 'OWNER', ownerId: owner.id };
    }
    case 'SFDCOPPTYID':
      // Leads reach an opportunity (named by its external key, the CRM id) through person roles.
      return { by: 'OPPORTUNITY', value: v };
  }
}

/** Leads matching a key, newest first; 20103 when there are none. */
export function findLeadsByKey(reader: LeadReader, keyType: string, keyValue: string): Promise<Lead[]> {
  return findByKey(reader, keyType, keyValue, (lookup) => reader.findLeads(lookup));
}

/** The same leads as stored (attributes as JSON text), for writing their records without parsing them. */
export function findStoredLeadsByKey(reader: LeadReader, keyType: string, keyValue: string): Promise<PagedLead[]> {
  return findByKey(reader, keyType, keyValue, (lookup) => reader.findStoredLeads(lookup));
}

async function findByKey<T>(
  reader: LeadReader,
  keyType: string,
  keyValue: string,
  find: (lookup: LeadLookup) => Promise<T[]>,
): Promise<T[]> {
  assertLeadKeyRef(keyType);
  const lookup = await leadLookup(reader, keyType, keyValue);
  const leads = lookup ? await find(lookup) : [];
  if (leads.length === 0)
    throw new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with ${keyType} = ${echo(keyValue)}`);
  return leads;
}
