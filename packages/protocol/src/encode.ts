/**
 * Schema-driven serialization: elements in schema order, unqualified children, `xsi:nil="true"`
 * for null nillable values, dateTimes as `YYYY-MM-DDThh:mm:ss+00:00`. Encoders are compiled once
 * per (type, version) so that the per-call work is a walk over the value, nothing more.
 */
import { formatDateTime } from './datetime.js';
import { complexType, getType } from './schema/index.js';
import { type FieldDef, inVersion, type Version } from './schema/model.js';
import { NAMESPACE, type OperationDef } from './schema/operations.js';
import { escapeText } from './xml/escape.js';

export interface EncodeState {
  /** The text so far: appending to a string (a rope, flattened once at the end) beats pushing to an array and joining. */
  out: string;
  /** Set when an xsi attribute was written, so the envelope declares the prefix. */
  usedXsi: boolean;
  /** Where encodeSuccessBytes puts text that is done with, when a large pre-encoded value comes. */
  sink?: ByteSink;
}

/**
 * UTF-8 bytes of a response as they are written, in a buffer kept from call to call. A large
 * response built as one string costs a flat copy of the whole text in V8's large-object space
 * (fresh pages from the kernel for each response) before its UTF-8 bytes can be made; written
 * here a piece at a time, each piece stays small.
 */
class ByteSink {
  private buf: Buffer;
  length: number;

  constructor(
    scratch: Buffer,
    /** Bytes left free at the start, for the envelope's opening, known only at the end. */
    readonly headRoom: number,
  ) {
    this.buf = scratch;
    this.length = headRoom;
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    if (this.buf.length - this.length < text.length * 3) this.grow(text.length * 3);
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  /** Moves the state's text so far into the bytes. */
  take(st: EncodeState): void {
    if (st.out.length) this.write(st.out);
    st.out = '';
  }

  /** The bytes from `start`, with `head` (ASCII) just before the text written, as a new Buffer. */
  finish(head: string): Buffer {
    const start = this.headRoom - head.length;
    this.buf.write(head, start, 'latin1');
    const out = Buffer.allocUnsafe(this.length - start);
    this.buf.copy(out, 0, start, this.length);
    return out;
  }

  get scratch(): Buffer {
    return this.buf;
  }

  private grow(need: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + need));
    this.buf.copy(bigger, 0, 0, this.length);
    this.buf = bigger;
  }
}

/** Kept between calls; one larger than this after a call is let go. */
let scratch: Buffer | undefined;
const SCRATCH_KEEP = 8 << 20;

// biome-ignore lint/suspicious/noExplicitAny: values are typed by the generated interfaces.
type Value = any;
type ContentEncoder = (v: Value, st: EncodeState) => void;

function simpleText(type: string, v: Value): string {
  switch (type) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'dateTime':
      return v instanceof Date ? formatDateTime(v) : escapeText(String(v));
    case 'int':
    case 'long':
    case 'integer':
      return String(v);
    case 'base64Binary':
      return Buffer.isBuffer(v) ? v.toString('base64') : escapeText(String(v));
    default:
      return escapeText(String(v));
  }
}

/**
 * The content of a complex value, already encoded for one version (escaped, in schema order): the
 * encoder writes it between the element's tags as it is. Bulk paths build it straight from stored
 * text, without an object per record; `preEncoded` makes one stand where the typed value goes.
 * Large content comes in pieces (each well under V8's large-object size), which
 * encodeSuccessBytes turns into bytes one at a time, so a piece must not end inside a surrogate
 * pair. Not for abstract types: the encoder would not know the `xsi:type` to write.
 */
export class EncodedContent {
  constructor(
    readonly pieces: readonly string[],
    readonly version: Version,
    /** The content has an xsi attribute, so the envelope must declare the prefix. */
    readonly usedXsi: boolean,
  ) {}

  /** The content as one string. */
  get xml(): string {
    let xml = '';
    for (const piece of this.pieces) xml += piece;
    return xml;
  }
}

/**
 * Content as the value of a complex field of type T, for encoding at `version`: the pieces given,
 * then the state's text (whose usedXsi also counts).
 */
export function preEncoded<T extends object>(st: EncodeState, version: Version, pieces: string[] = []): T {
  if (st.out.length) pieces.push(st.out);
  return new EncodedContent(pieces, version, st.usedXsi) as unknown as T;
}

function writeEncoded(item: EncodedContent, open: string, close: string, version: Version, st: EncodeState): void {
  if (item.version !== version) {
    throw new Error(`content encoded for version ${item.version} cannot be written at version ${version}`);
  }
  if (item.usedXsi) st.usedXsi = true;
  st.out += open;
  if (st.sink && item.pieces.length > 1) {
    st.sink.take(st);
    for (const piece of item.pieces) st.sink.write(piece);
  } else for (const piece of item.pieces) st.out += piece;
  st.out += close;
}

const cache = new Map<string, ContentEncoder>();

/** Encodes the children of a complex value (the element's content, not its tags). */
export function contentEncoder(typeName: string, version: Version): ContentEncoder {
  const key = `${typeName}@${version}`;
  let enc = cache.get(key);
  if (enc) return enc;
  const t = complexType(typeName);
  if (t.abstract) {
    // Polymorphic value: the concrete type comes from `xsiType`.
    const byType = new Map<string, ContentEncoder>();
    enc = (v, st) => {
      let sub = byType.get(v.xsiType);
      if (!sub) {
        sub = contentEncoder(v.xsiType, version);
        byType.set(v.xsiType, sub);
      }
      sub(v, st);
    };
    cache.set(key, enc);
    return enc;
  }
  const fields = t.fields.filter((f) => inVersion(f, version));
  const steps = fields.map((f) => fieldEncoder(f, version));
  enc = (v, st) => {
    for (const step of steps) step(v, st);
  };
  cache.set(key, enc);
  return enc;
}

/** What the encoder writes for an element: around content, for empty content, for nil (which uses xsi). */
export interface ElementTags {
  readonly open: string;
  readonly close: string;
  readonly empty: string;
  readonly nil: string;
}

/** The tags of an element, for paths that write a type's elements themselves. */
export function elementTags(name: string): ElementTags {
  return { open: `<${name}>`, close: `</${name}>`, empty: `<${name}/>`, nil: `<${name} xsi:nil="true"/>` };
}

function fieldEncoder(f: FieldDef, version: Version): ContentEncoder {
  const { open, close, empty, nil } = elementTags(f.name);
  const ft = getType(f.type);
  const isComplex = ft?.kind === 'complex';
  const isAbstract = isComplex && ft.abstract === true;
  // Looked up on first use, not here: a type may contain itself.
  let content: ContentEncoder | undefined;
  const one = (item: Value, st: EncodeState): void => {
    if (isComplex) {
      if (item instanceof EncodedContent) {
        if (isAbstract) throw new Error(`${f.type} is abstract: its content cannot be given pre-encoded`);
        writeEncoded(item, open, close, version, st);
        return;
      }
      if (isAbstract) {
        st.usedXsi = true;
        st.out += `<${f.name} xsi:type="ns1:${item.xsiType}">`;
      } else st.out += open;
      content ??= contentEncoder(f.type, version);
      content(item, st);
      st.out += close;
    } else {
      const text = simpleText(f.type, item);
      st.out += text === '' ? empty : open + text + close;
    }
  };
  const name = f.name;
  if (f.many) {
    return (v, st) => {
      const items = v[name];
      if (items) for (const item of items) one(item, st);
    };
  }
  return (v, st) => {
    const item = v[name];
    if (item === undefined || item === null) {
      if (item === null && f.nillable) {
        st.usedXsi = true;
        st.out += nil;
      } else if (item === undefined && f.optional) {
        // absent
      } else if (f.nillable) {
        st.usedXsi = true;
        st.out += nil;
      } else if (!f.optional) {
        st.out += empty;
      }
      return;
    }
    one(item, st);
  };
}

const XSI_DECL = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function successOpen(op: OperationDef, usedXsi: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NAMESPACE}"${usedXsi ? XSI_DECL : ''}>` +
    `<SOAP-ENV:Body><ns1:${op.successElement}>`
  );
}

function successClose(op: OperationDef): string {
  return `</ns1:${op.successElement}></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`;
}

/** A complete success envelope for an operation's result, as Marketo wrote it. */
export function encodeSuccess(op: OperationDef, result: Value, version: Version): string {
  const st: EncodeState = { out: '', usedXsi: false };
  contentEncoder(op.successType, version)({ [op.resultElement]: result }, st);
  return successOpen(op, st.usedXsi) + st.out + successClose(op);
}

/**
 * encodeSuccess's envelope as UTF-8 bytes: the same bytes as `Buffer.from(encodeSuccess(…))`,
 * made without the whole text as one string when the result holds large pre-encoded content.
 */
export function encodeSuccessBytes(op: OperationDef, result: Value, version: Version): Buffer {
  const headRoom = successOpen(op, true).length;
  // The scratch buffer is made once and kept: a 64 KiB allocation per call would cost more than a small response.
  scratch ??= Buffer.allocUnsafe(1 << 16);
  const sink = new ByteSink(scratch, headRoom);
  const st: EncodeState = { out: '', usedXsi: false, sink };
  contentEncoder(op.successType, version)({ [op.resultElement]: result }, st);
  if (sink.length === headRoom) return Buffer.from(successOpen(op, st.usedXsi) + st.out + successClose(op), 'utf8');
  sink.write(st.out + successClose(op));
  const bytes = sink.finish(successOpen(op, st.usedXsi));
  scratch = sink.scratch.length <= SCRATCH_KEEP ? sink.scratch : undefined;
  return bytes;
}

/** A request envelope (for clients): header elements, then the params element. */
export function encodeRequest(
  op: OperationDef,
  params: Value,
  version: Version,
  headers: { auth: Value; context?: Value },
): string {
  const st: EncodeState = { out: '', usedXsi: false };
  contentEncoder(op.paramsType, version)(params, st);
  const body = st.out;
  const hs: EncodeState = { out: '', usedXsi: false };
  contentEncoder('AuthenticationHeaderInfo', version)(headers.auth, hs);
  let header = `<ns1:AuthenticationHeader>${hs.out}</ns1:AuthenticationHeader>`;
  if (headers.context) {
    const cs: EncodeState = { out: '', usedXsi: false };
    contentEncoder('MktowsContextHeaderInfo', version)(headers.context, cs);
    header += `<ns1:MktowsContextHeader>${cs.out}</ns1:MktowsContextHeader>`;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NAMESPACE}"${st.usedXsi ? XSI_DECL : ''}>` +
    `<SOAP-ENV:Header>${header}</SOAP-ENV:Header>` +
    `<SOAP-ENV:Body><ns1:${op.paramsElement}>${body}</ns1:${op.paramsElement}></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}
