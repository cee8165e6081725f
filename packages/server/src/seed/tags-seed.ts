/**
 * The seed's `tagTypes` section: the catalogue of program tag types and their allowed values that
 * getTags serves (with the tags programs carry): `[{ "type": "Region", "values": ["EMEA", …] }]`.
 */
import type { TagType } from '../store/campaign-store.js';
import type { StoreTx } from '../store/store.js';
import { SeedError } from './seed-document.js';

export function parseTagTypeSeed(doc: Record<string, unknown>): TagType[] {
  const v = doc.tagTypes;
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError('seed: "tagTypes" must be an array');
  return v.map((t: unknown, i) => {
    const o = t as { type?: unknown; values?: unknown } | null;
    if (!o || typeof o !== 'object' || typeof o.type !== 'string' || o.type.trim() === '') {
      throw new SeedError(`seed: tagTypes[${i}].type must be a non-empty string`);
    }
    const values = o.values ?? [];
    if (!Array.isArray(values) || values.some((x) => typeof x !== 'string' || x.trim() === '')) {
      throw new SeedError(`seed: tagTypes[${i}].values must be an array of non-empty strings`);
    }
    return { type: o.type, values: [...new Set(values as string[])] };
  });
}

export async function applyTagTypeSeed(tx: StoreTx, tagTypes: readonly TagType[]): Promise<number> {
  for (const t of tagTypes) await tx.campaigns.upsertTagType(t);
  return tagTypes.length;
}
