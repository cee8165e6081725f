import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childText, findHeader, isLocalChild, type ParsedRequest, parseRequest } from '../src/envelope.js';
import { OPERATIONS } from '../src/schema/operations.js';
import { parseXml } from '../src/xml/parse.js';
import { assertFault, faultOf } from './helpers.js';

const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS = 'http://www.marketo.com/mktows/';

function req(xml: string): ParsedRequest {
  return parseRequest(Buffer.from(xml, 'utf8'));
}

function refused(xml: string | Uint8Array, code: number, detail: string): void {
  assertFault(() => (typeof xml === 'string' ? req(xml) : parseRequest(xml)), code, detail);
}

/** A SOAP 1.1 envelope with the given Body content, prefix SOAP-ENV, mktows bound to ns1. */
function envelope(body: string, header = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:ns1="${NS}">` +
    `${header}<SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

const GET_LEAD =
  '<ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>a@b.example</keyValue></leadKey></ns1:paramsGetLead>';

describe('parseRequest: faults', () => {
  test('a body that is not XML is refused with 20012', () => {
    refused('hello', 20012, 'Request is not well-formed XML: text outside the root element at offset 0');
    refused('', 20012, 'Request is not well-formed XML: no root element at offset 0');
    const unclosed = envelope(GET_LEAD).replace('</SOAP-ENV:Body>', '');
    refused(
      unclosed,
      20012,
      `Request is not well-formed XML: end tag </SOAP-ENV:Envelope> does not match <SOAP-ENV:Body> at offset ${unclosed.indexOf('</SOAP-ENV:Envelope>')}`,
    );
  });

  test('a body with a DOCTYPE is refused with 20012', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${envelope(GET_LEAD).slice(38)}`;
    refused(xml, 20012, 'Request is not well-formed XML: a DOCTYPE is not allowed at offset 21');
  });

  test('a body that is not UTF-8 is refused with 20012', () => {
    const latin1 = Buffer.from(envelope(GET_LEAD).replace('a@b.example', 'Jos\u00e9'), 'latin1');
    refused(latin1, 20012, 'Request is not well-formed XML: the body is not valid UTF-8 at offset 0');
  });

  test('a SOAP 1.2 envelope is refused with 20012', () => {
    refused(
      `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="${NS}"><env:Body>${GET_LEAD}</env:Body></env:Envelope>`,
      20012,
      `Expected a SOAP 1.1 Envelope (namespace ${ENV}), got a SOAP 1.2 Envelope`,
    );
  });

  test('a root element other than the SOAP 1.1 Envelope is refused with 20012', () => {
    refused(
      `<ns1:paramsGetLead xmlns:ns1="${NS}"/>`,
      20012,
      `Expected a SOAP 1.1 Envelope (namespace ${ENV}), got <ns1:paramsGetLead>`,
    );
    refused(
      `<Envelope><Body>${GET_LEAD}</Body></Envelope>`.replace(/ns1:/g, ''),
      20012,
      `Expected a SOAP 1.1 Envelope (namespace ${ENV}), got <Envelope>`,
    );
    refused(
      `<e:Envelope xmlns:e="urn:other"/>`,
      20012,
      `Expected a SOAP 1.1 Envelope (namespace ${ENV}), got <e:Envelope>`,
    );
  });

  test('an Envelope without a Body is refused with 20012', () => {
    refused(
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}"><SOAP-ENV:Header/></SOAP-ENV:Envelope>`,
      20012,
      'The Envelope has no Body',
    );
    // A Body outside the envelope namespace is not the Body.
    refused(
      `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:ns1="${NS}"><Body>${GET_LEAD}</Body></SOAP-ENV:Envelope>`,
      20012,
      'The Envelope has no Body',
    );
  });

  test('an Envelope with two Bodies is refused with 20012', () => {
    refused(
      envelope(GET_LEAD).replace(
        '</SOAP-ENV:Envelope>',
        `<SOAP-ENV:Body>${GET_LEAD}</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      ),
      20012,
      'The Envelope has more than one Body',
    );
  });

  test('a Header after the Body, or two Headers, is refused with 20012', () => {
    refused(
      envelope(GET_LEAD).replace('</SOAP-ENV:Envelope>', '<SOAP-ENV:Header/></SOAP-ENV:Envelope>'),
      20012,
      'The Envelope must have at most one Header, before the Body',
    );
    refused(
      envelope(GET_LEAD, '<SOAP-ENV:Header/><SOAP-ENV:Header/>'),
      20012,
      'The Envelope must have at most one Header, before the Body',
    );
  });

  test('an empty Body is refused with 20017', () => {
    refused(envelope(''), 20017, 'The SOAP Body is empty; expected one params element');
    refused(envelope('\n  <!-- nothing -->\n'), 20017, 'The SOAP Body is empty; expected one params element');
  });

  test('a Body with two params elements is refused with 20017', () => {
    refused(envelope(GET_LEAD + GET_LEAD), 20017, 'The SOAP Body holds 2 elements; expected exactly one');
    refused(
      envelope(`${GET_LEAD}<ns1:paramsGetTags/><ns1:paramsGetChannels/>`),
      20017,
      'The SOAP Body holds 3 elements; expected exactly one',
    );
  });

  test('an unknown element in the mktows namespace is refused with 20019', () => {
    refused(envelope('<ns1:paramsFoo/>'), 20019, `Operation element {${NS}}paramsFoo is not supported`);
    refused(envelope('<ns1:successGetLead/>'), 20019, `Operation element {${NS}}successGetLead is not supported`);
    refused(envelope('<ns1:getLead/>'), 20019, `Operation element {${NS}}getLead is not supported`);
  });

  test('a known params element name in another namespace or in no namespace is refused with 20019', () => {
    refused(
      envelope('<x:paramsGetLead xmlns:x="http://www.marketo.com/mktows"/>'),
      20019,
      'Operation element {http://www.marketo.com/mktows}paramsGetLead is not supported',
    );
    refused(envelope('<paramsGetLead/>'), 20019, 'Operation element paramsGetLead is not supported');
  });

  test('an unsupported element beside a supported one is 20019, not 20017 (20019 comes first)', () => {
    refused(envelope(`${GET_LEAD}<ns1:paramsFoo/>`), 20019, `Operation element {${NS}}paramsFoo is not supported`);
  });

  test('the fault carries the catalogue faultstring and the detail message with the code appended', () => {
    const f = faultOf(() => req(envelope('')));
    assert.equal(f.faultstring, '20017 - Invalid Request');
    assert.equal(f.detailMessage, 'The SOAP Body is empty; expected one params element (20017)');
  });
});

/** The header of the request, checked for the captured credentials. */
function assertAuth(r: ParsedRequest, user: string, signature: string, timestamp: string): void {
  const auth = findHeader(r.header, 'AuthenticationHeader');
  assert.ok(auth, 'AuthenticationHeader found');
  assert.equal(childText(auth, 'mktowsUserId'), user);
  assert.equal(childText(auth, 'requestSignature'), signature);
  assert.equal(childText(auth, 'requestTimestamp'), timestamp);
}

describe('parseRequest: envelope styles (compat.md §2)', () => {
  const styles: { name: string; xml: string; op: string }[] = [
    {
      name: 'PHP SoapClient: SOAP-ENV prefix, ns1 on the Envelope',
      op: 'getLead',
      xml:
        `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:ns1="${NS}">` +
        '<SOAP-ENV:Header><ns1:AuthenticationHeader><mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature>' +
        '<requestTimestamp>t</requestTimestamp></ns1:AuthenticationHeader></SOAP-ENV:Header>' +
        `<SOAP-ENV:Body>${GET_LEAD}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n`,
    },
    {
      name: 'zeep: soap-env prefix, ns0 declared locally',
      op: 'getLead',
      xml:
        `<?xml version='1.0' encoding='utf-8'?>\n<soap-env:Envelope xmlns:soap-env="${ENV}"><soap-env:Header>` +
        `<ns0:AuthenticationHeader xmlns:ns0="${NS}"><mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature>` +
        '<requestTimestamp>t</requestTimestamp></ns0:AuthenticationHeader></soap-env:Header><soap-env:Body>' +
        `<ns0:paramsGetLead xmlns:ns0="${NS}"><leadKey><keyType>EMAIL</keyType><keyValue>a</keyValue></leadKey>` +
        '</ns0:paramsGetLead></soap-env:Body></soap-env:Envelope>',
    },
    {
      name: 'suds: SOAP-ENV:Envelope holding an ns1:Body, where ns1 is the envelope namespace',
      op: 'getLead',
      xml:
        `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" ` +
        `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:tns="${NS}" xmlns:ns0="${NS}" xmlns:ns1="${ENV}">` +
        '<SOAP-ENV:Header><tns:AuthenticationHeader><mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature>' +
        '<requestTimestamp>t</requestTimestamp></tns:AuthenticationHeader></SOAP-ENV:Header><ns1:Body>' +
        '<ns0:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>a</keyValue></leadKey></ns0:paramsGetLead>' +
        '</ns1:Body></SOAP-ENV:Envelope>',
    },
    {
      name: 'soap4r: env prefix, mustUnderstand="0", qualified header children in another order',
      op: 'getLeadChanges',
      xml:
        `<?xml version="1.0" encoding="utf-8" ?>\n<env:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n` +
        `    xmlns:env="${ENV}">\n  <env:Header>\n    <n1:AuthenticationHeader xmlns:n1="${NS}"\n        env:mustUnderstand="0">\n` +
        '      <n1:mktowsUserId>u</n1:mktowsUserId>\n      <n1:requestTimestamp>t</n1:requestTimestamp>\n' +
        '      <n1:requestSignature>s</n1:requestSignature>\n    </n1:AuthenticationHeader>\n  </env:Header>\n' +
        `  <env:Body>\n    <n2:paramsGetLeadChanges xmlns:n2="${NS}">\n      <startPosition/>\n` +
        '    </n2:paramsGetLeadChanges>\n  </env:Body>\n</env:Envelope>\n',
    },
    {
      name: 'SOAP::Lite: soap prefix, encodingStyle on the Envelope, ns1 redeclared',
      op: 'listOperation',
      xml:
        `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" ` +
        `xmlns:ns1="${NS}" xmlns:soap="${ENV}"><soap:Header><ns1:AuthenticationHeader xmlns:ns1="${NS}">` +
        '<mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature><requestTimestamp>t</requestTimestamp>' +
        `</ns1:AuthenticationHeader></soap:Header><soap:Body><ns1:paramsListOperation xmlns:ns1="${NS}"/>` +
        '</soap:Body></soap:Envelope>',
    },
    {
      name: 'SOAP::WSDL: default-namespace header and body with xmlns="" children',
      op: 'getLead',
      xml:
        `<?xml version="1.0" ?><SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" ><SOAP-ENV:Header>` +
        `<AuthenticationHeader xmlns="${NS}"><mktowsUserId xmlns="">u</mktowsUserId>` +
        '<requestSignature xmlns="">s</requestSignature><requestTimestamp xmlns="">t</requestTimestamp>' +
        `</AuthenticationHeader></SOAP-ENV:Header><SOAP-ENV:Body><paramsGetLead xmlns="${NS}"><leadKey xmlns="">` +
        '<keyType>EMAIL</keyType><keyValue xmlns="">a</keyValue></leadKey></paramsGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    },
    {
      name: 'JAX-WS: S prefix, nil MktowsContextHeader beside the AuthenticationHeader',
      op: 'syncLead',
      xml:
        `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="${ENV}"><S:Header>` +
        `<ns2:AuthenticationHeader xmlns:ns2="${NS}"><mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature>` +
        `<requestTimestamp>t</requestTimestamp></ns2:AuthenticationHeader><ns2:MktowsContextHeader xmlns:ns2="${NS}" ` +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/></S:Header><S:Body>' +
        `<ns2:paramsSyncLead xmlns:ns2="${NS}"/></S:Body></S:Envelope>`,
    },
    {
      name: 'Axis 1.4: soapenv prefix, actor and mustUnderstand, qualified header children, default-ns body',
      op: 'getMultipleLeads',
      xml:
        `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENV}" ` +
        'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header>' +
        '<ns1:AuthenticationHeader soapenv:actor="http://schemas.xmlsoap.org/soap/actor/next" soapenv:mustUnderstand="0" ' +
        `xmlns:ns1="${NS}"><ns1:mktowsUserId>u</ns1:mktowsUserId><ns1:requestSignature>s</ns1:requestSignature>` +
        '<ns1:requestTimestamp>t</ns1:requestTimestamp></ns1:AuthenticationHeader></soapenv:Header><soapenv:Body>' +
        `<paramsGetMultipleLeads xmlns="${NS}"><batchSize xmlns="">100</batchSize></paramsGetMultipleLeads>` +
        '</soapenv:Body></soapenv:Envelope>',
    },
    {
      name: 'gSOAP: mustUnderstand="1", body ending in CRLF',
      op: 'syncLead',
      xml:
        `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" xmlns:mkt="${NS}">` +
        '<SOAP-ENV:Header><mkt:AuthenticationHeader SOAP-ENV:mustUnderstand="1"><mktowsUserId>u</mktowsUserId>' +
        '<requestSignature>s</requestSignature><requestTimestamp>t</requestTimestamp></mkt:AuthenticationHeader>' +
        '</SOAP-ENV:Header><SOAP-ENV:Body><mkt:paramsSyncLead/></SOAP-ENV:Body></SOAP-ENV:Envelope>\r\n',
    },
    {
      name: 'Mono ASMX: soap prefix, default-namespace header and body',
      op: 'getMultipleLeads',
      xml:
        `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENV}" ` +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Header>' +
        `<AuthenticationHeader xmlns="${NS}"><mktowsUserId xmlns="">u</mktowsUserId><requestSignature xmlns="">s` +
        '</requestSignature><requestTimestamp xmlns="">t</requestTimestamp></AuthenticationHeader></soap:Header>' +
        `<soap:Body><paramsGetMultipleLeads xmlns="${NS}"><streamPosition xsi:nil="true" xmlns="" /></paramsGetMultipleLeads>` +
        '</soap:Body></soap:Envelope>',
    },
    {
      name: 'node-soap: two spaces before xmlns:tns, tns-prefixed body',
      op: 'getMultipleLeads',
      xml:
        `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENV}" ` +
        `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"  xmlns:tns="${NS}"><soap:Header>` +
        `<ns1:AuthenticationHeader xmlns:ns1="${NS}"><mktowsUserId>u</mktowsUserId><requestSignature>s</requestSignature>` +
        '<requestTimestamp>t</requestTimestamp></ns1:AuthenticationHeader></soap:Header><soap:Body>' +
        '<tns:paramsGetMultipleLeads><batchSize>100</batchSize></tns:paramsGetMultipleLeads></soap:Body></soap:Envelope>',
    },
    {
      name: 'strong-soap: standalone="yes", pretty-printed',
      op: 'getLead',
      xml:
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<soap:Envelope xmlns:soap="${ENV}">\n  <soap:Header>\n` +
        `    <ns1:AuthenticationHeader xmlns:ns1="${NS}">\n      <mktowsUserId>u</mktowsUserId>\n` +
        '      <requestSignature>s</requestSignature>\n      <requestTimestamp>t</requestTimestamp>\n' +
        `    </ns1:AuthenticationHeader>\n  </soap:Header>\n  <soap:Body>\n    <ns1:paramsGetLead xmlns:ns1="${NS}">\n` +
        '      <leadKey><keyType>EMAIL</keyType><keyValue>a</keyValue></leadKey>\n    </ns1:paramsGetLead>\n' +
        '  </soap:Body>\n</soap:Envelope>',
    },
  ];

  for (const s of styles) {
    test(`${s.name} is understood as ${s.op}`, () => {
      const r = req(s.xml);
      assert.equal(r.operation.name, s.op);
      assert.equal(r.params.ns, NS);
      assert.equal(r.params.local, r.operation.paramsElement);
      assert.ok(r.header);
      assert.equal(r.header.ns, ENV);
      assert.equal(r.header.local, 'Header');
      assertAuth(r, 'u', 's', 't');
    });
  }

  test('each of the 23 params elements dispatches to its operation', () => {
    assert.equal(OPERATIONS.length, 23);
    for (const op of OPERATIONS) {
      const r = req(envelope(`<ns1:${op.paramsElement}/>`));
      assert.equal(r.operation, op);
      assert.equal(r.header, undefined);
    }
  });

  test('whitespace, comments and foreign elements around the Body do not matter', () => {
    const r = req(
      `<s:Envelope xmlns:s="${ENV}" xmlns:ns1="${NS}">\n  <!-- c -->\n  <s:Body>\n    ${GET_LEAD}\n  </s:Body>\n` +
        '  <x:trailer xmlns:x="urn:x"/>\n</s:Envelope>',
    );
    assert.equal(r.operation.name, 'getLead');
  });
});

describe('findHeader and childText', () => {
  const header = (inner: string) =>
    parseXml(`<h:Header xmlns:h="${ENV}" xmlns:m="${NS}" xmlns:o="urn:other">${inner}</h:Header>`);

  test('findHeader finds a header element by namespace and local name, whatever the prefix', () => {
    const h = header(
      '<o:AuthenticationHeader/><m:MktowsContextHeader><targetWorkspace>W</targetWorkspace></m:MktowsContextHeader>' +
        `<AuthenticationHeader xmlns="${NS}"><mktowsUserId xmlns="">u</mktowsUserId></AuthenticationHeader>`,
    );
    const auth = findHeader(h, 'AuthenticationHeader');
    assert.ok(auth);
    assert.equal(childText(auth, 'mktowsUserId'), 'u');
    const ctx = findHeader(h, 'MktowsContextHeader');
    assert.ok(ctx);
    assert.equal(childText(ctx, 'targetWorkspace'), 'W');
  });

  test('findHeader is undefined without a Header, and for an unqualified or foreign header element', () => {
    assert.equal(findHeader(undefined, 'AuthenticationHeader'), undefined);
    assert.equal(
      findHeader(header('<AuthenticationHeader/><o:AuthenticationHeader/>'), 'AuthenticationHeader'),
      undefined,
    );
  });

  test('childText reads unqualified children in any order', () => {
    const auth = findHeader(
      header(
        '<m:AuthenticationHeader><requestTimestamp>t</requestTimestamp><requestSignature>s</requestSignature>' +
          '<mktowsUserId>u</mktowsUserId></m:AuthenticationHeader>',
      ),
      'AuthenticationHeader',
    );
    assert.ok(auth);
    assert.deepEqual(
      ['mktowsUserId', 'requestSignature', 'requestTimestamp'].map((n) => childText(auth, n)),
      ['u', 's', 't'],
    );
  });

  test('childText reads qualified children (soap4r, Axis) and mixed ones', () => {
    const auth = findHeader(
      header(
        '<m:AuthenticationHeader><m:requestSignature>s</m:requestSignature><mktowsUserId>u</mktowsUserId>' +
          '<m:requestTimestamp>t</m:requestTimestamp></m:AuthenticationHeader>',
      ),
      'AuthenticationHeader',
    );
    assert.ok(auth);
    assert.equal(childText(auth, 'mktowsUserId'), 'u');
    assert.equal(childText(auth, 'requestSignature'), 's');
    assert.equal(childText(auth, 'requestTimestamp'), 't');
  });

  test('childText is undefined for an absent child or one in a foreign namespace, empty for an empty one', () => {
    const auth = findHeader(
      header('<m:AuthenticationHeader><o:mktowsUserId>x</o:mktowsUserId><requestSignature/></m:AuthenticationHeader>'),
      'AuthenticationHeader',
    );
    assert.ok(auth);
    assert.equal(childText(auth, 'mktowsUserId'), undefined);
    assert.equal(childText(auth, 'requestTimestamp'), undefined);
    assert.equal(childText(auth, 'requestSignature'), '');
  });

  test('childText returns the first of repeated children', () => {
    const el = parseXml('<a><b>1</b><b>2</b></a>');
    assert.equal(childText(el, 'b'), '1');
  });

  test('isLocalChild accepts no namespace and the mktows namespace only', () => {
    const el = parseXml(`<a xmlns:m="${NS}" xmlns:o="urn:o"><b/><m:b/><o:b/><c/></a>`);
    assert.deepEqual(
      el.children.map((c) => isLocalChild(c, 'b')),
      [true, true, false, false],
    );
  });
});
