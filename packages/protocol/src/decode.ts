/**
 * Schema-driven decoding of request elements into plain objects. Lenient where clients differ
 * (element order, qualified or unqualified children, nil or empty optionals, boolean spelling,
 * `xsi:type` through any prefix, a selector without `xsi:type`), strict where the contract asks
 * for a fault (missing required values, bad lexical values, unknown enum tokens).
 */
import { parseXsdDateTime } from './datetime.js';
import { isLocalChild, XSI_NS } from './envelope.js';
import { echo } from './fault-echo.js';
import { FAULT, type FaultCode, MktowsFault } from './faults.js';
import { complexType, enumTypeDef, getType, subtypesOf } from './schema/index.js';
import type { ComplexTypeDef, FieldDef } from './schema/model.js';
import { NAMESPACE } from './schema/operations.js';
import { attr, resolveQName, type XmlElement } from './xml/parse.js';

// biome-ignore lint/suspicious/noExplicitAny: decoded values are typed by the generated interfaces.
export type Decoded = any;

/** Which fault a bad enum token raises (errors.md): LeadKeyRef 20102, ActivityType 20107, else 20110. */
const ENUM_FAULT: Readonly<Record<string, FaultCode>> = {
  LeadKeyRef: FAULT.LEAD_KEY_BAD,
  ActivityType: FAULT.ACTIVITY_KEY_BAD,
};

/** Which fault a missing required value raises: lead keys 20101, lead records 20104, else 20109. */
function missingFault(owner: string, f: FieldDef): FaultCode {
  if (f.type === 'LeadKey' || owner === 'LeadKey') return FAULT.LEAD_KEY_REQUIRED;
  if (f.type === 'LeadRecord' || f.type === 'ArrayOfLeadRecord') return FAULT.LEAD_DETAIL_REQUIRED;
  return FAULT.PARAMETER_REQUIRED;
}

function isNil(el: XmlElement): boolean {
  const v = attr(el, XSI_NS, 'nil');
  return v === 'true' || v === '1';
}

function isEmpty(el: XmlElement): boolean {
  return el.children.length === 0 && el.text.trim() === '';
}

const INT = /^\s*[+-]?\d+\s*$/;

/** `parent + suffix` names the value in faults; they are joined only when a fault is raised. */
function decodeSimple(el: XmlElement, type: string, parent: string, suffix = ''): Decoded {
  const text = el.text;
  switch (type) {
    case 'string':
    case 'anySimpleType':
      return text;
    case 'int':
    case 'long':
    case 'integer': {
      if (!INT.test(text))
        throw new MktowsFault(
          FAULT.BAD_PARAMETER_LEXICAL,
          `${parent}${suffix}: "${echo(text.trim())}" is not a valid ${type}`,
        );
      const n = Number(text.trim());
      const ok = type === 'int' ? n >= -2147483648 && n <= 2147483647 : Number.isSafeInteger(n);
      if (!ok)
        throw new MktowsFault(
          FAULT.BAD_PARAMETER_LEXICAL,
          `${parent}${suffix}: ${echo(text.trim())} is out of range for ${type}`,
        );
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      throw new MktowsFault(
        FAULT.BAD_PARAMETER_LEXICAL,
        `${parent}${suffix}: "${echo(text.trim())}" is not a valid boolean`,
      );
    }
    case 'dateTime': {
      const d = parseXsdDateTime(text);
      if (!d)
        throw new MktowsFault(
          FAULT.BAD_PARAMETER_LEXICAL,
          `${parent}${suffix}: "${echo(text.trim())}" is not a valid dateTime`,
        );
      return d;
    }
    case 'base64Binary':
      return Buffer.from(text.trim(), 'base64');
    default: {
      const e = enumTypeDef(type);
      if (!e) throw new Error(`no simple type ${type}`);
      const token = text.trim();
      if (!e.values.some((v) => v.value === token)) {
        throw new MktowsFault(
          ENUM_FAULT[type] ?? FAULT.BAD_PARAMETER,
          `${parent}${suffix}: "${echo(token)}" is not a valid ${type}`,
        );
      }
      return token;
    }
  }
}

/** Picks the concrete type of an abstract element: by xsi:type, else by the children it has. */
function concreteType(el: XmlElement, t: ComplexTypeDef, path: string): ComplexTypeDef {
  const subs = subtypesOf(t.name);
  const xsiType = attr(el, XSI_NS, 'type');
  if (xsiType !== undefined) {
    const q = resolveQName(el, xsiType.trim());
    const sub = q && (q.ns === NAMESPACE || q.ns === '') ? subs.find((s) => s.name === q.local) : undefined;
    if (!sub)
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `${path}: xsi:type "${echo(xsiType)}" is not one of ${subs.map((s) => s.name).join(', ')}`,
      );
    return sub;
  }
  // SOAP::WSDL never writes xsi:type: infer the subtype from the element names it carries.
  const names = new Set(el.children.map((c) => c.local));
  const sub = subs.find((s) => s.fields.some((f) => names.has(f.name)));
  if (!sub)
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `${path}: missing xsi:type; expected one of ${subs.map((s) => s.name).join(', ')}`,
    );
  return sub;
}

/** A field as the decoder reads it, with what depends only on the schema worked out once. */
interface FieldPlan {
  readonly f: FieldDef;
  /** The (concrete) type the field belongs to. */
  readonly owner: string;
  /** `.name`, appended to the path. */
  readonly suffix: string;
  readonly complex: boolean;
  /**
   * An empty element is a value, not absence: arrays, required strings, and a required element
   * whose type has only optional fields (getLeadChanges' `<startPosition/>` is a position with
   * nothing set, not a missing one).
   */
  readonly emptyIsValue: boolean;
}

/** The decoding view of a type's fields: every version's fields, the newest variant per name. */
const inputFieldsCache = new Map<string, FieldPlan[]>();
function inputFields(t: ComplexTypeDef): FieldPlan[] {
  let fields = inputFieldsCache.get(t.name);
  if (!fields) {
    const byName = new Map<string, FieldDef>();
    for (const f of t.fields) byName.set(f.name, f);
    fields = [...byName.values()].map((f) => {
      const ft = getType(f.type);
      const complex = ft?.kind === 'complex';
      return {
        f,
        owner: t.name,
        suffix: `.${f.name}`,
        complex,
        emptyIsValue:
          (complex && f.type.startsWith('ArrayOf')) ||
          (f.type === 'string' && !f.optional) ||
          (ft?.kind === 'complex' && !f.optional && ft.fields.every((x) => x.optional)),
      };
    });
    inputFieldsCache.set(t.name, fields);
  }
  return fields;
}

export function decodeComplex(el: XmlElement, typeName: string, path: string): Decoded {
  const out: Record<string, Decoded> = {};
  // Keyed by concrete type names only, so a hit needs no type lookup and no xsi:type.
  let fields = inputFieldsCache.get(typeName);
  if (fields === undefined) {
    let t = complexType(typeName);
    if (t.abstract) {
      t = concreteType(el, t, path);
      out.xsiType = t.name;
    }
    fields = inputFields(t);
  }
  const children = el.children;
  for (const plan of fields) {
    const f = plan.f;
    if (f.many) {
      const fpath = plan.complex ? path + plan.suffix : '';
      const items: Decoded[] = [];
      for (const c of children) {
        if (!isLocalChild(c, f.name) || isNil(c)) continue;
        items.push(plan.complex ? decodeComplex(c, f.type, fpath) : decodeSimple(c, f.type, path, plan.suffix));
      }
      out[f.name] = items;
      continue;
    }
    let child: XmlElement | undefined;
    for (const c of children) {
      if (isLocalChild(c, f.name)) {
        child = c;
        break;
      }
    }
    let value: Decoded;
    if (child && !isNil(child)) {
      if (!plan.emptyIsValue && isEmpty(child)) {
        value = undefined; // an empty optional element counts as absent
      } else {
        value = plan.complex
          ? decodeComplex(child, f.type, path + plan.suffix)
          : decodeSimple(child, f.type, path, plan.suffix);
      }
    }
    if (value === undefined) {
      // A required but nillable element sent as xsi:nil (importToList's campaignName) is a null value.
      if (!f.optional && f.nillable && child && isNil(child)) {
        out[f.name] = null;
        continue;
      }
      if (!f.optional) throw new MktowsFault(missingFault(plan.owner, f), `${path}${plan.suffix} is required`);
      continue;
    }
    out[f.name] = value;
  }
  return out;
}
