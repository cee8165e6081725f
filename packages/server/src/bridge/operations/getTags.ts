/** getTags on the bridge: the asset API's tag types and their allowed values (MAPPING.md row 15). */
import type { Tag } from '@mktows/protocol';
import { assetGet, assetGetAll } from '../asset-read.js';
import type { BridgeCall } from '../bridge.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/**
 * `allowableValues` arrives as one string, `"[EMEA, North America, APAC]"`. A value that itself
 * holds ", " cannot be told apart from two values: REST gives no other form.
 */
export function parseAllowableValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return [];
  const inner = v.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  return inner === '' ? [] : inner.split(', ').map((x) => x.trim());
}

/** The values of one tag type: from the list entry when it has them, else `tagType/byName` (cached). */
function valuesOf(call: BridgeCall, type: string, listed: unknown): Promise<string[]> {
  if (listed !== undefined) return Promise.resolve(parseAllowableValues(listed));
  return call.bridge.cache<string[]>('tag-values').get(type.toLowerCase(), async () => {
    const [t] = await assetGet(call, '/rest/asset/v1/tagType/byName.json', { name: type });
    return parseAllowableValues(t?.allowableValues);
  });
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const getTags: BridgeOperation<'getTags'> = {
  rest: [
    'GET /rest/asset/v1/tagTypes.json?maxReturn=200&offset=<n> (every page)',
    'GET /rest/asset/v1/tagType/byName.json?name=<type> for each type asked for whose values the list does not carry (cached)',
  ],
  differences: ['A tag value holding ", " reads as two values: REST sends the allowed values as one string "[a, b]".'],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const filters = (params.tagList?.tag ?? []).filter((t) => (t.type ?? '').trim() !== '');
    const types = await assetGetAll(call, '/rest/asset/v1/tagTypes.json');
    const out: Tag[] = [];
    const sorted = types
      .map((t) => ({ type: String(t.tagType ?? ''), listed: t.allowableValues }))
      .filter((t) => t.type !== '')
      .sort((a, b) => byText(a.type.toLowerCase(), b.type.toLowerCase()));
    for (const t of sorted) {
      const key = t.type.toLowerCase();
      let only: string[] = [];
      if (filters.length) {
        const f = filters.filter((x) => (x.type ?? '').trim().toLowerCase() === key);
        if (f.length === 0) continue;
        only = f.flatMap((x) => x.values?.stringItem ?? []).map((v) => v.trim().toLowerCase());
      }
      let values = await valuesOf(call, t.type, t.listed);
      if (only.length) values = values.filter((v) => only.includes(v.toLowerCase()));
      out.push({ type: t.type, values: { stringItem: values } });
    }
    return { tagList: { tag: out } };
  },
};
