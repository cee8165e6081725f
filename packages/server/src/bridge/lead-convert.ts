/**
 * Leads between REST JSON and SOAP LeadRecords, through the instance's own describe (LeadFieldMap).
 * A record shows what the emulator shows for the same lead: `Id` and `Email` as elements, every
 * other field with a SOAP name and a value as an attribute named by its SOAP name, typed by its
 * describe dataType, sorted as Marketo sorts them; empty values are left out; REST-only fields
 * (createdAt, cookies…) are not shown.
 */
import { echo, FAULT, type LeadKeyRef, type LeadRecord, MktowsFault } from '@mktows/protocol';
import { compareAttrNames } from '../domain/lead-schema.js';
import type { LeadFieldMap } from './lead-field-map.js';

/** SOAP lead key types → REST `filterType` (MAPPING.md B2). LEADOWNEREMAIL has none. */
export const LEAD_FILTER_TYPES: Readonly<Partial<Record<LeadKeyRef, string>>> = {
  IDNUM: 'id',
  EMAIL: 'email',
  COOKIE: 'cookies',
  SFDCLEADID: 'sfdcLeadId',
  SFDCCONTACTID: 'sfdcContactId',
  SFDCACCOUNTID: 'sfdcAccountId',
  SFDCLEADOWNERID: 'sfdcLeadOwnerId',
  SFDCOPPTYID: 'sfdcOpptyId',
};

const KEY_TYPES: ReadonlySet<string> = new Set([...Object.keys(LEAD_FILTER_TYPES), 'LEADOWNEREMAIL']);

/** The REST filter of a SOAP lead key: 20102 for a type outside the enum, 20110 where REST has no filter. */
export function leadFilterOf(keyType: string): string {
  if (!KEY_TYPES.has(keyType))
    throw new MktowsFault(FAULT.LEAD_KEY_BAD, `Lead key type "${echo(keyType)}" is not valid`);
  const f = LEAD_FILTER_TYPES[keyType as LeadKeyRef];
  if (!f) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `Lead key type ${keyType} has no equivalent in Marketo's REST API; the bridge cannot look leads up by it`,
    );
  }
  return f;
}

/** The `fields` a read asks for: every REST name that has a SOAP name (Id and Email included). */
export function soapReadFields(map: LeadFieldMap, only?: readonly string[]): string[] {
  const fields = only ? only.map((n) => map.bySoap(n)).filter((f) => f !== undefined) : map.soapFields();
  const names = new Set(['id', 'email']);
  for (const f of fields) names.add(f.rest);
  return [...names];
}

/** A REST value as the SOAP attrValue text the emulator stores: booleans 1/0, datetimes `+00:00`. */
export function soapValueOf(dataType: string, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  if (dataType === 'boolean') return text === 'true' || text === '1' ? '1' : '0';
  if (dataType === 'datetime') {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (m) return `${m[1]}T${m[2]}${!m[3] || m[3] === 'Z' || /^[+-]00:?00$/.test(m[3]) ? '+00:00' : m[3]}`;
  }
  return text;
}

/** A REST lead (`leads.json` result item) as a SOAP LeadRecord. `include` limits the attributes (SOAP names). */
export function leadRecordOf(
  lead: Record<string, unknown>,
  map: LeadFieldMap,
  include?: ReadonlySet<string>,
): LeadRecord {
  const attribute: { attrName: string; attrType: string; attrValue: string }[] = [];
  for (const [rest, value] of Object.entries(lead)) {
    if (rest === 'id' || rest === 'email') continue;
    const f = map.byRest(rest);
    if (!f?.soap || f.soap === 'Id' || f.soap === 'Email') continue;
    if (include && !include.has(f.soap)) continue;
    const text = soapValueOf(f.dataType, value);
    if (text === undefined) continue;
    attribute.push({ attrName: f.soap, attrType: f.dataType, attrValue: text });
  }
  attribute.sort((a, b) => compareAttrNames(a.attrName, b.attrName));
  const email = typeof lead.email === 'string' && lead.email !== '' ? lead.email : null;
  return {
    Id: Number(lead.id),
    Email: include && !include.has('Email') ? null : email,
    ForeignSysPersonId: null,
    ForeignSysType: null,
    leadAttributeList: attribute.length ? { attribute } : null,
  };
}
