/**
 * Signatures are masked in the journal and in the error log whatever way the client wrote them:
 * a signature is replayable until its timestamp expires. Each shape below authenticates (so the
 * server decoded it as the real signature), then must not show up, whole or in part, in
 * `GET /_mktows/journal` or in the log lines of an unexpected failure.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { computeSignature, formatW3C } from '@mktows/protocol';
import { createLogger } from '../src/log.js';
import { assertFault, assertOk, call, getLeadByEmail, post } from './support/fault-helpers.js';
import { envelope, KEY, NS, startTestServer, type TestServer, USER } from './support/harness.js';

const GET_ADA = getLeadByEmail('ada@demo.example');

interface Signed {
  signature: string;
  header: string;
  /** Pieces of the signature as they stand in the raw request text. */
  fragments: string[];
}

/** A header signed now, with the signature written by `write`. */
function signedHeader(
  s: TestServer,
  write: (sig: string) => { element: string; fragments: string[] },
  key = KEY,
): Signed {
  const timestamp = formatW3C(new Date(s.runtime.clock.now()));
  const signature = computeSignature(timestamp, USER, key);
  const { element, fragments } = write(signature);
  const header = `<ns1:AuthenticationHeader><mktowsUserId>${USER}</mktowsUserId>${element}<requestTimestamp>${timestamp}</requestTimestamp></ns1:AuthenticationHeader>`;
  return { signature, header, fragments };
}

const charRef = (c: string) => `&#x${c.charCodeAt(0).toString(16)};`;

/** The ways a client may write the same signature; each decodes to it. */
const SHAPES: Record<string, (sig: string) => { element: string; fragments: string[] }> = {
  plain: (sig) => ({ element: `<requestSignature>${sig}</requestSignature>`, fragments: [] }),
  CDATA: (sig) => ({ element: `<requestSignature><![CDATA[${sig}]]></requestSignature>`, fragments: [] }),
  'split by a comment': (sig) => ({
    element: `<requestSignature>${sig.slice(0, 20)}<!-- x -->${sig.slice(20)}</requestSignature>`,
    fragments: [sig.slice(0, 20), sig.slice(20)],
  }),
  'character references': (sig) => ({
    element: `<requestSignature>${charRef(sig[0])}${sig.slice(1, 20)}&#${sig.charCodeAt(20)};${sig.slice(21)}</requestSignature>`,
    fragments: [sig.slice(1, 20), sig.slice(21)],
  }),
  'CDATA and comment and whitespace': (sig) => ({
    element: `<requestSignature>\n  <![CDATA[${sig.slice(0, 13)}]]><!-- </requestSignature> -->${sig.slice(13, 27)}<![CDATA[${sig.slice(27)}]]>\n</requestSignature>`,
    fragments: [sig.slice(0, 13), sig.slice(13, 27), sig.slice(27)],
  }),
  'odd prefix, namespace declaration and an attribute holding ">"': (sig) => ({
    element: `<q9:requestSignature xmlns:q9="${NS}" note="a > b">${sig}</q9:requestSignature >`,
    fragments: [],
  }),
  'default namespace declared on the element': (sig) => ({
    element: `<requestSignature xmlns="${NS}">${sig}</requestSignature>`,
    fragments: [],
  }),
};

/** Neither the signature, nor its halves, nor the pieces written in the request appear in `text`. */
function assertHidden(text: string, signed: Signed, where: string): void {
  const sig = signed.signature;
  const pieces = [sig, sig.slice(0, 20), sig.slice(20), ...signed.fragments];
  for (const p of pieces) assert.ok(!text.includes(p), `${where} shows "${p}" of the signature:\n${text}`);
}

describe('signatures are masked in the journal and the error log, however they are written', () => {
  let s: TestServer;
  let logged = '';
  const write = process.stderr.write.bind(process.stderr);
  before(async () => {
    s = await startTestServer({ seed: 'demo', logLevel: 'error' });
    // The server logs JSON lines to stderr: keep them to search, as an operator's log would.
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (text.startsWith('{"time"')) {
        logged += text;
        return true;
      }
      // biome-ignore lint/suspicious/noExplicitAny: passes other writers' arguments through unchanged.
      return (write as any)(chunk, ...rest);
    }) as typeof process.stderr.write;
  });
  after(async () => {
    process.stderr.write = write;
    await s.close();
  });
  afterEach(async () => {
    await s.admin('DELETE', '/_mktows/faults');
  });

  async function journalEntries(n: number): Promise<{ request: string; response: string; faultCode: number }[]> {
    const j = await s.admin('GET', `/_mktows/journal?limit=${n}`);
    assert.equal(j.status, 200);
    return j.body.entries;
  }

  for (const [name, shape] of Object.entries(SHAPES)) {
    test(`a signature written as ${name}`, async () => {
      const signed = signedHeader(s, shape);
      assertOk(await call(s, GET_ADA, { header: signed.header }));

      // The same call ends in an unexpected failure, which logs its request and response.
      assert.equal((await s.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 20011 })).status, 200);
      logged = '';
      assertFault(await call(s, GET_ADA, { header: signed.header }), 20011, /^Injected fault/);
      assert.match(logged, /"msg":"unexpected failure"/);
      assert.match(logged, /getLead/);
      assertHidden(logged, signed, 'the error log');

      const [failed, ok] = await journalEntries(2);
      assert.equal(failed.faultCode, 20011);
      assert.equal(ok.faultCode, null);
      for (const e of [failed, ok]) {
        assertHidden(e.request, signed, 'the journal request');
        assertHidden(e.response, signed, 'the journal response');
        assert.match(e.request, />\*{8}<\/(?:q9:)?requestSignature/);
        // Only the signature goes: the rest of the header is still there to debug with.
        assert.ok(e.request.includes(`<mktowsUserId>${USER}</mktowsUserId>`));
      }
    });
  }

  test('the decoded signature is masked wherever else it appears: echoed in a fault, repeated in the Body', async () => {
    const signed = signedHeader(s, SHAPES['split by a comment']);
    const r = await call(s, getLeadByEmail(signed.signature), { header: signed.header });
    // The fault names the key value, which here is the signature itself.
    assertFault(r, 20103, `No lead found with EMAIL = ${signed.signature}`);
    const [e] = await journalEntries(1);
    assert.equal(e.faultCode, 20103);
    assertHidden(e.request, signed, 'the journal request');
    assertHidden(e.response, signed, 'the journal response');
    assert.match(e.response, /No lead found with EMAIL = \*{8} \(20103\)/);
  });

  test('a request the parser refuses still has its signature element masked', async () => {
    const signed = signedHeader(s, SHAPES.CDATA);
    const broken = envelope(GET_ADA, signed.header).replace('</SOAP-ENV:Envelope>', '');
    assertFault(await post(s, broken), 20012, /^Request is not well-formed XML/);
    const [e] = await journalEntries(1);
    assert.equal(e.faultCode, 20012);
    assertHidden(e.request, signed, 'the journal request');
  });

  test('a signature left unclosed is masked to the end of the kept text', async () => {
    const signed = signedHeader(s, SHAPES.plain);
    const cut = envelope(GET_ADA, signed.header).split('</requestSignature>')[0];
    assertFault(await post(s, cut), 20012, /^Request is not well-formed XML/);
    const [e] = await journalEntries(1);
    assertHidden(e.request, signed, 'the journal request');
    assert.ok(e.request.endsWith('<requestSignature>********'));
  });

  test('a wrong signature of an unknown user is masked too', async () => {
    const signed = signedHeader(s, SHAPES['character references'], 'not-the-key');
    const h = signed.header.replace(`<mktowsUserId>${USER}<`, '<mktowsUserId>nobody_masked<');
    assertFault(await call(s, GET_ADA, { header: h }), 20014, 'Authentication failed');
    const [e] = await journalEntries(1);
    assertHidden(e.request, signed, 'the journal request');
  });
});

describe('the logger masks signature elements in whatever it is given', () => {
  test('string fields and the message are masked; other fields pass unchanged', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    const sig = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
    const quoted = `<ns2:requestSignature><![CDATA[${sig.slice(0, 20)}]]><!-- x -->${sig.slice(20)}</ns2:requestSignature>`;
    log.error(`failed on ${quoted}`, { error: `Error: cannot read ${quoted}`, code: 20011, url: '/soap/mktows/3_1' });
    log.info('plain', { n: 1 });
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0]);
    for (const text of [first.msg, first.error]) {
      assert.ok(!text.includes(sig.slice(0, 20)) && !text.includes(sig.slice(20)), text);
      assert.match(text, /<ns2:requestSignature>\*{8}<\/ns2:requestSignature>/);
    }
    assert.equal(first.code, 20011);
    assert.equal(first.url, '/soap/mktows/3_1');
    assert.deepEqual((({ time, ...rest }) => rest)(JSON.parse(lines[1])), { level: 'info', msg: 'plain', n: 1 });
  });
});
