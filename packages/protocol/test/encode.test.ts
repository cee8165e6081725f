import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Decoded, decodeComplex } from '../src/decode.js';
import { EncodedContent, encodeRequest, encodeSuccess, encodeSuccessBytes, preEncoded } from '../src/encode.js';
import { childText, findHeader, parseRequest } from '../src/envelope.js';
import type { Version } from '../src/schema/model.js';
import { OPERATION_BY_NAME, type OperationDef } from '../src/schema/operations.js';
import { escapeAttr, escapeText } from '../src/xml/escape.js';
import { parseXml } from '../src/xml/parse.js';

const NS = 'http://www.marketo.com/mktows/';
const XSI_DECL = ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function op(name: string): OperationDef {
  const o = OPERATION_BY_NAME.get(name);
  assert.ok(o, name);
  return o;
}

/** The whole success envelope around `inner`, as encodeSuccess writes it. */
function successEnvelope(element: string, inner: string, xsi: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NS}"${xsi ? XSI_DECL : ''}>` +
    `<SOAP-ENV:Body><ns1:${element}>${inner}</ns1:${element}></SOAP-ENV:Body></SOAP-ENV:Envelope>\n`
  );
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('encodeSuccess', () => {
  test('getLead with a null ForeignSysPersonId writes xsi:nil and declares xsi on the Envelope only', () => {
    const xml = encodeSuccess(
      op('getLead'),
      {
        count: 1,
        leadRecordList: {
          leadRecord: [
            {
              Id: 42,
              Email: 'ada@demo.example',
              ForeignSysPersonId: null,
              leadAttributeList: { attribute: [{ attrName: 'FirstName', attrType: 'string', attrValue: 'Ada' }] },
            },
          ],
        },
      },
      '2_6',
    );
    assert.equal(
      xml,
      successEnvelope(
        'successGetLead',
        '<result><count>1</count><leadRecordList><leadRecord><Id>42</Id><Email>ada@demo.example</Email>' +
          '<ForeignSysPersonId xsi:nil="true"/><leadAttributeList><attribute><attrName>FirstName</attrName>' +
          '<attrType>string</attrType><attrValue>Ada</attrValue></attribute></leadAttributeList></leadRecord>' +
          '</leadRecordList></result>',
        true,
      ),
    );
    assert.equal(count(xml, 'xmlns:xsi='), 1);
  });

  test('a result without nulls declares no xsi prefix', () => {
    const xml = encodeSuccess(
      op('getLead'),
      { count: 1, leadRecordList: { leadRecord: [{ Email: 'e@x.example' }] } },
      '3_1',
    );
    assert.equal(
      xml,
      successEnvelope(
        'successGetLead',
        '<result><count>1</count><leadRecordList><leadRecord><Email>e@x.example</Email></leadRecord></leadRecordList></result>',
        false,
      ),
    );
    assert.ok(!xml.includes('xsi'));
  });

  test('a null nillable wrapper is written as xsi:nil, and the response is well-formed', () => {
    const xml = encodeSuccess(op('getLead'), { count: 0, leadRecordList: null }, '3_1');
    assert.equal(
      xml,
      successEnvelope('successGetLead', '<result><count>0</count><leadRecordList xsi:nil="true"/></result>', true),
    );
    const root = parseXml(xml);
    const nil = root.children[0].children[0].children[0].children[1];
    assert.equal(nil.local, 'leadRecordList');
    assert.deepEqual(nil.attrs, [
      { ns: 'http://www.w3.org/2001/XMLSchema-instance', local: 'nil', prefix: 'xsi', value: 'true' },
    ]);
  });

  test('elements come out in schema order whatever the order of the object keys', () => {
    const ordered = encodeSuccess(
      op('syncLead'),
      {
        leadId: 7,
        syncStatus: { leadId: 7, status: 'CREATED', error: null },
        leadRecord: { Id: 7, Email: 'a@b.example', ForeignSysPersonId: 'f', ForeignSysType: 'CUSTOM' },
      },
      '3_1',
    );
    const reversed = encodeSuccess(
      op('syncLead'),
      {
        leadRecord: { ForeignSysType: 'CUSTOM', ForeignSysPersonId: 'f', Email: 'a@b.example', Id: 7 },
        syncStatus: { error: null, status: 'CREATED', leadId: 7 },
        leadId: 7,
      },
      '3_1',
    );
    assert.equal(reversed, ordered);
    assert.equal(
      ordered,
      successEnvelope(
        'successSyncLead',
        '<result><leadId>7</leadId><syncStatus><leadId>7</leadId><status>CREATED</status><error xsi:nil="true"/>' +
          '</syncStatus><leadRecord><Id>7</Id><Email>a@b.example</Email><ForeignSysPersonId>f</ForeignSysPersonId>' +
          '<ForeignSysType>CUSTOM</ForeignSysType></leadRecord></result>',
        true,
      ),
    );
  });

  test('text is escaped: <, & and > become entities, CR a character reference, quotes stay', () => {
    const xml = encodeSuccess(
      op('getLead'),
      {
        count: 1,
        leadRecordList: {
          leadRecord: [
            {
              Email: 'a<&>b@x.example',
              leadAttributeList: { attribute: [{ attrName: 'Notes', attrValue: `"it's"\r\n]]>` }] },
            },
          ],
        },
      },
      '3_1',
    );
    assert.ok(xml.includes('<Email>a&lt;&amp;&gt;b@x.example</Email>'), xml);
    assert.ok(xml.includes(`<attrValue>"it's"&#13;\n]]&gt;</attrValue>`), xml);
    // What the client reads back is the original text.
    const record = parseXml(xml).children[0].children[0].children[0].children[1].children[0];
    assert.equal(record.children[0].text, 'a<&>b@x.example');
    assert.equal(record.children[1].children[0].children[1].text, `"it's"\r\n]]>`);
  });

  test('dateTimes are written as YYYY-MM-DDThh:mm:ss+00:00 in UTC, without the fraction', () => {
    const xml = encodeSuccess(
      op('getImportToListStatus'),
      {
        status: 'COMPLETE',
        startedTime: new Date('2026-03-08T07:59:59.999-06:00'),
        endedTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      },
      '3_1',
    );
    assert.equal(
      xml,
      successEnvelope(
        'successGetImportToListStatus',
        '<result><status>COMPLETE</status><startedTime>2026-03-08T13:59:59+00:00</startedTime>' +
          '<endedTime>2026-01-02T03:04:05+00:00</endedTime></result>',
        false,
      ),
    );
  });

  test('booleans are true/false, and an empty required string is an empty element', () => {
    const xml = encodeSuccess(
      op('getMultipleLeads'),
      { returnCount: 0, remainingCount: 0, newStreamPosition: '' },
      '3_1',
    );
    assert.equal(
      xml,
      successEnvelope(
        'successGetMultipleLeads',
        '<result><returnCount>0</returnCount><remainingCount>0</remainingCount><newStreamPosition/></result>',
        false,
      ),
    );
    assert.ok(
      encodeSuccess(op('listOperation'), { success: false }, '3_1').includes(
        '<result><success>false</success></result>',
      ),
    );
    assert.ok(
      encodeSuccess(op('requestCampaign'), { success: true }, '3_1').includes(
        '<result><success>true</success></result>',
      ),
    );
  });

  describe('version filtering of ActivityRecord (getLeadActivity)', () => {
    const record = {
      id: 7,
      marketoGUID: 'g-1',
      activityDateTime: new Date('2026-11-01T06:00:00Z'),
      activityType: 'Visit Webpage',
      mktPersonId: '42',
    };
    const activity = (rec: object, version: Version): string => {
      const xml = encodeSuccess(
        op('getLeadActivity'),
        {
          returnCount: 1,
          remainingCount: 0,
          newStartPosition: { offset: 'p' },
          activityRecordList: { activityRecord: [rec] },
        },
        version,
      );
      const m = /<activityRecord>.*<\/activityRecord>/.exec(xml);
      assert.ok(m, xml);
      return m[0];
    };
    const TAIL =
      '<activityDateTime>2026-11-01T06:00:00+00:00</activityDateTime><activityType>Visit Webpage</activityType>' +
      '<mktPersonId>42</mktPersonId></activityRecord>';

    test('on 3_1 marketoGUID is written and an undefined id is omitted', () => {
      assert.equal(
        activity({ ...record, id: undefined }, '3_1'),
        `<activityRecord><marketoGUID>g-1</marketoGUID>${TAIL}`,
      );
      assert.equal(activity(record, '3_1'), `<activityRecord><id>7</id><marketoGUID>g-1</marketoGUID>${TAIL}`);
    });

    test('on 3_1 a null id is xsi:nil', () => {
      assert.equal(
        activity({ ...record, id: null }, '3_1'),
        `<activityRecord><id xsi:nil="true"/><marketoGUID>g-1</marketoGUID>${TAIL}`,
      );
    });

    test('on 2_6 and 2_7 id is written and marketoGUID is not', () => {
      assert.equal(activity(record, '2_6'), `<activityRecord><id>7</id>${TAIL}`);
      assert.equal(activity(record, '2_7'), `<activityRecord><id>7</id>${TAIL}`);
    });

    test('the envelope wraps leadActivityList, not result', () => {
      const xml = encodeSuccess(
        op('getLeadActivity'),
        { returnCount: 0, remainingCount: 0, newStartPosition: { offset: 'p' } },
        '3_1',
      );
      assert.equal(
        xml,
        successEnvelope(
          'successGetLeadActivity',
          '<leadActivityList><returnCount>0</returnCount><remainingCount>0</remainingCount>' +
            '<newStartPosition><offset>p</offset></newStartPosition></leadActivityList>',
          false,
        ),
      );
    });
  });
});

describe('pre-encoded content and encodeSuccessBytes', () => {
  const record = (i: number, email: string) =>
    `<leadRecord><Id>${i}</Id><Email>${email}</Email><leadAttributeList xsi:nil="true"/></leadRecord>`;

  test('pre-encoded content is written between its tags, and its usedXsi declares the prefix', () => {
    const st = { out: record(1, 'a@b.example'), usedXsi: true };
    const xml = encodeSuccess(op('getLead'), { count: 1, leadRecordList: preEncoded(st, '2_6') }, '2_6');
    assert.equal(
      xml,
      successEnvelope(
        'successGetLead',
        `<result><count>1</count><leadRecordList>${st.out}</leadRecordList></result>`,
        true,
      ),
    );
  });

  test('content encoded for another version, or for an abstract type, is refused', () => {
    const list = new EncodedContent(['<leadRecord></leadRecord>'], '2_6', false);
    assert.throws(() => encodeSuccess(op('getLead'), { count: 1, leadRecordList: list }, '2_7'), /version 2_6/);
    const selector = new EncodedContent(['<oldestUpdatedAt/>'], '2_6', false);
    const params = { leadSelector: selector, batchSize: 1 };
    assert.throws(() => encodeRequest(op('getMultipleLeads'), params, '2_6', { auth: {} }), /abstract/);
  });

  test('encodeSuccessBytes gives the bytes of encodeSuccess, for small results and for content in pieces', () => {
    const small = { count: 1, leadRecordList: { leadRecord: [{ Id: 1, Email: 'Zürich & <co> 😀 \ud800' }] } };
    for (const version of ['2_6', '3_1'] as Version[]) {
      assert.deepEqual(
        encodeSuccessBytes(op('getLead'), small, version),
        Buffer.from(encodeSuccess(op('getLead'), small, version), 'utf8'),
      );
    }
    // Pieces with non-ASCII text and a lone surrogate, several times the scratch buffer's first size.
    const pieces: string[] = [];
    for (let p = 0; p < 40; p++) {
      let piece = '';
      for (let i = 0; i < 100; i++) piece += record(p * 100 + i, `${'x'.repeat(i)}Łódź日本😀\ud800@example.com`);
      pieces.push(piece);
    }
    for (const usedXsi of [false, true]) {
      const result = { count: 4000, leadRecordList: new EncodedContent(pieces, '2_6', usedXsi) };
      const text = encodeSuccess(op('getLead'), result, '2_6');
      assert.equal(count(text, 'xmlns:xsi='), usedXsi ? 1 : 0);
      assert.deepEqual(encodeSuccessBytes(op('getLead'), result, '2_6'), Buffer.from(text, 'utf8'));
      // Twice: the second call reuses the scratch buffer of the first.
      assert.deepEqual(encodeSuccessBytes(op('getLead'), result, '2_6'), Buffer.from(text, 'utf8'));
    }
  });
});

describe('escapeText and escapeAttr', () => {
  test('escapeText escapes &, <, > and CR only', () => {
    assert.equal(escapeText(`a&b<c>d"e'f\r\n\tg`), `a&amp;b&lt;c&gt;d"e'f&#13;\n\tg`);
    assert.equal(escapeText('plain'), 'plain');
  });

  test('escapeAttr also escapes the double quote and whitespace that attribute normalisation would change', () => {
    assert.equal(escapeAttr(`a&b<c>d"e'f\r\n\tg`), `a&amp;b&lt;c&gt;d&quot;e'f&#13;&#10;&#9;g`);
    const text = `x"<&>\r\n\ty`;
    assert.equal(parseXml(`<a v="${escapeAttr(text)}"/>`).attrs[0].value, text);
  });
});

describe('encodeRequest → parseRequest → decodeComplex', () => {
  const auth = { mktowsUserId: 'u', requestSignature: 'sig', requestTimestamp: '2026-11-25T11:32:55+00:00' };

  function roundTrip(name: string, params: Decoded, version: Version = '3_1', context?: Decoded) {
    const xml = encodeRequest(op(name), params, version, context ? { auth, context } : { auth });
    const r = parseRequest(Buffer.from(xml, 'utf8'));
    assert.equal(r.operation.name, name);
    return { xml, r, params: decodeComplex(r.params, r.operation.paramsType, r.operation.paramsElement) };
  }

  const cases: [string, Decoded][] = [
    ['getLead', { leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } }],
    [
      'syncLead',
      {
        leadRecord: {
          Email: 'ada@demo.example',
          leadAttributeList: {
            attribute: [
              { attrName: 'FirstName', attrValue: 'Ada' },
              { attrName: 'Notes', attrType: 'text', attrValue: 'a<&>"\'\r\nb' },
            ],
          },
        },
        returnLead: true,
        marketoCookie: 'id:123-ABC-456&token:_mch-x',
        moveCookie: false,
      },
    ],
    [
      'getMultipleLeads',
      {
        leadSelector: {
          xsiType: 'LastUpdateAtSelector',
          latestUpdatedAt: new Date('2026-11-02T06:00:00Z'),
          oldestUpdatedAt: new Date('2026-11-01T06:00:00Z'),
        },
        streamPosition: 'pos',
        batchSize: 100,
        includeAttributes: { stringItem: ['Email', 'FirstName'] },
      },
    ],
    [
      'getMultipleLeads',
      { leadSelector: { xsiType: 'LeadKeySelector', keyType: 'IDNUM', keyValues: { stringItem: ['1', '2'] } } },
    ],
    [
      'listOperation',
      {
        listOperation: 'ISMEMBEROFLIST',
        listKey: { keyType: 'MKTOLISTNAME', keyValue: 'Demo List' },
        listMemberList: {
          leadKey: [
            { keyType: 'IDNUM', keyValue: '1' },
            { keyType: 'IDNUM', keyValue: '2' },
          ],
        },
        strict: true,
      },
    ],
    [
      'getLeadChanges',
      {
        startPosition: { oldestCreatedAt: new Date('2026-11-01T06:00:00Z'), offset: 'o' },
        activityFilter: { includeTypes: { activityType: ['ChangeDataValue', 'NewLead'] } },
        activityNameFilter: { stringItem: ['Change Data Value'] },
        batchSize: 1000,
      },
    ],
    [
      'scheduleCampaign',
      {
        programName: 'P',
        cloneToProgramName: 'P2',
        campaignName: 'C',
        campaignRunAt: new Date('2027-01-01T00:00:00Z'),
        programTokenList: { attrib: [{ name: '{{my.token}}', value: 'v' }] },
      },
    ],
    ['getChannels', {}],
  ];

  for (const [name, params] of cases) {
    test(`${name} (${Object.keys(params).join(', ') || 'no params'}) comes back as it was sent`, () => {
      assert.deepEqual(roundTrip(name, params).params, params);
    });
  }

  test('the AuthenticationHeader and MktowsContextHeader come back through findHeader and childText', () => {
    const { r, xml } = roundTrip('syncLead', { leadRecord: { Email: 'a@b.example' }, returnLead: false }, '3_1', {
      targetWorkspace: 'Default',
    });
    const a = findHeader(r.header, 'AuthenticationHeader');
    assert.ok(a);
    assert.deepEqual(
      ['mktowsUserId', 'requestSignature', 'requestTimestamp'].map((n) => childText(a, n)),
      ['u', 'sig', '2026-11-25T11:32:55+00:00'],
    );
    const c = findHeader(r.header, 'MktowsContextHeader');
    assert.ok(c);
    assert.equal(childText(c, 'targetWorkspace'), 'Default');
    assert.ok(!xml.includes('xmlns:xsi'), 'no xsi declared when no xsi attribute is written');
  });

  test('a polymorphic selector is written with xsi:type through ns1, and xsi is declared', () => {
    const { xml } = roundTrip('getMultipleLeads', {
      leadSelector: { xsiType: 'StaticListSelector', staticListId: 3 },
    });
    assert.ok(
      xml.includes(`<leadSelector xsi:type="ns1:StaticListSelector"><staticListId>3</staticListId></leadSelector>`),
    );
    assert.equal(count(xml, XSI_DECL), 1);
  });

  test('fields newer than the version are not sent (moveCookie and cloneToProgramName are 3_1)', () => {
    const sync = roundTrip(
      'syncLead',
      { leadRecord: { Email: 'a@b.example' }, returnLead: true, moveCookie: true },
      '2_6',
    );
    assert.deepEqual(sync.params, { leadRecord: { Email: 'a@b.example' }, returnLead: true });
    assert.ok(!sync.xml.includes('moveCookie'));
    const sched = roundTrip(
      'scheduleCampaign',
      { programName: 'P', cloneToProgramName: 'P2', campaignName: 'C' },
      '2_6',
    );
    assert.deepEqual(sched.params, { programName: 'P', campaignName: 'C' });
  });

  test('the request envelope is exactly the canonical form', () => {
    const xml = encodeRequest(op('getLead'), { leadKey: { keyType: 'EMAIL', keyValue: 'a@b.example' } }, '3_1', {
      auth,
    });
    assert.equal(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NS}">` +
        '<SOAP-ENV:Header><ns1:AuthenticationHeader><mktowsUserId>u</mktowsUserId><requestSignature>sig</requestSignature>' +
        '<requestTimestamp>2026-11-25T11:32:55+00:00</requestTimestamp></ns1:AuthenticationHeader></SOAP-ENV:Header>' +
        '<SOAP-ENV:Body><ns1:paramsGetLead><leadKey><keyType>EMAIL</keyType><keyValue>a@b.example</keyValue></leadKey>' +
        '</ns1:paramsGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>',
    );
  });
});
