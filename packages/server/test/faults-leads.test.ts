/**
 * Operation faults of the lead operations over HTTP (errors.md, spec §4.1–4.5): 20101, 20102, 20103,
 * 20104, 20105, 20106, 20108, 20109, 20110, 20114, 20022, 20122, 20123, each by its real trigger,
 * and that a faulted write changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatW3C } from '@mktows/protocol';
import { onBridge } from './support/bridge-mode.js';
import { assertFault, assertOk, call, getLeadByEmail, type HttpResult } from './support/fault-helpers.js';
import { findAll, startTestServer, type TestServer, text } from './support/harness.js';

const DAY = 86_400_000;

const getLead = (keyType: string, keyValue: string) =>
  `<ns1:paramsGetLead><leadKey><keyType>${keyType}</keyType><keyValue>${keyValue}</keyValue></leadKey></ns1:paramsGetLead>`;

function attrs(pairs: [string, string][]): string {
  if (pairs.length === 0) return '';
  const items = pairs.map(([n, v]) => `<attribute><attrName>${n}</attrName><attrValue>${v}</attrValue></attribute>`);
  return `<leadAttributeList>${items.join('')}</leadAttributeList>`;
}

/** A leadRecord from its key elements (raw XML) and attributes. */
const record = (keys: string, pairs: [string, string][] = []) => `<leadRecord>${keys}${attrs(pairs)}</leadRecord>`;

const syncLead = (rec: string, returnLead = '<returnLead>false</returnLead>') =>
  `<ns1:paramsSyncLead>${rec}${returnLead}</ns1:paramsSyncLead>`;

const syncMultiple = (records: string[]) =>
  `<ns1:paramsSyncMultipleLeads><leadRecordList>${records.join('')}</leadRecordList></ns1:paramsSyncMultipleLeads>`;

const mergeKey = (keyType: string, value: string) =>
  `<attribute><attrName>${keyType}</attrName><attrValue>${value}</attrValue></attribute>`;

const mergeLeads = (winner: string, losers: string[]) =>
  `<ns1:paramsMergeLeads><winningLeadKeyList>${winner}</winningLeadKeyList><losingLeadKeyLists>${losers
    .map((l) => `<keyList>${l}</keyList>`)
    .join('')}</losingLeadKeyLists></ns1:paramsMergeLeads>`;

const multiple = (inner: string) => `<ns1:paramsGetMultipleLeads>${inner}</ns1:paramsGetMultipleLeads>`;
const keySelector = (keyType: string, values: (string | number)[]) =>
  `<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>${keyType}</keyType><keyValues>${values
    .map((v) => `<stringItem>${v}</stringItem>`)
    .join('')}</keyValues></leadSelector>`;
const listSelector = (name: string) =>
  `<leadSelector xsi:type="ns1:StaticListSelector"><staticListName>${name}</staticListName></leadSelector>`;
const updatedSelector = (oldest: string, latest?: string) =>
  `<leadSelector xsi:type="ns1:LastUpdateAtSelector">${
    latest === undefined ? '' : `<latestUpdatedAt>${latest}</latestUpdatedAt>`
  }<oldestUpdatedAt>${oldest}</oldestUpdatedAt></leadSelector>`;

function doc(r: HttpResult) {
  assertOk(r);
  assert.ok(r.doc);
  return r.doc;
}

describe('lead operation faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    // The default rate (100 per 20 s) is not what these tests are about.
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s.close());

  async function leadCount(): Promise<number> {
    return s.runtime.store.countLeads();
  }

  /** Creates a lead and returns its id. */
  async function createLead(email: string): Promise<number> {
    const d = doc(await call(s, syncLead(record(`<Email>${email}</Email>`))));
    return Number(text(d, 'leadId'));
  }

  test('getLead by EMAIL succeeds (baseline)', async () => {
    const d = doc(await call(s, getLeadByEmail('ada@demo.example')));
    assert.equal(text(d, 'count'), '1');
  });

  describe('20101 Lead Key Required', () => {
    test('getLead without leadKey', async () => {
      assertFault(await call(s, '<ns1:paramsGetLead/>'), 20101, 'paramsGetLead.leadKey is required');
    });

    test('getLead with a nil leadKey', async () => {
      assertFault(
        await call(s, '<ns1:paramsGetLead><leadKey xsi:nil="true"/></ns1:paramsGetLead>'),
        20101,
        'paramsGetLead.leadKey is required',
      );
    });

    test('getLead with an empty leadKey', async () => {
      assertFault(
        await call(s, '<ns1:paramsGetLead><leadKey/></ns1:paramsGetLead>'),
        20101,
        'paramsGetLead.leadKey is required',
      );
    });

    test('getLead with a leadKey that has no keyType', async () => {
      assertFault(
        await call(
          s,
          '<ns1:paramsGetLead><leadKey><keyValue>ada@demo.example</keyValue></leadKey></ns1:paramsGetLead>',
        ),
        20101,
        'paramsGetLead.leadKey.keyType is required',
      );
    });
  });

  describe('20102 Lead Key Bad', () => {
    test('getLead with keyType PHONE', async () => {
      assertFault(
        await call(s, getLead('PHONE', '+1 312 555 1000')),
        20102,
        'paramsGetLead.leadKey.keyType: "PHONE" is not a valid LeadKeyRef',
      );
    });

    test('getLead with a lower-case keyType', async () => {
      assertFault(
        await call(s, getLead('email', 'ada@demo.example')),
        20102,
        'paramsGetLead.leadKey.keyType: "email" is not a valid LeadKeyRef',
      );
    });

    test('getMultipleLeads with a LeadKeySelector keyType PHONE', async () => {
      assertFault(
        await call(s, multiple(keySelector('PHONE', ['1']))),
        20102,
        'paramsGetMultipleLeads.leadSelector.keyType: "PHONE" is not a valid LeadKeyRef',
      );
    });

    test('mergeLeads with a merge key PHONE', async () => {
      assertFault(
        await call(s, mergeLeads(mergeKey('IDNUM', '1'), [mergeKey('PHONE', '2')])),
        20102,
        'Lead key type "PHONE" is not valid',
      );
    });
  });

  describe('20103 Lead Not Found', () => {
    test('getLead with an unknown email', async () => {
      assertFault(
        await call(s, getLeadByEmail('nobody@demo.example')),
        20103,
        'No lead found with EMAIL = nobody@demo.example',
      );
    });

    test('getLead with an IDNUM that is not a number', async () => {
      assertFault(await call(s, getLead('IDNUM', 'abc')), 20103, 'No lead found with IDNUM = abc');
    });

    test('syncLead with an unknown Id, and nothing is written', async () => {
      const n = await leadCount();
      assertFault(
        await call(s, syncLead(record('<Id>999999</Id><Email>ghost@demo.example</Email>', [['FirstName', 'Ghost']]))),
        20103,
        'No lead found with IDNUM = 999999',
      );
      assert.equal(await leadCount(), n);
      assertFault(
        await call(s, getLeadByEmail('ghost@demo.example')),
        20103,
        'No lead found with EMAIL = ghost@demo.example',
      );
    });

    test('mergeLeads with an unknown losing lead, and nothing is merged', async () => {
      const winner = await createLead('merge-winner@demo.example');
      const loser = await createLead('merge-loser@demo.example');
      const n = await leadCount();
      assertFault(
        await call(
          s,
          mergeLeads(mergeKey('IDNUM', String(winner)), [
            mergeKey('IDNUM', String(loser)),
            mergeKey('IDNUM', '999999'),
          ]),
        ),
        20103,
        'No lead found with IDNUM = 999999',
      );
      assert.equal(await leadCount(), n, 'the known loser was not deleted');
      doc(await call(s, getLead('IDNUM', String(loser))));
    });

    test('mergeLeads with an unknown winner', async () => {
      assertFault(
        await call(s, mergeLeads(mergeKey('EMAIL', 'no-winner@demo.example'), [mergeKey('IDNUM', '1')])),
        20103,
        'No lead found with EMAIL = no-winner@demo.example',
      );
    });
  });

  describe('20104 Lead Detail Required', () => {
    test('syncLead without leadRecord', async () => {
      assertFault(
        await call(s, '<ns1:paramsSyncLead><returnLead>false</returnLead></ns1:paramsSyncLead>'),
        20104,
        'paramsSyncLead.leadRecord is required',
      );
    });

    test('syncLead with a record that has no Id, Email or ForeignSysPersonId', async () => {
      const n = await leadCount();
      assertFault(
        await call(s, syncLead(record('', [['FirstName', 'Nobody']]))),
        20104,
        'syncLead operation: leadRecord needs one of Id, Email or ForeignSysPersonId',
      );
      assertFault(
        await call(s, syncLead(record('<Email></Email><ForeignSysPersonId/>', [['FirstName', 'Nobody']]))),
        20104,
        'syncLead operation: leadRecord needs one of Id, Email or ForeignSysPersonId',
      );
      assert.equal(await leadCount(), n);
    });

    test('syncMultipleLeads without leadRecordList, with an empty one, with a keyless record', async () => {
      assertFault(
        await call(s, '<ns1:paramsSyncMultipleLeads/>'),
        20104,
        'paramsSyncMultipleLeads.leadRecordList is required',
      );
      assertFault(await call(s, syncMultiple([])), 20104, 'syncMultipleLeads: leadRecordList holds no leadRecord');
      const n = await leadCount();
      assertFault(
        await call(s, syncMultiple([record('<Email>keyed@demo.example</Email>'), record('', [['FirstName', 'X']])])),
        20104,
        'syncMultipleLeads leadRecord 2: leadRecord needs one of Id, Email or ForeignSysPersonId',
      );
      assert.equal(await leadCount(), n, 'the valid first record was not written either');
    });
  });

  describe('20105 Lead Attribute Bad', () => {
    test('syncLead naming unknown fields lists every one of them', async () => {
      const n = await leadCount();
      assertFault(
        await call(
          s,
          syncLead(
            record('<Email>pants@demo.example</Email>', [
              ['Pants', 'blue'],
              ['FirstName', 'Pat'],
              ['Shoes', 'red'],
              ['firstname', 'case matters'],
            ]),
          ),
        ),
        20105,
        'syncLead operation failed: unknown fields for import: Pants, Shoes, firstname',
      );
      assert.equal(await leadCount(), n);
    });

    test('syncMultipleLeads names the record', async () => {
      assertFault(
        await call(
          s,
          syncMultiple([
            record('<Email>ok@demo.example</Email>'),
            record('<Email>p@demo.example</Email>', [['Pants', 'x']]),
          ]),
        ),
        20105,
        'syncMultipleLeads leadRecord 2 failed: unknown fields for import: Pants',
      );
    });

    test('getMultipleLeads includeAttributes with unknown fields', async () => {
      assertFault(
        await call(
          s,
          multiple(
            `${listSelector('Demo List')}<includeAttributes><stringItem>FirstName</stringItem><stringItem>Pants</stringItem><stringItem>Shoes</stringItem></includeAttributes>`,
          ),
        ),
        20105,
        'includeAttributes names unknown fields: Pants, Shoes',
      );
    });
  });

  describe('20106 Lead Sync Failed', () => {
    test("syncLead with LeadScore 'abc', and nothing is written", async () => {
      const n = await leadCount();
      assertFault(
        await call(s, syncLead(record('<Email>score@demo.example</Email>', [['LeadScore', 'abc']]))),
        20106,
        'syncLead operation failed: value "abc" of LeadScore is not an integer',
      );
      assert.equal(await leadCount(), n);
    });

    test('syncLead with ForeignSysPersonId but no ForeignSysType', {
      skip: onBridge('ForeignSysPersonId has no REST field'),
    }, async () => {
      const n = await leadCount();
      assertFault(
        await call(s, syncLead(record('<ForeignSysPersonId>CRM-NEW-1</ForeignSysPersonId>'))),
        20106,
        'syncLead operation failed: ForeignSysType is required with ForeignSysPersonId CRM-NEW-1',
      );
      assert.equal(await leadCount(), n);
    });

    test('an existing lead is left unchanged by a failed update', async () => {
      assertFault(
        await call(
          s,
          syncLead(
            record('<Email>ada@demo.example</Email>', [
              ['FirstName', 'Changed'],
              ['LeadScore', '1.5'],
            ]),
          ),
        ),
        20106,
        'syncLead operation failed: value "1.5" of LeadScore is not an integer',
      );
      const d = doc(await call(s, getLeadByEmail('ada@demo.example')));
      const first = findAll(d, 'attribute').find((a) => text(a, 'attrName') === 'FirstName');
      assert.equal(first && text(first, 'attrValue'), 'Ada');
    });
  });

  describe('20108 Lead Owner Not Found', () => {
    test('getLead with LEADOWNEREMAIL nobody@x', { skip: onBridge('owner keys have no REST lookup') }, async () => {
      assertFault(
        await call(s, getLead('LEADOWNEREMAIL', 'nobody@x')),
        20108,
        'No lead owner found with LEADOWNEREMAIL = nobody@x',
      );
    });

    test('getLead with an unknown SFDCLEADOWNERID', { skip: onBridge('owner keys have no REST lookup') }, async () => {
      assertFault(
        await call(s, getLead('SFDCLEADOWNERID', '005999999999999')),
        20108,
        'No lead owner found with SFDCLEADOWNERID = 005999999999999',
      );
    });

    test('a known owner is not a fault', { skip: onBridge('owner keys have no REST lookup') }, async () => {
      const d = doc(await call(s, getLead('LEADOWNEREMAIL', 'owner@demo.example')));
      assert.ok(Number(text(d, 'count')) > 0);
    });
  });

  describe('20109 Parameter Required', () => {
    test('syncLead without returnLead', async () => {
      assertFault(
        await call(s, syncLead(record('<Email>noreturn@demo.example</Email>'), '')),
        20109,
        'paramsSyncLead.returnLead is required',
      );
      assertFault(
        await call(s, syncLead(record('<Email>noreturn@demo.example</Email>'), '<returnLead xsi:nil="true"/>')),
        20109,
        'paramsSyncLead.returnLead is required',
      );
    });

    test('getMultipleLeads without a selector', async () => {
      assertFault(await call(s, multiple('')), 20109, 'leadSelector is required');
      assertFault(await call(s, multiple('<batchSize>10</batchSize>')), 20109, 'leadSelector is required');
    });
  });

  describe('20110 Bad Parameter', () => {
    test('syncMultipleLeads with 1001 records, and nothing is written', async () => {
      const n = await leadCount();
      const records = Array.from({ length: 1001 }, (_, i) => record(`<Email>bulk${i}@demo.example</Email>`));
      assertFault(
        await call(s, syncMultiple(records)),
        20110,
        'syncMultipleLeads: 1001 leadRecords exceed the limit of 1000 per call',
      );
      assert.equal(await leadCount(), n);
    });

    test('an unknown enum token: ForeignSysType FOO', async () => {
      assertFault(
        await call(
          s,
          syncLead(record('<ForeignSysPersonId>CRM-FOO</ForeignSysPersonId><ForeignSysType>FOO</ForeignSysType>')),
        ),
        20110,
        'paramsSyncLead.leadRecord.ForeignSysType: "FOO" is not a valid ForeignSysType',
      );
    });

    test('batchSize 0 and a negative batchSize', async () => {
      assertFault(
        await call(s, multiple(`${listSelector('Demo List')}<batchSize>0</batchSize>`)),
        20110,
        'batchSize 0 must be at least 1',
      );
      assertFault(
        await call(s, multiple(`${listSelector('Demo List')}<batchSize>-5</batchSize>`)),
        20110,
        'batchSize -5 must be at least 1',
      );
    });

    test('an xsi:type that names a type that is not a LeadSelector', async () => {
      assertFault(
        await call(s, multiple('<leadSelector xsi:type="ns1:LeadKey"><keyType>EMAIL</keyType></leadSelector>')),
        20110,
        'paramsGetMultipleLeads.leadSelector: xsi:type "ns1:LeadKey" is not one of LastUpdateAtSelector, StaticListSelector, LeadKeySelector',
      );
    });

    test('an xsi:type with an undeclared prefix', async () => {
      assertFault(
        await call(
          s,
          multiple('<leadSelector xsi:type="nope:LeadKeySelector"><keyType>EMAIL</keyType></leadSelector>'),
        ),
        20110,
        'paramsGetMultipleLeads.leadSelector: xsi:type "nope:LeadKeySelector" is not one of LastUpdateAtSelector, StaticListSelector, LeadKeySelector',
      );
    });
  });

  describe('20114 Bad Parameter (lexical)', () => {
    test("batchSize 'ten'", async () => {
      assertFault(
        await call(s, multiple(`${listSelector('Demo List')}<batchSize>ten</batchSize>`)),
        20114,
        'paramsGetMultipleLeads.batchSize: "ten" is not a valid int',
      );
    });

    test('batchSize out of the int range', async () => {
      assertFault(
        await call(s, multiple(`${listSelector('Demo List')}<batchSize>99999999999</batchSize>`)),
        20114,
        'paramsGetMultipleLeads.batchSize: 99999999999 is out of range for int',
      );
    });

    test("returnLead 'maybe'", async () => {
      assertFault(
        await call(s, syncLead(record('<Email>maybe@demo.example</Email>'), '<returnLead>maybe</returnLead>')),
        20114,
        'paramsSyncLead.returnLead: "maybe" is not a valid boolean',
      );
    });

    test("oldestUpdatedAt 'yesterday'", async () => {
      assertFault(
        await call(s, multiple(updatedSelector('yesterday'))),
        20114,
        'paramsGetMultipleLeads.leadSelector.oldestUpdatedAt: "yesterday" is not a valid dateTime',
      );
    });

    test("a leadRecord Id 'x'", async () => {
      assertFault(
        await call(s, syncLead(record('<Id>x</Id>'))),
        20114,
        'paramsSyncLead.leadRecord.Id: "x" is not a valid int',
      );
    });
  });

  describe('20022 time range over 30 days', () => {
    test('a LastUpdateAtSelector spanning 31 days', async () => {
      assertFault(
        await call(s, multiple(updatedSelector('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'))),
        20022,
        'Time range of 31.0 days between oldestUpdatedAt and latestUpdatedAt exceeds the limit of 30 days',
      );
    });

    test('an open-ended LastUpdateAtSelector starting 31 days ago', async () => {
      const oldest = formatW3C(new Date(s.runtime.clock.now() - 31 * DAY));
      assertFault(
        await call(s, multiple(updatedSelector(oldest))),
        20022,
        'Time range of 31.0 days between oldestUpdatedAt and latestUpdatedAt exceeds the limit of 30 days',
      );
    });

    test('exactly 30 days is allowed', async () => {
      const d = doc(await call(s, multiple(updatedSelector('2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z'))));
      assert.equal(text(d, 'returnCount') !== undefined, true);
    });
  });

  describe('20122 Bad Stream Position and 20123 Stream at End', () => {
    async function firstPage(inner: string): Promise<string> {
      const d = doc(await call(s, multiple(`${inner}<batchSize>1</batchSize>`)));
      const pos = text(d, 'newStreamPosition') ?? '';
      assert.ok(pos.length > 40, `expected a stream position, got "${pos}"`);
      return pos;
    }
    const shown = (p: string) => (p.length > 40 ? `${p.slice(0, 40)}…` : p);

    test('a tampered stream position', async () => {
      const pos = await firstPage(listSelector('Demo List'));
      const i = 5;
      const tampered = pos.slice(0, i) + (pos[i] === 'A' ? 'B' : 'A') + pos.slice(i + 1);
      assertFault(
        await call(s, multiple(`${listSelector('Demo List')}<streamPosition>${tampered}</streamPosition>`)),
        20122,
        `Stream position "${shown(tampered)}" is not valid`,
      );
    });

    test('a stream position with a forged signature part', async () => {
      const pos = await firstPage(listSelector('Demo List'));
      const payload = pos.slice(0, pos.lastIndexOf('.'));
      const mac = pos.slice(pos.lastIndexOf('.') + 1);
      for (const forged of [`${payload}.${'A'.repeat(mac.length)}`, `${payload}.${'é'.repeat(mac.length)}`, payload]) {
        assertFault(
          await call(s, multiple(`${listSelector('Demo List')}<streamPosition>${forged}</streamPosition>`)),
          20122,
          `Stream position "${shown(forged)}" is not valid`,
        );
      }
    });

    test('a stream position that is not one at all', async () => {
      assertFault(
        await call(
          s,
          multiple(`${listSelector('Demo List')}<streamPosition>id:1089965:to:1392234668:os:2</streamPosition>`),
        ),
        20122,
        'Stream position "id:1089965:to:1392234668:os:2" is not valid',
      );
    });

    test('a position replayed with a different selector or filter', async () => {
      const pos = await firstPage(listSelector('Demo List'));
      const msg = 'Stream position was issued for a different selector or filter; restart the stream';
      assertFault(
        await call(s, multiple(`${keySelector('IDNUM', [1, 2, 3])}<streamPosition>${pos}</streamPosition>`)),
        20122,
        msg,
      );
      assertFault(
        await call(s, multiple(`${listSelector('Demo Program.Imports')}<streamPosition>${pos}</streamPosition>`)),
        20122,
        msg,
      );
      assertFault(
        await call(
          s,
          multiple(
            `${listSelector('Demo List')}<streamPosition>${pos}</streamPosition><includeAttributes><stringItem>FirstName</stringItem></includeAttributes>`,
          ),
        ),
        20122,
        msg,
      );
      // With the selector it was issued for, the same position works.
      doc(
        await call(
          s,
          multiple(`${listSelector('Demo List')}<streamPosition>${pos}</streamPosition><batchSize>1</batchSize>`),
        ),
      );
    });

    test('paging a 2-lead stream after the second lead was merged away: 20123', async () => {
      const a = await createLead('stream-a@demo.example');
      const b = await createLead('stream-b@demo.example');
      assert.ok(a < b);
      const sel = keySelector('IDNUM', [a, b]);
      const d1 = doc(await call(s, multiple(`${sel}<batchSize>1</batchSize>`)));
      assert.equal(text(d1, 'returnCount'), '1');
      assert.equal(text(d1, 'remainingCount'), '1');
      const pos = text(d1, 'newStreamPosition') ?? '';
      assert.ok(pos);
      // Normal paging would return b with remainingCount 0 and an empty position (not a fault).
      doc(await call(s, mergeLeads(mergeKey('IDNUM', String(a)), [mergeKey('IDNUM', String(b))])));
      assertFault(
        await call(s, multiple(`${sel}<streamPosition>${pos}</streamPosition><batchSize>1</batchSize>`)),
        20123,
        'Stream position is at the end of the stream: no more leads',
      );
    });

    test('the normal end of a stream is not a fault', async () => {
      const a = await createLead('stream-c@demo.example');
      const b = await createLead('stream-d@demo.example');
      const sel = keySelector('IDNUM', [a, b]);
      const d1 = doc(await call(s, multiple(`${sel}<batchSize>1</batchSize>`)));
      const pos = text(d1, 'newStreamPosition') ?? '';
      const d2 = doc(await call(s, multiple(`${sel}<streamPosition>${pos}</streamPosition><batchSize>1</batchSize>`)));
      assert.equal(text(d2, 'returnCount'), '1');
      assert.equal(text(d2, 'remainingCount'), '0');
      assert.equal(text(d2, 'newStreamPosition'), '');
    });
  });
});
