/**
 * `POST /rest/v1/leads.json` (syncLeadUsingPOST): createOrUpdate / createOnly / updateOnly /
 * createDuplicate on up to 300 records, one result per record in input order. The REST layer only
 * decides, per record, which lead it updates, or that it creates one, or why it is skipped; the
 * writes go through the SOAP sync code (domain/lead-sync.ts), so the same values are stored and
 * the same New Lead / Change Data Value activities written.
 *
 * Response-level errors (nothing is written): input missing (1002) or not an array of objects,
 * more than 300 records, an unknown action (1003); a lookupField that is not a lead field (1006)
 * or not searchable (1011, the searchable fields of describe2); asyncProcessing not a boolean (1001).
 * Record-level reasons: 1004 (updateOnly, no lead), 1005 (createOnly, a lead exists), 1006 (a
 * field that is not a lead field), 1007 (several leads match), 1008 (a partition other than the
 * default), 1003 (a value of the wrong type, a read-only field, `id` outside updateOnly, a missing
 * lookup value under updateOnly).
 */
import { type Attribute, RestError, restMessage } from '@mktows/protocol';
import { canonicalValue, FieldValueError, type LeadSchema } from '../../domain/lead-schema.js';
import { type SyncInput, syncRecords } from '../../domain/lead-sync.js';
import type { Lead, LeadLookup, StoreTx } from '../../store/store.js';
import { type RestField, restFields } from './lead-fields.js';
import { FILTER_TYPES } from './query.js';

/** The fields a push dedupes on: the filter types that are lead fields (sfdcOpptyId finds leads by role). */
const LOOKUP_FIELDS = Object.fromEntries(
  Object.entries(FILTER_TYPES).filter(([, by]) => by !== 'OPPORTUNITY'),
) as Record<string, Exclude<(typeof FILTER_TYPES)[string], 'OPPORTUNITY'>>;

export const MAX_SYNC_RECORDS = 300;
const ACTIONS = ['createOrUpdate', 'createOnly', 'updateOnly', 'createDuplicate'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * The one partition of this server. Decision: Marketo answers 1008 for a partition the user cannot
 * reach; any other partitionName is such a partition here, so every record is skipped with 1008.
 */
export const DEFAULT_PARTITION = 'Default';

/** The SOAP attribute a searchable key is stored in, for keys that are not REST fields. */
const KEY_ATTRIBUTES: Record<string, string> = {
  sfdcLeadId: 'SFDCLeadId',
  sfdcContactId: 'SFDCContactId',
  sfdcAccountId: 'SFDCAccountId',
};

export type SyncResult =
  | { id: number; status: 'created' | 'updated' }
  | { status: 'skipped'; reasons: { code: string; message: string }[] };

interface Request {
  action: Action;
  lookupField: string;
  partitionName: string | undefined;
  input: Record<string, unknown>[];
}

/** Checks the request as a whole; throws the response-level error, before anything is written. */
export function readSyncRequest(body: unknown, schema: LeadSchema): Request {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new RestError(1002, restMessage(1002, 'input'));
  const b = body as Record<string, unknown>;
  if (b.input === undefined || b.input === null) throw new RestError(1002, restMessage(1002, 'input'));
  if (!Array.isArray(b.input) || b.input.some((r) => r === null || typeof r !== 'object' || Array.isArray(r)))
    throw new RestError(1003, 'input must be an array of lead records');
  if (b.input.length === 0) throw new RestError(1003, 'input holds no lead record');
  if (b.input.length > MAX_SYNC_RECORDS)
    throw new RestError(1003, `Too many records in input: ${b.input.length}; the maximum is ${MAX_SYNC_RECORDS}`);
  const action = b.action ?? 'createOrUpdate';
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action))
    throw new RestError(1003, `Invalid action '${String(action)}'; expected one of ${ACTIONS.join(', ')}`);
  const lookupField = b.lookupField ?? 'email';
  if (typeof lookupField !== 'string') throw new RestError(1006, restMessage(1006, String(lookupField)));
  if (!LOOKUP_FIELDS[lookupField]) {
    if (restFields(schema).has(lookupField)) throw new RestError(1011, restMessage(1011, lookupField));
    throw new RestError(1006, restMessage(1006, lookupField));
  }
  if (b.asyncProcessing !== undefined && typeof b.asyncProcessing !== 'boolean')
    throw new RestError(1001, restMessage(1001, String(b.asyncProcessing), 'Boolean'));
  if (b.partitionName !== undefined && typeof b.partitionName !== 'string')
    throw new RestError(1001, restMessage(1001, String(b.partitionName), 'String'));
  return {
    action: action as Action,
    lookupField,
    partitionName: b.partitionName as string | undefined,
    input: b.input as Record<string, unknown>[],
  };
}

function skipped(code: 1003 | 1004 | 1005 | 1006 | 1007 | 1008, message?: string): SyncResult {
  return { status: 'skipped', reasons: [{ code: String(code), message: message ?? restMessage(code) }] };
}

/** A JSON value as the text the SOAP code converts: null clears the field. */
function textOf(v: unknown): string | undefined {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

// Marketo takes only ASCII addresses (leads.md, Create and Update) of the usual form.
const EMAIL = /^[\x21-\x7e]+@[\x21-\x7e]+\.[\x21-\x7e]+$/;

/** What one record asks for once its fields are checked: the lookup value and the SOAP attributes. */
interface Checked {
  key: string | undefined;
  attributes: Attribute[];
}

/** Marketo's words for a value that does not fit its field (recorded, 2021). */
function badValue(name: string, value: unknown): SyncResult {
  return skipped(1003, `Invalid value for field '${name}' and value '${textOf(value) ?? JSON.stringify(value)}'`);
}

function checkRecord(rec: Record<string, unknown>, req: Request, fields: Map<string, RestField>): Checked | SyncResult {
  let key: string | undefined;
  const attributes: Attribute[] = [];
  for (const [name, value] of Object.entries(rec)) {
    if (name === req.lookupField) {
      const k = textOf(value);
      if (k === undefined) return badValue(name, value);
      key = k.trim() === '' ? undefined : k.trim();
    }
    if (name === 'id' && req.action !== 'updateOnly')
      return skipped(1003, `Field 'id' is allowed only with action updateOnly`);
    const keyAttribute = KEY_ATTRIBUTES[name];
    if (name === req.lookupField && (name === 'cookies' || keyAttribute)) {
      if (keyAttribute && key !== undefined) attributes.push({ attrName: keyAttribute, attrValue: key });
      continue;
    }
    const f = fields.get(name);
    if (!f?.def) {
      if (f) return skipped(1003, `Field '${name}' is read-only`);
      return skipped(1006, restMessage(1006, name));
    }
    if (f.def.name === 'Id') continue;
    if (f.readOnly) return skipped(1003, `Field '${name}' is read-only`);
    const text = textOf(value);
    if (text === undefined) return badValue(name, value);
    try {
      canonicalValue(f.def, text);
    } catch (e) {
      if (e instanceof FieldValueError) return badValue(name, value);
      throw e;
    }
    if (f.dataType === 'email' && text.trim() !== '' && !EMAIL.test(text.trim())) return badValue(name, value);
    attributes.push({ attrName: f.def.name, attrValue: text });
  }
  if (req.action === 'updateOnly' && key === undefined)
    return skipped(1003, `Value for lookup field '${req.lookupField}' not specified`);
  return { key, attributes };
}

function lookupOf(lookupField: string, key: string): LeadLookup | undefined {
  const by = LOOKUP_FIELDS[lookupField];
  if (by === 'IDNUM') return /^\d{1,10}$/.test(key) ? { by, value: Number(key) } : undefined;
  return { by, value: key };
}

/** What a record will do: update this lead, create one, or be skipped. */
type Plan = { update: Lead } | { create: true } | SyncResult;

async function plan(tx: StoreTx, req: Request, c: Checked): Promise<Plan> {
  if (req.action === 'createDuplicate' || c.key === undefined) return { create: true };
  const lookup = lookupOf(req.lookupField, c.key);
  const found = lookup ? await tx.findLeads(lookup) : [];
  switch (req.action) {
    case 'createOnly':
      return found.length ? skipped(1005) : { create: true };
    case 'updateOnly':
      if (found.length === 0) return skipped(1004);
      return found.length > 1 ? skipped(1007) : { update: found[0] };
    default:
      if (found.length > 1) return skipped(1007);
      return found.length ? { update: found[0] } : { create: true };
  }
}

/**
 * Applies the records in order. A record's lookup is made against the leads as the records before
 * it left them: runs of records with distinct lookup values are planned and then written together,
 * and a record repeating a value of its run starts the next run (so a second record with the same
 * e-mail updates the lead the first one created, as record-by-record processing would).
 */
export async function syncLeads(tx: StoreTx, schema: LeadSchema, req: Request, now: number): Promise<SyncResult[]> {
  const fields = restFields(schema);
  const results: SyncResult[] = new Array(req.input.length);
  if (req.partitionName !== undefined && req.partitionName !== DEFAULT_PARTITION) {
    return results.fill(skipped(1008, restMessage(1008, req.partitionName)));
  }
  const checked = req.input.map((r) => checkRecord(r, req, fields));
  let start = 0;
  while (start < checked.length) {
    const seen = new Set<string>();
    let end = start;
    for (; end < checked.length; end++) {
      const c = checked[end];
      if ('status' in c || c.key === undefined || req.action === 'createDuplicate') continue;
      const k = req.lookupField === 'email' ? c.key.toLowerCase() : c.key;
      if (seen.has(k)) break;
      seen.add(k);
    }
    await syncRun(tx, schema, req, checked, results, start, end, now);
    start = end;
  }
  return results;
}

async function syncRun(
  tx: StoreTx,
  schema: LeadSchema,
  req: Request,
  checked: readonly (Checked | SyncResult)[],
  results: SyncResult[],
  start: number,
  end: number,
  now: number,
): Promise<void> {
  const inputs: SyncInput[] = [];
  const at: number[] = [];
  const cookies: (string | undefined)[] = [];
  for (let i = start; i < end; i++) {
    const c = checked[i];
    if ('status' in c) {
      results[i] = c;
      continue;
    }
    const p = await plan(tx, req, c);
    if ('status' in p) {
      results[i] = p;
      continue;
    }
    const leadAttributeList = { attribute: c.attributes };
    inputs.push({
      record: 'update' in p ? { Id: p.update.id, leadAttributeList } : { leadAttributeList },
      values: c.attributes.map((a) => [a.attrName, a.attrValue ?? '']),
    });
    at.push(i);
    cookies.push(req.lookupField === 'cookies' && 'create' in p ? c.key : undefined);
  }
  if (inputs.length === 0) return;
  // Never deduplicated by e-mail here: the plan has already named the lead each update goes to.
  const statuses = await syncRecords(tx, schema, inputs, { now, dedup: false });
  for (let j = 0; j < statuses.length; j++) {
    const s = statuses[j];
    const cookie = cookies[j];
    if (s.status === 'FAILED') results[at[j]] = skipped(1003, s.error ?? undefined);
    else {
      results[at[j]] = { id: s.leadId, status: s.status === 'CREATED' ? 'created' : 'updated' };
      if (cookie !== undefined) await tx.setCookie(cookie, s.leadId);
    }
  }
}
