/**
 * What syncMObjects and deleteMObjects share on the bridge: an object refused before REST is asked
 * (FAILED or SKIPPED with a message), and the batching of the others, one REST call per group
 * (opportunities, roles), each outcome at its input place.
 */
import type { MObjAssociation, MObjStatusEnum } from '@mktows/protocol';
import type { ObjectOutcome } from '../domain/mobject-sync.js';
import type { RestRecordResult } from './record-result.js';
import type { RestBody } from './upstream.js';

export class ObjectRefused extends Error {
  constructor(
    message: string,
    readonly status: MObjStatusEnum = 'FAILED',
  ) {
    super(message);
  }
}

/** An object prepared for REST: the call it belongs to and its input record. */
export interface Prepared {
  group: string;
  record: Record<string, unknown>;
}

/**
 * Prepares every object (a thrown ObjectRefused is its outcome, with the object's own id as the
 * emulator echoes it), sends each group's records in one REST call in input order, and answers each
 * sent object from its REST result.
 */
export async function writeObjects(o: {
  count: number;
  idOf: (i: number) => number | null;
  prepare: (i: number) => Promise<Prepared | ObjectOutcome>;
  send: (group: string, input: Record<string, unknown>[]) => Promise<RestBody>;
  answer: (i: number, result: RestRecordResult | undefined, record: Record<string, unknown>) => ObjectOutcome;
}): Promise<ObjectOutcome[]> {
  const out: (ObjectOutcome | undefined)[] = [];
  const groups = new Map<string, { at: number[]; input: Record<string, unknown>[] }>();
  for (let i = 0; i < o.count; i++) {
    try {
      const p = await o.prepare(i);
      if ('status' in p) {
        out.push(p);
        continue;
      }
      const g = groups.get(p.group) ?? { at: [], input: [] };
      groups.set(p.group, g);
      g.at.push(i);
      g.input.push(p.record);
      out.push(undefined);
    } catch (e) {
      if (!(e instanceof ObjectRefused)) throw e;
      out.push({ status: e.status, id: o.idOf(i), error: e.message });
    }
  }
  for (const [group, g] of groups) {
    const results = ((await o.send(group, g.input)).result ?? []) as RestRecordResult[];
    g.at.forEach((i, n) => {
      out[i] = o.answer(i, results[n], g.input[n]);
    });
  }
  return out as ObjectOutcome[];
}

/** The associations of an object by type (as the emulator matches names); another type is refused. */
export function associationsByType(
  list: readonly MObjAssociation[] | undefined,
  allowed: readonly string[],
  refuse: (a: MObjAssociation) => string,
): Map<string, MObjAssociation> {
  const out = new Map<string, MObjAssociation>();
  for (const a of list ?? []) {
    const t = allowed.find((x) => x.toLowerCase() === (a.mObjType ?? '').trim().toLowerCase());
    if (!t) throw new ObjectRefused(refuse(a));
    out.set(t, a);
  }
  return out;
}
