/**
 * A real third-party client, node-soap (npm `soap` 1.13.0), against a running server: once with
 * Marketo's own 2_6 WSDL (from ../shared, endpoint overridden to ours), once with the WSDL we serve.
 * The AuthenticationHeader goes in as compat.md describes: addSoapHeader(obj, '', 'ns1', NS).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { computeSignature, formatW3C } from '@mktows/protocol';
import { type Client, createClientAsync } from 'soap';
import { KEY, NS, startTestServer, type TestServer, USER } from './support/harness.js';

const SHARED_DIR = process.env.MKTOWS_SHARED_DIR || undefined;
const MARKETO_WSDL = SHARED_DIR ? join(SHARED_DIR, 'reference', 'mktows-2_6.wsdl') : undefined;
const SKIP_MARKETO_WSDL =
  MARKETO_WSDL && existsSync(MARKETO_WSDL) ? false : 'skipped: ../shared absent (needs reference/mktows-2_6.wsdl)';

const ADA = 'ada@demo.example';

/** A freshly signed AuthenticationHeader, children in WSDL order, as node-soap callers write it. */
function authentication(now: Date) {
  const requestTimestamp = formatW3C(now);
  return {
    AuthenticationHeader: {
      mktowsUserId: USER,
      requestSignature: computeSignature(requestTimestamp, USER, KEY),
      requestTimestamp,
    },
  };
}

/** Replaces the client's headers with a fresh signature (one per call, as Marketo asks). */
function sign(client: Client, s: TestServer): void {
  client.clearSoapHeaders();
  client.addSoapHeader(authentication(new Date(s.runtime.clock.now())), '', 'ns1', NS);
}

// biome-ignore lint/suspicious/noExplicitAny: node-soap's results are untyped objects.
type Any = any;

/** node-soap's error for a SOAP fault, or fails. */
async function faultOf(p: Promise<unknown>): Promise<Any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail with a SOAP fault');
}

function attributes(record: Any): Record<string, string> {
  const list = record.leadAttributeList?.attribute ?? [];
  const out: Record<string, string> = {};
  for (const a of Array.isArray(list) ? list : [list]) out[a.attrName] = a.attrValue;
  return out;
}

function assertAdaResult(result: Any): void {
  assert.equal(Number(result.result.count), 1);
  const rec = result.result.leadRecordList.leadRecord;
  const record = Array.isArray(rec) ? rec[0] : rec;
  assert.equal(record.Email, ADA);
  assert.equal(Number(record.Id), 1);
  assert.equal(attributes(record).FirstName, 'Ada');
  assert.equal(attributes(record).LastName, 'Lovelace');
}

function assertLeadNotFound(e: Any, email: string): void {
  // node-soap parses the fault envelope into e.root; the HTTP status is on e.response.
  assert.equal(e.response?.status, 500);
  const fault = e.root?.Envelope?.Body?.Fault;
  assert.ok(fault, `expected a SOAP fault, got ${e}`);
  assert.equal(fault.faultcode, 'SOAP-ENV:Client');
  assert.equal(fault.faultstring, '20103 - Lead Not Found');
  const ex = fault.detail.serviceException;
  assert.equal(ex.name, 'mktServiceException');
  assert.equal(String(ex.code), '20103');
  assert.equal(ex.message, `No lead found with EMAIL = ${email} (20103)`);
  assert.match(e.message, /20103 - Lead Not Found/);
}

describe('node-soap 1.13.0', () => {
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ seed: 'demo' });
  });

  after(async () => {
    await s?.close();
  });

  describe("with Marketo's real 2_6 WSDL", { skip: SKIP_MARKETO_WSDL }, () => {
    let client: Client;

    before(async () => {
      client = await createClientAsync(MARKETO_WSDL as string);
      client.setEndpoint(`${s.url}/soap/mktows/2_6`);
    });

    test('getLead for ada@demo.example returns her record', async () => {
      sign(client, s);
      const [result, raw] = await client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: ADA } });
      assert.match(raw, /<ns1:successGetLead>/);
      assertAdaResult(result);
    });

    test('getLead for an unknown e-mail rejects with the 20103 fault', async () => {
      sign(client, s);
      const email = 'nobody@nowhere.example';
      const e = await faultOf(client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: email } }));
      assertLeadNotFound(e, email);
    });

    test('a wrong signature rejects with the 20014 fault', async () => {
      client.clearSoapHeaders();
      const auth = authentication(new Date(s.runtime.clock.now()));
      auth.AuthenticationHeader.requestSignature = '0'.repeat(40);
      client.addSoapHeader(auth, '', 'ns1', NS);
      const e = await faultOf(client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: ADA } }));
      const fault = e.root?.Envelope?.Body?.Fault;
      assert.equal(fault?.faultstring, '20014 - Authentication failed');
      assert.equal(String(fault?.detail?.serviceException?.code), '20014');
    });
  });

  describe('with the WSDL this server serves at /soap/mktows/3_1?WSDL', () => {
    let client: Client;

    before(async () => {
      client = await createClientAsync(`${s.url}/soap/mktows/3_1?WSDL`);
    });

    test('node-soap sees the service, port and operation names Marketo used', () => {
      // biome-ignore lint/suspicious/noExplicitAny: describe() output is untyped.
      const d: any = client.describe();
      assert.ok(d.MktMktowsApiService?.MktowsApiSoapPort?.getLead);
    });

    // No setEndpoint here: the served soap:address points at this server.
    test('getLead for ada@demo.example returns her record', async () => {
      sign(client, s);
      const [result] = await client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: ADA } });
      assertAdaResult(result);
    });

    test('getLead for an unknown e-mail rejects with the 20103 fault', async () => {
      sign(client, s);
      const email = 'ghost@nowhere.example';
      const e = await faultOf(client.getLeadAsync({ leadKey: { keyType: 'EMAIL', keyValue: email } }));
      assertLeadNotFound(e, email);
    });
  });
});
