/** Conversion between stored leads and the LeadRecord elements of the wire. */
import type { LeadRecord } from '@mktows/protocol';
import type { Lead } from '../store/store.js';
import type { LeadSchema } from './lead-schema.js';

/**
 * A stored lead as a LeadRecord. Empty values are left out (as Marketo did). With `include`,
 * only the named fields are returned, and Email is nil unless named.
 */
export function toLeadRecord(lead: Lead, schema: LeadSchema, include?: ReadonlySet<string>): LeadRecord {
  const attribute: { attrName: string; attrType: string; attrValue: string }[] = [];
  for (const name of schema.attributeOrder) {
    const value = lead.attributes[name];
    if (value === undefined || value === '') continue;
    if (include && !include.has(name)) continue;
    attribute.push({ attrName: name, attrType: schema.typeOf(name) ?? 'string', attrValue: value });
  }
  return {
    Id: lead.id,
    Email: include && !include.has('Email') ? null : lead.email,
    ForeignSysPersonId: lead.foreignSysPersonId,
    ForeignSysType: (lead.foreignSysType as LeadRecord['ForeignSysType']) ?? null,
    leadAttributeList: attribute.length ? { attribute } : null,
  };
}
