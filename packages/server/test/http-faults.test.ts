/**
 * HTTP-level fault rules (`"http"`): each kind seen by a real client, SOAP through @mktows/client and
 * node's fetch, REST through fetch; counts used up exactly; bad rules refused and nothing stored.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MktowsClient, NetworkError, type ResponseEvent, UnexpectedResponseError } from '@mktows/client';
import { parseXml } from '@mktows/protocol';
import { authHeader, envelope, getLeadBody, KEY, startTestServer, type TestServer, USER } from './support/harness.js';
import { accessToken, REST_CLIENT, REST_SECRET } from './support/rest.js';

let s: TestServer;
before(async () => {
  s = await startTestServer({
    seed: 'demo',
    restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
  });
});
after(() => s.close());
beforeEach(async () => {
  assert.equal((await s.admin('DELETE', '/_mktows/faults')).status, 200);
});

async function addRule(rule: Record<string, unknown>): Promise<number> {
  const r = await s.admin('POST', '/_mktows/faults', rule);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.id;
}

async function rules(): Promise<{ id: number; remaining?: number }[]> {
  return (await s.admin('GET', '/_mktows/faults')).body.rules;
}

const soapUrl = () => `${s.url}/soap/mktows/3_1`;

/** A raw SOAP getLead by fetch; the response is read by the caller. */
async function rawSoap(): Promise<Response> {
  const body = envelope(getLeadBody('IDNUM', '1'), authHeader({}, new Date(s.runtime.clock.now())));
  return fetch(soapUrl(), { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body });
}

/** The SOAP client with its own limits off and retries without waiting. */
function client(onResponse?: (e: ResponseEvent) => void): MktowsClient {
  return new MktowsClient({
    endpoint: soapUrl(),
    userId: USER,
    encryptionKey: KEY,
    limits: false,
    sleep: async () => {},
    onResponse,
  });
}

describe('HTTP-level fault rules: validation', () => {
  for (const [rule, message] of [
    [
      { operation: 'getLead', http: '502' },
      /^http must be one of "503", "reset", "truncate", "malformed", "slow-first-byte"; got "502"$/,
    ],
    [{ operation: 'getLead', http: 'reset', code: 20011 }, /^a fault rule has a code or an http fault, not both$/],
    [{ operation: 'getLead', http: 'slow-first-byte' }, /^an http "slow-first-byte" rule needs delayMs/],
  ] as const) {
    test(`${JSON.stringify(rule)} is refused with 400 and stores nothing`, async () => {
      const r = await s.admin('POST', '/_mktows/faults', rule);
      assert.equal(r.status, 400);
      assert.match(r.body.error, message);
      assert.deepEqual(await rules(), []);
    });
  }
});

describe('HTTP-level fault rules on SOAP', () => {
  test('503: fetch sees 503 with a body; the client retries and succeeds; a count of 2 fires exactly twice', async () => {
    const id = await addRule({ operation: 'getLead', http: '503', count: 2 });
    const r = await rawSoap();
    assert.equal(r.status, 503);
    assert.equal(await r.text(), `Service Unavailable (mktows fault rule ${id})\n`);
    assert.deepEqual(
      (await rules()).map((x) => x.remaining),
      [1],
    );
    const attempts: number[] = [];
    const c = client((e) => attempts.push(e.httpStatus));
    const lead = await c.call('getLead', { leadKey: { keyType: 'IDNUM', keyValue: '1' } });
    assert.equal(lead.count, 1);
    assert.deepEqual(attempts, [503, 200]);
    assert.deepEqual(await rules(), []);
    // The rule is used up: the next call is plain.
    assert.equal((await rawSoap()).status, 200);
  });

  test('reset: fetch fails with a connection error; the client gets NetworkError, then retries', async () => {
    await addRule({ operation: 'getLead', http: 'reset', count: 1 });
    await assert.rejects(rawSoap(), (e: Error) => e instanceof TypeError && /fetch failed/.test(e.message));
    await addRule({ operation: 'getLead', http: 'reset', count: 1 });
    const errors: string[] = [];
    const c = client((e) => errors.push(e.error?.constructor.name ?? 'ok'));
    const lead = await c.call('getLead', { leadKey: { keyType: 'IDNUM', keyValue: '1' } });
    assert.equal(lead.count, 1);
    assert.deepEqual(errors, [NetworkError.name, 'ok']);
    assert.deepEqual(await rules(), []);
  });

  test('truncate: full Content-Length, half the body, then the connection closes', async () => {
    const full = await (await rawSoap()).text();
    await addRule({ operation: 'getLead', http: 'truncate', count: 1 });
    const r = await rawSoap();
    assert.equal(r.status, 200);
    assert.equal(Number(r.headers.get('content-length')), Buffer.byteLength(full));
    await assert.rejects(r.text(), (e: Error) => e instanceof TypeError && /terminated/.test(e.message));
    assert.deepEqual(await rules(), []);
  });

  test('malformed: 200 with a body that is not XML; the client reports an unexpected response', async () => {
    await addRule({ operation: 'getLead', http: 'malformed' });
    const r = await rawSoap();
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.throws(() => parseXml(text));
    await assert.rejects(
      client().call('getLead', { leadKey: { keyType: 'IDNUM', keyValue: '1' } }),
      (e: Error) => e instanceof UnexpectedResponseError && e.httpStatus === 200,
    );
    // Without a count the rule stays.
    assert.equal((await rules()).length, 1);
  });

  test('slow-first-byte: no byte before delayMs, then the real response', async () => {
    await addRule({ operation: 'getLead', http: 'slow-first-byte', delayMs: 300, count: 1 });
    const t = performance.now();
    const r = await rawSoap();
    const firstByte = performance.now() - t;
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<leadRecordList>/);
    assert.ok(firstByte >= 290, `headers after ${firstByte} ms`);
    assert.deepEqual(await rules(), []);
  });

  test('a rule for another user or operation leaves the call alone', async () => {
    await addRule({ operation: 'getLead', http: 'reset', userId: 'someone_else' });
    await addRule({ operation: 'syncLead', http: 'reset' });
    assert.equal((await rawSoap()).status, 200);
  });
});

describe('HTTP-level fault rules on REST', () => {
  const describeLeads = async (token: string) =>
    fetch(`${s.url}/rest/v1/leads/describe.json`, { headers: { authorization: `Bearer ${token}` } });

  test('by operationId: 503, reset, truncate, malformed; then the plain answer', async () => {
    const token = await accessToken(s);
    await addRule({ operation: 'describeUsingGET_2', http: '503', count: 1 });
    const r503 = await describeLeads(token);
    assert.equal(r503.status, 503);
    assert.match(await r503.text(), /^Service Unavailable/);

    await addRule({ operation: 'describeUsingGET_2', http: 'reset', count: 1 });
    await assert.rejects(describeLeads(token), /fetch failed/);

    const full = await (await describeLeads(token)).text();
    await addRule({ operation: 'describeUsingGET_2', http: 'truncate', count: 1 });
    const rt = await describeLeads(token);
    assert.equal(Number(rt.headers.get('content-length')), Buffer.byteLength(full));
    await assert.rejects(rt.text(), /terminated/);

    await addRule({ operation: 'describeUsingGET_2', http: 'malformed', count: 1 });
    const rm = await describeLeads(token);
    assert.equal(rm.status, 200);
    const malformed = await rm.text();
    assert.throws(() => JSON.parse(malformed), SyntaxError);

    assert.deepEqual(await rules(), []);
    const plain = await describeLeads(token);
    assert.equal((await plain.json()).success, true);
  });

  test('"*" with an http fault applies to SOAP and REST calls alike', async () => {
    const token = await accessToken(s);
    await addRule({ operation: '*', http: '503', count: 2 });
    assert.equal((await rawSoap()).status, 503);
    assert.equal((await describeLeads(token)).status, 503);
    assert.deepEqual(await rules(), []);
    assert.equal((await rawSoap()).status, 200);
    assert.equal((await describeLeads(token)).status, 200);
  });
});
