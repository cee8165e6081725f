/**
 * The recorded Marketo XML (../shared/reference/recorded, found through MKTOWS_SHARED_DIR): reading
 * a file, its paired request, and sending a recorded request with our credentials.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOAP_ENV_NS, type XmlElement } from '@mktows/protocol';
import { authHeader } from './harness.js';

export const SHARED_DIR = process.env.MKTOWS_SHARED_DIR || undefined;
/** The `skip` option of a suite that needs the recordings. */
export const SKIP_WITHOUT_SHARED: string | false = SHARED_DIR ? false : 'skipped: ../shared absent';
const RECORDED = SHARED_DIR ? join(SHARED_DIR, 'reference', 'recorded') : '';

export function readRecorded(rel: string): string {
  return readFileSync(join(RECORDED, rel), 'utf8');
}

/** `<op>.request.xml` for `<op>.response.xml`, when it exists. */
export function pairedRequest(responseFile: string): string | undefined {
  const rel = responseFile.replace(/\.response\.xml$/, '.request.xml');
  if (rel === responseFile || !existsSync(join(RECORDED, rel))) return undefined;
  return readRecorded(rel);
}

/** A recorded request with its AuthenticationHeader replaced by ours (same prefix), nothing else. */
export function withOurAuth(request: string, now: Date = new Date()): string {
  const re = /<([\w.-]+):AuthenticationHeader\b[\s\S]*?<\/\1:AuthenticationHeader>/;
  const m = re.exec(request);
  assert.ok(m, 'the recorded request has an AuthenticationHeader');
  return request.replace(re, authHeader({}, now).replaceAll('ns1:', `${m[1]}:`));
}

/** The one element inside the SOAP Body. */
export function bodyChild(doc: XmlElement): XmlElement {
  const body = doc.children.find((c) => c.ns === SOAP_ENV_NS && c.local === 'Body');
  assert.ok(body, 'a SOAP Body');
  return body.children[0];
}
