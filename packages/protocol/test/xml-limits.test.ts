/**
 * The parser is linear in the body whatever its shape (issue items 1–3), and a body over one of
 * the XmlLimits caps is fault 20012 naming the cap. Times are the least of several runs (other
 * tenants of the machine only ever add to them); 4× the size may cost at most 6× the time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseRequest } from '../src/envelope.js';
import { NO_XML_LIMITS, XML_LIMITS, type XmlLimits } from '../src/xml/limits.js';
import { parseXml, XmlError } from '../src/xml/parse.js';
import { assertFault } from './helpers.js';
import { shape } from './hostile-shapes.js';

const ROUNDS = 7;
const MAX_RATIO = 6;
const ATTEMPTS = 5;

// A full collection before each sample, so that neither document pays for the other's garbage (a
// major collection landing in one sample skewed a ratio to 15× on a busy machine).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** CPU time in ms: unlike wall time, it does not count the time other processes hold the cores. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Parses doc, which must succeed unless it ends unclosed (an error once all of it has been read). */
function parseOnce(doc: string, limits: XmlLimits): void {
  try {
    parseXml(doc, limits);
  } catch (e) {
    if (!(e instanceof XmlError && e.message.startsWith('unclosed element'))) throw e;
  }
}

/** How many parses of doc take about 10 ms (so that one sample is well above the clock's grain). */
function repsFor(doc: string, limits: XmlLimits): number {
  let reps = 0;
  for (const t = cpuMs(); cpuMs() - t < 10; reps++) parseOnce(doc, limits);
  return Math.max(1, reps);
}

function sample(doc: string, reps: number, limits: XmlLimits): number {
  gc();
  const t = cpuMs();
  for (let i = 0; i < reps; i++) parseOnce(doc, limits);
  return (cpuMs() - t) / reps;
}

/**
 * The least CPU time of ROUNDS samples of each document, taken in turns so that both see the same
 * machine: the time of the large one over the small one's.
 */
function timeRatio(small: string, large: string, limits: XmlLimits): number {
  const smallReps = repsFor(small, limits);
  const largeReps = repsFor(large, limits);
  let tSmall = Number.POSITIVE_INFINITY;
  let tLarge = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    tSmall = Math.min(tSmall, sample(small, smallReps, limits));
    tLarge = Math.min(tLarge, sample(large, largeReps, limits));
  }
  return tLarge / tSmall;
}

/**
 * Asserts that the document of size 4n costs at most MAX_RATIO times the one of size n. A busy
 * machine can push one measure over; a quadratic step (16×) fails every attempt.
 */
function assertLinear(name: string, make: (n: number) => string, n: number, limits: XmlLimits): void {
  const small = make(n);
  const large = make(4 * n);
  const ratios: number[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    ratios.push(timeRatio(small, large, limits));
    if (ratios[attempt] <= MAX_RATIO) return;
  }
  const seen = ratios.map((r) => `${r.toFixed(1)}×`).join(', ');
  assert.fail(`${name}: 4× the size (${large.length} characters) cost ${seen} the time`);
}

describe('parseXml: linear time on hostile shapes, caps lifted', () => {
  // Sizes far above the caps, where a quadratic step costs 16× for 4×, yet small enough that the
  // working set stays in the caches at both sizes (a busy 2-core machine adds its own noise).
  const sizes: Record<string, number> = {
    attributes: 1000,
    'prefixed-attributes': 1000,
    declarations: 1000,
    'nested-declarations': 1000,
    depth: 1000,
    'long-name': 50_000,
    'small-elements': 1000,
    unclosed: 1000,
  };
  for (const [name, n] of Object.entries(sizes)) {
    test(`${name}: ${shape(name).what}, n = ${n} and ${4 * n}`, () => {
      assertLinear(name, shape(name).make, n, NO_XML_LIMITS);
    });
  }
});

describe('parseXml: linear time below the default caps', () => {
  /** k copies of a shape's document of size m, in one root. */
  const copies = (name: string, k: number, m: number) => `<root>${shape(name).make(m).repeat(k)}</root>`;
  // Each case grows what one element holds 4× up to its cap, over enough elements to time.
  const cases: [string, number, number][] = [
    ['attributes', 64, 64], // 64 → 256 attributes per element
    ['prefixed-attributes', 64, 63], // 63 → 252, with the declaration
    ['declarations', 64, 16], // 16 → 64 declarations per element
    ['nested-declarations', 64, 15], // chains 15 → 60 deep
    ['depth', 256, 15], // chains 15 → 60 deep
    ['long-name', 512, 64], // names of 64 → 256 characters
  ];
  for (const [name, k, m] of cases) {
    test(`${name}: ${k} elements of size ${m} and ${4 * m}`, () => {
      assertLinear(name, (size) => copies(name, k, size), m, XML_LIMITS);
    });
  }
  test('dense-elements: the densest document the caps allow', () => {
    assertLinear('dense-elements', shape('dense-elements').make, 1000, XML_LIMITS);
  });
});

describe('parseRequest: a body over a cap is 20012 naming the cap', () => {
  const LIMIT = 'Request exceeds a parser limit: ';
  const request = (doc: string) => () => parseRequest(Buffer.from(doc));
  /** Parses doc with the default caps, which must accept it. */
  const accepted = (doc: string) => assert.ok(parseXml(doc));

  test('element depth', () => {
    accepted(shape('depth').make(64));
    assertFault(request(shape('depth').make(65)), 20012, `${LIMIT}element depth exceeds 64 at offset ${64 * 4}`);
    // The unclosed body fails at the same place, before it has cost anything.
    assertFault(request(shape('unclosed').make(1_000_000)), 20012, `${LIMIT}element depth exceeds 64 at offset 192`);
  });

  test('nested namespace declarations are held by the depth cap', () => {
    const doc = shape('nested-declarations').make(24_000);
    const at = doc.indexOf('<p64:a');
    assertFault(request(doc), 20012, `${LIMIT}element depth exceeds 64 at offset ${at}`);
  });

  test('attributes on one element', () => {
    accepted(shape('attributes').make(256));
    const doc = shape('attributes').make(80_000);
    const at = doc.indexOf(' a256=') + 1;
    assertFault(request(doc), 20012, `${LIMIT}attributes on one element exceed 256 at offset ${at}`);
  });

  test('namespace declarations on one element', () => {
    accepted(shape('declarations').make(64));
    const doc = shape('declarations').make(65);
    assertFault(request(doc), 20012, `${LIMIT}namespace declarations on one element exceed 64 at offset 0`);
  });

  test('declarations on every element are not capped per document (Axis, SOAP::Lite)', () => {
    const leaf = '<p:leaf xmlns:p="urn:p" xmlns="urn:d" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
    const root = parseXml(`<r>${leaf.repeat(20_000)}</r>`);
    assert.equal(root.children.length, 20_000);
  });

  test('name length: elements, attributes and end tags', () => {
    accepted(shape('long-name').make(256));
    assertFault(request(shape('long-name').make(257)), 20012, `${LIMIT}name length exceeds 256 at offset 4`);
    assertFault(request(`<r ${'a'.repeat(257)}=""/>`), 20012, `${LIMIT}name length exceeds 256 at offset 3`);
    assertFault(request(`<r></${'a'.repeat(5_000_000)}>`), 20012, `${LIMIT}name length exceeds 256 at offset 5`);
  });

  test('elements per character of the document', () => {
    // `<a/>` after `<r>`: the 1025th element (the root counting) starts at 4095, where 1024 are allowed.
    accepted(shape('small-elements').make(1023));
    const msg = `${LIMIT}elements exceed 1 per 8 characters of the document at offset ${3 + 1023 * 4}`;
    assertFault(request(shape('small-elements').make(2_000_000)), 20012, msg);
    // The start of a document is held to it too: a dense run after 1024 elements of a sparse head is not.
    const head = `<r>${'<abcdefghijklmnop/>'.repeat(1024)}`;
    accepted(`${head}${'<a/>'.repeat(1000)}</r>`);
    // The (1025 + k)th element starts at head.length + 4(k - 1): the first k with 8(1025 + k) past it is 2814.
    const at = head.length + 4 * 2813;
    assertFault(
      request(`${head}${'<a/>'.repeat(4000)}</r>`),
      20012,
      `${LIMIT}elements exceed 1 per 8 characters of the document at offset ${at}`,
    );
    accepted(shape('dense-elements').make(100_000));
  });

  test('a malformed body is still "not well-formed", not a limit', () => {
    assertFault(request('<a>'), 20012, 'Request is not well-formed XML: unclosed element <a> at offset 3');
  });
});
