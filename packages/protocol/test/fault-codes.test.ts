/**
 * Fault codes are typed: only catalogue codes make a fault, and every code has a name. The
 * `@ts-expect-error` lines are the proof: `npm run build` compiles this file, and fails if any of
 * them stops being a type error (an unused `@ts-expect-error` is itself an error).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FAULT, FAULTS, type FaultCode, faultDef, faultString, faultXml, MktowsFault } from '../src/faults.js';

/** Compile-time only: each call is type-checked, none is run. */
function typeChecks(): void {
  // Catalogue codes, by number or by name.
  new MktowsFault(20103, 'x');
  new MktowsFault(FAULT.LEAD_NOT_FOUND, 'x');
  faultXml(FAULT.INTERNAL_ERROR_BACKEND, 'x');
  faultString(20014);
  faultDef(FAULT.STREAM_AT_END);

  // @ts-expect-error 20999 is not in the catalogue.
  new MktowsFault(20999, 'x');
  // @ts-expect-error 20112 sits between two catalogue codes but is not one.
  new MktowsFault(20112);
  // @ts-expect-error a plain number may be anything: narrow it with isFaultCode first.
  new MktowsFault(Number('20103'), 'x');
  // @ts-expect-error
  faultXml(20020, 'x');
  // @ts-expect-error
  faultString(20000);
  // @ts-expect-error a misspelt name is no name.
  void FAULT.LEAD_NOT_FOUNDS;

  // A name stands for its own literal code, not just any code.
  const notFound: 20103 = FAULT.LEAD_NOT_FOUND;
  // @ts-expect-error LEAD_NOT_FOUND is 20103, not 20104.
  const wrong: 20104 = FAULT.LEAD_NOT_FOUND;
  // A fault's code is a catalogue code, usable wherever one is asked for.
  const code: FaultCode = new MktowsFault(notFound).code;
  void [wrong, code];
}
void typeChecks;

/** The catalogue's message in upper snake case: the stem of the code's name. */
function snake(message: string): string {
  return message
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');
}

describe('FAULT: the codes by name', () => {
  test('has one name for each code of the catalogue, each naming its own code', () => {
    assert.equal(Object.keys(FAULT).length, FAULTS.length, 'names are unique');
    for (const f of FAULTS) assert.equal(FAULT[f.name], f.code, f.name);
    assert.equal(FAULT.LEAD_NOT_FOUND, 20103);
    assert.equal(FAULT.INTERNAL_ERROR_BACKEND, 10001);
    assert.equal(FAULT.INTERNAL_ERROR, 20011);
  });

  test('each name is the message in upper snake case, qualified only where codes share a message', () => {
    const sharing = new Map<string, number>();
    for (const f of FAULTS) sharing.set(f.message, (sharing.get(f.message) ?? 0) + 1);
    for (const f of FAULTS) {
      const stem = snake(f.message);
      if (sharing.get(f.message) === 1) assert.equal(f.name, stem, `${f.code} ${f.message}`);
      else assert.match(f.name, new RegExp(`^${stem}(_[A-Z0-9]+)?$`), `${f.code} ${f.message}`);
    }
  });

  test('cannot be changed at run time', () => {
    assert.ok(Object.isFrozen(FAULT));
  });
});
