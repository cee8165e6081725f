/**
 * The WSDL 1.1 document served at `?WSDL`, generated from the schema for one API version. Its
 * structure (names, element form, header bindings, no faults) follows what Marketo served, so
 * clients generated from it talk to us exactly as they talked to Marketo.
 */
import { allTypes, isVersion } from './schema/index.js';
import {
  type ComplexTypeDef,
  type EnumTypeDef,
  type FieldDef,
  inVersion,
  type Version,
  XSD_TYPES,
} from './schema/model.js';
import { NAMESPACE, OPERATIONS, type OperationDef } from './schema/operations.js';
import { escapeAttr, escapeText } from './xml/escape.js';

const SOAP_HTTP = 'http://schemas.xmlsoap.org/soap/http';
// Marketo lists the header types last, after every Success<Op> wrapper.
const HEADER_TYPES = new Set(['AuthenticationHeaderInfo', 'MktowsContextHeaderInfo']);

function qname(type: string): string {
  return XSD_TYPES.has(type) ? `xs:${type}` : `tns:${type}`;
}

function cap(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}

function elementDecl(f: FieldDef, indent: string): string {
  return (
    `${indent}<xs:element name="${f.name}" type="${qname(f.type)}" minOccurs="${f.optional ? 0 : 1}"` +
    ` maxOccurs="${f.many ? 'unbounded' : 1}" nillable="${f.nillable}"/>`
  );
}

function complexTypeDecl(t: ComplexTypeDef, version: Version): string[] {
  const fields = t.fields.filter((f) => inVersion(f, version));
  if (t.abstract && fields.length === 0) return [`      <xs:complexType name="${t.name}" abstract="true"/>`];
  const abs = t.abstract ? ' abstract="true"' : '';
  const out = [`      <xs:complexType name="${t.name}"${abs}>`];
  let indent = '        ';
  if (t.base) {
    out.push(`${indent}<xs:complexContent>`, `${indent}  <xs:extension base="${qname(t.base)}">`);
    indent += '    ';
  }
  if (fields.length === 0) out.push(`${indent}<xs:sequence/>`);
  else {
    out.push(`${indent}<xs:sequence>`);
    for (const f of fields) out.push(elementDecl(f, `${indent}  `));
    out.push(`${indent}</xs:sequence>`);
  }
  if (t.base) out.push('            </xs:extension>', '          </xs:complexContent>');
  out.push('      </xs:complexType>');
  return out;
}

function simpleTypeDecl(t: EnumTypeDef, version: Version): string[] {
  return [
    `      <xs:simpleType name="${t.name}">`,
    '        <xs:restriction base="xs:string">',
    ...t.values.filter((v) => inVersion(v, version)).map((v) => `          <xs:enumeration value="${v.value}"/>`),
    '        </xs:restriction>',
    '      </xs:simpleType>',
  ];
}

function bindingOperation(o: OperationDef): string[] {
  // Headers before the body, in Marketo's order.
  const headers = [
    '        <soap:header message="tns:AuthenticationHeader" part="authentication" use="literal"/>',
    ...(o.contextHeader
      ? ['        <soap:header message="tns:MktowsContextHeader" part="mktowsContext" use="literal"/>']
      : []),
  ];
  return [
    `    <wsdl:operation name="${o.name}">`,
    `      <soap:operation soapAction="${NAMESPACE}${o.name}" style="document"/>`,
    '      <wsdl:input>',
    ...headers,
    '        <soap:body use="literal"/>',
    '      </wsdl:input>',
    '      <wsdl:output>',
    '        <soap:body use="literal"/>',
    '      </wsdl:output>',
    '    </wsdl:operation>',
  ];
}

/** The whole document, split around the soap:address location. */
function render(version: Version): [string, string] {
  const types = allTypes();
  const ordered = [...types.filter((t) => !HEADER_TYPES.has(t.name)), ...types.filter((t) => HEADER_TYPES.has(t.name))];
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<!-- Marketo SOAP API (mktows) version ${version}, generated from the mktows schema. -->`,
    '<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"',
    `                  xmlns:tns="${NAMESPACE}"`,
    '                  xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"',
    '                  xmlns:xs="http://www.w3.org/2001/XMLSchema"',
    `                  name="mktows" targetNamespace="${NAMESPACE}">`,
    '  <wsdl:types>',
    // No elementFormDefault: children stay unqualified, as on Marketo's wire.
    `    <xs:schema targetNamespace="${NAMESPACE}">`,
  ];
  for (const t of ordered) {
    out.push(...(t.kind === 'enum' ? simpleTypeDecl(t, version) : complexTypeDecl(t, version)));
  }
  out.push(
    '      <xs:element name="AuthenticationHeader" type="tns:AuthenticationHeaderInfo"/>',
    '      <xs:element name="MktowsContextHeader" type="tns:MktowsContextHeaderInfo"/>',
  );
  for (const o of OPERATIONS) out.push(`      <xs:element name="${o.paramsElement}" type="tns:${o.paramsType}"/>`);
  for (const o of OPERATIONS) out.push(`      <xs:element name="${o.successElement}" type="tns:${o.successType}"/>`);
  out.push(
    '    </xs:schema>',
    '  </wsdl:types>',
    '  <wsdl:message name="AuthenticationHeader">',
    '    <wsdl:part name="authentication" element="tns:AuthenticationHeader"/>',
    '  </wsdl:message>',
    '  <wsdl:message name="MktowsContextHeader">',
    '    <wsdl:part name="mktowsContext" element="tns:MktowsContextHeader"/>',
    '  </wsdl:message>',
  );
  for (const o of OPERATIONS) {
    const c = cap(o.name);
    out.push(
      `  <wsdl:message name="${c}Request">`,
      `    <wsdl:part name="${o.paramsElement}" element="tns:${o.paramsElement}"/>`,
      '  </wsdl:message>',
      `  <wsdl:message name="${c}Response">`,
      `    <wsdl:part name="${o.successElement}" element="tns:${o.successElement}"/>`,
      '  </wsdl:message>',
    );
  }
  out.push('  <wsdl:portType name="MktowsPort">');
  for (const o of OPERATIONS) {
    const c = cap(o.name);
    out.push(
      `    <wsdl:operation name="${o.name}">`,
      `      <wsdl:documentation>${escapeText(o.doc)}</wsdl:documentation>`,
      `      <wsdl:input message="tns:${c}Request"/>`,
      `      <wsdl:output message="tns:${c}Response"/>`,
      '    </wsdl:operation>',
    );
  }
  out.push(
    '  </wsdl:portType>',
    '  <wsdl:binding name="MktowsApiSoapBinding" type="tns:MktowsPort">',
    `    <soap:binding style="document" transport="${SOAP_HTTP}"/>`,
  );
  for (const o of OPERATIONS) out.push(...bindingOperation(o));
  out.push(
    '  </wsdl:binding>',
    '  <wsdl:service name="MktMktowsApiService">',
    '    <wsdl:port name="MktowsApiSoapPort" binding="tns:MktowsApiSoapBinding">',
    '      <soap:address location="',
  );
  const head = out.join('\n');
  const tail = ['"/>', '    </wsdl:port>', '  </wsdl:service>', '</wsdl:definitions>', ''].join('\n');
  return [head, tail];
}

// Served on every GET ?WSDL: render once per version, splice in the address per call.
const cache = new Map<Version, [string, string]>();

/** The WSDL for `version`, with `endpointUrl` as the soap:address location. */
export function generateWsdl(version: Version, endpointUrl: string): string {
  let parts = cache.get(version);
  if (!parts) {
    if (!isVersion(version)) throw new Error(`unknown API version ${version}`);
    parts = render(version);
    cache.set(version, parts);
  }
  return parts[0] + escapeAttr(endpointUrl) + parts[1];
}
