/**
 * What an endpoint group is made of: routes `{ method, path, operationId, handler }`. A group is one
 * file of routes (leads/routes.ts); adding one is that file plus a line in registry.ts.
 */
import type { Runtime } from '../runtime.js';

export type RestMethod = 'GET' | 'POST' | 'DELETE';

export interface RestRequest {
  method: RestMethod;
  /** Path without the query. */
  path: string;
  /** Path parameters from the template (`{id}` → `params.id`). */
  params: Record<string, string>;
  /** Query parameters, and those of a form body (`POST …?_method=GET` carries its query there). */
  query: URLSearchParams;
  /** A JSON body, parsed; undefined when there was none or it was a form. */
  body: unknown;
  /** The raw body and its type, for endpoints that read multipart uploads (bulk import). */
  raw: Buffer;
  contentType: string;
}

export interface RestContext {
  rt: Runtime;
  /** The REST client the access token was issued to. */
  clientId: string;
  /** The server clock at the call's arrival (epoch ms). */
  now: number;
}

/** What an endpoint answers on success; the envelope (requestId, success) is added around it. */
export interface RestResult {
  result?: unknown[];
  /** Writes that answer `{requestId, success}` alone (merge, associate), as Marketo's samples. */
  noResult?: true;
  warnings?: string[];
  moreResult?: boolean;
  nextPageToken?: string;
  /**
   * The asset API's envelope: `errors: []` and `warnings: []` always written, `result` left out
   * when empty (recorded asset responses and the Adobe samples).
   */
  asset?: boolean;
  /** No `result` member when it would be empty: pagingtoken.json and an empty activities page, as recorded. */
  bare?: boolean;
  /** A file answered as is, outside the envelope (bulk import failures and warnings). */
  file?: { contentType: string; text: string };
}

export interface RestRoute {
  method: RestMethod;
  /** Marketo's path, with `{name}` for parameters: `/rest/v1/lead/{leadId}.json`. */
  path: string;
  /** Marketo's swagger operationId: the name used by the journal, the metrics and fault rules. */
  operationId: string;
  /**
   * Why Marketo serves this route although its Swagger does not list it; the operationId is then
   * made the Swagger's way (`<name>Using<METHOD>`).
   */
  unlisted?: string;
  handler(req: RestRequest, ctx: RestContext): Promise<RestResult>;
}
