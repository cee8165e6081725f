/**
 * Documents of the shapes that made the parser slow or memory-hungry (issue items 1–3), each
 * growing with n. Shared by the parser tests and `npm run bench`'s hostile-shapes section (which
 * imports the compiled copy from dist/test).
 */

/** `prefix + unit(0) + … + unit(n - 1) + suffix`, built by one join. */
function repeat(prefix: string, n: number, unit: (i: number) => string, suffix: string): string {
  const parts = new Array<string>(n + 2);
  parts[0] = prefix;
  for (let i = 0; i < n; i++) parts[i + 1] = unit(i);
  parts[n + 1] = suffix;
  return parts.join('');
}

export interface Shape {
  readonly name: string;
  readonly what: string;
  /** A well-formed document (except `unclosed`) whose size grows linearly with n. */
  readonly make: (n: number) => string;
}

export const HOSTILE_SHAPES: readonly Shape[] = [
  {
    name: 'attributes',
    what: 'n attributes on one element',
    make: (n) => repeat('<r', n, (i) => ` a${i}=""`, '/>'),
  },
  {
    name: 'prefixed-attributes',
    what: 'n prefixed attributes on one element',
    make: (n) => repeat('<r xmlns:p="urn:p"', n, (i) => ` p:a${i}=""`, '/>'),
  },
  {
    name: 'declarations',
    what: 'n namespace declarations on one element',
    make: (n) => repeat('<r', n, (i) => ` xmlns:p${i}="urn:${i}"`, '/>'),
  },
  {
    name: 'nested-declarations',
    what: 'n nested elements, each declaring its own prefix and named with it',
    make: (n) =>
      repeat('', n, (i) => `<p${i}:a xmlns:p${i}="urn:${i}">`, '') + repeat('', n, (i) => `</p${n - 1 - i}:a>`, ''),
  },
  {
    name: 'depth',
    what: 'n nested elements',
    make: (n) => '<ab>'.repeat(n) + '</ab>'.repeat(n),
  },
  {
    name: 'long-name',
    what: 'one element with a name of n characters',
    make: (n) => `<r><${'a'.repeat(n)}/></r>`,
  },
  {
    name: 'small-elements',
    what: 'n elements `<a/>` in one root',
    make: (n) => repeat('<r>', n, () => '<a/>', '</r>'),
  },
  {
    name: 'dense-elements',
    what: 'n elements `<abcdef/>` in one root: the densest XML_LIMITS allows',
    make: (n) => repeat('<r>', n, () => '<abcdef/>', '</r>'),
  },
  {
    name: 'unclosed',
    what: 'n start tags never closed',
    make: (n) => '<a>'.repeat(n),
  },
];

export function shape(name: string): Shape {
  const s = HOSTILE_SHAPES.find((x) => x.name === name);
  if (!s) throw new Error(`no shape ${name}`);
  return s;
}

/**
 * A syncMultipleLeads request of `leads` leads with `attributes` attributes each, as the JAX-WS
 * stacks write it: the largest legitimate body the parser sees, and the in-run baseline.
 */
export function syncRequest(leads: number, attributes: number): string {
  const attr = (i: number) =>
    `<attribute><attrName>Field${i}</attrName><attrType>string</attrType><attrValue>value ${i} of a lead</attrValue></attribute>`;
  const attrs = repeat('', attributes, attr, '');
  const lead = (i: number) =>
    `<leadRecord><Email>lead${i}@example.com</Email><leadAttributeList>${attrs}</leadAttributeList></leadRecord>`;
  return repeat(
    '<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<SOAP-ENV:Header><ns1:AuthenticationHeader><mktowsUserId>bench_user</mktowsUserId><requestSignature>0123456789abcdef0123456789abcdef01234567</requestSignature><requestTimestamp>2026-01-01T00:00:00Z</requestTimestamp></ns1:AuthenticationHeader></SOAP-ENV:Header>' +
      '<SOAP-ENV:Body><ns1:paramsSyncMultipleLeads><leadRecordList>',
    leads,
    lead,
    '</leadRecordList><dedupEnabled>true</dedupEnabled></ns1:paramsSyncMultipleLeads></SOAP-ENV:Body></SOAP-ENV:Envelope>',
  );
}
