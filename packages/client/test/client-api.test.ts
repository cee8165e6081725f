/**
 * The client's surface: a typed method per operation, params and results typed from the schema,
 * errors derived from the catalogue, response decoding (including xsi:nil), secrets masked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { FAULTS, faultXml, OPERATION_BY_NAME, OPERATIONS } from '@mktows/protocol';
import {
  AuthError,
  FAULT,
  InvalidRequestError,
  isAuthError,
  isInvalidRequest,
  isLimitError,
  isMktowsError,
  isNotFound,
  isQuotaExceeded,
  isRetryable,
  isServerError,
  isStreamError,
  LimitError,
  MktowsClient,
  MktowsError,
  NotFoundError,
  QuotaExceededError,
  ServerError,
  StreamError,
} from '../src/index.js';
import { maskSecrets } from '../src/mask.js';
import { parseResponse } from '../src/response.js';
import { fakeEndpoint, getLeadParams, KEY, startMktows, type TestServer } from './support.js';

let server: TestServer;

before(async () => {
  server = await startMktows();
});
after(() => server.close());

describe('typed methods', () => {
  test('one method per operation, named as the operation', () => {
    const client = new MktowsClient({ endpoint: 'http://x.invalid', userId: 'u_methods', encryptionKey: KEY });
    assert.equal(OPERATIONS.length, 23);
    for (const op of OPERATIONS) {
      assert.equal(typeof (client as unknown as Record<string, unknown>)[op.name], 'function', op.name);
    }
    // Compile-time checks of the typed facade (never run).
    const _typed = () => {
      // @ts-expect-error getLead needs its params
      void client.getLead();
      // @ts-expect-error keyType is a LeadKeyRef
      void client.getLead({ leadKey: { keyType: 'MAIL', keyValue: 'x' } });
      // @ts-expect-error a LeadSelector names its concrete type
      void client.getMultipleLeads({ leadSelector: { oldestUpdatedAt: new Date() } });
      // @ts-expect-error iterate takes stream operations only
      void client.iterate('getLead', getLeadParams());
      void client.getTags();
      void client.listMObjects();
    };
    void _typed;
    // A bare origin gets the 3_1 path.
    assert.equal(client.endpoint, 'http://x.invalid/soap/mktows/3_1');
    assert.equal(client.version, '3_1');
    assert.equal(
      new MktowsClient({ endpoint: 'http://x.invalid/soap/mktows/2_6', userId: 'u', encryptionKey: KEY }).version,
      '2_6',
    );
  });

  test('getLead and syncLead return typed results; an xsi:nil field is left out', async () => {
    const user = await server.user('api');
    const client = server.client(user);
    const r = await client.getLead({ leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } });
    assert.equal(r.count, 1);
    const lead = r.leadRecordList?.leadRecord?.[0];
    assert.equal(lead?.Email, 'ada@demo.example');
    const first = lead?.leadAttributeList?.attribute?.find((a) => a.attrName === 'FirstName');
    assert.equal(first?.attrValue, 'Ada');
    // ForeignSysPersonId is xsi:nil for leads without one: the decoder leaves it out.
    const synced = await client.syncLead({ leadRecord: { Email: 'api.nil@demo.example' }, returnLead: true });
    assert.equal(synced.syncStatus.status, 'CREATED');
    assert.equal(synced.leadRecord?.Email, 'api.nil@demo.example');
    assert.equal('ForeignSysPersonId' in (synced.leadRecord ?? {}), false);
  });

  test('dateTimes accept a Date or an ISO string and are sent in the same instant', async () => {
    const fake = fakeEndpoint(() => ({ returnCount: 0, remainingCount: 0, newStreamPosition: '' }));
    const client = new MktowsClient({
      endpoint: 'http://fake.invalid/soap/mktows/3_1',
      userId: 'u_dates',
      encryptionKey: KEY,
      fetch: fake.fetch,
    });
    await client.getMultipleLeads({
      leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: new Date('2026-03-01T00:00:00Z') },
    });
    await client.getMultipleLeads({
      leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: '2026-03-01T00:00:00Z' },
    });
    const [a, b] = fake.calls.map((c) => c.params.leadSelector.oldestUpdatedAt.toISOString());
    assert.equal(a, '2026-03-01T00:00:00.000Z');
    assert.equal(b, a);
    assert.equal(fake.calls[0].params.leadSelector.xsiType, 'LastUpdateAtSelector');
  });

  test('syncLead sends targetWorkspace in MktowsContextHeader; params-free operations need no params', async () => {
    let body = '';
    const fake = fakeEndpoint((op) =>
      op === 'syncLead'
        ? { leadId: 1, syncStatus: { leadId: 1, status: 'UPDATED', error: null } }
        : { tagList: { tag: [{ type: 'Region', values: { stringItem: ['EMEA'] } }] } },
    );
    const client = new MktowsClient({
      endpoint: 'http://fake.invalid/soap/mktows/3_1',
      userId: 'u_ctx',
      encryptionKey: KEY,
      partnerId: 'partner-1',
      fetch: async (input, init) => {
        body = String(init?.body);
        return fake.fetch(input, init);
      },
    });
    await client.syncLead({ leadRecord: { Id: 1 }, returnLead: false }, { targetWorkspace: 'Europe' });
    assert.match(
      body,
      /<ns1:MktowsContextHeader><targetWorkspace>Europe<\/targetWorkspace><\/ns1:MktowsContextHeader>/,
    );
    assert.match(body, /<partnerId>partner-1<\/partnerId>/);
    const tags = await client.getTags();
    assert.deepEqual(tags.tagList.tag?.[0].values?.stringItem, ['EMEA']);
  });

  test('params that cannot be encoded are a TypeError before anything is sent', async () => {
    let sent = 0;
    const client = new MktowsClient({
      endpoint: 'http://fake.invalid',
      userId: 'u_bad',
      encryptionKey: KEY,
      fetch: async () => {
        sent++;
        return new Response('');
      },
    });
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong params.
    const e = await client.getMultipleLeads({ leadSelector: { oldestUpdatedAt: new Date() } as any }).catch((x) => x);
    assert.ok(e instanceof TypeError);
    assert.equal(sent, 0);
    assert.equal(client.usage().inFlight, 0);
  });

  test('the encryption key does not show when the client is logged or inspected', () => {
    const client = new MktowsClient({ endpoint: 'http://x.invalid', userId: 'u_inspect', encryptionKey: KEY });
    assert.ok(!inspect(client, { depth: 5 }).includes(KEY));
    assert.ok(!JSON.stringify(client).includes(KEY));
  });
});

describe('errors follow the catalogue', () => {
  const classOf: Record<string, unknown> = {
    auth: AuthError,
    limit: LimitError,
    'not-found': NotFoundError,
    'invalid-request': InvalidRequestError,
    stream: StreamError,
    server: ServerError,
  };
  const guardOf: Record<string, (e: unknown) => boolean> = {
    auth: isAuthError,
    limit: isLimitError,
    'not-found': isNotFound,
    'invalid-request': isInvalidRequest,
    stream: isStreamError,
    server: isServerError,
  };

  test('every catalogue code becomes an error of its category, retryable as its advice says', () => {
    const op = OPERATION_BY_NAME.get('getLead');
    assert.ok(op);
    for (const f of FAULTS) {
      const xml = faultXml(f.code, `detail of ${f.code}`);
      const parsed = parseResponse(op, 500, xml);
      assert.equal(parsed.kind, 'fault');
      if (parsed.kind !== 'fault') continue;
      const e = MktowsError.from({ ...parsed, httpStatus: 500, response: xml }, { operation: 'getLead', attempts: 1 });
      assert.ok(e instanceof (classOf[f.category] as typeof MktowsError), `${f.code} → ${e.constructor.name}`);
      assert.ok(guardOf[f.category](e));
      assert.equal(e.code, f.code);
      assert.equal(e.category, f.category);
      assert.equal(e.side, f.side);
      assert.equal(e.faultstring, `${f.code} - ${f.message}`);
      assert.equal(e.detail, `detail of ${f.code} (${f.code})`);
      assert.equal(e.retryAdvice, f.retry);
      assert.equal(isRetryable(e), ['backoff', 'resign', 'wait-window', 'wait-slot'].includes(f.retry), String(f.code));
      assert.equal(isQuotaExceeded(e), f.code === 20015);
      if (f.code === 20015) assert.ok(e instanceof QuotaExceededError);
    }
  });

  test('a fault outside the catalogue is classed by its faultcode side', () => {
    const op = OPERATION_BY_NAME.get('getLead');
    assert.ok(op);
    const xml = faultXml(20011, 'x').replace(/20011/g, '29999');
    const parsed = parseResponse(op, 500, xml);
    assert.equal(parsed.kind, 'fault');
    if (parsed.kind !== 'fault') return;
    const e = MktowsError.from({ ...parsed, httpStatus: 500, response: xml }, { operation: 'getLead', attempts: 1 });
    assert.equal(e.code, 29999);
    assert.ok(e instanceof ServerError);
    assert.equal(e.retryable, true);
  });

  test('codes have names: FAULT is exported and isMktowsError takes catalogue codes only', () => {
    const op = OPERATION_BY_NAME.get('getLead');
    assert.ok(op);
    const xml = faultXml(FAULT.LEAD_NOT_FOUND, 'No lead found with EMAIL = nobody@demo.example');
    const parsed = parseResponse(op, 500, xml);
    assert.ok(parsed.kind === 'fault');
    const e = MktowsError.from({ ...parsed, httpStatus: 500, response: xml }, { operation: 'getLead', attempts: 1 });
    assert.equal(e.code, 20103);
    assert.ok(isMktowsError(e, FAULT.LEAD_NOT_FOUND));
    assert.ok(!isMktowsError(e, FAULT.LIST_NOT_FOUND));
    // @ts-expect-error 20999 is no catalogue code: a misspelt code fails the type-check.
    assert.ok(!isMktowsError(e, 20999));
  });
});

describe('response decoding', () => {
  test('a required nillable field sent as xsi:nil decodes as null', () => {
    const op = OPERATION_BY_NAME.get('syncMObjects');
    assert.ok(op);
    const xml =
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      '<SOAP-ENV:Body><ns1:successSyncMObjects><result><mObjStatusList><mObjStatus>' +
      '<id xsi:nil="true"/><status>FAILED</status><error>no such opportunity</error>' +
      '</mObjStatus></mObjStatusList></result></ns1:successSyncMObjects></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    const r = parseResponse(op, 200, xml);
    assert.equal(r.kind, 'result');
    if (r.kind !== 'result') return;
    assert.deepEqual(r.value, {
      mObjStatusList: { mObjStatus: [{ id: null, status: 'FAILED', error: 'no such opportunity' }] },
    });
  });

  test('a result the strict decoder rejects (an enum token from a newer schema) is read leniently', () => {
    const op = OPERATION_BY_NAME.get('syncLead');
    assert.ok(op);
    const xml =
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">' +
      '<SOAP-ENV:Body><ns1:successSyncLead><result><leadId>7</leadId><syncStatus><leadId>7</leadId>' +
      '<status>MERGED</status></syncStatus></result></ns1:successSyncLead></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    const r = parseResponse(op, 200, xml);
    assert.equal(r.kind, 'result');
    if (r.kind !== 'result') return;
    assert.deepEqual(r.value, { leadId: 7, syncStatus: { leadId: 7, status: 'MERGED' } });
  });

  test('a result with a value that is not of its type is an unexpected response', () => {
    const op = OPERATION_BY_NAME.get('getLead');
    assert.ok(op);
    const xml =
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">' +
      '<SOAP-ENV:Body><ns1:successGetLead><result><count>many</count></result></ns1:successGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    assert.equal(parseResponse(op, 200, xml).kind, 'unexpected');
  });

  test('a success element of another operation is an unexpected response', () => {
    const op = OPERATION_BY_NAME.get('getLead');
    assert.ok(op);
    const xml =
      '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">' +
      '<SOAP-ENV:Body><ns1:successGetTags><result/></ns1:successGetTags></SOAP-ENV:Body></SOAP-ENV:Envelope>';
    const r = parseResponse(op, 200, xml);
    assert.equal(r.kind, 'unexpected');
  });

  test('maskSecrets hides the signature element and the key wherever it appears', () => {
    const text = `<requestSignature>0123456789abcdef0123456789abcdef01234567</requestSignature><x>${KEY}</x>`;
    assert.equal(maskSecrets(text, [KEY]), '<requestSignature>********</requestSignature><x>********</x>');
  });
});

test('getLead through a client with default settings works against the server', async () => {
  const user = await server.user('default');
  const r = await server.client(user).getLead(getLeadParams());
  assert.equal(r.count, 1);
});
