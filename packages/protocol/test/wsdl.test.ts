import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NAMESPACE, OPERATIONS, VERSIONS, type Version } from '../src/schema/index.js';
import { generateWsdl } from '../src/wsdl.js';
import { attr, lookupNamespace, parseXml, resolveQName, type XmlElement } from '../src/xml/parse.js';

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const SOAP_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
const XS_NS = 'http://www.w3.org/2001/XMLSchema';
const URL = 'https://123-ABC-456.mktoapi.com/soap/mktows/3_1';

function kids(el: XmlElement, ns: string, local?: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && (local === undefined || c.local === local));
}
function one(el: XmlElement, ns: string, local: string): XmlElement {
  const found = kids(el, ns, local);
  assert.equal(found.length, 1, `<${el.local}> should have one <${local}>`);
  return found[0];
}
function a(el: XmlElement, name: string): string | undefined {
  return attr(el, '', name);
}
/** A QName attribute as `xs:x` / `tns:x`, whatever prefixes the document bound. */
function q(el: XmlElement, name: string): string | undefined {
  const v = a(el, name);
  if (v === undefined) return undefined;
  const r = resolveQName(el, v);
  assert.ok(r, `unbound prefix in ${name}="${v}"`);
  if (r.ns === XS_NS) return `xs:${r.local}`;
  if (r.ns === NAMESPACE) return `tns:${r.local}`;
  return `{${r.ns}}${r.local}`;
}
function all(el: XmlElement, ns: string, local: string, out: XmlElement[] = []): XmlElement[] {
  if (el.ns === ns && el.local === local) out.push(el);
  for (const c of el.children) all(c, ns, local, out);
  return out;
}

interface ComplexShape {
  abstract: boolean;
  base: string | undefined;
  /** `name type min..max` plus ` nillable`, with the XSD defaults filled in. */
  fields: string[];
}

/** What clients generate code from, with comments, documentation and formatting left out. */
interface WsdlShape {
  definitions: Record<string, string | undefined>;
  complexTypes: Record<string, ComplexShape>;
  simpleTypes: Record<string, string[]>;
  elements: Record<string, string | undefined>;
  messages: Record<string, string[]>;
  portType: string[];
  binding: string[];
  operations: Record<string, { soapAction?: string; style?: string; input: string[]; output: string[] }>;
  service: string[];
  faults: number;
}

function sequenceFields(seq: XmlElement | undefined): string[] {
  if (!seq) return [];
  return seq.children.map((e) => {
    assert.equal(e.local, 'element', `unexpected <${e.local}> in a sequence`);
    const nillable = (a(e, 'nillable') ?? 'false') === 'true' ? ' nillable' : '';
    return `${a(e, 'name')} ${q(e, 'type')} ${a(e, 'minOccurs') ?? '1'}..${a(e, 'maxOccurs') ?? '1'}${nillable}`;
  });
}

function complexShape(ct: XmlElement): ComplexShape {
  const content = kids(ct, XS_NS, 'complexContent')[0];
  if (content) {
    const ext = one(content, XS_NS, 'extension');
    return { abstract: false, base: q(ext, 'base'), fields: sequenceFields(kids(ext, XS_NS, 'sequence')[0]) };
  }
  assert.deepEqual(
    ct.children.map((c) => c.local).filter((l) => l !== 'sequence'),
    [],
    `${a(ct, 'name')}: only xs:sequence expected`,
  );
  return {
    abstract: a(ct, 'abstract') === 'true',
    base: undefined,
    fields: sequenceFields(kids(ct, XS_NS, 'sequence')[0]),
  };
}

function bindingIo(el: XmlElement): string[] {
  return el.children.map((c) => {
    if (c.ns === SOAP_NS && c.local === 'body') return `body ${a(c, 'use')}`;
    if (c.ns === SOAP_NS && c.local === 'header') return `header ${q(c, 'message')} ${a(c, 'part')} ${a(c, 'use')}`;
    return `{${c.ns}}${c.local}`;
  });
}

function shape(text: string): WsdlShape {
  const root = parseXml(text);
  assert.equal(root.ns, WSDL_NS);
  assert.equal(root.local, 'definitions');
  const schema = one(one(root, WSDL_NS, 'types'), XS_NS, 'schema');
  const s: WsdlShape = {
    definitions: {
      name: a(root, 'name'),
      targetNamespace: a(root, 'targetNamespace'),
      tns: lookupNamespace(root.scope, 'tns'),
      schemaTargetNamespace: a(schema, 'targetNamespace'),
      elementFormDefault: a(schema, 'elementFormDefault'),
    },
    complexTypes: {},
    simpleTypes: {},
    elements: {},
    messages: {},
    portType: [],
    binding: [],
    operations: {},
    service: [],
    faults: all(root, WSDL_NS, 'fault').length,
  };
  for (const c of schema.children) {
    const name = a(c, 'name') ?? '';
    if (c.local === 'complexType') s.complexTypes[name] = complexShape(c);
    else if (c.local === 'simpleType') {
      const r = one(c, XS_NS, 'restriction');
      assert.equal(q(r, 'base'), 'xs:string', name);
      s.simpleTypes[name] = kids(r, XS_NS, 'enumeration').map((e) => a(e, 'value') ?? '');
    } else if (c.local === 'element') s.elements[name] = q(c, 'type');
    else assert.fail(`unexpected xs:${c.local} in the schema`);
  }
  for (const m of kids(root, WSDL_NS, 'message')) {
    s.messages[a(m, 'name') ?? ''] = kids(m, WSDL_NS, 'part').map((p) => `${a(p, 'name')} ${q(p, 'element')}`);
  }
  const portType = one(root, WSDL_NS, 'portType');
  s.portType.push(`portType ${a(portType, 'name')}`);
  for (const o of kids(portType, WSDL_NS, 'operation')) {
    s.portType.push(
      `${a(o, 'name')} ${q(one(o, WSDL_NS, 'input'), 'message')} ${q(one(o, WSDL_NS, 'output'), 'message')}`,
    );
  }
  const binding = one(root, WSDL_NS, 'binding');
  const soapBinding = one(binding, SOAP_NS, 'binding');
  s.binding.push(
    `binding ${a(binding, 'name')} ${q(binding, 'type')}`,
    `soap:binding ${a(soapBinding, 'style')} ${a(soapBinding, 'transport')}`,
  );
  for (const o of kids(binding, WSDL_NS, 'operation')) {
    const so = one(o, SOAP_NS, 'operation');
    s.operations[a(o, 'name') ?? ''] = {
      soapAction: a(so, 'soapAction'),
      // An operation without style inherits the binding's.
      style: a(so, 'style') ?? a(soapBinding, 'style'),
      input: bindingIo(one(o, WSDL_NS, 'input')),
      output: bindingIo(one(o, WSDL_NS, 'output')),
    };
  }
  const service = one(root, WSDL_NS, 'service');
  const port = one(service, WSDL_NS, 'port');
  s.service.push(`service ${a(service, 'name')}`, `port ${a(port, 'name')} ${q(port, 'binding')}`);
  return s;
}

const sorted = (o: object): string[] => Object.keys(o).sort();

describe('generateWsdl', () => {
  for (const version of ['2_2', '2_6', '3_1'] as Version[]) {
    test(`${version}: parses with our parser and declares the 23 operations`, () => {
      const text = generateWsdl(version, URL);
      const root = parseXml(text);
      const s = shape(text);
      assert.deepEqual(s.definitions, {
        name: 'mktows',
        targetNamespace: NAMESPACE,
        tns: NAMESPACE,
        schemaTargetNamespace: NAMESPACE,
        elementFormDefault: undefined,
      });
      assert.equal(s.portType.length - 1, 23);
      assert.deepEqual(
        Object.entries(s.operations).map(([name, o]) => [name, o.soapAction, o.style]),
        OPERATIONS.map((o) => [o.name, `http://www.marketo.com/mktows/${o.name}`, 'document']),
      );
      assert.equal(all(root, SOAP_NS, 'operation').length, 23);
      assert.equal(s.faults, 0);
      for (const o of OPERATIONS) {
        const doc = all(root, WSDL_NS, 'operation').find((e) => a(e, 'name') === o.name)?.children[0];
        assert.equal(doc?.local, 'documentation');
        assert.equal(doc?.text, o.doc);
      }
      assert.deepEqual(s.operations.syncLead.input, [
        'header tns:AuthenticationHeader authentication literal',
        'header tns:MktowsContextHeader mktowsContext literal',
        'body literal',
      ]);
      assert.deepEqual(s.operations.getLead.input, [
        'header tns:AuthenticationHeader authentication literal',
        'body literal',
      ]);
      assert.equal(a(all(root, SOAP_NS, 'address')[0], 'location'), URL);
      // Every tns: reference resolves inside the document.
      for (const t of Object.values(s.complexTypes)) {
        for (const f of t.fields) {
          const type = f.split(' ')[1];
          if (type.startsWith('tns:')) assert.ok(type.slice(4) in s.complexTypes || type.slice(4) in s.simpleTypes, f);
        }
      }
      for (const [name, type] of Object.entries(s.elements)) assert.ok((type ?? '').slice(4) in s.complexTypes, name);
    });
  }

  test('fields follow the version: 2_6 has int activity ids and no marketoGUID, 3_1 the reverse', () => {
    const v26 = shape(generateWsdl('2_6', URL)).complexTypes;
    const v31 = shape(generateWsdl('3_1', URL)).complexTypes;
    assert.equal(v26.ActivityRecord.fields[0], 'id xs:int 1..1');
    assert.ok(!v26.ActivityRecord.fields.some((f) => f.startsWith('marketoGUID ')));
    assert.deepEqual(v31.ActivityRecord.fields.slice(0, 2), ['id xs:long 0..1 nillable', 'marketoGUID xs:string 1..1']);
    assert.deepEqual(v31.LeadSelector, { abstract: true, base: undefined, fields: [] });
    assert.equal(v31.LeadKeySelector.base, 'tns:LeadSelector');
  });

  test('the address is XML-escaped, and the cached text serves any address', () => {
    const url = 'http://h:8080/soap/mktows/2_6?a=1&b="<x>"';
    const text = generateWsdl('2_6', url);
    assert.equal(a(all(parseXml(text), SOAP_NS, 'address')[0], 'location'), url);
    assert.equal(generateWsdl('2_6', URL), text.replace(/location="[^"]*"/, `location="${URL}"`));
  });

  test('every known version renders; unknown ones are refused', () => {
    for (const v of VERSIONS) assert.equal(shape(generateWsdl(v, URL)).portType.length, 24);
    assert.throws(() => generateWsdl('9_9' as Version, URL), /unknown API version/);
  });
});

const SHARED = process.env.MKTOWS_SHARED_DIR;
const REFERENCES: [Version, string][] = [
  ['2_2', 'mktows-2_2.wsdl'],
  ['2_6', 'mktows-2_6.wsdl'],
  ['3_1', 'mktows-3_1.reconstructed.wsdl'],
];

describe('generateWsdl matches the reference WSDLs', { skip: SHARED ? false : 'skipped: ../shared absent' }, () => {
  for (const [version, file] of REFERENCES) {
    describe(`${version} vs ${file}`, () => {
      const load = () => ({
        ours: shape(generateWsdl(version, URL)),
        ref: shape(readFileSync(join(SHARED ?? '', 'reference', file), 'utf8')),
      });

      test('definitions, messages, port type, binding and service', () => {
        const { ours, ref } = load();
        assert.deepEqual(ours.definitions, ref.definitions);
        assert.deepEqual(ours.elements, ref.elements);
        assert.deepEqual(ours.messages, ref.messages);
        assert.deepEqual(ours.portType, ref.portType);
        assert.deepEqual(ours.binding, ref.binding);
        assert.deepEqual(ours.operations, ref.operations);
        assert.deepEqual(ours.service, ref.service);
        assert.equal(ours.faults, 0);
        assert.equal(ref.faults, 0);
      });

      test('complex types: same set, same fields in order', () => {
        const { ours, ref } = load();
        assert.deepEqual(sorted(ours.complexTypes), sorted(ref.complexTypes));
        for (const name of sorted(ref.complexTypes)) {
          assert.deepEqual(ours.complexTypes[name], ref.complexTypes[name], name);
        }
      });

      test('simple types: same set, same enumerations in order', () => {
        const { ours, ref } = load();
        if (version === '2_2') {
          // Deliberate: the 2.2 SDK had CLEARLIST; the Dec-2013 copy of the 2_2 WSDL dropped it.
          assert.ok(ours.simpleTypes.ListOperationType.includes('CLEARLIST'));
          assert.ok(!ref.simpleTypes.ListOperationType.includes('CLEARLIST'));
          ours.simpleTypes.ListOperationType = ours.simpleTypes.ListOperationType.filter((v) => v !== 'CLEARLIST');
        }
        assert.deepEqual(sorted(ours.simpleTypes), sorted(ref.simpleTypes));
        for (const name of sorted(ref.simpleTypes)) {
          assert.deepEqual(ours.simpleTypes[name], ref.simpleTypes[name], name);
        }
      });
    });
  }
});
