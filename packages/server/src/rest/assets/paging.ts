/** The asset API's paging and answers: offset/maxReturn (default 20, at most 200), a warning when nothing matched. */
import { intParam } from '../request.js';
import type { RestResult } from '../route.js';

export const DEFAULT_MAX_RETURN = 20;
export const MAX_MAX_RETURN = 200;
export const NO_ASSETS = 'No assets found for the given search criteria.';

/** A page of `items`: 1001 for a non-integer maxReturn or offset, 1003 out of range. */
export function assetPage<T>(items: readonly T[], query: URLSearchParams): T[] {
  const max = intParam(query, 'maxReturn', 1, MAX_MAX_RETURN) ?? DEFAULT_MAX_RETURN;
  const offset = intParam(query, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  return items.slice(offset, offset + max);
}

/** Marketo's asset answer: the records, or no `result` and the warning when there are none. */
export function assetResult(records: readonly unknown[]): RestResult {
  return records.length ? { asset: true, result: [...records] } : { asset: true, warnings: [NO_ASSETS] };
}

/** Records updated within [earliestUpdatedAt, latestUpdatedAt] when either is given. */
export function updatedWithin(updatedAt: number, earliest: number | undefined, latest: number | undefined): boolean {
  return (earliest === undefined || updatedAt >= earliest) && (latest === undefined || updatedAt <= latest);
}
