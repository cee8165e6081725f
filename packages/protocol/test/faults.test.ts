import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { echo, echoList, MAX_DETAIL_CHARS } from '../src/fault-echo.js';
import { FAULTS, faultDef, faultString, faultXml, isFaultCode, MktowsFault } from '../src/faults.js';
import { parseXml, type XmlElement } from '../src/xml/parse.js';
import { SHARED_DIR, SKIP_NO_SHARED } from './helpers.js';

const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS = 'http://www.marketo.com/mktows/';

/** The rows of the "Codes, triggers and client advice" table: code, message, trigger, advice. */
function errorsTable(): { code: number; message: string; trigger: string; advice: string }[] {
  const md = readFileSync(join(SHARED_DIR as string, 'docs', 'errors.md'), 'utf8');
  return md
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => {
      const cells = l.slice(1, l.lastIndexOf('|')).split('|');
      assert.equal(cells.length, 4, l);
      const [code, message, trigger, advice] = cells.map((c) => c.trim());
      return { code: Number(code), message, trigger, advice };
    });
}

describe('the catalogue against docs/errors.md', () => {
  test('every code of the errors.md table is in FAULTS with the exact message and advice', {
    skip: SKIP_NO_SHARED,
  }, () => {
    const rows = errorsTable();
    assert.equal(rows.length, 27);
    for (const row of rows) {
      assert.ok(isFaultCode(row.code), `${row.code} is in FAULTS`);
      const f = faultDef(row.code);
      assert.equal(f.message, row.message, `${row.code} message`);
      assert.equal(f.advice, row.advice, `${row.code} advice`);
    }
    assert.deepEqual(
      FAULTS.map((f) => f.code),
      rows.map((r) => r.code),
      'FAULTS has the same codes, in the same order, and no others',
    );
  });
});

describe('FAULTS', () => {
  test('holds the 27 codes of the contract, each once', () => {
    assert.deepEqual(
      FAULTS.map((f) => f.code),
      [
        10001, 20011, 20012, 20013, 20014, 20015, 20016, 20017, 20019, 20022, 20023, 20024, 20101, 20102, 20103, 20104,
        20105, 20106, 20107, 20108, 20109, 20110, 20111, 20113, 20114, 20122, 20123,
      ],
    );
  });

  test('the faultstring is "<code> - <message>" for every code', () => {
    for (const f of FAULTS) assert.equal(faultString(f.code), `${f.code} - ${f.message}`);
    assert.equal(faultString(20103), '20103 - Lead Not Found');
    assert.equal(faultString(20014), '20014 - Authentication failed');
    assert.equal(faultString(20022), '20022 - Time range specified in query filter exceeded limit');
  });

  test('the fault side is Server for 10001 and 20011 only', () => {
    assert.deepEqual(
      FAULTS.filter((f) => f.side === 'Server').map((f) => f.code),
      [10001, 20011],
    );
    assert.ok(FAULTS.filter((f) => f.code !== 10001 && f.code !== 20011).every((f) => f.side === 'Client'));
  });

  test('retry advice: backoff for internal errors, a specific reaction for limits and streams, none otherwise', () => {
    const special: Record<number, string> = {
      10001: 'backoff',
      20011: 'backoff',
      20015: 'until-reset',
      20016: 'resign',
      20023: 'wait-window',
      20024: 'wait-slot',
      20122: 'restart-stream',
      20123: 'end-stream',
    };
    for (const f of FAULTS) assert.equal(f.retry, special[f.code] ?? 'none', String(f.code));
  });

  test('an unknown code is not a fault code and faultDef throws', () => {
    assert.equal(isFaultCode(20018), false);
    assert.equal(isFaultCode(20112), false);
    // @ts-expect-error 12345 is no catalogue code: the type-check refuses it too.
    assert.throws(() => faultDef(12345), { name: 'Error', message: 'unknown fault code 12345' });
    // @ts-expect-error nor is 20020
    assert.throws(() => new MktowsFault(20020), { message: 'unknown fault code 20020' });
  });
});

describe('MktowsFault', () => {
  test('carries the code, the specific detail and the catalogue faultstring', () => {
    const f = new MktowsFault(20103, 'No lead found with EMAIL = a@b.example');
    assert.ok(f instanceof Error);
    assert.equal(f.name, 'MktowsFault');
    assert.equal(f.code, 20103);
    assert.equal(f.detail, 'No lead found with EMAIL = a@b.example');
    assert.equal(f.message, '20103 - Lead Not Found: No lead found with EMAIL = a@b.example');
    assert.equal(f.faultstring, '20103 - Lead Not Found');
    assert.equal(f.detailMessage, 'No lead found with EMAIL = a@b.example (20103)');
  });

  test('without a detail the catalogue message stands in', () => {
    const f = new MktowsFault(20014);
    assert.equal(f.detail, 'Authentication failed');
    assert.equal(f.detailMessage, 'Authentication failed (20014)');
    assert.equal(f.message, '20014 - Authentication failed: Authentication failed');
  });
});

/** The element children of el as `{ns}local` strings. */
function names(el: XmlElement): string[] {
  return el.children.map((c) => `{${c.ns}}${c.local}`);
}

describe('faultXml', () => {
  test('is exactly the Marketo fault envelope', () => {
    assert.equal(
      faultXml(20103, 'No lead found with EMAIL = a@b.example'),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}"><SOAP-ENV:Body><SOAP-ENV:Fault>` +
        '<faultcode>SOAP-ENV:Client</faultcode><faultstring>20103 - Lead Not Found</faultstring>' +
        `<detail><ns1:serviceException xmlns:ns1="${NS}"><name>mktServiceException</name>` +
        '<message>No lead found with EMAIL = a@b.example (20103)</message><code>20103</code>' +
        '</ns1:serviceException></detail></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n',
    );
  });

  for (const f of FAULTS) {
    test(`the ${f.code} fault parses to Envelope/Body/Fault{faultcode,faultstring,detail/serviceException{name,message,code}}`, () => {
      const xml = faultXml(f.code, `detail for ${f.code}`);
      const env = parseXml(xml);
      assert.equal(`{${env.ns}}${env.local}`, `{${ENV}}Envelope`);
      assert.deepEqual(names(env), [`{${ENV}}Body`], 'no Header');
      const body = env.children[0];
      assert.deepEqual(names(body), [`{${ENV}}Fault`]);
      const fault = body.children[0];
      assert.deepEqual(names(fault), ['{}faultcode', '{}faultstring', '{}detail']);
      const [faultcode, faultstring, detail] = fault.children;
      assert.equal(faultcode.text, f.code === 10001 || f.code === 20011 ? 'SOAP-ENV:Server' : 'SOAP-ENV:Client');
      assert.equal(faultstring.text, `${f.code} - ${f.message}`);
      assert.deepEqual(names(detail), [`{${NS}}serviceException`]);
      const se = detail.children[0];
      assert.deepEqual(names(se), ['{}name', '{}message', '{}code']);
      assert.deepEqual(
        se.children.map((c) => c.text),
        ['mktServiceException', `detail for ${f.code} (${f.code})`, String(f.code)],
      );
      assert.ok(se.children[1].text.endsWith(` (${f.code})`));
      assert.ok(!xml.includes('XMLSchema-instance'), 'no xsi declaration');
      assert.ok(!xml.includes('xmlns:xsi'), 'no xsi prefix');
    });
  }

  test('a detail containing markup characters is escaped and reads back verbatim', () => {
    const detail = 'syncLead operation failed: unknown fields for import: <script>, A&B, x>y';
    const xml = faultXml(20105, detail);
    assert.ok(
      xml.includes(
        '<message>syncLead operation failed: unknown fields for import: &lt;script&gt;, A&amp;B, x&gt;y (20105)</message>',
      ),
      xml,
    );
    const message = parseXml(xml).children[0].children[0].children[2].children[0].children[1];
    assert.equal(message.local, 'message');
    assert.equal(message.text, `${detail} (20105)`);
  });
});

describe('echoed request values (fault-echo.ts)', () => {
  test('a value is quoted whole up to 200 characters, then cut with "…", never inside a surrogate pair', () => {
    assert.equal(echo('a'.repeat(200)), 'a'.repeat(200));
    assert.equal(echo('a'.repeat(201)), `${'a'.repeat(200)}…`);
    assert.equal(echo(`${'a'.repeat(199)}😀`), `${'a'.repeat(199)}…`);
    assert.equal(echo(12345, 3), '123…');
  });

  test('a list shows its first 10 names, then counts the rest with grouped thousands', () => {
    const names = Array.from({ length: 1_234_567 }, (_, i) => `f${i}`);
    assert.equal(echoList(names.slice(0, 10)), names.slice(0, 10).join(', '));
    assert.equal(echoList(names.slice(0, 11)), `${names.slice(0, 10).join(', ')} … and 1 more`);
    assert.equal(echoList(names), `${names.slice(0, 10).join(', ')} … and 1,234,557 more`);
    assert.equal(echoList([]), '');
  });

  test('a fault detail is bounded whatever its message quoted', () => {
    const f = new MktowsFault(20110, `x${'y'.repeat(10_000)}`);
    assert.equal(f.detail.length, MAX_DETAIL_CHARS + 1);
    assert.ok(f.detail.endsWith('…'));
    assert.ok(faultXml(20110, 'z'.repeat(10_000)).length < MAX_DETAIL_CHARS + 1000);
    assert.equal(new MktowsFault(20110, 'short').detail, 'short');
  });
});
