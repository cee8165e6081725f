/**
 * A custom object type as the bridge learns it from `GET /rest/v1/customobjects/{apiName}/describe.json`
 * (cached): its dedupe fields (SOAP's key attributes), its other fields and its link to leads.
 * SOAP's `MKTOID` key names the lead a record belongs to; REST calls that field whatever the type
 * declares (a `parent` relationship to Lead, often `leadId`), so `MKTOID` maps to it when the type
 * has no field of that name, and the link field reads back as `MKTOID`.
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import { matchName } from '../domain/mobjects.js';
import type { BridgeCall } from './bridge.js';
import type { RestBody, UpstreamRequest } from './upstream.js';

const LINK_KEY = 'MKTOID';

/** REST fields every record has that are no SOAP attribute. */
const SYSTEM_FIELDS = new Set(['marketoGUID', 'createdAt', 'updatedAt']);

export interface CustomObjectField {
  readonly rest: string;
  readonly soap: string;
  readonly dataType: string;
}

export class BridgeCustomObjectType {
  readonly name: string;
  /** The dedupe fields, in describe order: SOAP's keys. */
  readonly keys: readonly CustomObjectField[];
  /** The other fields: SOAP's attributes. */
  readonly fields: readonly CustomObjectField[];
  /** REST field names a single-field filter may use. */
  readonly searchable: ReadonlySet<string>;

  constructor(describe: Record<string, unknown>) {
    this.name = String(describe.name ?? '');
    const link = (
      (describe.relationships ?? []) as { field?: string; type?: string; related?: { name?: string } }[]
    ).find((r) => r.type === 'parent' && r.related?.name?.toLowerCase() === 'lead')?.field;
    const raw = ((describe.fields ?? []) as { name?: string; dataType?: string }[]).filter(
      (f) => typeof f.name === 'string' && f.name !== '' && !SYSTEM_FIELDS.has(f.name),
    );
    const names = raw.map((f) => f.name as string);
    // The link field is MKTOID over SOAP, unless the type has a field of that name of its own.
    const soapOf = (rest: string) => (rest === link && !names.includes(LINK_KEY) ? LINK_KEY : rest);
    const all = raw.map((f) => ({
      rest: f.name as string,
      soap: soapOf(f.name as string),
      dataType: String(f.dataType ?? 'string'),
    }));
    const dedupe = ((describe.dedupeFields ?? []) as unknown[]).map(String);
    this.keys = dedupe.map((d) => all.find((f) => f.rest === d)).filter((f) => f !== undefined);
    this.fields = all.filter((f) => !dedupe.includes(f.rest));
    this.searchable = new Set(
      ((describe.searchableFields ?? []) as unknown[][]).filter((s) => s.length === 1).map((s) => String(s[0])),
    );
  }

  /** A key by its SOAP name (case-insensitive, as the emulator matches them). */
  key(soapName: string): CustomObjectField | undefined {
    return byName(this.keys, soapName);
  }

  field(soapName: string): CustomObjectField | undefined {
    return byName(this.fields, soapName);
  }
}

function byName(list: readonly CustomObjectField[], soapName: string): CustomObjectField | undefined {
  const found = matchName(
    list.map((f) => f.soap),
    soapName ?? '',
  );
  return list.find((f) => f.soap === found);
}

/**
 * A REST call about one custom object type: 1013 (no such type) is SOAP's 20110 with the
 * emulator's words, 1026 and 616 (custom objects not enabled on the instance) 20013.
 */
export async function customObjectRest(call: BridgeCall, apiName: string, req: UpstreamRequest): Promise<RestBody> {
  try {
    return await call.rest(req);
  } catch (e) {
    const code = (e as { restCode?: number }).restCode;
    if (code === 1013) throw unknownType(apiName);
    if (code === 1026 || code === 616) {
      throw new MktowsFault(
        FAULT.ACCESS_DENIED,
        `Custom objects are not enabled on the Marketo instance (REST ${code})`,
      );
    }
    throw e;
  }
}

function unknownType(name: string): MktowsFault {
  return new MktowsFault(FAULT.BAD_PARAMETER, `Object name is not valid: "${echo(name)}"`);
}

export const customObjectPath = (apiName: string) => `/rest/v1/customobjects/${encodeURIComponent(apiName.trim())}`;

/** The type an objTypeName names, from its describe (cached by name); 20110 when there is none. */
export function customObjectType(call: BridgeCall, objTypeName: string): Promise<BridgeCustomObjectType> {
  const name = (objTypeName ?? '').trim();
  if (name === '') return Promise.reject(unknownType(objTypeName ?? ''));
  return call.bridge.cache<BridgeCustomObjectType>('custom-object-types').get(name, async () => {
    const body = await customObjectRest(call, name, { method: 'GET', path: `${customObjectPath(name)}/describe.json` });
    const d = (body.result ?? [])[0] as Record<string, unknown> | undefined;
    if (!d) throw unknownType(name);
    return new BridgeCustomObjectType(d);
  });
}

/** A REST value as SOAP attribute text: booleans true/false, everything else as written. */
export function customObjectText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}
