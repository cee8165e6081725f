import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Decoded, decodeComplex } from '../src/decode.js';
import { parseRequest } from '../src/envelope.js';
import { assertFault, loadCaptures, SHARED_DIR, SKIP_NO_SHARED } from './helpers.js';

const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS = 'http://www.marketo.com/mktows/';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Decodes a Body element; the envelope binds SOAP-ENV, ns1 (mktows) and xsi unless `envNs` says otherwise. */
function decodeBody(body: string, envNs = `xmlns:ns1="${NS}" xmlns:xsi="${XSI}"`): Decoded {
  const xml = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${ENV}" ${envNs}><SOAP-ENV:Body>${body}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
  return decodeBytes(Buffer.from(xml, 'utf8'));
}

function decodeBytes(bytes: Uint8Array): Decoded {
  const r = parseRequest(bytes);
  return decodeComplex(r.params, r.operation.paramsType, r.operation.paramsElement);
}

/** Decodes `<ns1:params<Op>>inner</ns1:params<Op>>`. */
function decode(op: string, inner: string): Decoded {
  const el = `params${op[0].toUpperCase()}${op.slice(1)}`;
  return decodeBody(`<ns1:${el}>${inner}</ns1:${el}>`);
}

const LEAD_KEY = '<leadKey><keyType>EMAIL</keyType><keyValue>ada@demo.example</keyValue></leadKey>';
const ADA = {
  leadRecord: {
    Email: 'ada@demo.example',
    leadAttributeList: {
      attribute: [
        { attrName: 'FirstName', attrValue: 'Ada' },
        { attrName: 'LastName', attrValue: 'Lovelace' },
      ],
    },
  },
  returnLead: true,
};
const NOV_1 = new Date('2026-11-01T06:00:00Z');

describe('decodeComplex: structure', () => {
  test('getLead decodes to its leadKey', () => {
    assert.deepEqual(decode('getLead', LEAD_KEY), { leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } });
  });

  test('elements are accepted in any order', () => {
    const got = decode(
      'syncLead',
      '<returnLead>true</returnLead><leadRecord><leadAttributeList>' +
        '<attribute><attrValue>Ada</attrValue><attrName>FirstName</attrName></attribute>' +
        '<attribute><attrValue>Lovelace</attrValue><attrName>LastName</attrName></attribute>' +
        '</leadAttributeList><Email>ada@demo.example</Email></leadRecord>',
    );
    assert.deepEqual(got, ADA);
  });

  test('children qualified with the mktows namespace are read like unqualified ones', () => {
    assert.deepEqual(
      decode(
        'getLead',
        '<ns1:leadKey><ns1:keyValue>ada@demo.example</ns1:keyValue><keyType>EMAIL</keyType></ns1:leadKey>',
      ),
      { leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } },
    );
  });

  test('a child in a foreign namespace is not the schema element', () => {
    assertFault(
      () =>
        decodeBody(
          `<ns1:paramsGetLead xmlns:o="urn:other"><o:leadKey><keyType>EMAIL</keyType><keyValue>x</keyValue></o:leadKey></ns1:paramsGetLead>`,
        ),
      20101,
      'paramsGetLead.leadKey is required',
    );
  });

  test('repeated elements decode to an array in document order', () => {
    assert.deepEqual(
      decode(
        'listOperation',
        '<listOperation>ADDTOLIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>Demo List</keyValue></listKey>' +
          '<listMemberList><leadKey><keyType>IDNUM</keyType><keyValue>2</keyValue></leadKey>' +
          '<leadKey xsi:nil="true"/><leadKey><keyType>IDNUM</keyType><keyValue>1</keyValue></leadKey></listMemberList>',
      ),
      {
        listOperation: 'ADDTOLIST',
        listKey: { keyType: 'MKTOLISTNAME', keyValue: 'Demo List' },
        listMemberList: {
          leadKey: [
            { keyType: 'IDNUM', keyValue: '2' },
            { keyType: 'IDNUM', keyValue: '1' },
          ],
        },
      },
    );
  });

  test('string values are kept verbatim, whitespace and decoded entities included', () => {
    assert.deepEqual(
      decode('getLead', '<leadKey><keyType> EMAIL </keyType><keyValue> a&amp;b&lt; </keyValue></leadKey>'),
      {
        leadKey: { keyType: 'EMAIL', keyValue: ' a&b< ' },
      },
    );
  });

  test('an empty required string is the empty string, not absent', () => {
    assert.deepEqual(decode('getLead', '<leadKey><keyType>EMAIL</keyType><keyValue/></leadKey>'), {
      leadKey: { keyType: 'EMAIL', keyValue: '' },
    });
  });
});

describe('decodeComplex: nil and empty optionals', () => {
  test('xsi:nil and empty optional elements count as absent', () => {
    assert.deepEqual(
      decode(
        'getLeadActivity',
        `${LEAD_KEY}<activityFilter xsi:nil="true"/><startPosition xsi:nil="1"></startPosition><batchSize/>`,
      ),
      { leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } },
    );
    assert.deepEqual(
      decode(
        'syncLead',
        '<leadRecord><Id xsi:nil="true"></Id><Email>ada@demo.example</Email><ForeignSysPersonId xsi:nil="true"/>' +
          '<ForeignSysType xsi:nil="true"></ForeignSysType><leadAttributeList xsi:nil="true"/></leadRecord>' +
          '<returnLead>false</returnLead><marketoCookie xsi:nil="true"/><moveCookie></moveCookie>',
      ),
      { leadRecord: { Email: 'ada@demo.example' }, returnLead: false },
    );
  });

  test("soap4r's empty <activityFilter></activityFilter> counts as absent, pretty-printed or not", () => {
    const expected = {
      startPosition: { oldestCreatedAt: NOV_1 },
      activityNameFilter: { stringItem: ['Change Data Value'] },
    };
    for (const filter of ['<activityFilter></activityFilter>', '<activityFilter>\n      </activityFilter>']) {
      assert.deepEqual(
        decode(
          'getLeadChanges',
          '<startPosition><latestCreatedAt xsi:nil="true"></latestCreatedAt>' +
            '<oldestCreatedAt>2026-11-01T00:00:00-06:00</oldestCreatedAt><offset xsi:nil="true"></offset></startPosition>' +
            `${filter}<activityNameFilter><stringItem>Change Data Value</stringItem></activityNameFilter>` +
            '<batchSize xsi:nil="true"></batchSize>',
        ),
        expected,
      );
    }
  });

  test('an empty optional array wrapper is an empty array, not absent', () => {
    assert.deepEqual(
      decode('getLeadChanges', '<startPosition><offset>o</offset></startPosition><activityNameFilter/>'),
      {
        startPosition: { offset: 'o' },
        activityNameFilter: { stringItem: [] },
      },
    );
  });

  test('a nil or empty required element is missing', () => {
    assertFault(() => decode('getLead', '<leadKey xsi:nil="true"/>'), 20101, 'paramsGetLead.leadKey is required');
    assertFault(() => decode('getLead', '<leadKey/>'), 20101, 'paramsGetLead.leadKey is required');
    assertFault(
      () => decode('syncLead', '<leadRecord><Email>a@b.example</Email></leadRecord><returnLead/>'),
      20109,
      'paramsSyncLead.returnLead is required',
    );
  });
});

describe('decodeComplex: required nillable elements', () => {
  const ROWS =
    '<programName>P</programName><importFileHeader>Email Address</importFileHeader>' +
    '<importFileRows><stringItem>a@b.example</stringItem></importFileRows><importListMode>LISTONLY</importListMode>' +
    '<listName>L</listName><clearList>false</clearList>';

  test('xsi:nil on a required nillable element (importToList campaignName) decodes to null', () => {
    assert.equal(decode('importToList', `${ROWS}<campaignName xsi:nil="true"/>`).campaignName, null);
    assert.equal(decode('importToList', `${ROWS}<campaignName>Welcome</campaignName>`).campaignName, 'Welcome');
  });

  test('an absent required nillable element is still missing (20109)', () => {
    assertFault(() => decode('importToList', ROWS), 20109, 'paramsImportToList.campaignName is required');
  });
});

describe('decodeComplex: an empty required element whose fields are all optional', () => {
  test("getLeadChanges' empty <startPosition/> is a position with nothing set", () => {
    assert.deepEqual(decode('getLeadChanges', '<startPosition/>').startPosition, {});
    assert.deepEqual(decode('getLeadChanges', '<startPosition></startPosition>').startPosition, {});
  });

  test('an absent or nil one is still missing (20109)', () => {
    assertFault(() => decode('getLeadChanges', ''), 20109, 'paramsGetLeadChanges.startPosition is required');
    assertFault(
      () => decode('getLeadChanges', '<startPosition xsi:nil="true"/>'),
      20109,
      'paramsGetLeadChanges.startPosition is required',
    );
  });
});

describe('decodeComplex: missing required values', () => {
  test('a missing leadKey in ParamsGetLead is 20101', () => {
    assertFault(() => decode('getLead', ''), 20101, 'paramsGetLead.leadKey is required');
  });

  test('a LeadKey without keyType or keyValue is 20101', () => {
    assertFault(
      () => decode('getLead', '<leadKey><keyValue>x</keyValue></leadKey>'),
      20101,
      'paramsGetLead.leadKey.keyType is required',
    );
    assertFault(
      () => decode('getLeadActivity', '<leadKey><keyType>EMAIL</keyType></leadKey>'),
      20101,
      'paramsGetLeadActivity.leadKey.keyValue is required',
    );
  });

  test('a missing leadRecord in ParamsSyncLead is 20104', () => {
    assertFault(
      () => decode('syncLead', '<returnLead>true</returnLead>'),
      20104,
      'paramsSyncLead.leadRecord is required',
    );
  });

  test('a missing leadRecordList in ParamsSyncMultipleLeads is 20104', () => {
    assertFault(
      () => decode('syncMultipleLeads', '<dedupEnabled>true</dedupEnabled>'),
      20104,
      'paramsSyncMultipleLeads.leadRecordList is required',
    );
  });

  test('a missing returnLead is 20109', () => {
    assertFault(
      () => decode('syncLead', '<leadRecord><Email>a@b.example</Email></leadRecord>'),
      20109,
      'paramsSyncLead.returnLead is required',
    );
  });

  test('a missing required parameter of another type is 20109', () => {
    assertFault(() => decode('getLeadChanges', ''), 20109, 'paramsGetLeadChanges.startPosition is required');
    assertFault(() => decode('describeMObject', ''), 20109, 'paramsDescribeMObject.objectName is required');
  });
});

describe('decodeComplex: lexical values', () => {
  const syncLead = (returnLead: string) =>
    decode('syncLead', `<leadRecord><Email>a@b.example</Email></leadRecord><returnLead>${returnLead}</returnLead>`)
      .returnLead;

  test('booleans accept true/false in any case and 1/0, surrounded by whitespace', () => {
    const cases: [string, boolean][] = [
      ['true', true],
      ['false', false],
      ['True', true],
      ['False', false],
      ['TRUE', true],
      ['1', true],
      ['0', false],
      [' true\n', true],
    ];
    for (const [text, value] of cases) assert.equal(syncLead(text), value, text);
  });

  test('a boolean "yes" is refused with 20114', () => {
    assertFault(() => syncLead('yes'), 20114, 'paramsSyncLead.returnLead: "yes" is not a valid boolean');
    assertFault(() => syncLead('2'), 20114, 'paramsSyncLead.returnLead: "2" is not a valid boolean');
  });

  const batchSize = (text: string) => decode('getMultipleLeads', `<batchSize>${text}</batchSize>`).batchSize;

  test('ints accept a sign and surrounding whitespace, up to the int range', () => {
    assert.equal(batchSize('100'), 100);
    assert.equal(batchSize(' +7 '), 7);
    assert.equal(batchSize('-3'), -3);
    assert.equal(batchSize('007'), 7);
    assert.equal(batchSize('2147483647'), 2147483647);
    assert.equal(batchSize('-2147483648'), -2147483648);
  });

  test('an int "12a" is refused with 20114', () => {
    assertFault(() => batchSize('12a'), 20114, 'paramsGetMultipleLeads.batchSize: "12a" is not a valid int');
    assertFault(() => batchSize('1.5'), 20114, 'paramsGetMultipleLeads.batchSize: "1.5" is not a valid int');
    assertFault(() => batchSize('1e3'), 20114, 'paramsGetMultipleLeads.batchSize: "1e3" is not a valid int');
  });

  test('an int out of range is refused with 20114', () => {
    assertFault(
      () => batchSize('2147483648'),
      20114,
      'paramsGetMultipleLeads.batchSize: 2147483648 is out of range for int',
    );
    assertFault(
      () => batchSize('-2147483649'),
      20114,
      'paramsGetMultipleLeads.batchSize: -2147483649 is out of range for int',
    );
  });

  const lastUpdatedAt = (text: string) =>
    decode('getMultipleLeads', `<lastUpdatedAt>${text}</lastUpdatedAt>`).lastUpdatedAt as Date;

  test('every dateTime spelling of one instant decodes to the same Date', () => {
    for (const text of [
      '2026-11-01T00:00:00-06:00',
      '2026-11-01T06:00:00Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:00:00.0000000+00:00',
      '2026-11-01T06:00:00.000000000Z',
      '2026-11-01T06:00:00+00:00',
      '2026-11-01T11:30:00+05:30',
      '2026-11-01T06:00:00',
      ' 2026-11-01T06:00:00Z\n',
    ]) {
      const d = lastUpdatedAt(text);
      assert.ok(d instanceof Date, text);
      assert.equal(d.toISOString(), '2026-11-01T06:00:00.000Z', text);
    }
  });

  test('fractional seconds are kept to the millisecond', () => {
    assert.equal(lastUpdatedAt('2026-11-01T06:00:00.1234567Z').toISOString(), '2026-11-01T06:00:00.123Z');
    assert.equal(lastUpdatedAt('2014-02-13T11:51:08.710-08:00').toISOString(), '2014-02-13T19:51:08.710Z');
    assert.equal(lastUpdatedAt('2026-11-01T06:00:00.999999999Z').toISOString(), '2026-11-01T06:00:00.999Z');
  });

  test('a dateTime "yesterday" is refused with 20114', () => {
    assertFault(
      () => lastUpdatedAt('yesterday'),
      20114,
      'paramsGetMultipleLeads.lastUpdatedAt: "yesterday" is not a valid dateTime',
    );
  });

  test('an impossible date, a space for T and an offset without colon are not xs:dateTime', () => {
    for (const text of [
      '2026-02-30T00:00:00Z',
      '2026-11-01 06:00:00Z',
      '2026-11-01T06:00:00+0000',
      '2026-13-01T00:00:00Z',
    ]) {
      assertFault(
        () => lastUpdatedAt(text),
        20114,
        `paramsGetMultipleLeads.lastUpdatedAt: "${text}" is not a valid dateTime`,
      );
    }
  });
});

describe('decodeComplex: enumerations', () => {
  test('a keyType "PHONE" is refused with 20102', () => {
    assertFault(
      () => decode('getLead', '<leadKey><keyType>PHONE</keyType><keyValue>555</keyValue></leadKey>'),
      20102,
      'paramsGetLead.leadKey.keyType: "PHONE" is not a valid LeadKeyRef',
    );
  });

  test('enum tokens are case-sensitive', () => {
    assertFault(
      () => decode('getLead', '<leadKey><keyType>email</keyType><keyValue>x</keyValue></leadKey>'),
      20102,
      'paramsGetLead.leadKey.keyType: "email" is not a valid LeadKeyRef',
    );
  });

  test('an unknown ActivityType in an activity filter is refused with 20107', () => {
    assertFault(
      () =>
        decode(
          'getLeadActivity',
          `${LEAD_KEY}<activityFilter><includeTypes><activityType>VisitWebpage</activityType>` +
            '<activityType>TeleportLead</activityType></includeTypes></activityFilter>',
        ),
      20107,
      'paramsGetLeadActivity.activityFilter.includeTypes.activityType: "TeleportLead" is not a valid ActivityType',
    );
  });

  test('known ActivityTypes decode to their tokens', () => {
    assert.deepEqual(
      decode(
        'getLeadActivity',
        `${LEAD_KEY}<activityFilter><excludeTypes><activityType>VisitWebpage</activityType>` +
          '<activityType> ChangeDataValue </activityType></excludeTypes></activityFilter><batchSize>10</batchSize>',
      ),
      {
        leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' },
        activityFilter: { excludeTypes: { activityType: ['VisitWebpage', 'ChangeDataValue'] } },
        batchSize: 10,
      },
    );
  });

  test('an unknown ListOperationType is refused with 20110', () => {
    assertFault(
      () =>
        decode(
          'listOperation',
          '<listOperation>DELETELIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>L</keyValue>' +
            '</listKey><listMemberList/>',
        ),
      20110,
      'paramsListOperation.listOperation: "DELETELIST" is not a valid ListOperationType',
    );
  });
});

describe('decodeComplex: the polymorphic leadSelector', () => {
  const expected = { leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: NOV_1 }, batchSize: 100 };
  const SUBS = 'LastUpdateAtSelector, StaticListSelector, LeadKeySelector';

  test('the output shape is { xsiType, ...fields } with a Date', () => {
    const got = decode(
      'getMultipleLeads',
      '<leadSelector xsi:type="ns1:LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T00:00:00-06:00</oldestUpdatedAt>' +
        '</leadSelector><batchSize>100</batchSize>',
    );
    assert.deepEqual(got, expected);
    assert.ok(got.leadSelector.oldestUpdatedAt instanceof Date);
    assert.deepEqual(Object.keys(got.leadSelector), ['xsiType', 'oldestUpdatedAt']);
  });

  const variants: [string, string, string?][] = [
    [
      'ns1 declared on the Envelope (PHP, gSOAP)',
      '<ns1:paramsGetMultipleLeads><leadSelector xsi:type="ns1:LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T06:00:00Z' +
        '</oldestUpdatedAt></leadSelector><batchSize>100</batchSize></ns1:paramsGetMultipleLeads>',
    ],
    [
      'tns on the Envelope (node-soap)',
      '<tns:paramsGetMultipleLeads><leadSelector xsi:type="tns:LastUpdateAtSelector"><oldestUpdatedAt>' +
        '2026-11-01T00:00:00-06:00</oldestUpdatedAt></leadSelector><batchSize>100</batchSize></tns:paramsGetMultipleLeads>',
      `xmlns:xsi="${XSI}"  xmlns:tns="${NS}"`,
    ],
    [
      'ns0 on the params element, xsi on the selector (zeep)',
      `<ns0:paramsGetMultipleLeads xmlns:ns0="${NS}"><leadSelector xmlns:xsi="${XSI}" xsi:type="ns0:LastUpdateAtSelector">` +
        '<oldestUpdatedAt>2026-11-01T00:00:00-06:00</oldestUpdatedAt></leadSelector><batchSize>100</batchSize>' +
        '</ns0:paramsGetMultipleLeads>',
      '',
    ],
    [
      'q1 declared on the selector itself, xmlns="" after it (Mono)',
      `<paramsGetMultipleLeads xmlns="${NS}"><leadSelector xmlns:q1="${NS}" xsi:type="q1:LastUpdateAtSelector" xmlns="">` +
        '<oldestUpdatedAt>2026-11-01T06:00:00+00:00</oldestUpdatedAt></leadSelector><streamPosition xsi:nil="true" xmlns="" />' +
        '<batchSize xmlns="">100</batchSize></paramsGetMultipleLeads>',
      `xmlns:xsi="${XSI}"`,
    ],
    [
      "Axis' ns2 declared on the same element, after the xsi:type that uses it",
      `<paramsGetMultipleLeads xmlns="${NS}"><leadSelector xsi:type="ns2:LastUpdateAtSelector" xmlns="" xmlns:ns2="${NS}">` +
        '<oldestUpdatedAt>2026-11-01T06:00:00.000Z</oldestUpdatedAt></leadSelector><batchSize xmlns="">100</batchSize>' +
        '</paramsGetMultipleLeads>',
      `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="${XSI}"`,
    ],
    [
      'n2 on the params element (soap4r)',
      `<n2:paramsGetMultipleLeads xmlns:n2="${NS}"><leadSelector xsi:type="n2:LastUpdateAtSelector">` +
        '<latestUpdatedAt xsi:nil="true"></latestUpdatedAt><oldestUpdatedAt>2026-11-01T00:00:00-06:00</oldestUpdatedAt>' +
        '</leadSelector><streamPosition xsi:nil="true"></streamPosition><batchSize>100</batchSize></n2:paramsGetMultipleLeads>',
      `xmlns:xsi="${XSI}"`,
    ],
    [
      'a second prefix for mktows while ns1 is in scope (strong-soap)',
      `<ns1:paramsGetMultipleLeads xmlns:ns1="${NS}"><leadSelector xmlns:xsi="${XSI}" xmlns:ns2="${NS}" ` +
        'xsi:type="ns2:LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T06:00:00.000Z</oldestUpdatedAt></leadSelector>' +
        '<batchSize>100</batchSize></ns1:paramsGetMultipleLeads>',
      '',
    ],
    [
      'an unprefixed xsi:type under a default mktows namespace',
      `<paramsGetMultipleLeads xmlns="${NS}"><leadSelector xsi:type="LastUpdateAtSelector">` +
        '<oldestUpdatedAt>2026-11-01T06:00:00Z</oldestUpdatedAt></leadSelector><batchSize>100</batchSize></paramsGetMultipleLeads>',
      `xmlns:xsi="${XSI}"`,
    ],
    [
      'an xsi prefix other than xsi',
      '<ns1:paramsGetMultipleLeads><leadSelector i:type=" ns1:LastUpdateAtSelector "><oldestUpdatedAt>2026-11-01T06:00:00Z' +
        '</oldestUpdatedAt></leadSelector><batchSize>100</batchSize></ns1:paramsGetMultipleLeads>',
      `xmlns:ns1="${NS}" xmlns:i="${XSI}"`,
    ],
  ];
  for (const [name, body, envNs] of variants) {
    test(`xsi:type resolves through ${name}`, () => {
      assert.deepEqual(envNs === undefined ? decodeBody(body) : decodeBody(body, envNs), expected);
    });
  }

  test('StaticListSelector and LeadKeySelector decode by xsi:type', () => {
    assert.deepEqual(
      decode(
        'getMultipleLeads',
        '<leadSelector xsi:type="ns1:StaticListSelector"><staticListName>Demo List</staticListName></leadSelector>',
      ),
      { leadSelector: { xsiType: 'StaticListSelector', staticListName: 'Demo List' } },
    );
    assert.deepEqual(
      decode(
        'getMultipleLeads',
        '<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>IDNUM</keyType><keyValues><stringItem>1</stringItem>' +
          '<stringItem>2</stringItem></keyValues></leadSelector>',
      ),
      { leadSelector: { xsiType: 'LeadKeySelector', keyType: 'IDNUM', keyValues: { stringItem: ['1', '2'] } } },
    );
  });

  test('a LeadKeySelector with a bad keyType is 20102', () => {
    assertFault(
      () =>
        decode(
          'getMultipleLeads',
          '<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>PHONE</keyType><keyValues/></leadSelector>',
        ),
      20102,
      'paramsGetMultipleLeads.leadSelector.keyType: "PHONE" is not a valid LeadKeyRef',
    );
  });

  test('xsi:type naming a type that is not a LeadSelector subtype is refused with 20110', () => {
    for (const t of ['ns1:LeadKey', 'ns1:LeadSelector', 'ns1:lastUpdateAtSelector']) {
      assertFault(
        () => decode('getMultipleLeads', `<leadSelector xsi:type="${t}"><keyType>EMAIL</keyType></leadSelector>`),
        20110,
        `paramsGetMultipleLeads.leadSelector: xsi:type "${t}" is not one of ${SUBS}`,
      );
    }
  });

  test('xsi:type with the right local name in a foreign namespace or an undeclared prefix is refused with 20110', () => {
    assertFault(
      () =>
        decodeBody(
          '<ns1:paramsGetMultipleLeads><leadSelector xsi:type="o:LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T06:00:00Z' +
            '</oldestUpdatedAt></leadSelector></ns1:paramsGetMultipleLeads>',
          `xmlns:ns1="${NS}" xmlns:xsi="${XSI}" xmlns:o="urn:other"`,
        ),
      20110,
      `paramsGetMultipleLeads.leadSelector: xsi:type "o:LastUpdateAtSelector" is not one of ${SUBS}`,
    );
    assertFault(
      () =>
        decode(
          'getMultipleLeads',
          '<leadSelector xsi:type="zz:LastUpdateAtSelector"><oldestUpdatedAt>2026-11-01T06:00:00Z</oldestUpdatedAt></leadSelector>',
        ),
      20110,
      `paramsGetMultipleLeads.leadSelector: xsi:type "zz:LastUpdateAtSelector" is not one of ${SUBS}`,
    );
  });

  test('a selector without xsi:type is inferred from its children (SOAP::WSDL)', () => {
    assert.deepEqual(
      decodeBody(
        `<paramsGetMultipleLeads xmlns="${NS}"><leadSelector xmlns=""><oldestUpdatedAt>2026-11-01T00:00:00-06:00` +
          '</oldestUpdatedAt></leadSelector><batchSize xmlns="">100</batchSize></paramsGetMultipleLeads>',
        `xmlns:xsi="${XSI}"`,
      ),
      expected,
    );
    assert.deepEqual(decode('getMultipleLeads', '<leadSelector><staticListId>42</staticListId></leadSelector>'), {
      leadSelector: { xsiType: 'StaticListSelector', staticListId: 42 },
    });
    assert.deepEqual(
      decode(
        'getMultipleLeads',
        '<leadSelector><keyValues><stringItem>a@b.example</stringItem></keyValues><keyType>EMAIL</keyType></leadSelector>',
      ),
      { leadSelector: { xsiType: 'LeadKeySelector', keyType: 'EMAIL', keyValues: { stringItem: ['a@b.example'] } } },
    );
  });

  test('a selector without xsi:type whose children fit no subtype is refused with 20110', () => {
    assertFault(
      () => decode('getMultipleLeads', '<leadSelector><listName>x</listName></leadSelector>'),
      20110,
      `paramsGetMultipleLeads.leadSelector: missing xsi:type; expected one of ${SUBS}`,
    );
  });

  test('a LastUpdateAtSelector without oldestUpdatedAt is 20109', () => {
    assertFault(
      () =>
        decode(
          'getMultipleLeads',
          '<leadSelector xsi:type="ns1:LastUpdateAtSelector"><latestUpdatedAt>2026-11-01T06:00:00Z</latestUpdatedAt></leadSelector>',
        ),
      20109,
      'paramsGetMultipleLeads.leadSelector.oldestUpdatedAt is required',
    );
  });

  test('the leadSelector of getLeadChanges decodes the same way', () => {
    assert.deepEqual(
      decode(
        'getLeadChanges',
        '<startPosition><oldestCreatedAt>2026-11-01T06:00:00Z</oldestCreatedAt></startPosition>' +
          '<leadSelector xsi:type="ns1:StaticListSelector"><staticListId>7</staticListId></leadSelector>',
      ),
      {
        startPosition: { oldestCreatedAt: NOV_1 },
        leadSelector: { xsiType: 'StaticListSelector', staticListId: 7 },
      },
    );
  });
});

describe('decodeComplex: the captured requests of 12 client stacks', () => {
  const EXPECTED: Record<string, unknown> = {
    getLead: { leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } },
    syncLead: ADA,
    getMultipleLeads: { leadSelector: { xsiType: 'LastUpdateAtSelector', oldestUpdatedAt: NOV_1 }, batchSize: 100 },
    listOperation: {
      listOperation: 'ISMEMBEROFLIST',
      listKey: { keyType: 'MKTOLISTNAME', keyValue: 'Demo List' },
      listMemberList: {
        leadKey: [
          { keyType: 'IDNUM', keyValue: '1' },
          { keyType: 'IDNUM', keyValue: '2' },
        ],
      },
    },
    getLeadChanges: {
      startPosition: { oldestCreatedAt: NOV_1 },
      activityNameFilter: { stringItem: ['Change Data Value'] },
    },
  };

  test('every captured request decodes to the parameters the client was given', { skip: SKIP_NO_SHARED }, () => {
    const captures = loadCaptures(SHARED_DIR as string);
    assert.equal(captures.length, 60);
    for (const c of captures) {
      const r = parseRequest(c.body);
      assert.equal(r.operation.name, c.op, c.name);
      assert.deepEqual(decodeBytes(c.body), EXPECTED[c.op], c.name);
    }
  });
});
