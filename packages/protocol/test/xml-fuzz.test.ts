/**
 * Fuzzing the parser: seeded mutations of generated documents and of ../shared's captured and
 * recorded XML. Never a crash (only XmlError from the parser, only catalogue faults from
 * parseRequest and decodeComplex), and the same outcome as the parser before the linear-time
 * rewrite (fixtures/xml-oracle.json). MKTOWS_FUZZ_SEED=<n> runs other mutations; failures name
 * the seed, which reproduces them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { decodeComplex } from '../src/decode.js';
import { parseRequest } from '../src/envelope.js';
import { FAULTS, MktowsFault } from '../src/faults.js';
import * as parser from '../src/xml/parse.js';
import { SHARED_DIR, SKIP_NO_SHARED } from './helpers.js';
import {
  type Doc,
  GENERATED_DOCS,
  generatedDocs,
  MUTATIONS_PER_DOC,
  mutate,
  ORACLE_SEED,
  type Oracle,
  oracleEntry,
  prng,
  sharedDocs,
} from './xml-fuzz-corpus.js';

const SEED = Number(process.env.MKTOWS_FUZZ_SEED ?? ORACLE_SEED);
const CODES = new Set(FAULTS.map((f) => f.code));
const ORACLE: Oracle = JSON.parse(
  readFileSync(new URL('../../test/fixtures/xml-oracle.json', import.meta.url), 'utf8'),
).docs;

/** Asserts that e is a catalogue fault; anything else is a crash. */
function assertCatalogueFault(e: unknown, where: string): void {
  if (!(e instanceof MktowsFault)) throw new Error(`${where}: crashed with ${String(e)}`, { cause: e });
  assert.ok(CODES.has(e.code), `${where}: fault ${e.code} is not in the catalogue`);
}

/** The parser, the envelope and the decoder on one document: errors of the expected kinds only. */
function neverCrashes(text: string, where: string): void {
  try {
    parser.parseXml(text);
  } catch (e) {
    if (!(e instanceof parser.XmlError)) throw new Error(`${where}: parseXml crashed with ${String(e)}`, { cause: e });
  }
  let parsed: ReturnType<typeof parseRequest>;
  try {
    parsed = parseRequest(Buffer.from(text));
  } catch (e) {
    assertCatalogueFault(e, where);
    return;
  }
  try {
    decodeComplex(parsed.params, parsed.operation.paramsType, parsed.operation.paramsElement);
  } catch (e) {
    assertCatalogueFault(e, where);
  }
}

function fuzz(docs: readonly Doc[]): void {
  let compared = 0;
  for (const doc of docs) {
    const where = `${doc.name} (seed ${SEED})`;
    neverCrashes(doc.text, where);
    const rnd = prng(SEED ^ doc.name.length);
    for (let i = 0; i < MUTATIONS_PER_DOC; i++) neverCrashes(mutate(doc.text, rnd), `${where}, mutation ${i}`);
    const expected = ORACLE[doc.name];
    if (expected === undefined) continue;
    const [own, mutations] = oracleEntry(parser, doc, SEED);
    assert.equal(own, expected[0], `${doc.name}: the parse differs from the reference parser's`);
    // The oracle holds the mutations of ORACLE_SEED only.
    if (SEED === ORACLE_SEED) {
      assert.equal(mutations, expected[1], `${where}: a mutation parses differently from the reference parser`);
    }
    compared++;
  }
  assert.ok(compared > 0, 'no document of the oracle was compared');
}

describe('parser fuzz', () => {
  test(`${GENERATED_DOCS} generated documents and their mutations`, () => {
    fuzz(generatedDocs(GENERATED_DOCS));
  });

  test('the captured and recorded XML of ../shared and their mutations', { skip: SKIP_NO_SHARED }, () => {
    fuzz(sharedDocs(SHARED_DIR as string));
  });
});
