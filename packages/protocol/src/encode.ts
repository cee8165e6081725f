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
}

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

function fieldEncoder(f: FieldDef, version: Version): ContentEncoder {
  const open = `<${f.name}>`;
  const close = `</${f.name}>`;
  const empty = `<${f.name}/>`;
  const nil = `<${f.name} xsi:nil="true"/>`;
  const ft = getType(f.type);
  const isComplex = ft?.kind === 'complex';
  const isAbstract = isComplex && ft.abstract === true;
  // Looked up on first use, not here: a type may contain itself.
  let content: ContentEncoder | undefined;
  const one = (item: Value, st: EncodeState): void => {
    if (isComplex) {
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

/** A complete success envelope for an operation's result, as Marketo wrote it. */
export function encodeSuccess(op: OperationDef, result: Value, version: Version): string {
  const st: EncodeState = { out: '', usedXsi: false };
  contentEncoder(op.successType, version)({ [op.resultElement]: result }, st);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NAMESPACE}"${st.usedXsi ? XSI_DECL : ''}>` +
    `<SOAP-ENV:Body><ns1:${op.successElement}>${st.out}</ns1:${op.successElement}></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
  );
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
