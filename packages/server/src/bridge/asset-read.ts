/**
 * Reads of the asset API (`/rest/asset/v1/…`): it pages by offset/maxReturn (at most 200) and
 * answers "nothing found" as success without `result` and a warning, never as an error
 * (MAPPING.md B4, B6). These helpers read one page or every page as plain records.
 */
import type { BridgeCall } from './bridge.js';
import type { QueryValue } from './upstream.js';

/** The asset API's largest page. */
export const ASSET_MAX_RETURN = 200;

export type AssetRecord = Record<string, unknown>;

/** One asset read: its records, `[]` when Marketo found none. */
export async function assetGet(
  call: BridgeCall,
  path: string,
  query: Readonly<Record<string, QueryValue>> = {},
): Promise<AssetRecord[]> {
  const body = await call.rest({ method: 'GET', path, query });
  return (body.result ?? []) as AssetRecord[];
}

/** Every record of a browse endpoint, page by page until a page comes back short. */
export async function assetGetAll(
  call: BridgeCall,
  path: string,
  query: Readonly<Record<string, QueryValue>> = {},
): Promise<AssetRecord[]> {
  const out: AssetRecord[] = [];
  for (let offset = 0; ; offset += ASSET_MAX_RETURN) {
    const page = await assetGet(call, path, { ...query, maxReturn: ASSET_MAX_RETURN, offset });
    out.push(...page);
    if (page.length < ASSET_MAX_RETURN) return out;
  }
}
