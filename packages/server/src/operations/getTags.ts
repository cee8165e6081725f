import type { Tag } from '@mktows/protocol';
import { tagCatalogue } from '../domain/tags.js';
import type { Handler } from './context.js';

/**
 * Tag types with their allowed values: the seed's catalogue (`tagTypes`) merged with the tags the
 * programs carry, types sorted by name, values in catalogue order then first use. `tagList`
 * restricts to the named types (case-insensitive) and, where a tag lists values, to those values.
 */
export const getTags: Handler<'getTags'> = async (params, ctx) => {
  const types = await tagCatalogue(ctx.store.campaigns);

  const filters = (params.tagList?.tag ?? []).filter((t) => (t.type ?? '').trim() !== '');
  const out: Tag[] = [];
  for (const [key, t] of [...types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let values = t.values;
    if (filters.length) {
      const f = filters.filter((x) => (x.type ?? '').trim().toLowerCase() === key);
      if (f.length === 0) continue;
      const only = f.flatMap((x) => x.values?.stringItem ?? []).map((v) => v.trim().toLowerCase());
      if (only.length) values = values.filter((v) => only.includes(v.toLowerCase()));
    }
    out.push({ type: t.type, values: { stringItem: values } });
  }
  return { tagList: { tag: out } };
};
