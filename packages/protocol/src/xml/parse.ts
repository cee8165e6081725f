/**
 * A small, strict, namespace-aware XML parser for SOAP bodies. It builds a light element tree
 * (bodies are small, and the tree keeps the in-scope namespaces that `xsi:type` QNames need).
 *
 * Why not a library: the server's throughput target leaves no room for a general DOM, and the
 * security rules are simple to state here: a DOCTYPE is refused outright, so no entity other
 * than the five predefined ones and character references can ever expand.
 */

import { XML_LIMITS, type XmlLimits } from './limits.js';
import { Bindings, lookupNamespace, type NsScope, ROOT_SCOPE } from './namespaces.js';

export { lookupNamespace, type NsScope, XML_NS, XMLNS_NS } from './namespaces.js';

export class XmlError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at offset ${position}`);
    this.name = 'XmlError';
  }
}

/** A document that breaks one of the XmlLimits: well-formed or not, it is refused there. */
export class XmlLimitError extends XmlError {
  constructor(message: string, position: number) {
    super(message, position);
    this.name = 'XmlLimitError';
  }
}

export interface XmlAttr {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  readonly value: string;
}

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  /** Shared and frozen when empty. */
  readonly attrs: readonly XmlAttr[];
  /** Shared and frozen when empty. */
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element (entities decoded, CDATA included). */
  text: string;
  readonly scope: NsScope;
}

/** Resolves a QName such as `ns1:LastUpdateAtSelector` against an element's scope. */
export function resolveQName(el: XmlElement, qname: string): { ns: string; local: string } | undefined {
  const i = qname.indexOf(':');
  const prefix = i < 0 ? '' : qname.slice(0, i);
  const local = i < 0 ? qname : qname.slice(i + 1);
  const ns = lookupNamespace(el.scope, prefix);
  if (ns === undefined && prefix !== '') return undefined;
  return { ns: ns ?? '', local };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
// Characters that XML 1.0 forbids anywhere in a document.
const INVALID_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Decodes the five predefined entities and character references; anything else is an error. */
function decodeEntities(s: string, pos: number): string {
  let out = '';
  let last = 0;
  let i = s.indexOf('&');
  while (i >= 0) {
    const semi = s.indexOf(';', i + 1);
    if (semi < 0 || semi - i > 12) throw new XmlError('unterminated entity reference', pos + i);
    const name = s.slice(i + 1, semi);
    let rep: string;
    switch (name) {
      case 'lt':
        rep = '<';
        break;
      case 'gt':
        rep = '>';
        break;
      case 'amp':
        rep = '&';
        break;
      case 'quot':
        rep = '"';
        break;
      case 'apos':
        rep = "'";
        break;
      default: {
        let cp = Number.NaN;
        if (/^#[0-9]+$/.test(name)) cp = Number.parseInt(name.slice(1), 10);
        else if (/^#x[0-9A-Fa-f]+$/.test(name)) cp = Number.parseInt(name.slice(2), 16);
        else throw new XmlError(`undefined entity &${name};`, pos + i);
        if (!isXmlChar(cp)) throw new XmlError(`character reference &${name}; is not an XML character`, pos + i);
        rep = String.fromCodePoint(cp);
      }
    }
    out += s.slice(last, i) + rep;
    last = semi + 1;
    i = s.indexOf('&', last);
  }
  return out + s.slice(last);
}

function normalizeText(raw: string, pos: number): string {
  let t = raw;
  if (t.indexOf('\r') >= 0) t = t.replace(/\r\n?/g, '\n');
  if (t.indexOf('&') >= 0) t = decodeEntities(t, pos);
  return t;
}

interface RawAttr {
  name: string;
  value: string;
}

/** Decodes UTF-8 bytes (refusing anything else) and parses the document. */
export function parseXmlBytes(bytes: Uint8Array, limits: XmlLimits = XML_LIMITS): XmlElement {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new XmlError('the body is not valid UTF-8', 0);
  }
  return parseXml(text, limits);
}

/** A name that failed the quick checks: the same messages for start tags, end tags and attributes. */
function checkName(name: string, pos: number): void {
  if (name.length === 0) throw new XmlError('expected a name', pos);
  const c = name.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x3a) {
    throw new XmlError(`invalid name "${name}"`, pos);
  }
  const colon = name.indexOf(':');
  if (colon >= 0 && (name.indexOf(':', colon + 1) >= 0 || colon === name.length - 1)) {
    throw new XmlError(`invalid qualified name "${name}"`, pos);
  }
}

/**
 * The characters that end a name: whitespace and > / = < " ' &. All of them are below 0x3f, so a
 * name scan looks a character up here only when it is that small.
 */
const NAME_END = new Uint8Array(0x3f);
for (const c of ' \n\t\r>/=<"\'&') NAME_END[c.charCodeAt(0)] = 1;

/** The end of the name that starts at pos: a run of characters up to a NAME_END one or the end. */
function nameEnd(s: string, pos: number, n: number): number {
  while (pos < n) {
    const c = s.charCodeAt(pos);
    if (c < 0x3f && NAME_END[c] === 1) break;
    pos++;
  }
  return pos;
}

/**
 * Where the end tag's name at p ends when it is `name` (followed by a character that ends names,
 * or by the end), else -1. A slice and === is cheaper than startsWith at a position in V8.
 */
function spelled(s: string, p: number, n: number, name: string): number {
  const q = p + name.length;
  if (q > n || s.slice(p, q) !== name) return -1;
  if (q < n) {
    const c = s.charCodeAt(q);
    if (!(c < 0x3f && NAME_END[c] === 1)) return -1;
  }
  return q;
}

const COMMON_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** The index of the next `what` at or after from, or n when there is none. */
function indexOrEnd(s: string, what: string, from: number, n: number): number {
  const i = s.indexOf(what, from);
  return i < 0 ? n : i;
}

/**
 * A comment, CDATA section, processing instruction or XML declaration at pos (kept out of the
 * element loop, which they would only slow down): checks it and returns where it ends. CDATA is
 * appended to `top`'s text.
 */
function skipMarkup(s: string, pos: number, c1: number, top: XmlElement | undefined, start0: number): number {
  if (c1 === 0x21 /* ! */) {
    if (s.startsWith('<!--', pos)) {
      const end = s.indexOf('-->', pos + 4);
      if (end < 0) throw new XmlError('unterminated comment', pos);
      if (s.slice(pos + 4, end).indexOf('--') >= 0) throw new XmlError("'--' inside a comment", pos);
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', pos)) {
      if (top === undefined) throw new XmlError('CDATA outside the root element', pos);
      const end = s.indexOf(']]>', pos + 9);
      if (end < 0) throw new XmlError('unterminated CDATA section', pos);
      const raw = s.slice(pos + 9, end);
      top.text += raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
      return end + 3;
    }
    if (s.startsWith('<!DOCTYPE', pos)) throw new XmlError('a DOCTYPE is not allowed', pos);
    throw new XmlError('unexpected markup declaration', pos);
  }
  // The declaration nearly every SOAP stack writes, accepted without taking it apart.
  if (pos === start0 && s.startsWith(COMMON_DECLARATION, pos)) return pos + COMMON_DECLARATION.length;
  const end = s.indexOf('?>', pos + 2);
  if (end < 0) throw new XmlError('unterminated processing instruction', pos);
  const body = s.slice(pos + 2, end);
  const target = /^[^\s?]+/.exec(body)?.[0] ?? '';
  if (target.toLowerCase() === 'xml') {
    if (target !== 'xml' || pos > start0) {
      throw new XmlError('XML declaration not at the start of the document', pos);
    }
    const enc = /\sencoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
    if (enc !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(enc)) {
      throw new XmlError(`encoding "${enc}" is not supported; send UTF-8`, pos);
    }
  }
  return end + 2;
}

/**
 * An end tag other than `</name>` right after its content (whitespace before '>', or not the open
 * element's name): checks it and returns where it ends.
 */
function endTag(s: string, start: number, n: number, open: string | undefined, limits: XmlLimits): number {
  const p = start + 2;
  // A name equal to its start tag's was checked there; any other is checked before it is refused.
  let q = open === undefined ? -1 : spelled(s, p, n, open);
  const same = q >= 0;
  if (!same) {
    q = nameEnd(s, p, n);
    checkNameLength(q - p, limits, p);
    checkName(s.slice(p, q), p);
  }
  let pos = q;
  while (pos < n && isWs(s.charCodeAt(pos))) pos++;
  if (s.charCodeAt(pos) !== 0x3e) throw new XmlError('expected > to close the end tag', pos);
  pos++;
  if (open === undefined) throw new XmlError(`unexpected end tag </${s.slice(p, q)}>`, start);
  if (!same) throw new XmlError(`end tag </${s.slice(p, q)}> does not match <${open}>`, start);
  return pos;
}

/** The attributes of a start tag and where the tag ends (kept out of the element loop). */
interface TagRest {
  attrs: RawAttr[] | undefined;
  selfClosing: boolean;
  end: number;
}

/**
 * Up to this many attributes, a duplicate is looked for by scanning the earlier ones (the usual
 * 0–3 cost nothing more); past it, in a Set, so that an element's attributes cost linear time.
 */
const SCAN_MAX = 8;

/** Refuses a name longer than the limit, before it is sliced or echoed into a message. */
function checkNameLength(length: number, limits: XmlLimits, pos: number): void {
  if (length > limits.maxNameLength) throw new XmlLimitError(`name length exceeds ${limits.maxNameLength}`, pos);
}

/** Reads the rest of a start tag after its name s[p, q): attributes, then > or />. */
function readAttributes(
  s: string,
  pos: number,
  n: number,
  p: number,
  q: number,
  tagStart: number,
  limits: XmlLimits,
): TagRest {
  let rawAttrs: RawAttr[] | undefined;
  let names: Set<string> | undefined;
  let selfClosing = false;
  let c: number;
  for (;;) {
    const before = pos;
    while (pos < n && isWs(s.charCodeAt(pos))) pos++;
    c = s.charCodeAt(pos);
    if (c === 0x3e) {
      pos++;
      break;
    }
    if (c === 0x2f) {
      if (s.charCodeAt(pos + 1) !== 0x3e) throw new XmlError('expected />', pos);
      pos += 2;
      selfClosing = true;
      break;
    }
    if (pos >= n) throw new XmlError(`unterminated start tag <${s.slice(p, q)}`, tagStart);
    if (pos === before) throw new XmlError('expected whitespace before an attribute', pos);
    if (rawAttrs !== undefined && rawAttrs.length >= limits.maxAttributes) {
      throw new XmlLimitError(`attributes on one element exceed ${limits.maxAttributes}`, pos);
    }
    const astart = pos;
    pos = nameEnd(s, pos, n);
    checkNameLength(pos - astart, limits, astart);
    const aname = s.slice(astart, pos);
    checkName(aname, astart);
    while (pos < n && isWs(s.charCodeAt(pos))) pos++;
    if (s.charCodeAt(pos) !== 0x3d) throw new XmlError(`expected = after attribute ${aname}`, pos);
    pos++;
    while (pos < n && isWs(s.charCodeAt(pos))) pos++;
    const quote = s.charCodeAt(pos);
    if (quote !== 0x22 && quote !== 0x27) throw new XmlError(`attribute ${aname} value must be quoted`, pos);
    const vend = s.indexOf(quote === 0x22 ? '"' : "'", pos + 1);
    if (vend < 0) throw new XmlError(`unterminated value of attribute ${aname}`, pos);
    let raw = s.slice(pos + 1, vend);
    if (raw.indexOf('<') >= 0) throw new XmlError(`'<' in the value of attribute ${aname}`, pos);
    if (/[\t\n\r]/.test(raw)) raw = raw.replace(/\r\n|[\t\n\r]/g, ' ');
    if (rawAttrs === undefined) rawAttrs = [];
    else if (names !== undefined || rawAttrs.length >= SCAN_MAX) {
      if (names === undefined) names = new Set(rawAttrs.map((a) => a.name));
      if (names.has(aname)) throw new XmlError(`duplicate attribute ${aname}`, pos);
      names.add(aname);
    } else for (const a of rawAttrs) if (a.name === aname) throw new XmlError(`duplicate attribute ${aname}`, pos);
    rawAttrs.push({ name: aname, value: raw.indexOf('&') >= 0 ? decodeEntities(raw, pos + 1) : raw });
    pos = vend + 1;
  }
  return { attrs: rawAttrs, selfClosing, end: pos };
}

function isDeclaration(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:');
}

/**
 * Applies an element's namespace declarations (before its name and attributes are resolved) and
 * returns its scope: the parent's when it declares nothing.
 */
function declare(
  rawAttrs: RawAttr[],
  parentScope: NsScope,
  bindings: Bindings,
  limits: XmlLimits,
  tagStart: number,
): NsScope {
  let decls: string[] | undefined;
  for (const a of rawAttrs) {
    if (!isDeclaration(a.name)) continue;
    const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
    if (prefix !== '' && a.value === '') throw new XmlError(`prefix ${prefix} cannot be undeclared`, tagStart);
    if (decls === undefined) decls = [];
    else if (decls.length >= 2 * limits.maxDeclarations) {
      throw new XmlLimitError(`namespace declarations on one element exceed ${limits.maxDeclarations}`, tagStart);
    }
    decls.push(prefix, a.value);
    bindings.bind(prefix, a.value);
  }
  return decls === undefined ? parentScope : { parent: parentScope, decls };
}

/** The attributes other than namespace declarations, with their namespaces resolved. */
function qualify(rawAttrs: RawAttr[], bindings: Bindings, tagStart: number): XmlAttr[] {
  const attrs: XmlAttr[] = [];
  // The prefixed attributes so far, by `{ns}local`, once there are more than SCAN_MAX.
  let expanded: Set<string> | undefined;
  let prefixed = 0;
  for (const a of rawAttrs) {
    if (isDeclaration(a.name)) continue;
    const ac = a.name.indexOf(':');
    if (ac < 0) {
      attrs.push({ ns: '', local: a.name, prefix: '', value: a.value });
      continue;
    }
    const ap = a.name.slice(0, ac);
    const ans = bindings.lookup(ap);
    if (ans === undefined) throw new XmlError(`undeclared namespace prefix "${ap}"`, tagStart);
    const alocal = a.name.slice(ac + 1);
    // Namespaces in XML §6.3: two prefixes bound to one URI must not name the same attribute twice.
    // Only prefixed attributes can collide: a prefix is never bound to no namespace.
    let duplicate: boolean;
    if (expanded === undefined && prefixed < SCAN_MAX) {
      duplicate = attrs.some((b) => b.ns === ans && b.local === alocal);
    } else {
      if (expanded === undefined) {
        expanded = new Set();
        for (const b of attrs) if (b.prefix !== '') expanded.add(`{${b.ns}}${b.local}`);
      }
      const key = `{${ans}}${alocal}`;
      duplicate = expanded.has(key);
      expanded.add(key);
    }
    if (duplicate) throw new XmlError(`duplicate attribute {${ans}}${alocal}`, tagStart);
    prefixed++;
    attrs.push({ ns: ans, local: alocal, prefix: ap, value: a.value });
  }
  return attrs;
}

/** An element while its children are being read: the first child replaces NO_CHILDREN. */
type Building = Omit<XmlElement, 'children'> & { children: readonly XmlElement[] };

/** What every element without attributes or children shares, frozen so that no one adds to it. */
const NO_ATTRS: readonly XmlAttr[] = Object.freeze([]);
const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);

/**
 * Parses a document in one pass: names are scanned over char codes and sliced once (local name,
 * prefix), an end tag is compared with its start tag's name, and text is found by native scans
 * for '<' and sliced as is unless it holds '&' or CR.
 */
export function parseXml(input: string, limits: XmlLimits = XML_LIMITS): XmlElement {
  const s = input;
  const n = s.length;
  let pos = 0;
  if (s.charCodeAt(0) === 0xfeff) pos = 1;
  const start0 = pos;
  // One native scan up front, so that a forbidden character is reported before any other error.
  const bad = INVALID_CHAR.exec(s);
  if (bad)
    throw new XmlError(
      `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML`,
      bad.index,
    );

  let root: XmlElement | undefined;
  const stack: Building[] = [];
  // The qualified names of the open elements, as written.
  const names: string[] = [];
  const bindings = new Bindings();
  // Where the bindings stood before each open element's declarations, restored at its end tag.
  const marks: number[] = [];
  let depth = 0;
  let elements = 0;
  // The last namespace lookups: most elements share their scope and one of very few prefixes.
  let defScope: NsScope | undefined;
  let defNs: string | undefined;
  let preScope: NsScope | undefined;
  let prePrefix = '';
  let preNs = '';
  let nextAmp = -1;
  let nextCr = -1;
  let nextCdEnd = -1;

  while (pos < n) {
    let c = s.charCodeAt(pos);
    if (c !== 0x3c) {
      // Character data, up to the next '<'.
      const start = pos;
      if (depth === 0) {
        while (pos < n) {
          c = s.charCodeAt(pos);
          if (c === 0x3c) break;
          if (!isWs(c)) throw new XmlError('text outside the root element', start);
          pos++;
        }
        continue;
      }
      const lt = s.indexOf('<', pos);
      pos = lt < 0 ? n : lt;
      // Where the next '&', CR and ']]>' are, each found by one native scan and searched again only
      // once a text run has passed it: most runs need none of the three checks.
      if (nextCdEnd < start) nextCdEnd = indexOrEnd(s, ']]>', start, n);
      if (nextCdEnd < pos) throw new XmlError("']]>' in character data", start);
      if (nextAmp < start) nextAmp = indexOrEnd(s, '&', start, n);
      if (nextCr < start) nextCr = indexOrEnd(s, '\r', start, n);
      const raw = s.slice(start, pos);
      const top = stack[depth - 1];
      if (nextAmp < pos || nextCr < pos) top.text += normalizeText(raw, start);
      else top.text = top.text === '' ? raw : top.text + raw;
      continue;
    }
    const c1 = s.charCodeAt(pos + 1);
    if (c1 === 0x2f /* / */) {
      const p = pos + 2;
      const open = depth > 0 ? names[depth - 1] : undefined;
      if (open !== undefined) {
        // The usual end tag, `</name>` right after its content: one comparison.
        const gt = p + open.length;
        if (s.charCodeAt(gt) === 0x3e && s.slice(p, gt) === open) {
          pos = gt + 1;
          depth--;
          if (bindings.mark !== marks[depth]) bindings.restore(marks[depth]);
          continue;
        }
      }
      pos = endTag(s, pos, n, open, limits);
      depth--;
      if (bindings.mark !== marks[depth]) bindings.restore(marks[depth]);
      continue;
    }
    if (c1 === 0x21 /* ! */ || c1 === 0x3f /* ? */) {
      pos = skipMarkup(s, pos, c1, depth > 0 ? stack[depth - 1] : undefined, start0);
      continue;
    }
    // Start tag.
    if (depth === 0 && root) throw new XmlError('more than one root element', pos);
    if (depth >= limits.maxDepth) throw new XmlLimitError(`element depth exceeds ${limits.maxDepth}`, pos);
    // XmlLimits.charsPerElement, held by every part of the document read so far, so that a body
    // too dense in elements is refused within its first few kilobytes.
    if (++elements > limits.minElements && elements * limits.charsPerElement > pos) {
      throw new XmlLimitError(`elements exceed 1 per ${limits.charsPerElement} characters of the document`, pos);
    }
    const tagStart = pos;
    const p = pos + 1;
    // The name, with the quick checks of checkName: a first character that may start a name, at
    // most one colon and not at the end.
    let colon = -1;
    let valid = true;
    pos = p;
    while (pos < n) {
      c = s.charCodeAt(pos);
      if (c < 0x3f) {
        if (NAME_END[c] === 1) break;
        if (c === 0x3a) {
          if (colon >= 0) valid = false;
          colon = pos;
        }
      }
      pos++;
    }
    const q = pos;
    checkNameLength(q - p, limits, p);
    if (valid && q > p) {
      c = s.charCodeAt(p);
      if ((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || colon === p || colon === q - 1) valid = false;
    }
    if (!valid || q === p) checkName(s.slice(p, q), p);

    let rawAttrs: RawAttr[] | undefined;
    let selfClosing = false;
    c = s.charCodeAt(pos);
    if (c === 0x3e) {
      pos++;
    } else {
      const tag = readAttributes(s, pos, n, p, q, tagStart, limits);
      rawAttrs = tag.attrs;
      selfClosing = tag.selfClosing;
      pos = tag.end;
    }

    // Namespace declarations first: they apply to the element's own name and attributes.
    const parent = depth > 0 ? stack[depth - 1] : undefined;
    const parentScope = parent ? parent.scope : ROOT_SCOPE;
    const mark = bindings.mark;
    const scope = rawAttrs === undefined ? parentScope : declare(rawAttrs, parentScope, bindings, limits, tagStart);
    let prefix: string;
    let ns: string | undefined;
    let local: string;
    if (colon < 0) {
      prefix = '';
      // '$' is the default namespace's key.
      if (scope !== defScope) {
        defScope = scope;
        defNs = bindings.lookup('');
      }
      ns = defNs;
      local = s.slice(p, q);
    } else {
      if (scope === preScope && colon - p === prePrefix.length && s.startsWith(prePrefix, p)) {
        prefix = prePrefix;
        ns = preNs;
      } else {
        prefix = s.slice(p, colon);
        ns = bindings.lookup(prefix);
        if (ns === undefined) throw new XmlError(`undeclared namespace prefix "${prefix}"`, tagStart);
        preScope = scope;
        prePrefix = prefix;
        preNs = ns;
      }
      local = s.slice(colon + 1, q);
    }
    let attrs: readonly XmlAttr[] = NO_ATTRS;
    if (rawAttrs !== undefined) {
      const qualified = qualify(rawAttrs, bindings, tagStart);
      if (qualified.length > 0) attrs = qualified;
    }
    const el: Building = {
      ns: ns ?? '',
      local,
      prefix,
      attrs,
      children: NO_CHILDREN,
      text: '',
      scope,
    };
    if (parent === undefined) root = el;
    else if (parent.children === NO_CHILDREN) parent.children = [el];
    else (parent.children as XmlElement[]).push(el);
    if (selfClosing) {
      if (bindings.mark !== mark) bindings.restore(mark);
    } else {
      stack[depth] = el;
      names[depth] = colon < 0 ? local : s.slice(p, q);
      marks[depth] = mark;
      depth++;
    }
  }
  if (depth > 0) throw new XmlError(`unclosed element <${names[depth - 1]}>`, n);
  if (!root) throw new XmlError('no root element', n);
  return root;
}

/** The value of an attribute by namespace and local name. */
export function attr(el: XmlElement, ns: string, local: string): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}
