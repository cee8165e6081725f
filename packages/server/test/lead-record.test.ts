/**
 * getMultipleLeads writes its leadRecord elements straight from the stored JSON text
 * (LeadRecordWriter). These tests hold it to the bytes of the general path, toLeadRecord and the
 * schema encoder, for awkward values, every field type, custom fields, include lists, hand-edited
 * JSON and every API version.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  EncodedContent,
  encodeSuccess,
  encodeSuccessBytes,
  OPERATION_BY_NAME,
  type OperationDef,
  VERSIONS,
  type Version,
} from '@mktows/protocol';
import BetterSqlite3 from 'better-sqlite3';
import { LEAD_FIELD_TYPES, type LeadFieldDef } from '../src/domain/lead-fields.js';
import { LeadRecordWriter, leadRecordWriter, toLeadRecord } from '../src/domain/lead-record.js';
import { LeadSchema } from '../src/domain/lead-schema.js';
import { StreamCodec } from '../src/domain/stream-position.js';
import type { OpContext } from '../src/operations/context.js';
import { getLead } from '../src/operations/getLead.js';
import { getMultipleLeads } from '../src/operations/getMultipleLeads.js';
import type { SqlStore } from '../src/store/sql/sql-store.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import type { NewLead } from '../src/store/store.js';

const OP = OPERATION_BY_NAME.get('getMultipleLeads') as OperationDef;

/** How many pieces pre-encoded content came in. */
function piecesOf(list: unknown): number | undefined {
  return list instanceof EncodedContent ? list.pieces.length : undefined;
}

/** A custom field of every type, with names that sort around the standard ones (`_` after letters). */
const CUSTOM: LeadFieldDef[] = LEAD_FIELD_TYPES.map((dataType, i) => ({
  name: i % 3 === 0 ? `zz_${dataType}Field` : i % 3 === 1 ? `Custom_${dataType}__c` : `a${dataType}`,
  displayName: `Custom ${dataType}`,
  dataType,
  readOnly: false,
  custom: true,
}));

const AWKWARD = [
  'a & b',
  '<tag attr="x">',
  '&amp; already escaped',
  ']]> end of CDATA',
  'quotes " and \' apostrophes',
  'back\\slash and \\" and \\u0041',
  'line\nbreak, tab\t, CR\r and CRLF\r\n',
  'Zürich, Göteborg, Łódź',
  '日本語のテキスト',
  'emoji 😀 and 👩‍💻',
  'lone surrogate \ud800 here',
  'separators \u2028 \u2029',
  'nul \u0000 char',
  ' ',
  '","FirstName":"injected',
  '{}[]:,',
  'x'.repeat(300),
  '>',
  '&',
];

const EMPTY_ATTRIBUTES: Record<string, string> = {};

function newLead(n: number, attributes: Record<string, string>, extra: Partial<NewLead> = {}): NewLead {
  return {
    email: `lead${n}@example.com`,
    foreignSysPersonId: null,
    foreignSysType: null,
    ownerId: null,
    attributes,
    createdAt: 1_000,
    updatedAt: 1_000 + n,
    ...extra,
  };
}

/** Canonical-looking values of every type, for the custom fields. */
const TYPED: Record<string, string> = {
  string: 'plain',
  text: 'long\ntext & more',
  email: 'x&y@example.com',
  phone: '+1 (312) 555-0100',
  url: 'https://example.com/?a=1&b=<2>',
  reference: 'ref-1',
  integer: '-2147483648',
  float: '1.5e-7',
  currency: '12.34',
  boolean: '1',
  date: '2024-02-29',
  datetime: '2024-02-29T23:59:59+00:00',
  score: '0',
  percent: '99.5',
  textarea: 'a\r\nb',
};

function leadsToStore(schema: LeadSchema): NewLead[] {
  const order = schema.attributeOrder;
  const out: NewLead[] = [];
  let n = 0;
  // Every awkward value in a standard field, in an email, and in a custom field.
  for (const v of AWKWARD) {
    out.push(
      newLead(
        ++n,
        { FirstName: v, LastName: 'Plain', Company: v, [CUSTOM[n % CUSTOM.length].name]: v },
        { email: `${v}@example.com`, foreignSysPersonId: v, foreignSysType: 'CUSTOM' },
      ),
    );
  }
  // Every field, in schema order and in reverse order, with typed values for the custom ones.
  const all: Record<string, string> = {};
  for (const name of order) {
    const f = schema.field(name);
    all[name] = f?.custom ? TYPED[f.dataType] : `${name} value ${name.length}`;
  }
  out.push(newLead(++n, all));
  out.push(newLead(++n, Object.fromEntries(Object.entries(all).reverse())));
  // Empty values are left out; a lead with no values has a nil leadAttributeList.
  out.push(newLead(++n, { FirstName: '', LastName: 'OnlyLast', City: '' }));
  out.push(newLead(++n, { FirstName: '', City: '' }));
  out.push(newLead(++n, EMPTY_ATTRIBUTES, { email: null }));
  out.push(newLead(++n, EMPTY_ATTRIBUTES, { email: '' }));
  // Names outside the schema (and the two fields that travel as elements) are not attributes.
  out.push(newLead(++n, { Unknown: 'u', Email: 'e@example.com', Id: '7', Company: 'Acme', CompanyX: 'x' }));
  out.push(newLead(++n, JSON.parse('{"__proto__":"p","constructor":"c","toStringX":"t","LastName":"Proto"}')));
  // Key orders that differ from the lead before, so that the remembered positions miss.
  out.push(newLead(++n, { Company: 'C', FirstName: 'F', LastName: 'L', City: 'Chicago' }));
  out.push(newLead(++n, { City: 'Chicago', LastName: 'L', FirstName: 'F' }));
  out.push(newLead(++n, { FirstName: 'F', Title: 'T', LastName: 'L' }));
  out.push(
    newLead(++n, { FirstName: 'Ada', LastName: 'Lovelace' }, { foreignSysPersonId: '', foreignSysType: 'SFDC' }),
  );
  return out;
}

/** Attribute JSON as a person or another tool might have written it into the database. */
const HAND_EDITED = [
  '{ "FirstName" : "Spaced" , "LastName":"Out" }',
  '{"FirstName":"\\u0041da","LastName":"L\\u00f6we","Company":"a\\/b"}',
  '{"LeadScore":42,"FirstName":null,"LastName":true,"Company":{"n":1},"City":["x"]}',
  '{"FirstName":"first","FirstName":"second","LastName":"L"}',
  '{"FirstName":"dup","LastName":"L","FirstName":""}',
  '{}',
  '{"Unknown":1,"FirstName":"after a number"}',
  '{"FirstName":"tab\\there","LastName":"cr\\rhere"}',
  '{"FirstName":"&amp;","LastName":"<"}',
  '{"FirstName":"x"}  ',
  '{"Company":"\\"quoted\\""}',
];

describe('LeadRecordWriter writes what toLeadRecord and the schema encoder write', () => {
  let dir: string;
  let store: SqlStore;
  let schema: LeadSchema;
  let ids: number[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-lead-record-'));
    const path = join(dir, 'leads.db');
    store = await openSqliteStore(path);
    schema = new LeadSchema(CUSTOM);
    ids = await store.transaction(async (tx) => {
      const out: number[] = [];
      for (const l of leadsToStore(schema)) out.push((await tx.insertLead(l)).id);
      for (let i = 0; i < HAND_EDITED.length; i++) out.push((await tx.insertLead(newLead(900 + i, {}))).id);
      return out;
    });
    // The hand-edited texts go in behind the store's back.
    const raw = new BetterSqlite3(path);
    const update = raw.prepare('UPDATE leads SET attributes = ? WHERE id = ?');
    const first = ids.length - HAND_EDITED.length;
    for (const [i, json] of HAND_EDITED.entries()) update.run(json, ids[first + i]);
    raw.close();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function generic(include?: ReadonlySet<string>) {
    return async (leadIds: number[]) => {
      const leads = await store.getLeads(leadIds);
      leads.sort((a, b) => a.id - b.id);
      return leads.length ? { leadRecord: leads.map((l) => toLeadRecord(l, schema, include)) } : null;
    };
  }

  function envelope(version: Version, list: unknown): string {
    return encodeSuccess(
      OP,
      { returnCount: 1, remainingCount: 0, newStreamPosition: '', leadRecordList: list },
      version,
    );
  }

  const INCLUDES: (string[] | undefined)[] = [
    undefined,
    ['Email', 'FirstName', 'Company'],
    ['LastName', 'City'],
    CUSTOM.map((f) => f.name),
    ['Email'],
  ];

  for (const version of VERSIONS) {
    test(`every lead, one at a time and as one page, at ${version}`, async () => {
      const page = await store.pageLeads({ kind: 'updated', from: 0, to: Number.MAX_SAFE_INTEGER }, 0, 1000);
      assert.equal(page.leads.length, ids.length);
      for (const names of INCLUDES) {
        const include = names && new Set(names);
        const writer = new LeadRecordWriter(schema, version, include);
        const expected = generic(include);
        for (const lead of page.leads) {
          const want = envelope(version, await expected([lead.id]));
          const got = envelope(version, writer.recordList([lead]));
          assert.equal(got, want, `lead ${lead.id} (${lead.attributesJson}), include ${names}`);
        }
        const want = envelope(version, await expected(ids));
        const list = writer.recordList(page.leads);
        assert.equal(envelope(version, list), want, `the page, include ${names}`);
        // As bytes, the page goes piece by piece (the awkward leads make it several pieces).
        const result = { returnCount: 1, remainingCount: 0, newStreamPosition: '', leadRecordList: list };
        assert.deepEqual(encodeSuccessBytes(OP, result, version), Buffer.from(want, 'utf8'), `bytes, include ${names}`);
      }
      assert.ok(
        (piecesOf(new LeadRecordWriter(schema, version).recordList(page.leads)) ?? 0) > 1,
        'the page is in several pieces',
      );
    });
  }

  test('the handler answers with the same bytes as before, page after page', async () => {
    for (const version of ['2_6', '3_1', '1_5'] as Version[]) {
      const ctx: OpContext = {
        store,
        schema,
        streams: new StreamCodec('secret'),
        now: () => 10_000,
        version,
        userId: 'u',
      };
      for (const names of INCLUDES) {
        const include = names && new Set(names);
        let position: string | undefined;
        let seen = 0;
        do {
          const result = await getMultipleLeads(
            {
              leadSelector: {
                xsiType: 'LastUpdateAtSelector',
                oldestUpdatedAt: new Date(0),
                latestUpdatedAt: new Date(9_000),
              },
              batchSize: 7,
              streamPosition: position,
              includeAttributes: names && { stringItem: names },
            },
            ctx,
          );
          const pageIds = ids.slice(seen, seen + result.returnCount);
          seen += result.returnCount;
          const want = encodeSuccess(OP, { ...result, leadRecordList: await generic(include)(pageIds) }, version);
          assert.equal(encodeSuccess(OP, result, version), want, `${version}, include ${names}, after ${seen}`);
          assert.deepEqual(encodeSuccessBytes(OP, result, version), Buffer.from(want, 'utf8'));
          position = result.newStreamPosition || undefined;
        } while (position);
        assert.equal(seen, ids.length);
      }
    }
  });

  test('getLead answers every lead with the bytes of toLeadRecord and the schema encoder, at every version', async () => {
    const op = OPERATION_BY_NAME.get('getLead') as OperationDef;
    const leads = await store.getLeads(ids);
    for (const version of VERSIONS) {
      const ctx: OpContext = {
        store,
        schema,
        streams: new StreamCodec('secret'),
        now: () => 10_000,
        version,
        userId: 'u',
      };
      for (const lead of leads) {
        const result = await getLead({ leadKey: { keyType: 'IDNUM', keyValue: String(lead.id) } }, ctx);
        const want = encodeSuccess(
          op,
          { count: 1, leadRecordList: { leadRecord: [toLeadRecord(lead, schema)] } },
          version,
        );
        assert.deepEqual(
          encodeSuccessBytes(op, result, version),
          Buffer.from(want, 'utf8'),
          `lead ${lead.id} at ${version}`,
        );
      }
    }
    // Several leads under one e-mail come newest first, as before.
    const shared = await store.transaction(async (tx) => [
      (await tx.insertLead(newLead(950, { FirstName: 'Á & <b>' }, { email: 'Same@X.example' }))).id,
      (await tx.insertLead(newLead(951, { LastName: 'Z' }, { email: 'same@x.example' }))).id,
    ]);
    const ctx: OpContext = {
      store,
      schema,
      streams: new StreamCodec('secret'),
      now: () => 10_000,
      version: '2_6',
      userId: 'u',
    };
    const result = await getLead({ leadKey: { keyType: 'EMAIL', keyValue: 'SAME@x.example' } }, ctx);
    const both = (await store.getLeads([...shared].reverse())).map((l) => toLeadRecord(l, schema));
    assert.equal(result.count, 2);
    assert.equal(
      encodeSuccess(op, result, '2_6'),
      encodeSuccess(op, { count: 2, leadRecordList: { leadRecord: both } }, '2_6'),
    );
    await store.transaction((tx) => tx.deleteLeads(shared));
  });

  test('a writer is kept per schema and version, and made anew for an include list', () => {
    const a = leadRecordWriter(schema, '2_6');
    assert.equal(leadRecordWriter(schema, '2_6'), a);
    assert.notEqual(leadRecordWriter(schema, '3_1'), a);
    assert.notEqual(leadRecordWriter(new LeadSchema(CUSTOM), '2_6'), a);
    assert.notEqual(leadRecordWriter(schema, '2_6', new Set(['FirstName'])), a);
  });

  test('JSON text that JSON.parse refuses fails as the general path fails', () => {
    const writer = new LeadRecordWriter(schema, '2_6');
    for (const json of [
      '{"FirstName":"raw\ttab"}',
      '{"FirstName":"raw\rCR"}',
      '{"FirstName":"a",}',
      '{"FirstName":"a"',
    ]) {
      assert.throws(() => JSON.parse(json), SyntaxError, json);
      const lead = { id: 1, email: null, foreignSysPersonId: null, foreignSysType: null, attributesJson: json };
      assert.throws(() => writer.recordList([lead]), SyntaxError, json);
    }
    const nullJson = { id: 1, email: null, foreignSysPersonId: null, foreignSysType: null, attributesJson: 'null' };
    assert.throws(() => writer.recordList([nullJson]), TypeError);
    const nullLead = { ...nullJson, ownerId: null, createdAt: 0, updatedAt: 0, attributes: JSON.parse('null') };
    assert.throws(() => toLeadRecord(nullLead, schema), TypeError);
  });

  test('content written for one version cannot be sent at another', () => {
    const list = new LeadRecordWriter(schema, '2_6').recordList([
      { id: 1, email: 'a@example.com', foreignSysPersonId: null, foreignSysType: null, attributesJson: '{}' },
    ]);
    assert.throws(() => envelope('3_1', list), /encoded for version 2_6/);
  });
});
