/** Marketo's REST response envelope: `{requestId, success, result?, errors?, warnings?, moreResult?, nextPageToken?}`. */
import { randomBytes } from 'node:crypto';
import type { RestError } from '@mktows/protocol';
import type { RestResult } from './route.js';

/**
 * A request id as Marketo writes them: a short hex number, `#`, then the time in hex ms
 * (recorded: `e42b#14272d07d78`, `13a14#149c9fca60e`).
 */
export function requestId(now: number): string {
  return `${randomBytes(3).readUIntBE(0, 3).toString(16).slice(0, 5)}#${now.toString(16)}`;
}

export function successBody(id: string, r: RestResult): Record<string, unknown> {
  if (r.asset)
    return {
      success: true,
      errors: [],
      requestId: id,
      warnings: r.warnings ?? [],
      ...(r.result?.length ? { result: r.result } : {}),
    };
  return {
    requestId: id,
    // Marketo always sends `result` on success of a read, even empty.
    ...(r.noResult || (r.bare && !r.result?.length) ? {} : { result: r.result ?? [] }),
    success: true,
    ...(r.warnings?.length ? { warnings: r.warnings } : {}),
    ...(r.moreResult !== undefined ? { moreResult: r.moreResult } : {}),
    ...(r.nextPageToken !== undefined ? { nextPageToken: r.nextPageToken } : {}),
  };
}

export function errorBody(id: string, error: RestError): Record<string, unknown> {
  return { requestId: id, success: false, errors: [error.toJSON()] };
}
