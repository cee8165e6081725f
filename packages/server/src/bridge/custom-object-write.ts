/**
 * What syncCustomObjects and deleteCustomObjects share on the bridge: the per-call checks the
 * emulator makes (20109 for none, 20110 over 100), a key list checked and made a REST record, and
 * the REST results put back in input order beside the records refused before the call.
 */
import { type Attribute, FAULT, MktowsFault, type SyncCustomObjStatus } from '@mktows/protocol';
import { wireAttributes } from '../domain/custom-objects.js';
import type { BridgeCustomObjectType } from './custom-object-type.js';
import type { RestRecordResult } from './record-result.js';
import type { RestBody } from './upstream.js';

/** Records per call, as the emulator (and Marketo's SOAP API) take them. */
export const MAX_CUSTOM_OBJECTS = 100;

export function checkRecordCount(n: number, op: string, what: string, holder: string): void {
  if (n === 0) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${op}: ${holder} holds no ${what}`);
  if (n > MAX_CUSTOM_OBJECTS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `${op}: ${n} ${what === 'customObj' ? 'custom objects' : 'key lists'} exceed the limit of ${MAX_CUSTOM_OBJECTS} per call`,
    );
  }
}

/** A record refused before REST is asked: FAILED with the emulator's words. */
export class RecordRefused extends Error {}

/** A key list as REST dedupe fields; every key is required, as on the emulator. */
export function keyRecord(type: BridgeCustomObjectType, list: readonly Attribute[]): Record<string, string> {
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const a of list) {
    const k = type.key(a.attrName ?? '');
    if (!k) unknown.push(a.attrName);
    else out[k.rest] = (a.attrValue ?? '').trim();
  }
  if (unknown.length) throw new RecordRefused(`Unknown key attribute list: ${unknown.join(', ')}`);
  const missing = type.keys.filter((k) => (out[k.rest] ?? '') === '').map((k) => k.soap);
  if (missing.length) throw new RecordRefused(`Missing key attribute list: ${missing.join(', ')}`);
  return out;
}

/** The echo of a key list in a status, as given. */
export function keyEcho(list: readonly Attribute[]): { attribute: Attribute[] } {
  return { attribute: wireAttributes(list.map((a) => [a.attrName, a.attrValue ?? ''])) };
}

/**
 * One write of a batch: each record is prepared here (a RecordRefused makes it FAILED without
 * asking REST), the others go to REST in one call, and each status lands at its input place.
 */
export async function writeRecords(o: {
  count: number;
  prepare: (i: number) => Record<string, string>;
  failed: (i: number, message: string) => SyncCustomObjStatus;
  send: (input: Record<string, string>[]) => Promise<RestBody>;
  answer: (i: number, result: RestRecordResult | undefined, sent: Record<string, string>) => SyncCustomObjStatus;
}): Promise<SyncCustomObjStatus[]> {
  const out: (SyncCustomObjStatus | undefined)[] = [];
  const input: Record<string, string>[] = [];
  const sentAt: number[] = [];
  for (let i = 0; i < o.count; i++) {
    try {
      input.push(o.prepare(i));
      sentAt.push(i);
      out.push(undefined);
    } catch (e) {
      if (!(e instanceof RecordRefused)) throw e;
      out.push(o.failed(i, e.message));
    }
  }
  if (input.length) {
    const results = ((await o.send(input)).result ?? []) as RestRecordResult[];
    sentAt.forEach((i, n) => {
      out[i] = o.answer(i, results[n], input[n]);
    });
  }
  return out as SyncCustomObjStatus[];
}
