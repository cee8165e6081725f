/**
 * Logging and hooks: every unexpected failure (10001, 20011, 20012, an unparseable response, a
 * network error) reaches the logger with the full request and response; neither the encryption key
 * nor any signature the client sent ever does.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  MktowsClient,
  type RequestEvent,
  type ResponseEvent,
  ServerError,
  UnexpectedResponseError,
} from '../src/index.js';
import { getLeadParams, KEY, recordingLogger, startMktows, type TestServer } from './support.js';

let server: TestServer;

before(async () => {
  server = await startMktows();
});
after(() => server.close());

/** A fetch that remembers every signature actually sent. */
function capturing(): { fetch: typeof fetch; signatures: string[] } {
  const signatures: string[] = [];
  return {
    signatures,
    fetch: async (input, init) => {
      const sig = /<requestSignature>([0-9a-f]{40})<\/requestSignature>/.exec(String(init?.body))?.[1];
      if (sig) signatures.push(sig);
      return fetch(input, init);
    },
  };
}

test('a 20011 reaches the logger with the full request and response, never the key or a signature', async () => {
  const user = await server.user('log20011');
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 20011, count: 2, userId: user });
  const logger = recordingLogger();
  const cap = capturing();
  const client = server.client(user, { logger, fetch: cap.fetch, random: () => 0 });
  const e = await client.getLead(getLeadParams()).catch((x) => x);
  assert.ok(e instanceof ServerError);
  assert.equal(e.attempts, 2);

  const failures = logger.entries.filter((x) => x.obj.code === 20011);
  assert.deepEqual(
    failures.map((x) => [x.level, x.obj.attempt, x.obj.retrying]),
    [
      ['warn', 1, true],
      ['error', 2, false],
    ],
  );
  for (const f of failures) {
    const request = String(f.obj.request);
    const response = String(f.obj.response);
    assert.match(
      request,
      /<ns1:paramsGetLead><leadKey><keyType>EMAIL<\/keyType><keyValue>ada@demo.example<\/keyValue>/,
    );
    assert.match(request, new RegExp(`<mktowsUserId>${user}</mktowsUserId>`));
    assert.match(request, /<requestSignature>\*{8}<\/requestSignature>/);
    assert.match(request, /<requestTimestamp>\d{4}-\d\d-\d\dT/);
    assert.match(response, /<faultstring>20011 - Internal Error<\/faultstring>/);
    assert.match(response, /<code>20011<\/code>/);
  }
  const everything = JSON.stringify(logger.entries) + JSON.stringify({ request: e.request, response: e.response });
  assert.equal(cap.signatures.length, 2);
  assert.ok(!everything.includes(KEY), 'the key is never logged');
  for (const sig of cap.signatures) assert.ok(!everything.includes(sig), 'no signature is logged');
});

test('10001 and 20012 are logged too; an expected fault (20103) is not', async () => {
  const user = await server.user('log10001');
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 10001, count: 1, userId: user });
  await server.admin('POST', '/_mktows/faults', { operation: 'syncLead', code: 20012, count: 1, userId: user });
  const logger = recordingLogger();
  const client = server.client(user, { logger, random: () => 0 });
  await client.getLead(getLeadParams());
  await client.syncLead({ leadRecord: { Email: 'x@y.example' }, returnLead: false }).catch(() => undefined);
  await client.getLead(getLeadParams('nobody@nowhere.example')).catch(() => undefined);
  assert.deepEqual(
    logger.entries.filter((x) => x.obj.request).map((x) => [x.level, x.obj.code]),
    [
      ['warn', 10001],
      ['error', 20012],
    ],
  );
});

test('an unparseable response and a network error are logged with what there is', async () => {
  const logger = recordingLogger();
  let n = 0;
  const broken: typeof fetch = async () => {
    if (++n === 1) return new Response('<html>oops', { status: 200 });
    throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
  };
  const client = new MktowsClient({
    endpoint: 'http://fake.invalid/soap/mktows/3_1',
    userId: 'log_broken',
    encryptionKey: KEY,
    logger,
    fetch: broken,
    retry: { maxAttempts: 1 },
  });
  const e1 = await client.getLead(getLeadParams()).catch((x) => x);
  assert.ok(e1 instanceof UnexpectedResponseError);
  assert.equal(e1.retryable, false);
  const e2 = await client.getLead(getLeadParams()).catch((x) => x);
  assert.equal(e2.name, 'NetworkError');
  assert.match(e2.message, /ECONNRESET/);
  const logged = logger.entries.filter((x) => x.level === 'error');
  assert.equal(logged.length, 2);
  assert.equal(logged[0].obj.response, '<html>oops');
  assert.match(String(logged[0].obj.request), /paramsGetLead/);
  assert.equal(logged[1].obj.response, null);
  assert.match(String(logged[1].obj.request), /paramsGetLead/);
});

test('logTraffic logs every attempt at debug, masked; hooks see every attempt; a throwing hook is harmless', async () => {
  const user = await server.user('traffic');
  await server.admin('POST', '/_mktows/faults', { operation: 'getLead', code: 20016, count: 1, userId: user });
  const logger = recordingLogger();
  const requests: RequestEvent[] = [];
  const responses: ResponseEvent[] = [];
  const client = server.client(user, {
    logger,
    logTraffic: true,
    onRequest: (e) => {
      requests.push(e);
      throw new Error('metrics backend down');
    },
    onResponse: (e) => responses.push(e),
  });
  assert.equal((await client.getLead(getLeadParams())).count, 1);
  assert.deepEqual(
    requests.map((r) => [r.operation, r.attempt]),
    [
      ['getLead', 1],
      ['getLead', 2],
    ],
  );
  assert.ok(requests.every((r) => r.url === server.endpoint && /\*{8}/.test(r.request)));
  assert.deepEqual(
    responses.map((r) => [r.attempt, r.ok, r.httpStatus, r.faultCode]),
    [
      [1, false, 500, 20016],
      [2, true, 200, undefined],
    ],
  );
  assert.ok(responses.every((r) => r.durationMs >= 0 && typeof r.response === 'string'));
  const traffic = logger.entries.filter((x) => x.level === 'debug' && x.obj.request);
  assert.equal(traffic.length, 2);
  assert.match(String(traffic[1].obj.response), /successGetLead/);
  assert.equal(logger.entries.filter((x) => x.obj.hook === 'onRequest').length, 2);
  assert.ok(!JSON.stringify(logger.entries).includes(KEY));
});
