/**
 * The error catalogue: every code of the error contract, once. It drives the server's faults, the
 * client's error classes and retry policy, docs/errors.md and `mktows errors`.
 */
import { capDetail } from './fault-echo.js';
import { escapeText } from './xml/escape.js';

export type FaultSide = 'Client' | 'Server';
export type FaultCategory = 'auth' | 'limit' | 'not-found' | 'invalid-request' | 'stream' | 'server';
/** How a client should react; the client SDK's retry policy switches on this. */
export type RetryAdvice =
  | 'backoff' // retry with full-jitter exponential backoff (10001, 20011)
  | 'resign' // sign again with a fresh timestamp, retry at once (20016)
  | 'wait-window' // wait until the oldest call in the window is 20 s old (20023)
  | 'wait-slot' // retry when one of the caller's calls finishes (20024)
  | 'until-reset' // stop until the daily quota resets (20015)
  | 'restart-stream' // start paging again (20122)
  | 'end-stream' // stop paging (20123)
  | 'none'; // do not retry; fix the request, data or credentials

/** One code of the catalogue; `C` and `N` keep its code and name as literal types. */
export interface FaultEntry<C extends number = number, N extends string = string> {
  readonly code: C;
  /**
   * The code's name in `FAULT`: the message in upper snake case, with a qualifier where codes share
   * a message (INTERNAL_ERROR_BACKEND beside INTERNAL_ERROR, BAD_PARAMETER_LEXICAL beside BAD_PARAMETER).
   */
  readonly name: N;
  /** The "Message" column; the faultstring is `<code> - <message>`. */
  readonly message: string;
  readonly side: FaultSide;
  readonly category: FaultCategory;
  readonly retry: RetryAdvice;
  /** When our server raises it. */
  readonly trigger: string;
  /** What a client should do. */
  readonly advice: string;
}

function def<const C extends number, const N extends string>(
  code: C,
  name: N,
  message: string,
  category: FaultCategory,
  retry: RetryAdvice,
  trigger: string,
  advice: string,
  side: FaultSide = 'Client',
): FaultEntry<C, N> {
  return { code, name, message, side, category, retry, trigger, advice };
}

export const FAULTS = [
  def(
    10001,
    'INTERNAL_ERROR_BACKEND',
    'Internal Error',
    'server',
    'backoff',
    'the storage or limits backend is unreachable or fails (e.g. PostgreSQL or Redis down)',
    'retry with backoff; log request and response',
    'Server',
  ),
  def(
    20011,
    'INTERNAL_ERROR',
    'Internal Error',
    'server',
    'backoff',
    'any unexpected exception in an operation handler (a bug)',
    'retry once; log request and response',
    'Server',
  ),
  def(
    20012,
    'REQUEST_NOT_UNDERSTOOD',
    'Request Not Understood',
    'invalid-request',
    'none',
    'the body is not well-formed XML, not UTF-8, has a DOCTYPE, is not a SOAP 1.1 Envelope with exactly one Body, or exceeds the body size limit',
    'do not retry; log',
  ),
  def(
    20013,
    'ACCESS_DENIED',
    'Access Denied',
    'auth',
    'none',
    'credentials are valid but the user is blocked (admin flag `blocked`)',
    'do not retry',
  ),
  def(
    20014,
    'AUTHENTICATION_FAILED',
    'Authentication failed',
    'auth',
    'none',
    "no AuthenticationHeader, any of its three children missing or empty, unknown `mktowsUserId`, wrong `requestSignature` (HMAC-SHA1 hex of the exact received `requestTimestamp + mktowsUserId`, keyed with the user's encryption key; compared in constant time)",
    'do not retry; check credentials',
  ),
  def(
    20015,
    'REQUEST_LIMIT_EXCEEDED',
    'Request Limit Exceeded',
    'limit',
    'until-reset',
    "the user's calls today reached the daily quota (default 10,000; the day resets at 00:00 America/Chicago)",
    'stop until the reset; do not hammer',
  ),
  def(
    20016,
    'REQUEST_EXPIRED',
    'Request Expired',
    'auth',
    'resign',
    'signature valid but `requestTimestamp` is older than the window (default 15 min) or further in the future than the allowed skew (default 15 min); an unparseable timestamp is 20016 too',
    're-sign with a fresh timestamp and retry at once',
  ),
  def(
    20017,
    'INVALID_REQUEST',
    'Invalid Request',
    'invalid-request',
    'none',
    'the envelope is understood but its Body is empty or holds more than one element',
    'do not retry',
  ),
  def(
    20019,
    'UNSUPPORTED_OPERATION',
    'Unsupported Operation',
    'invalid-request',
    'none',
    "the Body's element is not one of the 23 `params<Operation>` elements of the namespace `http://www.marketo.com/mktows/`",
    'do not retry',
  ),
  def(
    20022,
    'TIME_RANGE_SPECIFIED_IN_QUERY_FILTER_EXCEEDED_LIMIT',
    'Time range specified in query filter exceeded limit',
    'invalid-request',
    'none',
    'a LastUpdateAtSelector (getMultipleLeads, getLeadChanges) spans more than 30 days',
    'split the range',
  ),
  def(
    20023,
    'RATE_LIMIT_EXCEEDED',
    'Rate Limit Exceeded',
    'limit',
    'wait-window',
    'admitting the call would make more than 100 calls by this user in the past 20 s (a true sliding window, not fixed buckets)',
    'wait until the oldest call in the window is 20 s old, then retry',
  ),
  def(
    20024,
    'CONCURRENCY_LIMIT_EXCEEDED',
    'Concurrency Limit Exceeded',
    'limit',
    'wait-slot',
    "admitting the call would make more than 10 of this user's calls in flight at once",
    'retry when one of yours finishes',
  ),
  def(
    20101,
    'LEAD_KEY_REQUIRED',
    'Lead Key Required',
    'invalid-request',
    'none',
    'an operation that needs a LeadKey got none (getLead, getLeadActivity)',
    'fix the request',
  ),
  def(
    20102,
    'LEAD_KEY_BAD',
    'Lead Key Bad',
    'invalid-request',
    'none',
    'a LeadKey / LeadKeySelector / merge key has a keyType outside LeadKeyRef',
    'fix the request',
  ),
  def(
    20103,
    'LEAD_NOT_FOUND',
    'Lead Not Found',
    'not-found',
    'none',
    'a LeadKey matched no lead (getLead, getLeadActivity, mergeLeads, syncLead by Id)',
    'do not retry',
  ),
  def(
    20104,
    'LEAD_DETAIL_REQUIRED',
    'Lead Detail Required',
    'invalid-request',
    'none',
    'syncLead/syncMultipleLeads without leadRecord(s), or a record with none of Id, Email (element or attribute), ForeignSysPersonId (nor, for syncLead, a marketoCookie)',
    'fix the request',
  ),
  def(
    20105,
    'LEAD_ATTRIBUTE_BAD',
    'Lead Attribute Bad',
    'invalid-request',
    'none',
    'a leadRecord names a field that the lead schema does not have (the message lists the unknown fields: the first 10, then how many more)',
    'fix the request',
  ),
  def(
    20106,
    'LEAD_SYNC_FAILED',
    'Lead Sync Failed',
    'invalid-request',
    'none',
    "a lead could not be created or updated (value not convertible to the field's type, ForeignSysPersonId without ForeignSysType, Id given for a missing lead on update)",
    'fix the data',
  ),
  def(
    20107,
    'ACTIVITY_KEY_BAD',
    'Activity Key Bad',
    'invalid-request',
    'none',
    'an activity filter names an activity type that does not exist, or has both include and exclude',
    'fix the request',
  ),
  def(
    20108,
    'LEAD_OWNER_NOT_FOUND',
    'Lead Owner Not Found',
    'not-found',
    'none',
    'LEADOWNEREMAIL / SFDCLEADOWNERID names no lead owner',
    'fix the request',
  ),
  def(
    20109,
    'PARAMETER_REQUIRED',
    'Parameter Required',
    'invalid-request',
    'none',
    'a required operation parameter is missing or nil (other than leadKey/leadRecord)',
    'fix the request',
  ),
  def(
    20110,
    'BAD_PARAMETER',
    'Bad Parameter',
    'invalid-request',
    'none',
    "a parameter's value is not allowed: unknown enum token (other than LeadKeyRef), a bad combination (campaignId with campaignName), too many keys, unknown object or custom-object type, batchSize < 1",
    'fix the request',
  ),
  def(
    20111,
    'LIST_NOT_FOUND',
    'List Not Found',
    'not-found',
    'none',
    'a ListKey / StaticListSelector / importToList names no list',
    'fix the request',
  ),
  def(
    20113,
    'CAMPAIGN_NOT_FOUND',
    'Campaign Not Found',
    'not-found',
    'none',
    'requestCampaign/scheduleCampaign names no campaign (or one not requestable from the given source)',
    'fix the request',
  ),
  def(
    20114,
    'BAD_PARAMETER_LEXICAL',
    'Bad Parameter',
    'invalid-request',
    'none',
    "a parameter's text inside the Body is not a valid lexical value of its XML type (int, long, boolean, dateTime)",
    'fix the request',
  ),
  def(
    20122,
    'BAD_STREAM_POSITION',
    'Bad Stream Position',
    'stream',
    'restart-stream',
    'a stream/start position cannot be decoded, was tampered with, or is replayed with a different selector or filter than the one it was issued for',
    'restart the stream',
  ),
  def(
    20123,
    'STREAM_AT_END',
    'Stream at End',
    'stream',
    'end-stream',
    'a position that was returned as the end of a stream is passed again',
    'stop paging',
  ),
] as const;

/** A code of the catalogue: a number outside it is a type error wherever a fault is made. */
export type FaultCode = (typeof FAULTS)[number]['code'];
export type FaultName = (typeof FAULTS)[number]['name'];
export type FaultDef = FaultEntry<FaultCode, FaultName>;

/** Every code by name (`FAULT.LEAD_NOT_FOUND` is 20103), derived from the catalogue. */
export const FAULT = Object.freeze(Object.fromEntries(FAULTS.map((f) => [f.name, f.code]))) as {
  readonly [F in (typeof FAULTS)[number] as F['name']]: F['code'];
};

const BY_CODE: ReadonlyMap<number, FaultDef> = new Map(FAULTS.map((f) => [f.code, f]));

export function faultDef(code: FaultCode): FaultDef {
  const f = BY_CODE.get(code);
  if (!f) throw new Error(`unknown fault code ${code}`);
  return f;
}

/** Narrows a number read from outside (the wire, the admin API, a command line) to a catalogue code. */
export function isFaultCode(code: number): code is FaultCode {
  return BY_CODE.has(code);
}

/**
 * The one error every stage of the server throws to end a call. `detail` is the specific message
 * (naming the offending value); the ` (<code>)` suffix is added when the fault is written.
 */
export class MktowsFault extends Error {
  readonly code: FaultCode;
  readonly detail: string;
  constructor(code: FaultCode, detail?: string) {
    const d = faultDef(code);
    const text = detail === undefined ? d.message : capDetail(detail);
    super(`${code} - ${d.message}: ${text}`);
    this.name = 'MktowsFault';
    this.code = code;
    this.detail = text;
  }
  get faultstring(): string {
    return faultString(this.code);
  }
  get detailMessage(): string {
    return `${this.detail} (${this.code})`;
  }
}

export function faultString(code: FaultCode): string {
  return `${code} - ${faultDef(code).message}`;
}

/** The fault envelope, exactly as Marketo shaped it (HTTP 500, no Header, no xsi); the detail is bounded (fault-echo.ts). */
export function faultXml(code: FaultCode, detail: string): string {
  const d = faultDef(code);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><SOAP-ENV:Fault>' +
    `<faultcode>SOAP-ENV:${d.side}</faultcode>` +
    `<faultstring>${escapeText(faultString(code))}</faultstring>` +
    '<detail><ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/"><name>mktServiceException</name>' +
    `<message>${escapeText(`${capDetail(detail)} (${code})`)}</message><code>${code}</code>` +
    '</ns1:serviceException></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n'
  );
}
