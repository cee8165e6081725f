/**
 * SOAP LeadRecords as REST `POST /rest/v1/leads.json` records (syncLead, syncMultipleLeads; MAPPING.md
 * rows 3–4). The checks that fail a whole SOAP call come first and answer as the emulator's
 * validateRecord: no key (20104), unknown fields (20105, every one named). Then the key picks the
 * REST call: an Id updates that lead (`updateOnly` on `id`, the only action REST allows `id` with),
 * otherwise the e-mail is the lookup field. ForeignSysPersonId has no REST field: such a record is
 * refused with 20110 (a decision: the SOAP key would pick another lead than any REST lookup would).
 */
import { echoList, FAULT, type LeadRecord, MktowsFault } from '@mktows/protocol';
import { canonicalValue } from '../domain/lead-schema.js';
import type { LeadFieldType } from '../store/store.js';
import type { BridgeCall } from './bridge.js';
import type { BridgeLeadField, LeadFieldMap } from './lead-field-map.js';
import { findLeadsByKey } from './lead-lookup.js';
import type { RestBody } from './upstream.js';

/** The two ways a record reaches REST: by its Id, or by its e-mail. */
export type LookupGroup = 'id' | 'email';

export interface RestWrite {
  group: LookupGroup;
  /** The REST record: REST field names → JSON values. */
  record: Record<string, unknown>;
}

/** A REST `POST leads.json` result item. */
export interface RestSyncResult {
  id?: number;
  status?: string;
  reasons?: { code?: string | number; message?: string }[];
}

/** The first REST reason of a skipped record: its code (a number) and message. */
export function reasonOf(r: RestSyncResult | undefined): { code: number; message: string } {
  const first = r?.reasons?.[0];
  return { code: Number(first?.code ?? 0), message: first?.message ?? 'the record was skipped' };
}

/** The body of `POST /rest/v1/leads.json` for records of one group. */
export function syncBody(group: LookupGroup, dedup: boolean, input: Record<string, unknown>[]): unknown {
  if (group === 'id') return { action: 'updateOnly', lookupField: 'id', input };
  return { action: dedup ? 'createOrUpdate' : 'createDuplicate', lookupField: 'email', input };
}

/** Result items of a sync answer, one per input record. */
export function syncResults(body: RestBody): RestSyncResult[] {
  return (body.result ?? []) as RestSyncResult[];
}

/** A SOAP attribute value as REST JSON: an empty value clears the field (null), booleans are JSON booleans. */
function restValue(dataType: string, text: string): unknown {
  if (text === '') return null;
  if (dataType === 'boolean') {
    const t = text.trim().toLowerCase();
    if (t === '1' || t === 'true') return true;
    if (t === '0' || t === 'false') return false;
  }
  return text;
}

export interface WriteOptions {
  /**
   * syncMultipleLeads: an Email element beside Id is only a key, and the e-mail changes only when an
   * Email attribute says so (the emulator's rule). syncLead writes it.
   */
  emailKeyOnly: boolean;
  /** syncLead's marketoCookie: a key of its own. */
  cookie?: string;
}

/** The e-mail a record is keyed by: the element, else the last non-empty Email attribute. */
function keyEmail(r: LeadRecord): string {
  if (r.Email != null && r.Email !== '') return r.Email;
  let email = '';
  for (const a of r.leadAttributeList?.attribute ?? []) if (a.attrName === 'Email' && a.attrValue) email = a.attrValue;
  return email;
}

/**
 * A value checked as the emulator converts it (its type and length from describe): a value REST
 * would refuse fails with the emulator's words (FieldValueError), before anything is written.
 */
function checkValue(f: BridgeLeadField, text: string): void {
  canonicalValue(
    {
      name: f.soap ?? f.rest,
      displayName: f.displayName,
      dataType: f.dataType as LeadFieldType,
      ...(f.length !== undefined ? { length: f.length } : {}),
      readOnly: false,
      custom: false,
    },
    text,
  );
}

/**
 * Checks a record as the emulator does and makes its REST record. Throws 20104 (no key), 20105
 * (unknown fields), 20110 for a ForeignSysPersonId and, last, FieldValueError for a value that its
 * field's type refuses.
 */
export function restWriteOf(
  r: LeadRecord | undefined,
  map: LeadFieldMap,
  where: string,
  opts: WriteOptions,
): RestWrite {
  if (!r) throw new MktowsFault(FAULT.LEAD_DETAIL_REQUIRED, `${where}: leadRecord is required`);
  const email = keyEmail(r);
  const fsp = r.ForeignSysPersonId ?? '';
  if (r.Id == null && email === '' && fsp === '' && !opts.cookie)
    throw new MktowsFault(
      FAULT.LEAD_DETAIL_REQUIRED,
      `${where}: leadRecord needs one of Id, Email or ForeignSysPersonId`,
    );
  const record: Record<string, unknown> = {};
  if (r.Id != null) record.id = r.Id;
  if (r.Id == null ? email !== '' : !opts.emailKeyOnly && r.Email != null)
    record.email = r.Id == null ? email : r.Email;
  const unknown: string[] = [];
  const values: [BridgeLeadField, string][] = [];
  for (const a of r.leadAttributeList?.attribute ?? []) {
    const f = map.bySoapExact(a.attrName);
    if (!f) {
      unknown.push(a.attrName);
      continue;
    }
    // Id is the key, never a value to write (the emulator skips it too).
    if (f.soap === 'Id') continue;
    values.push([f, a.attrValue ?? '']);
    record[f.rest] = restValue(f.dataType, a.attrValue ?? '');
  }
  if (unknown.length)
    throw new MktowsFault(FAULT.LEAD_ATTRIBUTE_BAD, `${where} failed: unknown fields for import: ${echoList(unknown)}`);
  if (fsp !== '') {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `${where}: ForeignSysPersonId has no equivalent in Marketo's REST API; the bridge cannot match or write leads by it`,
    );
  }
  for (const [f, text] of values) checkValue(f, text);
  return { group: r.Id != null ? 'id' : 'email', record };
}

/** A FAILED record's error: REST's reason as "<code> <message>"; a missing Id (1004) in the emulator's words. */
export function failedText(result: RestSyncResult | undefined, id: unknown): string {
  const { code, message } = reasonOf(result);
  return code === 1004 ? `No lead found with IDNUM = ${id}` : `${code} ${message}`;
}

/**
 * REST skips a record whose e-mail several leads share (1007); the emulator updates the newest of
 * them (updated last, then highest id). Such a record is written again by that lead's id, and its
 * new result answers; any other result is kept. `written` lists the leads the SOAP call wrote so
 * far, in order: the last of them is the newest (REST's updatedAt has whole seconds only).
 */
export async function writeAmbiguous(
  call: BridgeCall,
  record: Record<string, unknown>,
  result: RestSyncResult | undefined,
  written: readonly number[] = [],
): Promise<RestSyncResult | undefined> {
  if (reasonOf(result).code !== 1007 || typeof record.email !== 'string') return result;
  const found = await findLeadsByKey(call, 'EMAIL', record.email);
  const lastWrite = (id: number) => written.lastIndexOf(id);
  const newest = found.reduce<(typeof found)[number] | undefined>(
    (best, l) => (best === undefined || lastWrite(l.id) > lastWrite(best.id) ? l : best),
    undefined,
  );
  if (!newest) return result;
  const body = await call.rest({
    method: 'POST',
    path: '/rest/v1/leads.json',
    json: syncBody('id', true, [{ ...record, id: newest.id }]),
  });
  return syncResults(body)[0];
}
