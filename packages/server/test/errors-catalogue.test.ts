/**
 * One catalogue: FAULTS, docs/errors.md, `mktows errors --json` and (when ../shared is present) the
 * error contract's table must agree in both directions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAULTS, type FaultDef } from '@mktows/protocol';
import { CHECK_ORDER, type DocRow, parseCodeTable, renderErrorsDoc } from '../src/cli/errors-doc.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DOC_PATH = join(ROOT, 'docs', 'errors.md');

interface Entry {
  code: number;
  message: string;
  side?: string;
}

function fromFaults(faults: readonly FaultDef[]): Entry[] {
  return faults.map((f) => ({ code: f.code, message: f.message, side: f.side }));
}

function fromDocRows(rows: DocRow[], withSide: boolean): Entry[] {
  return rows.map((r) => {
    const e: Entry = { code: Number(r.Code), message: r.Message };
    if (withSide) e.side = r.faultcode.replace(/^SOAP-ENV:/, '');
    return e;
  });
}

/** Same set of codes and, per code, the same message (and side when both have one), both ways. */
function assertSameCatalogue(a: Entry[], aName: string, b: Entry[], bName: string): void {
  for (const list of [a, b]) {
    const codes = list.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length, 'duplicate codes');
    assert.ok(
      codes.every((c) => Number.isInteger(c) && c > 0),
      `non-numeric code in ${list === a ? aName : bName}`,
    );
  }
  const byCodeB = new Map(b.map((e) => [e.code, e]));
  const byCodeA = new Map(a.map((e) => [e.code, e]));
  for (const e of a) {
    const o = byCodeB.get(e.code);
    assert.ok(o, `${e.code} is in ${aName} but not in ${bName}`);
    assert.equal(o.message, e.message, `${e.code}: message in ${bName} differs from ${aName}`);
    if (e.side !== undefined && o.side !== undefined) assert.equal(o.side, e.side, `${e.code}: side differs`);
  }
  for (const e of b) assert.ok(byCodeA.has(e.code), `${e.code} is in ${bName} but not in ${aName}`);
}

describe('the error catalogue', () => {
  test('FAULTS is well formed: unique codes, Server only for 10001 and 20011, check order in the catalogue', () => {
    const codes = FAULTS.map((f) => f.code);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual(
      FAULTS.filter((f) => f.side === 'Server').map((f) => f.code),
      [10001, 20011],
    );
    for (const c of CHECK_ORDER) assert.ok(codes.includes(c), `${c} of the check order`);
  });

  test('docs/errors.md is exactly what renderErrorsDoc(FAULTS) writes (run npm run gen:errors-doc)', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    assert.equal(doc, renderErrorsDoc(FAULTS), 'docs/errors.md is stale: run `npm run gen:errors-doc`');
  });

  test('docs/errors.md and FAULTS agree both ways: codes, names, messages, sides, advice, retry', () => {
    const rows = parseCodeTable(readFileSync(DOC_PATH, 'utf8'));
    assert.equal(rows.length, FAULTS.length);
    assertSameCatalogue(fromFaults(FAULTS), 'FAULTS', fromDocRows(rows, true), 'docs/errors.md');
    for (const f of FAULTS) {
      const r = rows.find((x) => Number(x.Code) === f.code)!;
      assert.equal(r.Name, `\`${f.name}\``, `${f.code} name`);
      assert.equal(r['Raised when'], f.trigger, `${f.code} trigger`);
      assert.equal(r['Client advice'], f.advice, `${f.code} advice`);
      assert.equal(r.Retry, `\`${f.retry}\``, `${f.code} retry`);
    }
  });

  test('the docs describe the fault shape and the check order', () => {
    const doc = renderErrorsDoc(FAULTS);
    assert.match(doc, /HTTP 500/);
    assert.match(doc, /SOAP 1\.1/);
    assert.match(doc, /`<code> - <message>`/);
    assert.match(doc, /serviceException/);
    assert.match(doc, /`SOAP-ENV:Server` only for 10001 and 20011/);
    const order = [...doc.matchAll(/(\d{5}) \([^)]*\) →/g)].map((m) => Number(m[1]));
    assert.deepEqual(order, [...CHECK_ORDER]);
    assert.match(doc, /20012–20024 do not count against the daily quota/);
  });

  test('`mktows errors --json` prints the catalogue, agreeing with FAULTS and docs/errors.md both ways', () => {
    const r = spawnSync(process.execPath, ['packages/server/bin/mktows.js', 'errors', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as FaultDef[];
    assert.deepEqual(printed, JSON.parse(JSON.stringify(FAULTS)));
    assertSameCatalogue(fromFaults(FAULTS), 'FAULTS', fromFaults(printed), 'mktows errors --json');
    const rows = parseCodeTable(readFileSync(DOC_PATH, 'utf8'));
    assertSameCatalogue(fromFaults(printed), 'mktows errors --json', fromDocRows(rows, true), 'docs/errors.md');
  });

  test('the error contract in ../shared/docs/errors.md and FAULTS agree both ways', (t) => {
    const shared = process.env.MKTOWS_SHARED_DIR;
    const path = shared ? join(shared, 'docs', 'errors.md') : undefined;
    if (!path || !existsSync(path)) {
      t.skip('skipped: ../shared absent');
      return;
    }
    const rows = parseCodeTable(readFileSync(path, 'utf8'));
    assert.ok(rows.length > 0, `no code table in ${path}`);
    assertSameCatalogue(fromFaults(FAULTS), 'FAULTS', fromDocRows(rows, false), path);
  });

  test('the table parser honours escaped pipes', () => {
    const rows = parseCodeTable('| Code | Message |\n|---|---|\n| 1 | a \\| b |\n\nafter');
    assert.deepEqual(rows, [{ Code: '1', Message: 'a | b' }]);
  });
});
