/**
 * Envelope-level faults over HTTP (errors.md): 20012 Request Not Understood, 20019 Unsupported
 * Operation, 20017 Invalid Request, their order (20012 → 20019 → 20017 → 20014), and that calls
 * rejected with them count against nothing.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { parseXml } from '@mktows/protocol';
import {
  assertFault,
  assertOk,
  call,
  getLeadByEmail,
  type HttpResult,
  limitsOf,
  MKTOWS_NS,
  post,
  SOAP_ENV,
} from './support/fault-helpers.js';
import { authHeader, envelope, KEY, startTestServer, type TestServer, USER } from './support/harness.js';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const GET_ADA = getLeadByEmail('ada@demo.example');
const NOT_XML = 'Request is not well-formed XML: ';

/** An envelope without the XML declaration, so that a prolog can be put in front of it. */
function bare(inner: string, header = authHeader()): string {
  return envelope(inner, header).replace(/^<\?xml[^>]*\?>/, '');
}

describe('20012, 20019 and 20017 over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo' });
  });
  after(() => s.close());

  test('a valid call succeeds (the baseline the faults below are measured against)', async () => {
    assertOk(await call(s, GET_ADA));
  });

  describe('20012 Request Not Understood', () => {
    test('a body that is not XML', async () => {
      assertFault(await post(s, 'this is not xml'), 20012, `${NOT_XML}text outside the root element at offset 0`);
    });

    test('an empty body', async () => {
      assertFault(await post(s, ''), 20012, `${NOT_XML}no root element at offset 0`);
    });

    test('truncated XML', async () => {
      const full = envelope(GET_ADA, authHeader());
      const cut = full.slice(0, full.indexOf('</SOAP-ENV:Body>'));
      assertFault(await post(s, cut), 20012, `${NOT_XML}unclosed element <SOAP-ENV:Body> at offset ${cut.length}`);
    });

    test('a DOCTYPE with an entity declaration (never expanded)', async () => {
      const prolog = '<?xml version="1.0" encoding="UTF-8"?>\n';
      const doctype = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>';
      const body = prolog + doctype + bare(getLeadByEmail('&lol2;'));
      const r = await post(s, body);
      assertFault(r, 20012, `${NOT_XML}a DOCTYPE is not allowed at offset ${prolog.length}`);
      assert.ok(!r.text.includes('lollol'), 'the entity must not be expanded');
    });

    test('an external-entity DOCTYPE (XXE) is refused the same way', async () => {
      const doctype = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
      const r = await post(s, doctype + bare(getLeadByEmail('&xxe;')));
      assertFault(r, 20012, `${NOT_XML}a DOCTYPE is not allowed at offset 0`);
      assert.ok(!r.text.includes('root:'), 'no file content may leak');
    });

    test('bytes that are not UTF-8 (a Latin-1 encoded é)', async () => {
      const latin1 = Buffer.from(envelope(getLeadByEmail('café@demo.example'), authHeader()), 'latin1');
      assert.ok(latin1.includes(0xe9));
      assertFault(await post(s, latin1), 20012, `${NOT_XML}the body is not valid UTF-8 at offset 0`);
    });

    test('a UTF-16 body with a byte-order mark is not UTF-8 either', async () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(envelope(GET_ADA, authHeader()), 'utf16le')]);
      assertFault(await post(s, utf16), 20012, `${NOT_XML}the body is not valid UTF-8 at offset 0`);
    });

    test('an XML declaration naming another encoding', async () => {
      const body = envelope(GET_ADA, authHeader()).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
      assertFault(
        await post(s, body),
        20012,
        `${NOT_XML}encoding "ISO-8859-1" is not supported; send UTF-8 at offset 0`,
      );
    });

    test('a SOAP 1.2 envelope', async () => {
      const body = envelope(GET_ADA, authHeader()).replaceAll(SOAP_ENV, SOAP12);
      assertFault(
        await post(s, body),
        20012,
        `Expected a SOAP 1.1 Envelope (namespace ${SOAP_ENV}), got a SOAP 1.2 Envelope`,
      );
    });

    test('a root element that is not an Envelope', async () => {
      assertFault(
        await post(s, `<ns1:paramsGetLead xmlns:ns1="${MKTOWS_NS}"/>`),
        20012,
        `Expected a SOAP 1.1 Envelope (namespace ${SOAP_ENV}), got <ns1:paramsGetLead>`,
      );
    });

    test('an Envelope with no Body', async () => {
      const body = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENV}" xmlns:ns1="${MKTOWS_NS}"><SOAP-ENV:Header>${authHeader()}</SOAP-ENV:Header></SOAP-ENV:Envelope>`;
      assertFault(await post(s, body), 20012, 'The Envelope has no Body');
    });

    test('an Envelope with two Bodies', async () => {
      const body = envelope(GET_ADA, authHeader()).replace(
        '</SOAP-ENV:Envelope>',
        `<SOAP-ENV:Body>${GET_ADA}</SOAP-ENV:Body></SOAP-ENV:Envelope>`,
      );
      assertFault(await post(s, body), 20012, 'The Envelope has more than one Body');
    });
  });

  describe('20019 Unsupported Operation', () => {
    test('paramsFoo in the mktows namespace', async () => {
      assertFault(
        await call(s, '<ns1:paramsFoo/>'),
        20019,
        `Operation element {${MKTOWS_NS}}paramsFoo is not supported`,
      );
    });

    test('a real operation element in the wrong namespace', async () => {
      assertFault(
        await call(s, '<x:paramsGetLead xmlns:x="urn:not-marketo"/>'),
        20019,
        'Operation element {urn:not-marketo}paramsGetLead is not supported',
      );
    });

    test('an unqualified operation element', async () => {
      assertFault(await call(s, '<paramsGetLead/>'), 20019, 'Operation element paramsGetLead is not supported');
    });

    test('a success element is not an operation', async () => {
      assertFault(
        await call(s, '<ns1:successGetLead/>'),
        20019,
        `Operation element {${MKTOWS_NS}}successGetLead is not supported`,
      );
    });
  });

  describe('20017 Invalid Request', () => {
    test('an empty Body', async () => {
      assertFault(await call(s, ''), 20017, 'The SOAP Body is empty; expected one params element');
    });

    test('a Body with only whitespace and a comment', async () => {
      assertFault(await call(s, '  <!-- nothing -->  '), 20017, 'The SOAP Body is empty; expected one params element');
    });

    test('two params elements', async () => {
      assertFault(await call(s, GET_ADA + GET_ADA), 20017, 'The SOAP Body holds 2 elements; expected exactly one');
    });
  });

  describe('check order 20012 → 20019 → 20017 → 20014', () => {
    const badSig = () => authHeader({ key: 'not-the-right-key-at-all' });

    test('a SOAP 1.2 envelope with an unknown operation and no header: 20012', async () => {
      const body = envelope('<ns1:paramsFoo/>', '').replaceAll(SOAP_ENV, SOAP12);
      assertFault(
        await post(s, body),
        20012,
        `Expected a SOAP 1.1 Envelope (namespace ${SOAP_ENV}), got a SOAP 1.2 Envelope`,
      );
    });

    test('a DOCTYPE around an unknown operation: 20012', async () => {
      assertFault(
        await post(s, `<!DOCTYPE x []>${bare('<ns1:paramsFoo/>', '')}`),
        20012,
        `${NOT_XML}a DOCTYPE is not allowed at offset 0`,
      );
    });

    test('an unknown operation with a bad signature: 20019, not 20014', async () => {
      assertFault(
        await call(s, '<ns1:paramsFoo/>', { header: badSig() }),
        20019,
        `Operation element {${MKTOWS_NS}}paramsFoo is not supported`,
      );
    });

    test('an unknown operation with an empty header: 20019, not 20014', async () => {
      assertFault(
        await call(s, '<ns1:paramsFoo/>', { header: '' }),
        20019,
        `Operation element {${MKTOWS_NS}}paramsFoo is not supported`,
      );
    });

    test('an unknown operation next to a known one: 20019, not 20017', async () => {
      assertFault(
        await call(s, `${GET_ADA}<ns1:paramsFoo/>`),
        20019,
        `Operation element {${MKTOWS_NS}}paramsFoo is not supported`,
      );
    });

    test('an empty Body with no header: 20017, not 20014', async () => {
      assertFault(await call(s, '', { header: '' }), 20017, 'The SOAP Body is empty; expected one params element');
    });

    test('two params elements with a bad signature: 20017, not 20014', async () => {
      assertFault(
        await call(s, GET_ADA + GET_ADA, { header: badSig() }),
        20017,
        'The SOAP Body holds 2 elements; expected exactly one',
      );
    });
  });

  test('calls rejected with 20012, 20019 and 20017 count against neither quota nor rate window', async () => {
    const before = await limitsOf(s, USER);
    const signed = () => authHeader({}, new Date(s.runtime.clock.now()));
    const rejected: [number, HttpResult][] = [
      [20012, await post(s, envelope(GET_ADA, signed()).replaceAll(SOAP_ENV, SOAP12))],
      [20012, await post(s, `<!DOCTYPE x []>${bare(GET_ADA, signed())}`)],
      [20012, await post(s, Buffer.from(envelope(getLeadByEmail('café@demo.example'), signed()), 'latin1'))],
      [20019, await call(s, '<ns1:paramsFoo/>')],
      [20017, await call(s, '')],
      [20017, await call(s, GET_ADA + GET_ADA)],
    ];
    for (const [code, r] of rejected) assert.equal(r.status, 500, `${code}: ${r.text}`);
    for (const [code, r] of rejected) assert.match(r.text, new RegExp(`<code>${code}</code>`));
    const mid = await limitsOf(s, USER);
    assert.equal(mid.quotaUsed, before.quotaUsed);
    assert.equal(mid.windowCalls, before.windowCalls);
    assert.equal(mid.inFlight, 0);
    assertOk(await call(s, GET_ADA));
    const afterOk = await limitsOf(s, USER);
    assert.equal(afterOk.quotaUsed, before.quotaUsed + 1, 'an admitted call counts once');
    assert.equal(afterOk.windowCalls, before.windowCalls + 1);
  });

  test('the journal records the envelope faults with their code', async () => {
    await call(s, '<ns1:paramsFoo/>');
    const j = await s.admin('GET', '/_mktows/journal?code=20019&limit=1');
    assert.equal(j.status, 200);
    assert.equal(j.body.entries.length, 1);
    const [e] = j.body.entries;
    assert.equal(e.faultCode, 20019);
    assert.equal(e.status, 500);
    assert.equal(e.operation, null);
    assert.match(e.response, /<code>20019<\/code>/);
    assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
    assert.ok(!e.request.includes(KEY));
  });
});

describe('20012 for a body over --max-body (maxBodyBytes: 1000)', () => {
  const LIMIT = 1000;
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo', maxBodyBytes: LIMIT });
  });
  after(() => s.close());

  /** A signed getLead envelope padded with trailing whitespace to exactly `size` bytes. */
  function padded(size: number): string {
    const env = envelope(GET_ADA, authHeader({}, new Date(s.runtime.clock.now())));
    assert.ok(Buffer.byteLength(env) <= size, `the envelope alone is ${Buffer.byteLength(env)} bytes`);
    return env + ' '.repeat(size - Buffer.byteLength(env));
  }

  test('a body of exactly the limit is accepted', async () => {
    const body = padded(LIMIT);
    assert.equal(Buffer.byteLength(body), LIMIT);
    assertOk(await post(s, body));
  });

  test('one byte over the limit (declared Content-Length) is 20012 and counts against nothing', async () => {
    const before = await limitsOf(s, USER);
    const body = padded(LIMIT + 1);
    assertFault(await post(s, body), 20012, `Request body exceeds the limit of ${LIMIT} bytes`);
    const big = padded(50_000);
    assertFault(await post(s, big), 20012, `Request body exceeds the limit of ${LIMIT} bytes`);
    const now = await limitsOf(s, USER);
    assert.equal(now.quotaUsed, before.quotaUsed);
    assert.equal(now.windowCalls, before.windowCalls);
  });

  test('a chunked body (no Content-Length) that grows over the limit is 20012', async () => {
    const body = padded(3 * LIMIT);
    const url = new URL(`${s.url}/soap/mktows/3_1`);
    const r = await new Promise<{ status: number; contentType: string | undefined; text: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Transfer-Encoding': 'chunked' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text }),
            );
          },
        );
        // The server may close the connection before it has read everything: that is the point.
        req.on('error', (e) => {
          if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET' && (e as NodeJS.ErrnoException).code !== 'EPIPE')
            reject(e);
        });
        req.write(body.slice(0, 600));
        setTimeout(() => req.end(body.slice(600)), 20);
      },
    );
    assertFault(
      { status: r.status, contentType: r.contentType ?? null, text: r.text, doc: parseXml(r.text) },
      20012,
      `Request body exceeds the limit of ${LIMIT} bytes`,
    );
  });

  test('the server keeps serving after refusing oversized bodies', async () => {
    assertOk(await post(s, padded(LIMIT - 10)));
    assert.equal((await s.admin('GET', '/_mktows/health')).status, 200);
  });
});
