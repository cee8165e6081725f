/** The bridge's pure parts: its store URL, request building, REST → SOAP codes, caches, field pairs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leadRecordOf, soapValueOf } from '../src/bridge/lead-convert.js';
import { LeadFieldMap } from '../src/bridge/lead-field-map.js';
import { parseMarketoTarget } from '../src/bridge/target.js';
import { TtlCache } from '../src/bridge/ttl-cache.js';
import { buildRequest, soapCodeOf } from '../src/bridge/upstream.js';
import { redactStoreUrl } from '../src/store/open.js';

describe('bridge store URL', () => {
  test('client id and secret are taken out; messages and the banner never show the secret', () => {
    const t = parseMarketoTarget('marketo+https://my%20id:s3cr%2Ft@123-ABC-456.mktorest.com/');
    assert.deepEqual(
      { baseUrl: t.baseUrl, clientId: t.clientId, clientSecret: t.clientSecret, redacted: t.redacted },
      {
        baseUrl: 'https://123-abc-456.mktorest.com',
        clientId: 'my id',
        clientSecret: 's3cr/t',
        redacted: 'marketo+https://my%20id:***@123-abc-456.mktorest.com',
      },
    );
    assert.equal(redactStoreUrl('marketo+http://a:topsecret@127.0.0.1:9/x'), 'marketo+http://a:***@127.0.0.1:9/x');
  });

  test('a URL without credentials, or with a query, is refused without quoting it', () => {
    for (const bad of [
      'marketo+https://host.example',
      'marketo+https://id@host.example',
      'marketo+https://id:pw@h/?x=1',
    ]) {
      assert.throws(
        () => parseMarketoTarget(bad),
        (e: Error) => !e.message.includes('pw') && /bridge's store/.test(e.message),
        bad,
      );
    }
  });
});

describe('bridge REST requests', () => {
  test('the token goes in the Authorization header, never in the URL; lists are joined with commas', () => {
    const { url, init } = buildRequest(
      'https://h',
      {
        method: 'GET',
        path: '/rest/v1/leads.json',
        query: { filterType: 'id', filterValues: [1, 2], fields: undefined },
      },
      'tok:ab',
    );
    assert.equal(url, 'https://h/rest/v1/leads.json?filterType=id&filterValues=1%2C2');
    assert.equal((init.headers as Record<string, string>).authorization, 'Bearer tok:ab');
    assert.equal(init.method, 'GET');
  });

  test('a GET whose URL would pass 8 KB becomes POST ?_method=GET with the query as a form body', () => {
    const values = Array.from({ length: 300 }, (_, i) => `someone.${i}@a-long-domain-name.example`);
    const { url, init } = buildRequest(
      'https://h',
      { method: 'GET', path: '/rest/v1/leads.json', query: { filterType: 'email', filterValues: values } },
      't',
    );
    assert.equal(url, 'https://h/rest/v1/leads.json?_method=GET');
    assert.equal(init.method, 'POST');
    assert.equal((init.headers as Record<string, string>)['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(new URLSearchParams(String(init.body)).get('filterValues')?.split(',').length, 300);
  });

  test('a JSON body is sent as JSON', () => {
    const { init } = buildRequest(
      'https://h',
      { method: 'POST', path: '/rest/v1/leads.json', json: { input: [] } },
      't',
    );
    assert.equal(init.body, '{"input":[]}');
    assert.equal((init.headers as Record<string, string>)['content-type'], 'application/json');
  });
});

describe('REST errors as SOAP faults', () => {
  test('limits, transient failures and record errors map as the bridge contract says', () => {
    const pairs = [
      [606, 20023],
      [607, 20015],
      [615, 20024],
      [604, 10001],
      [608, 10001],
      [611, 10001],
      [713, 10001],
      [0, 10001],
      [502, 10001],
      [1004, 20103],
      [1006, 20105],
      [4242, 20011],
    ];
    assert.deepEqual(
      pairs.map(([rest]) => [rest, soapCodeOf(rest)]),
      pairs,
    );
  });
});

describe('bridge caches', () => {
  test('one load for concurrent asks, kept for the TTL, a failed load not kept', async () => {
    let now = 0;
    const c = new TtlCache<number>(1000, () => now);
    let loads = 0;
    const load = async () => ++loads;
    assert.deepEqual(await Promise.all([c.get('k', load), c.get('k', load)]), [1, 1]);
    now = 999;
    assert.equal(await c.get('k', load), 1);
    now = 1000;
    assert.equal(await c.get('k', load), 2);
    await assert.rejects(c.get('bad', async () => Promise.reject(new Error('no'))));
    assert.equal(await c.get('bad', async () => 7), 7);
  });
});

describe('lead fields from describe', () => {
  const map = new LeadFieldMap([
    { displayName: 'Date of Birth', dataType: 'date', rest: { name: 'dateOfBirth' }, soap: { name: 'DateofBirth' } },
    { displayName: 'SIC Code', dataType: 'string', rest: { name: 'sicCode' }, soap: { name: 'SICCode' } },
    {
      displayName: 'Lead Partition Id',
      dataType: 'reference',
      rest: { name: 'leadPartitionId' },
      soap: { name: 'Lead Partition ID' },
    },
    { displayName: 'Created At', dataType: 'datetime', rest: { name: 'createdAt', readOnly: true } },
    { displayName: 'Last Visit', dataType: 'datetime', rest: { name: 'lastVisit' }, soap: { name: 'LastVisit' } },
    {
      displayName: 'Unsubscribed',
      dataType: 'boolean',
      rest: { name: 'unsubscribed' },
      soap: { name: 'Unsubscribed' },
    },
  ]);

  test('SOAP and REST names are paired by describe, not by a case rule; headers by display name', () => {
    assert.equal(map.bySoap('DateofBirth')?.rest, 'dateOfBirth');
    assert.equal(map.bySoap('siccode')?.rest, 'sicCode');
    assert.equal(map.bySoap('Lead Partition ID')?.rest, 'leadPartitionId');
    assert.equal(map.byHeader('date of birth')?.soap, 'DateofBirth');
    assert.equal(map.bySoap('CreatedAt'), undefined);
    assert.deepEqual(
      map.soapFields().map((f) => f.soap),
      ['DateofBirth', 'SICCode', 'Lead Partition ID', 'LastVisit', 'Unsubscribed'],
    );
  });

  test('a REST lead as a LeadRecord: SOAP names sorted as Marketo sorts them, SOAP texts, REST-only and empty fields left out', () => {
    const r = leadRecordOf(
      {
        id: 5,
        email: 'a@b.example',
        dateOfBirth: '1815-12-10',
        createdAt: '2020-01-01T00:00:00Z',
        sicCode: null,
        lastVisit: '2024-05-01T10:11:12Z',
        unsubscribed: false,
        leadPartitionId: 1,
      },
      map,
    );
    assert.deepEqual(r, {
      Id: 5,
      Email: 'a@b.example',
      ForeignSysPersonId: null,
      ForeignSysType: null,
      leadAttributeList: {
        attribute: [
          { attrName: 'DateofBirth', attrType: 'date', attrValue: '1815-12-10' },
          { attrName: 'LastVisit', attrType: 'datetime', attrValue: '2024-05-01T10:11:12+00:00' },
          { attrName: 'Lead Partition ID', attrType: 'reference', attrValue: '1' },
          { attrName: 'Unsubscribed', attrType: 'boolean', attrValue: '0' },
        ],
      },
    });
    assert.equal(soapValueOf('datetime', '2014-11-13 12:43:04'), '2014-11-13T12:43:04+00:00');
  });
});
