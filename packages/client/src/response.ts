/**
 * Reading a response: the success element's result, decoded by the protocol's schema decoder, or
 * the fault's faultcode, faultstring and detail/serviceException/{message,code}; anything else is
 * not a SOAP answer.
 *
 * Results and nil: the protocol's decoder treats `xsi:nil` on an optional field as absent, so such
 * a field comes back missing (not null); a *required* nillable field sent as nil (MObjStatus.id,
 * most of MObjFieldMetadata) comes back as null, as its generated type says. The protocol's
 * decoder is strict because it validates requests; when it rejects a result (an enum token this
 * schema does not know, a required field missing or nil), the client reads the result leniently
 * instead of failing the call: the same shapes, unknown tokens kept as text, nil required fields
 * as null, missing ones left out.
 */
import {
  attr,
  complexType,
  type Decoded,
  decodeComplex,
  type FieldDef,
  getType,
  isLocalChild,
  MktowsFault,
  NAMESPACE,
  type OperationDef,
  parseXml,
  parseXsdDateTime,
  resolveQName,
  SOAP_ENV_NS,
  subtypesOf,
  type XmlElement,
  XSI_NS,
} from '@mktows/protocol';

export type Parsed =
  | { kind: 'result'; value: Decoded }
  | { kind: 'fault'; code: number; faultcode: string; faultstring: string; detail: string }
  | { kind: 'unexpected'; reason: string; cause?: unknown };

function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

export function parseResponse(op: OperationDef, status: number, text: string): Parsed {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    return { kind: 'unexpected', reason: `the body is not XML (${(e as Error).message})`, cause: e };
  }
  if (root.ns !== SOAP_ENV_NS || root.local !== 'Envelope') {
    return { kind: 'unexpected', reason: `the body is <${root.local}>, not a SOAP 1.1 Envelope` };
  }
  const body = root.children.find((c) => c.ns === SOAP_ENV_NS && c.local === 'Body');
  const el = body?.children[0];
  if (!el) return { kind: 'unexpected', reason: 'the SOAP Body is missing or empty' };
  if (el.ns === SOAP_ENV_NS && el.local === 'Fault') {
    const faultcode = child(el, 'faultcode')?.text.trim() ?? '';
    const faultstring = child(el, 'faultstring')?.text.trim() ?? '';
    const detail = child(el, 'detail');
    const exception = detail ? child(detail, 'serviceException') : undefined;
    const codeText = (exception && child(exception, 'code')?.text.trim()) || /^\s*(\d+)/.exec(faultstring)?.[1] || '';
    const code = /^\d+$/.test(codeText) ? Number(codeText) : 0;
    const message = (exception && child(exception, 'message')?.text.trim()) || faultstring;
    return { kind: 'fault', code, faultcode, faultstring, detail: message };
  }
  if (status !== 200) return { kind: 'unexpected', reason: `HTTP ${status} without a SOAP fault` };
  if (el.ns !== NAMESPACE || el.local !== op.successElement) {
    return { kind: 'unexpected', reason: `expected ${op.successElement}, got <${el.local}>` };
  }
  const resultEl = el.children.find((c) => isLocalChild(c, op.resultElement));
  if (!resultEl) return { kind: 'unexpected', reason: `${op.successElement} has no ${op.resultElement}` };
  try {
    return { kind: 'result', value: decodeResult(resultEl, op.resultType, `${op.successElement}.${op.resultElement}`) };
  } catch (e) {
    return { kind: 'unexpected', reason: `the result does not match the schema (${(e as Error).message})`, cause: e };
  }
}

/** The protocol's decoder first; the lenient reading when it rejects the result (see above). */
export function decodeResult(el: XmlElement, typeName: string, path: string): Decoded {
  try {
    return decodeComplex(el, typeName, path);
  } catch (e) {
    if (!(e instanceof MktowsFault)) throw e;
    return lenient(el, typeName, path);
  }
}

function isNil(el: XmlElement): boolean {
  const v = attr(el, XSI_NS, 'nil');
  return v === 'true' || v === '1';
}

function lenient(el: XmlElement, typeName: string, path: string): Decoded {
  let t = complexType(typeName);
  const out: Record<string, Decoded> = {};
  if (t.abstract) {
    const xsiType = attr(el, XSI_NS, 'type');
    const q = xsiType ? resolveQName(el, xsiType.trim()) : undefined;
    const sub = subtypesOf(t.name).find((s) => s.name === q?.local);
    if (!sub) throw new Error(`${path}: unknown xsi:type ${xsiType ?? '(none)'}`);
    t = sub;
    out.xsiType = t.name;
  }
  // The newest definition of each field name (as the protocol's decoder reads them).
  const fields = new Map<string, FieldDef>();
  for (const f of t.fields) fields.set(f.name, f);
  for (const f of fields.values()) {
    const matching = el.children.filter((c) => isLocalChild(c, f.name));
    if (f.many) {
      out[f.name] = matching.filter((c) => !isNil(c)).map((c) => value(c, f, `${path}.${f.name}`));
      continue;
    }
    const c = matching[0];
    if (!c) continue;
    if (isNil(c)) {
      if (!f.optional) out[f.name] = null;
      continue;
    }
    const v = value(c, f, `${path}.${f.name}`);
    if (v !== undefined) out[f.name] = v;
  }
  return out;
}

function value(el: XmlElement, f: FieldDef, path: string): Decoded {
  if (getType(f.type)?.kind === 'complex') return lenient(el, f.type, path);
  const text = el.text;
  switch (f.type) {
    case 'int':
    case 'long':
    case 'integer': {
      if (text.trim() === '') return undefined;
      const n = Number(text.trim());
      if (!Number.isInteger(n)) throw new Error(`${path}: "${text.trim()}" is not an integer`);
      return n;
    }
    case 'boolean': {
      const b = text.trim().toLowerCase();
      if (b === '') return undefined;
      if (b !== 'true' && b !== 'false' && b !== '1' && b !== '0') throw new Error(`${path}: "${b}" is not a boolean`);
      return b === 'true' || b === '1';
    }
    case 'dateTime': {
      if (text.trim() === '') return undefined;
      const d = parseXsdDateTime(text);
      if (!d) throw new Error(`${path}: "${text.trim()}" is not a dateTime`);
      return d;
    }
    case 'base64Binary':
      return Buffer.from(text.trim(), 'base64');
    case 'string':
    case 'anySimpleType':
      return text;
    default:
      return text.trim(); // an enum token, kept even if this schema does not know it
  }
}
