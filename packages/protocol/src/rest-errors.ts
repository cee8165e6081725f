/**
 * The REST error catalogue: every code of Marketo's REST error contract that this server raises,
 * once, beside the SOAP catalogue (faults.ts). Messages are Marketo's own (docs/error-codes.md);
 * `soap` is the SOAP fault the SOAP→REST bridge answers for it (MAPPING.md §3). It drives the
 * server's REST errors, `mktows errors` and docs/errors.md.
 */
import type { FaultCode } from './faults.js';

/** Where the error is reported: the whole response (`errors`) or one record (`reasons`). */
export type RestErrorLevel = 'response' | 'record';
/** How a REST client should react. */
export type RestRetryAdvice =
  | 'reauthenticate' // get a new token, then retry once (601, 602)
  | 'backoff' // retry with exponential backoff (604, 608, 611, 713)
  | 'wait-window' // wait until the oldest call of the 20 s window has left it (606)
  | 'wait-slot' // retry when one of the instance's calls in flight ends (615)
  | 'until-reset' // stop until the daily quota resets (607)
  | 'none'; // fix the request or data; do not retry as is

export interface RestErrorEntry<C extends number = number> {
  readonly code: C;
  /** Marketo's message; `%s` is filled with the value at fault where Marketo's template has one. */
  readonly message: string;
  readonly level: RestErrorLevel;
  readonly retry: RestRetryAdvice;
  /** When this server raises it. */
  readonly trigger: string;
  /** What a client should do. */
  readonly advice: string;
  /**
   * The SOAP fault the bridge answers when retries (per `retry`) did not cure it; absent where each
   * operation maps it its own way. The bridge's upstream.ts reads it from here.
   */
  readonly soap?: FaultCode;
}

function rest<const C extends number>(
  code: C,
  message: string,
  level: RestErrorLevel,
  retry: RestRetryAdvice,
  trigger: string,
  advice: string,
  soap?: FaultCode,
): RestErrorEntry<C> {
  return { code, message, level, retry, trigger, advice, ...(soap !== undefined ? { soap } : {}) };
}

export const REST_ERRORS = [
  rest(
    600,
    'Access token not specified',
    'response',
    'reauthenticate',
    'a REST call carries neither an Authorization: Bearer header nor an access_token parameter, or an empty one',
    'send the token from /identity/oauth/token',
    20014,
  ),
  rest(
    601,
    'Access token invalid',
    'response',
    'reauthenticate',
    'the access token was never issued by this instance (or was removed by an admin reset)',
    'get a new token and retry once',
    20014,
  ),
  rest(
    602,
    'Access token expired',
    'response',
    'reauthenticate',
    'the access token is past its lifetime (--rest-token-ttl) on the server clock',
    'get a new token and retry once',
    20014,
  ),
  rest(
    604,
    'Request time-out',
    'response',
    'backoff',
    'injected through /_mktows/faults only',
    'retry reads with backoff; do not blindly retry writes',
    10001,
  ),
  rest(
    605,
    'HTTP Method not supported',
    'response',
    'none',
    'a REST path called with a method it does not serve (GET on an endpoint that only takes POST)',
    'use the method the endpoint documents',
    20011,
  ),
  rest(
    606,
    "Max rate limit '%s' exceeded with in '%s' secs",
    'response',
    'wait-window',
    'more than --rest-rate-limit calls (100 per 20 s) by all REST clients together in the sliding window',
    'wait until the oldest call of the window is 20 s old, then retry',
    20023,
  ),
  rest(
    607,
    'Daily quota reached',
    'response',
    'until-reset',
    'the instance made --rest-quota-per-day REST calls (50,000) today; the day ends at 00:00 in --quota-timezone',
    'stop until the quota resets',
    20015,
  ),
  rest(
    608,
    'API Temporarily Unavailable',
    'response',
    'backoff',
    'injected through /_mktows/faults only',
    'the call was not performed: retry with backoff, writes too',
    10001,
  ),
  rest(609, 'Invalid JSON', 'response', 'none', 'a JSON body does not parse', 'send valid JSON', 20011),
  rest(
    610,
    'Requested resource not found',
    'response',
    'none',
    'a path under /rest/, /bulk/ or /identity/ matches no endpoint (or not with this method)',
    'check the path and the method',
    20011,
  ),
  rest(
    611,
    'System error',
    'response',
    'backoff',
    'the storage or limits backend failed, or an endpoint failed unexpectedly',
    'retry with backoff; log request and response',
    10001,
  ),
  rest(
    612,
    'Invalid Content Type',
    'response',
    'none',
    'a POST body that is neither application/json nor application/x-www-form-urlencoded (nor multipart where a file is expected)',
    'send Content-Type: application/json',
    20011,
  ),
  rest(
    615,
    'Concurrent access limit reached',
    'response',
    'wait-slot',
    'more than --rest-concurrency REST calls (10) in flight on the instance',
    'retry when one of your calls ends',
    20024,
  ),
  rest(
    713,
    'Transient Error',
    'response',
    'backoff',
    'injected through /_mktows/faults only',
    'wait, then retry with backoff',
    10001,
  ),
  rest(
    1001,
    "Invalid value '%s'. Required of type '%s'",
    'response',
    'none',
    'a parameter has the wrong type (batchSize not an integer, a lead id not a number)',
    'fix the parameter',
    20114,
  ),
  rest(
    1002,
    "Missing value for the required parameter '%s'",
    'response',
    'none',
    'a required parameter (filterType, filterValues) is missing or empty',
    'send the parameter',
    20109,
  ),
  rest(
    1003,
    'Invalid data',
    'response',
    'none',
    'the request is well formed but not acceptable (more than 300 filterValues, batchSize above 300, a nextPageToken issued for another query, a campaign that cannot be triggered or scheduled, more than 100 leads or a bad token name on trigger.json); the message says what',
    'read the message and fix the request',
    20110,
  ),
  rest(
    1004,
    'Lead not found',
    'record',
    'none',
    'updateOnly on a lead that does not exist (record); a lead id to delete, merge or associate that names no lead; trigger.json naming a lead id that does not exist',
    'create the lead first, or use createOrUpdate',
    20103,
  ),
  rest(
    1005,
    'Lead already exists',
    'record',
    'none',
    'createOnly on a record whose lookup value names a lead',
    'use createOrUpdate or updateOnly',
  ),
  rest(
    1006,
    "Field '%s' not found",
    'response',
    'none',
    'a field named in `fields` (or in an input record) is not a lead field of this instance',
    'read /rest/v1/leads/describe.json for the field names',
    20105,
  ),
  rest(
    1007,
    'Multiple leads match the lookup criteria',
    'record',
    'none',
    'createOrUpdate or updateOnly whose lookup value matches several leads',
    'look the lead up by id',
    20106,
  ),
  rest(
    1008,
    "Access denied to partition '%s'",
    'record',
    'none',
    'a lead write names a partitionName other than the one partition, Default',
    'leave partitionName out or send Default',
    20106,
  ),
  rest(
    1011,
    "Field '%s' not supported",
    'response',
    'none',
    'a filterType that is not a searchable lead field',
    'filter on id, email, cookies, an SFDC id or a custom field',
    20102,
  ),
  rest(
    1012,
    "Invalid cookie value '%s'",
    'response',
    'none',
    'associating a lead with a value that is not a Munchkin cookie (id:AAA-BBB-CCC&token:_mch-…); a cookies filter accepts any text, as SOAP lookups do',
    'send the _mkto_trk cookie value',
    20103,
  ),
  rest(
    1013,
    'Object not found',
    'response',
    'none',
    'an object asked for does not exist: a list, campaign or program by id (campaigns/{id}.json, trigger.json, schedule.json, asset program update); an opportunity, role or custom object record to update or delete (record level there); a custom object type',
    'check the id',
    20110,
  ),
  rest(
    1015,
    'Lead not in list',
    'record',
    'none',
    'removing from a static list a lead that is not a member of it',
    'read the list members or ismember.json first; nothing to remove',
  ),
  rest(
    1016,
    'Too many imports',
    'response',
    'backoff',
    'a bulk lead import while 10 REST imports are queued or importing on the instance',
    'wait for an import to end (poll its batch status), then retry',
    20024,
  ),
  rest(
    1017,
    'Object already exists',
    'record',
    'none',
    'createOnly on an opportunity, role or custom object record whose dedupe fields name an existing one',
    'use createOrUpdate or updateOnly',
    20110,
  ),
  rest(
    1019,
    'Import in progress',
    'response',
    'backoff',
    'a bulk lead import into a list that an import (REST or SOAP importToList) is still filling',
    'wait for that import to end, then retry',
    20024,
  ),
  rest(
    1020,
    'Too many clones to program',
    'response',
    'none',
    'schedule.json with cloneToProgramName past the daily clone limit (10 per client and quota day, as scheduleCampaign)',
    'clone fewer programs a day, or wait for the next quota day',
    20110,
  ),
  rest(
    1036,
    'Duplicate object found in input',
    'record',
    'none',
    'two records of one write or delete name the same object (same dedupe fields or marketoGUID); the later ones are skipped',
    'send each object once per call',
    20110,
  ),
  rest(
    1042,
    'Invalid runAt date',
    'response',
    'none',
    'schedule.json with a runAt more than two years ahead',
    'schedule within two years',
    20110,
  ),
] as const;

/** A code of the REST catalogue: any other number is a type error wherever a REST error is made. */
export type RestErrorCode = (typeof REST_ERRORS)[number]['code'];
export type RestErrorDef = RestErrorEntry<RestErrorCode>;

const REST_BY_CODE: ReadonlyMap<number, RestErrorDef> = new Map(REST_ERRORS.map((e) => [e.code, e]));

export function restErrorDef(code: RestErrorCode): RestErrorDef {
  const e = REST_BY_CODE.get(code);
  if (!e) throw new Error(`unknown REST error code ${code}`);
  return e;
}

/** Narrows a number read from outside (the admin API, a command line) to a REST catalogue code. */
export function isRestErrorCode(code: number): code is RestErrorCode {
  return REST_BY_CODE.has(code);
}

/** Marketo's message with its `%s` slots filled in order; slots left without an argument stay `%s`. */
export function restMessage(code: RestErrorCode, ...args: readonly (string | number)[]): string {
  let i = 0;
  return restErrorDef(code).message.replace(/%s/g, (slot) => (i < args.length ? String(args[i++]) : slot));
}

/** The error a REST endpoint throws to end a call with `success: false`; only catalogue codes. */
export class RestError extends Error {
  readonly code: RestErrorCode;
  constructor(code: RestErrorCode, message?: string) {
    super(message ?? restErrorDef(code).message);
    this.name = 'RestError';
    this.code = code;
  }
  /** As Marketo writes it: the code is a quoted string. */
  toJSON(): { code: string; message: string } {
    return { code: String(this.code), message: this.message };
  }
}
