/**
 * Helpers for the faults-*.test.ts files: a SOAP POST that keeps the HTTP headers, an exact check of
 * the fault shape of errors.md, and small waits. The expected messages are written out here (not
 * read from the catalogue) so that a change to the catalogue shows up as a failing test.
 */
import assert from 'node:assert/strict';
import { formatW3C, parseXml, type XmlElement } from '@mktows/protocol';
import { authHeader, type CallOptions, envelope, type TestServer } from './harness.js';

export const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
export const MKTOWS_NS = 'http://www.marketo.com/mktows/';

/** The "Message" column of errors.md, by code. */
export const FAULT_MESSAGES: Record<number, string> = {
  10001: 'Internal Error',
  20011: 'Internal Error',
  20012: 'Request Not Understood',
  20013: 'Access Denied',
  20014: 'Authentication failed',
  20015: 'Request Limit Exceeded',
  20016: 'Request Expired',
  20017: 'Invalid Request',
  20019: 'Unsupported Operation',
  20022: 'Time range specified in query filter exceeded limit',
  20023: 'Rate Limit Exceeded',
  20024: 'Concurrency Limit Exceeded',
  20101: 'Lead Key Required',
  20102: 'Lead Key Bad',
  20103: 'Lead Not Found',
  20104: 'Lead Detail Required',
  20105: 'Lead Attribute Bad',
  20106: 'Lead Sync Failed',
  20107: 'Activity Key Bad',
  20108: 'Lead Owner Not Found',
  20109: 'Parameter Required',
  20110: 'Bad Parameter',
  20111: 'List Not Found',
  20113: 'Campaign Not Found',
  20114: 'Bad Parameter',
  20122: 'Bad Stream Position',
  20123: 'Stream at End',
};

export interface HttpResult {
  status: number;
  contentType: string | null;
  text: string;
  doc?: XmlElement;
}

/** POSTs raw bytes to the SOAP endpoint. */
export async function post(
  s: TestServer,
  body: string | Buffer,
  opts: { version?: string; signal?: AbortSignal } = {},
): Promise<HttpResult> {
  const r = await fetch(`${s.url}/soap/mktows/${opts.version ?? '3_1'}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
    signal: opts.signal,
  });
  const text = await r.text();
  let doc: XmlElement | undefined;
  try {
    doc = parseXml(text);
  } catch {
    doc = undefined;
  }
  return { status: r.status, contentType: r.headers.get('content-type'), text, doc };
}

/** A signed call (signed with the server's clock, as the harness does) unless opts.raw/header say otherwise. */
export function call(
  s: TestServer,
  inner: string,
  opts: CallOptions & { signal?: AbortSignal } = {},
): Promise<HttpResult> {
  const body =
    opts.raw ??
    envelope(inner, opts.header ?? authHeader(opts, new Date(s.runtime.clock.now())) + (opts.extraHeader ?? ''));
  return post(s, body, { version: opts.version, signal: opts.signal });
}

function only(el: XmlElement, ns: string, local: string): XmlElement {
  assert.equal(el.children.length, 1, `<${el.local}> should hold exactly one element`);
  const c = el.children[0];
  assert.equal(c.local, local);
  assert.equal(c.ns, ns, `<${local}> namespace`);
  return c;
}

/**
 * Asserts the exact fault of errors.md: HTTP 500, text/xml; charset=utf-8, SOAP 1.1 envelope without
 * Header, faultcode, faultstring `<code> - <Message>`, detail serviceException {name, message, code}.
 * `message` is the detail text without the ` (<code>)` suffix, or a RegExp for that text when a part
 * of it (a duration) cannot be known exactly. Returns the detail text without the suffix.
 */
export function assertFault(r: HttpResult, code: number, message: string | RegExp): string {
  assert.equal(r.status, 500, `expected HTTP 500 for ${code}, got ${r.status}: ${r.text}`);
  assert.equal(r.contentType, 'text/xml; charset=utf-8');
  assert.ok(r.doc, `the fault is not XML: ${r.text}`);
  const env = r.doc;
  assert.equal(env.local, 'Envelope');
  assert.equal(env.ns, SOAP_ENV);
  const body = only(env, SOAP_ENV, 'Body');
  const fault = only(body, SOAP_ENV, 'Fault');
  assert.deepEqual(
    fault.children.map((c) => c.local),
    ['faultcode', 'faultstring', 'detail'],
  );
  const [faultcode, faultstring, detail] = fault.children;
  const side = code === 10001 || code === 20011 ? 'Server' : 'Client';
  const ex = only(detail, MKTOWS_NS, 'serviceException');
  assert.deepEqual(
    ex.children.map((c) => [c.ns, c.local]),
    [
      ['', 'name'],
      ['', 'message'],
      ['', 'code'],
    ],
  );
  const [name, msg, codeEl] = ex.children;
  const expectedMessage = FAULT_MESSAGES[code];
  assert.ok(expectedMessage, `no expected message for ${code}`);
  assert.deepEqual(
    { faultcode: faultcode.text, faultstring: faultstring.text, name: name.text, code: codeEl.text },
    {
      faultcode: `SOAP-ENV:${side}`,
      faultstring: `${code} - ${expectedMessage}`,
      name: 'mktServiceException',
      code: String(code),
    },
  );
  const suffix = ` (${code})`;
  assert.ok(msg.text.endsWith(suffix), `detail message should end with "${suffix}": ${msg.text}`);
  const detailText = msg.text.slice(0, -suffix.length);
  if (typeof message === 'string') assert.equal(detailText, message);
  else assert.match(detailText, message);
  return detailText;
}

export function assertOk(r: HttpResult): void {
  assert.equal(r.status, 200, `expected success, got ${r.status}: ${r.text}`);
  assert.equal(r.contentType, 'text/xml; charset=utf-8');
}

/** Escapes a string for use inside a RegExp. */
export function re(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** The limits snapshot of a user. */
export async function limitsOf(s: TestServer, userId: string) {
  const r = await s.admin('GET', `/_mktows/limits?userId=${encodeURIComponent(userId)}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as {
    userId: string;
    quotaUsed: number;
    quotaPerDay: number;
    quotaResetsAt: string;
    windowCalls: number;
    ratePerWindow: number;
    inFlight: number;
    concurrency: number;
  };
}

let nextUser = 1;
/** Adds a user through the admin API with a unique id; returns the id and key. */
export async function addUser(
  s: TestServer,
  settings: { blocked?: boolean; quotaPerDay?: number; ratePerWindow?: number; concurrency?: number } = {},
  prefix = 'fault_user',
): Promise<{ userId: string; key: string }> {
  const userId = `${prefix}_${process.pid}_${nextUser++}`;
  const key = `key-for-${userId}-0123456789`;
  const r = await s.admin('POST', '/_mktows/users', { userId, encryptionKey: key, ...settings });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { userId, key };
}

/**
 * Waits until the server's clock is early in a second, then returns a W3C timestamp `deltaMs` away
 * from the server's now (truncated to the second, as W3C timestamps are). The server then sees an
 * age of |deltaMs| plus less than half a second, so `Math.round(age / 1000)` is exact.
 */
export async function alignedTimestamp(
  s: TestServer,
  deltaMs: number,
  base: 'server' | 'wall' = 'server',
): Promise<string> {
  const nowOf = () => (base === 'server' ? s.runtime.clock.now() : Date.now());
  // Server and wall clock differ by whole seconds only when the test moves the clock by whole seconds.
  while (s.runtime.clock.now() % 1000 > 150) await sleep(5);
  return formatW3C(new Date(nowOf() + deltaMs));
}

export const getLeadByEmail = (email: string) =>
  `<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>${email}</keyValue></leadKey></ns1:paramsGetLead>`;
