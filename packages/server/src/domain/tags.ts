/** Program tag types and their values, as SOAP getTags and the asset tagTypes endpoints read them. */
import type { CampaignReads, TagType } from '../store/campaign-store.js';

/**
 * The seed's catalogue (`tagTypes`) merged with the tags programs carry: by lower-cased type, in
 * catalogue order then first use, values in catalogue order then first use.
 */
export async function tagCatalogue(reads: CampaignReads): Promise<Map<string, TagType>> {
  const types = new Map<string, TagType>();
  const add = (type: string, value?: string) => {
    const key = type.toLowerCase();
    let t = types.get(key);
    if (!t) {
      t = { type, values: [] };
      types.set(key, t);
    }
    if (value !== undefined && !t.values.includes(value)) t.values.push(value);
  };
  for (const t of await reads.listTagTypes()) {
    add(t.type);
    for (const v of t.values) add(t.type, v);
  }
  for (const p of await reads.listPrograms()) for (const t of p.tags) add(t.type, t.value);
  return types;
}
