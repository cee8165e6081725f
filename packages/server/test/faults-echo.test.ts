/**
 * Faults quote the offending value, but bounded (fault-echo.ts): one value at most 200 characters
 * then "…", a list of names its first 10 then "… and N more", a whole detail message at most 2000
 * characters. Without the bounds a 1 MB keyValue came back whole and 100,000 unknown field names
 * were all listed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { computeSignature, formatW3C, MAX_DETAIL_CHARS } from '@mktows/protocol';
import { assertFault, call, getLeadByEmail, post, re } from './support/fault-helpers.js';
import { envelope, KEY, startTestServer, type TestServer, USER } from './support/harness.js';

const MB = 1024 * 1024;
/** Everything around the detail message in a fault envelope is well under this. */
const ENVELOPE_CHARS = 1000;

const unknownNames = (n: number) => Array.from({ length: n }, (_, i) => `NoSuchField${i}`);

function attributes(names: readonly string[]): string {
  return `<leadAttributeList>${names.map((n) => `<attribute><attrName>${n}</attrName><attrValue>v</attrValue></attribute>`).join('')}</leadAttributeList>`;
}

/** The first 10 names, then how many more, with thousands grouped. */
function listed(names: readonly string[], more: string): string {
  return `${names.slice(0, 10).join(', ')} … and ${more} more`;
}

describe('faults bound what they echo of the request', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'demo' });
  });
  after(() => s.close());

  test('getLead with a 1 MB keyValue: 20103 names the first 200 characters and ends with "…"', async () => {
    const value = `${'a'.repeat(MB)}@example.com`;
    const r = await call(s, getLeadByEmail(value));
    const detail = assertFault(r, 20103, `No lead found with EMAIL = ${'a'.repeat(200)}…`);
    assert.ok(detail.endsWith('…'));
    assert.ok(r.text.length < ENVELOPE_CHARS, `the fault is ${r.text.length} characters`);
  });

  test('syncLead with 100,000 unknown fields: 20105 lists the first 10 and counts the rest', async () => {
    const names = unknownNames(100_000);
    const body = `<ns1:paramsSyncLead><leadRecord><Email>echo@example.com</Email>${attributes(names)}</leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead>`;
    const r = await call(s, body);
    assertFault(r, 20105, `syncLead operation failed: unknown fields for import: ${listed(names, '99,990')}`);
    assert.ok(r.text.length < ENVELOPE_CHARS, `the fault is ${r.text.length} characters`);
  });

  test('syncMultipleLeads with 25,000 unknown fields in one record: 20105 lists the first 10 and counts the rest', async () => {
    const names = unknownNames(25_000);
    const good = '<leadRecord><Email>echo.good@example.com</Email></leadRecord>';
    const bad = `<leadRecord><Email>echo.bad@example.com</Email>${attributes(names)}</leadRecord>`;
    const r = await call(
      s,
      `<ns1:paramsSyncMultipleLeads><leadRecordList>${good}${bad}</leadRecordList></ns1:paramsSyncMultipleLeads>`,
    );
    const detail = assertFault(r, 20105, /unknown fields for import: /);
    assert.ok(detail.endsWith(`: ${listed(names, '24,990')}`), detail);
    assert.ok(r.text.length < ENVELOPE_CHARS, `the fault is ${r.text.length} characters`);
  });

  test('unknown field names longer than 200 characters are cut too', async () => {
    const names = [`Long${'x'.repeat(5000)}`, 'Short'];
    const body = `<ns1:paramsSyncLead><leadRecord><Email>echo@example.com</Email>${attributes(names)}</leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead>`;
    assertFault(
      await call(s, body),
      20105,
      `syncLead operation failed: unknown fields for import: Long${'x'.repeat(196)}…, Short`,
    );
  });

  test('a valid signature over a 1 MB unparseable timestamp: 20016 quotes 200 characters of it', async () => {
    const timestamp = 'y'.repeat(MB);
    const signature = computeSignature(timestamp, USER, KEY);
    const header = `<ns1:AuthenticationHeader><mktowsUserId>${USER}</mktowsUserId><requestSignature>${signature}</requestSignature><requestTimestamp>${timestamp}</requestTimestamp></ns1:AuthenticationHeader>`;
    const r = await call(s, getLeadByEmail('ada@demo.example'), { header });
    assertFault(r, 20016, `Request expired: requestTimestamp "${'y'.repeat(200)}…" cannot be parsed`);
  });

  test('an unsupported operation element with a 250-character name: 20019 quotes 200 characters', async () => {
    // Names over 256 characters are refused by the parser (20012) before the operation is looked up.
    const name = `paramsNo${'z'.repeat(242)}`;
    const r = await call(s, `<ns1:${name}/>`);
    const quoted = `{http://www.marketo.com/mktows/}${name}`.slice(0, 200);
    assertFault(r, 20019, `Operation element ${quoted}… is not supported`);
  });

  test('whatever a message quotes, the whole detail stays within the backstop', async () => {
    // An XML declaration naming a 100,000-character encoding: the parser's message quotes it.
    const raw = `<?xml version="1.0" encoding="${'e'.repeat(100_000)}"?>${envelope('<ns1:paramsGetLead/>', '')}`;
    const r = await post(s, raw);
    const detail = assertFault(r, 20012, /^Request is not well-formed XML/);
    assert.ok(detail.length <= MAX_DETAIL_CHARS + 1, `the detail is ${detail.length} characters`);
    assert.ok(r.text.length < MAX_DETAIL_CHARS + ENVELOPE_CHARS);
    // The timestamp of a normal call is quoted whole: short values are unchanged.
    const ts = formatW3C(new Date(s.runtime.clock.now() - 60 * 60_000));
    assertFault(
      await call(s, getLeadByEmail('ada@demo.example'), { timestamp: ts }),
      20016,
      new RegExp(`requestTimestamp ${re(ts)} is`),
    );
  });
});
