/**
 * Structural comparison of XML documents for the golden tests (golden-*.test.ts): our response
 * must have the STRUCTURE of a recorded Marketo response (element names and order at every level,
 * nil-ness, namespaces) while values, and how many items a list holds, may differ.
 */
import assert from 'node:assert/strict';
import { attr, type XmlElement, XSI_NS } from '@mktows/protocol';

/** Elements that repeat as the items of a list: compared as one list whose items share a shape. */
export const LIST_ITEMS: ReadonlySet<string> = new Set([
  'leadRecord',
  'attribute',
  'syncStatus',
  'integerItem',
  'leadStatus',
  'activityRecord',
  // MObjects and custom objects.
  'objects',
  'field',
  'mObject',
  'attrib',
  'typeAttrib',
  'mObjAssociation',
  'mObjStatus',
  'customObj',
  'syncCustomObjStatus',
]);

export interface ShapeOptions {
  /**
   * Lists whose items are compared one by one, in order (the counts must agree), instead of each
   * against the first recorded item: for lists whose recorded items differ among themselves, such
   * as describeMObject's fields, where some have a nil size and others not.
   */
  pairwise?: ReadonlySet<string>;
}

export function qname(el: XmlElement): string {
  return el.ns ? `{${el.ns}}${el.local}` : el.local;
}

export function isNil(el: XmlElement): boolean {
  const v = attr(el, XSI_NS, 'nil');
  return v === 'true' || v === '1';
}

interface Group {
  readonly name: string;
  readonly list: boolean;
  readonly items: XmlElement[];
}

/** Children in order, consecutive list items folded into one group. */
function groups(el: XmlElement): Group[] {
  const out: Group[] = [];
  for (const c of el.children) {
    const name = qname(c);
    const last = out[out.length - 1];
    if (last?.list && last.name === name) last.items.push(c);
    else out.push({ name, list: LIST_ITEMS.has(c.local), items: [c] });
  }
  return out;
}

const label = (g: Group) => (g.list ? `${g.name}*` : g.name);

/**
 * The structural differences of `actual` from `expected`, as readable lines (empty = same shape).
 * Compared: namespace and local name of every element, their order, xsi:nil. Ignored: text,
 * attributes other than xsi:nil, namespace prefixes and declarations, whitespace, comments, and how
 * many items a list holds (every actual item must have the shape of the first expected item).
 */
export function shapeDiff(
  expected: XmlElement,
  actual: XmlElement,
  path = `/${expected.local}`,
  opts: ShapeOptions = {},
): string[] {
  if (qname(expected) !== qname(actual)) return [`${path}: expected element ${qname(expected)}, got ${qname(actual)}`];
  const out: string[] = [];
  if (isNil(expected) !== isNil(actual)) {
    out.push(
      `${path}: expected ${isNil(expected) ? 'xsi:nil="true"' : 'no xsi:nil'}, got ${isNil(actual) ? 'xsi:nil="true"' : 'no xsi:nil'}`,
    );
  }
  const eg = groups(expected);
  const ag = groups(actual);
  const el = eg.map(label).join(', ');
  const al = ag.map(label).join(', ');
  if (el !== al) {
    out.push(`${path}: expected children [${el}], got [${al}]`);
    return out;
  }
  for (const [i, e] of eg.entries()) {
    const a = ag[i];
    const model = e.items[0];
    if (!e.list) {
      out.push(...shapeDiff(model, a.items[0], `${path}/${model.local}`, opts));
      continue;
    }
    if (opts.pairwise?.has(model.local)) {
      if (e.items.length !== a.items.length) {
        out.push(`${path}: expected ${e.items.length} ${model.local} items, got ${a.items.length}`);
        continue;
      }
      for (const [j, item] of a.items.entries()) {
        out.push(...shapeDiff(e.items[j], item, `${path}/${model.local}[${j}]`, opts));
      }
      continue;
    }
    // The recorded items must agree among themselves, or "the item shape" means nothing.
    for (const [j, item] of e.items.entries()) {
      if (j > 0) out.push(...shapeDiff(model, item, `${path}/${model.local}[${j}] (recorded)`, opts));
    }
    for (const [j, item] of a.items.entries()) {
      out.push(...shapeDiff(model, item, `${path}/${model.local}[${j}]`, opts));
    }
  }
  return out;
}

export function assertSameShape(recorded: XmlElement, ours: XmlElement, what: string, opts: ShapeOptions = {}): void {
  assert.deepEqual(
    shapeDiff(recorded, ours, `/${recorded.local}`, opts),
    [],
    `${what}: our response differs in structure`,
  );
}
