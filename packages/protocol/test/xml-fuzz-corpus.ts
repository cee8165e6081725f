/**
 * The parser fuzz test's inputs and oracle: seeded documents and mutations (reproducible from a
 * seed), and a canonical form of a parse's outcome that two parser versions can be compared on.
 * fixtures/xml-oracle.json holds the outcomes of the parser before the linear-time rewrite
 * (written by `node scripts/xml-oracle.mjs <that parser's compiled parse.js>`).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** mulberry32: a small seeded PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rnd = () => number;
const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[int(rnd, xs.length)];

export interface Doc {
  readonly name: string;
  readonly text: string;
}

// ------------------------------------------------------------------------------------------------
// Generated documents: SOAP requests as the stacks write them (prefixes, where namespaces are
// declared, xsi:type through any prefix) and random namespaced trees.

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const MKTO = 'http://www.marketo.com/mktows/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

const BODIES: readonly ((m: string, x: string) => string)[] = [
  () => '<leadKey><keyType>EMAIL</keyType><keyValue>a&amp;b@example.com</keyValue></leadKey>',
  (m, x) =>
    `<leadSelector ${x}:type="${m}LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T00:00:00-06:00</oldestUpdatedAt></leadSelector><batchSize>100</batchSize>`,
  () =>
    `<leadRecord><Email>ann@example.com</Email><leadAttributeList><attribute><attrName>FirstName</attrName><attrType>string</attrType><attrValue><![CDATA[Ann <A>]]></attrValue></attribute></leadAttributeList></leadRecord><returnLead>true</returnLead>`,
];
const OPS = ['paramsGetLead', 'paramsGetMultipleLeads', 'paramsSyncLead'];

/** A SOAP request with random prefixes, declared on the Envelope or where they are used. */
function soapDoc(rnd: Rnd): string {
  const env = pick(rnd, ['SOAP-ENV', 'soap', 'S', 'env']);
  const ns = pick(rnd, ['ns1', 'ns2', 'tns', 'm']);
  const xsi = pick(rnd, ['xsi', 'i', 'x']);
  const onEnvelope = rnd() < 0.5;
  const i = int(rnd, OPS.length);
  const decl = `xmlns:${ns}="${MKTO}" xmlns:${xsi}="${XSI}"`;
  const body = BODIES[i](`${ns}:`, xsi).replace(/^(<\w+)(?= |>)/, (tag) => (onEnvelope ? tag : `${tag} ${decl}`));
  const header =
    rnd() < 0.5
      ? `<${env}:Header><${ns}:AuthenticationHeader${onEnvelope ? '' : ` xmlns:${ns}="${MKTO}"`}><mktowsUserId>u</mktowsUserId><requestSignature>0</requestSignature><requestTimestamp>2026-11-25T11:33:00+00:00</requestTimestamp></${ns}:AuthenticationHeader></${env}:Header>`
      : '';
  const params = `<${ns}:${OPS[i]}${onEnvelope ? '' : ` xmlns:${ns}="${MKTO}"`}>${body}</${ns}:${OPS[i]}>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\r\n<${env}:Envelope xmlns:${env}="${SOAP}"${onEnvelope ? ` ${decl}` : ''}>` +
    `${header}<${env}:Body>${params}</${env}:Body></${env}:Envelope>`
  );
}

const TEXTS = [
  '',
  'x',
  ' a b ',
  '&lt;&amp;&gt;&quot;&apos;',
  '&#65;&#x1F600;',
  'line\r\nbreak',
  '<![CDATA[c]]>',
  '<!--c-->',
];

/** A random tree: prefixes declared and redeclared at random depths, attributes, mixed content. */
function randomTree(rnd: Rnd, depth: number, prefixes: string[]): string {
  const decls: string[] = [];
  if (rnd() < 0.3) {
    const p = `p${int(rnd, 4)}`;
    decls.push(` xmlns:${p}="urn:${p}:${int(rnd, 3)}"`);
    if (!prefixes.includes(p)) prefixes = [...prefixes, p];
  }
  if (rnd() < 0.15) decls.push(rnd() < 0.5 ? ' xmlns=""' : ` xmlns="urn:d${int(rnd, 3)}"`);
  const p = prefixes.length > 0 && rnd() < 0.5 ? `${pick(rnd, prefixes)}:` : '';
  const name = `${p}e${int(rnd, 5)}`;
  let attrs = decls.join('');
  const nattrs = int(rnd, 4);
  for (let i = 0; i < nattrs; i++) {
    const ap = prefixes.length > 0 && rnd() < 0.3 ? `${pick(rnd, prefixes)}:` : '';
    attrs += ` ${ap}a${i}="${pick(rnd, ['1', 'v&amp;w', 'p0:t', '\t'])}"`;
  }
  if (depth === 0 || rnd() < 0.2) return `<${name}${attrs}/>`;
  let content = pick(rnd, TEXTS);
  const nkids = int(rnd, 4);
  for (let i = 0; i < nkids; i++) content += randomTree(rnd, depth - 1, prefixes) + pick(rnd, TEXTS);
  return `<${name}${attrs}>${content}</${name}>`;
}

/** The generated corpus: fixed, whatever the fuzz seed, so the oracle always covers it. */
export function generatedDocs(count: number): Doc[] {
  const rnd = prng(0x5eed);
  const docs: Doc[] = [];
  for (let i = 0; i < count; i++) {
    const text = i % 2 === 0 ? soapDoc(rnd) : randomTree(rnd, 5, []);
    docs.push({ name: `generated/${i}`, text });
  }
  return docs;
}

/** The client captures' bodies and the recorded XML of ../shared/reference. */
export function sharedDocs(sharedDir: string): Doc[] {
  const root = join(sharedDir, 'reference');
  const docs: Doc[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.http')) {
        const raw = readFileSync(p);
        docs.push({ name: relative(root, p), text: raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString('utf8') });
      } else if (f.endsWith('.xml')) docs.push({ name: relative(root, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(join(root, 'client-requests'));
  walk(join(root, 'recorded'));
  return docs;
}

// ------------------------------------------------------------------------------------------------
// Mutations.

const TOKENS = [
  '<',
  '>',
  '/',
  '/>',
  '"',
  "'",
  '=',
  ':',
  '&',
  '&amp;',
  '&#x41;',
  '&#0;',
  '&bogus;',
  ']]>',
  '<![CDATA[x]]>',
  '<!--c-->',
  '<?pi x?>',
  '<!DOCTYPE x>',
  ' xmlns="urn:x"',
  ' xmlns:ns1="urn:y"',
  ' xmlns:p=""',
  ' a="1"',
  ' xsi:type="ns1:LastUpdateAtSelector"',
  '\r\n',
  '\t',
  'é',
  '😀',
  '\uffff',
  '<a>',
  '</a>',
  '<p:a>',
  'x:y:z',
];

/** One to three edits: delete, duplicate or overwrite a short range, or insert a token. */
export function mutate(text: string, rnd: Rnd): string {
  let s = text;
  const edits = 1 + int(rnd, 3);
  for (let e = 0; e < edits; e++) {
    const at = int(rnd, s.length + 1);
    const len = 1 + int(rnd, 12);
    switch (int(rnd, 4)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + len);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + pick(rnd, TOKENS) + s.slice(at);
        break;
      default:
        s = s.slice(0, at) + pick(rnd, ['<', '>', '"', ' ', 'a', ':', '/', '&']) + s.slice(at + 1);
    }
  }
  return s;
}

// ------------------------------------------------------------------------------------------------
// The outcome of a parse, in a form two parser versions can be compared on.

/** What the canonical form reads of an element (both parser versions' trees have it). */
interface Tree {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly attrs: readonly { ns: string; local: string; prefix: string; value: string }[];
  readonly children: readonly Tree[];
  readonly text: string;
  readonly scope: unknown;
}

export interface ParserUnderTest {
  parseXml(text: string): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: each parser version has its own scope type.
  lookupNamespace(scope: any, prefix: string): string | undefined;
}

/**
 * Every element's name, attributes and text, and what each prefix the document mentions resolves
 * to in its scope: all that decoding reads of a tree (resolveQName goes through the scope).
 */
function canonical(root: Tree, text: string, parser: ParserUnderTest): string {
  const prefixes = ['', 'xml', ...new Set(Array.from(text.matchAll(/xmlns:([^\s=/>]+)/g), (m) => m[1]))].sort();
  const out: string[] = [];
  const walk = (el: Tree, depth: number) => {
    const scope = prefixes.map((p) => `${p}=${parser.lookupNamespace(el.scope, p) ?? '-'}`).join(' ');
    const attrs = el.attrs.map((a) => `{${a.ns}}${a.prefix}:${a.local}=${JSON.stringify(a.value)}`).join(' ');
    out.push(`${depth} {${el.ns}}${el.prefix}:${el.local} [${attrs}] ${JSON.stringify(el.text)} (${scope})`);
    for (const c of el.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return out.join('\n');
}

/** `ok` and the canonical tree, or the error's name and message. */
export function outcome(parser: ParserUnderTest, text: string): string {
  let root: Tree;
  try {
    root = parser.parseXml(text) as Tree;
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  return `ok\n${canonical(root, text, parser)}`;
}

export function digest(s: string): string {
  return createHash('sha1').update(s).digest('hex').slice(0, 16);
}

/** The seed and mutation count the oracle's mutation digests were taken with. */
export const ORACLE_SEED = 20261206;
export const MUTATIONS_PER_DOC = 8;
export const GENERATED_DOCS = 300;

/** Per document: [digest of its own outcome, digest of the outcomes of its mutations]. */
export type Oracle = Record<string, [string, string]>;

/** The oracle entry of one document: its outcome and its MUTATIONS_PER_DOC mutations' under `seed`. */
export function oracleEntry(parser: ParserUnderTest, doc: Doc, seed: number): [string, string] {
  const rnd = prng(seed ^ Number.parseInt(digest(doc.name).slice(0, 8), 16));
  const mutated: string[] = [];
  for (let i = 0; i < MUTATIONS_PER_DOC; i++) mutated.push(outcome(parser, mutate(doc.text, rnd)));
  return [digest(outcome(parser, doc.text)), digest(mutated.join('\n\0\n'))];
}
