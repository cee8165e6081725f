/**
 * A small, strict, namespace-aware XML parser for SOAP bodies. It builds a light element tree
 * (bodies are small, and the tree keeps the in-scope namespaces that `xsi:type` QNames need).
 *
 * Why not a library: the server's throughput target leaves no room for a general DOM, and the
 * security rules are simple to state here: a DOCTYPE is refused outright, so no entity other
 * than the five predefined ones and character references can ever expand.
 */

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export class XmlError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at offset ${position}`);
    this.name = 'XmlError';
  }
}

/** Prefix → namespace URI, chained to the enclosing element's scope. Keys are `$prefix`. */
export type NsScope = Record<string, string>;

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
  readonly attrs: XmlAttr[];
  readonly children: XmlElement[];
  /** Character data directly inside this element (entities decoded, CDATA included). */
  text: string;
  readonly scope: NsScope;
}

const ROOT_SCOPE: NsScope = Object.assign(Object.create(null) as NsScope, { $xml: XML_NS, $xmlns: XMLNS_NS });

/** Resolves a prefix ('' = default namespace) in a scope; undefined when unbound. */
export function lookupNamespace(scope: NsScope, prefix: string): string | undefined {
  return scope[`$${prefix}`];
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

/** A run of name characters: up to whitespace, one of > / = < " ' &, or the end. */
const NAME_RUN = /[^ \n\t\r>/=<"'&]*/y;

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
export function parseXmlBytes(bytes: Uint8Array): XmlElement {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new XmlError('the body is not valid UTF-8', 0);
  }
  return parseXml(text);
}

export function parseXml(input: string): XmlElement {
  const s = input;
  const n = s.length;
  let pos = 0;
  if (s.charCodeAt(0) === 0xfeff) pos = 1;
  const bad = INVALID_CHAR.exec(s);
  if (bad)
    throw new XmlError(
      `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML`,
      bad.index,
    );

  let root: XmlElement | undefined;
  const stack: XmlElement[] = [];
  const rawNames: string[] = [];

  const skipWs = (): void => {
    while (pos < n && isWs(s.charCodeAt(pos))) pos++;
  };
  /** The name at pos, unchecked; a sticky regex scans it in one native call. */
  const readRawName = (): string => {
    const start = pos;
    NAME_RUN.lastIndex = pos;
    NAME_RUN.test(s);
    pos = NAME_RUN.lastIndex;
    return s.slice(start, pos);
  };
  const readName = (): string => {
    const start = pos;
    const name = readRawName();
    checkName(name, start);
    return name;
  };

  while (pos < n) {
    const lt = s.indexOf('<', pos);
    if (lt < 0 || lt > pos) {
      // Character data.
      const end = lt < 0 ? n : lt;
      const raw = s.slice(pos, end);
      if (stack.length === 0) {
        if (!/^[ \t\r\n]*$/.test(raw)) throw new XmlError('text outside the root element', pos);
      } else {
        if (raw.indexOf(']]>') >= 0) throw new XmlError("']]>' in character data", pos);
        const top = stack[stack.length - 1];
        top.text += normalizeText(raw, pos);
      }
      pos = end;
      continue;
    }
    // s[pos] === '<'
    const c1 = s.charCodeAt(pos + 1);
    if (c1 === 0x2f /* / */) {
      const start = pos;
      pos += 2;
      // A name equal to its start tag's was checked there; any other is checked before it is refused.
      const name = readRawName();
      const open = rawNames.pop();
      if (open !== name) checkName(name, start + 2);
      skipWs();
      if (s.charCodeAt(pos) !== 0x3e) throw new XmlError('expected > to close the end tag', pos);
      pos++;
      if (open === undefined) throw new XmlError(`unexpected end tag </${name}>`, start);
      if (open !== name) throw new XmlError(`end tag </${name}> does not match <${open}>`, start);
      stack.pop();
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (s.startsWith('<!--', pos)) {
        const end = s.indexOf('-->', pos + 4);
        if (end < 0) throw new XmlError('unterminated comment', pos);
        if (s.slice(pos + 4, end).indexOf('--') >= 0) throw new XmlError("'--' inside a comment", pos);
        pos = end + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', pos)) {
        if (stack.length === 0) throw new XmlError('CDATA outside the root element', pos);
        const end = s.indexOf(']]>', pos + 9);
        if (end < 0) throw new XmlError('unterminated CDATA section', pos);
        const raw = s.slice(pos + 9, end);
        stack[stack.length - 1].text += raw.indexOf('\r') >= 0 ? raw.replace(/\r\n?/g, '\n') : raw;
        pos = end + 3;
        continue;
      }
      if (s.startsWith('<!DOCTYPE', pos)) throw new XmlError('a DOCTYPE is not allowed', pos);
      throw new XmlError('unexpected markup declaration', pos);
    }
    if (c1 === 0x3f /* ? */) {
      const end = s.indexOf('?>', pos + 2);
      if (end < 0) throw new XmlError('unterminated processing instruction', pos);
      const body = s.slice(pos + 2, end);
      const target = /^[^\s?]+/.exec(body)?.[0] ?? '';
      if (target.toLowerCase() === 'xml') {
        if (target !== 'xml' || pos > (s.charCodeAt(0) === 0xfeff ? 1 : 0)) {
          throw new XmlError('XML declaration not at the start of the document', pos);
        }
        const enc = /\sencoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
        if (enc !== undefined && !/^(utf-?8|us-ascii|ascii)$/i.test(enc)) {
          throw new XmlError(`encoding "${enc}" is not supported; send UTF-8`, pos);
        }
      }
      pos = end + 2;
      continue;
    }
    // Start tag.
    if (root && stack.length === 0) throw new XmlError('more than one root element', pos);
    const tagStart = pos;
    pos++;
    const name = readName();
    const rawAttrs: RawAttr[] = [];
    let selfClosing = false;
    for (;;) {
      const before = pos;
      skipWs();
      const c = s.charCodeAt(pos);
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
      if (pos >= n) throw new XmlError(`unterminated start tag <${name}`, tagStart);
      if (pos === before) throw new XmlError('expected whitespace before an attribute', pos);
      const aname = readName();
      skipWs();
      if (s.charCodeAt(pos) !== 0x3d) throw new XmlError(`expected = after attribute ${aname}`, pos);
      pos++;
      skipWs();
      const q = s.charCodeAt(pos);
      if (q !== 0x22 && q !== 0x27) throw new XmlError(`attribute ${aname} value must be quoted`, pos);
      const vend = s.indexOf(q === 0x22 ? '"' : "'", pos + 1);
      if (vend < 0) throw new XmlError(`unterminated value of attribute ${aname}`, pos);
      let raw = s.slice(pos + 1, vend);
      if (raw.indexOf('<') >= 0) throw new XmlError(`'<' in the value of attribute ${aname}`, pos);
      if (/[\t\n\r]/.test(raw)) raw = raw.replace(/\r\n|[\t\n\r]/g, ' ');
      for (const a of rawAttrs) if (a.name === aname) throw new XmlError(`duplicate attribute ${aname}`, pos);
      rawAttrs.push({ name: aname, value: raw.indexOf('&') >= 0 ? decodeEntities(raw, pos + 1) : raw });
      pos = vend + 1;
    }

    // Namespace declarations first: they apply to the element's own name and attributes.
    const parentScope = stack.length ? stack[stack.length - 1].scope : ROOT_SCOPE;
    let scope = parentScope;
    for (const a of rawAttrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        if (scope === parentScope) scope = Object.create(parentScope) as NsScope;
        const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
        if (prefix !== '' && a.value === '') throw new XmlError(`prefix ${prefix} cannot be undeclared`, tagStart);
        scope[`$${prefix}`] = a.value;
      }
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    // '$' is the default namespace's key: most elements have no prefix, and need no key built.
    const ns = scope[prefix === '' ? '$' : `$${prefix}`];
    if (ns === undefined && prefix !== '') throw new XmlError(`undeclared namespace prefix "${prefix}"`, tagStart);
    const attrs: XmlAttr[] = [];
    for (const a of rawAttrs) {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) continue;
      const ac = a.name.indexOf(':');
      if (ac < 0) {
        attrs.push({ ns: '', local: a.name, prefix: '', value: a.value });
      } else {
        const ap = a.name.slice(0, ac);
        const ans = scope[`$${ap}`];
        if (ans === undefined) throw new XmlError(`undeclared namespace prefix "${ap}"`, tagStart);
        const local = a.name.slice(ac + 1);
        // Namespaces in XML §6.3: two prefixes bound to one URI must not name the same attribute twice.
        if (attrs.some((b) => b.ns === ans && b.local === local)) {
          throw new XmlError(`duplicate attribute {${ans}}${local}`, tagStart);
        }
        attrs.push({ ns: ans, local, prefix: ap, value: a.value });
      }
    }
    const el: XmlElement = {
      ns: ns ?? '',
      local: colon < 0 ? name : name.slice(colon + 1),
      prefix,
      attrs,
      children: [],
      text: '',
      scope,
    };
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    if (!selfClosing) {
      stack.push(el);
      rawNames.push(name);
    }
  }
  if (stack.length) throw new XmlError(`unclosed element <${rawNames[rawNames.length - 1]}>`, n);
  if (!root) throw new XmlError('no root element', n);
  return root;
}

/** The value of an attribute by namespace and local name. */
export function attr(el: XmlElement, ns: string, local: string): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}
