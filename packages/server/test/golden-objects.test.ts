/**
 * Golden tests for the MObject and custom-object operations against recorded Marketo XML
 * (../shared/reference/recorded: the Adobe docs samples and markety's custom-object fixtures):
 * our answer to the recorded request has the STRUCTURE of the recorded response (support/xml-shape.ts),
 * and the values that our data can reproduce are equal.
 *
 * The data each case needs is made from the recorded files at run time; a recorded request is sent
 * as it is, with our AuthenticationHeader and, where it names ids of Marketo's database (a program,
 * a cost, the lead MKTOID 1090177), our ids in their place.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { escapeText, faultString, NAMESPACE, parseXml, SOAP_ENV_NS, type XmlElement } from '@mktows/protocol';
import { onBridge } from './support/bridge-mode.js';
import { find, findAll, type SoapResult, startTestServer, type TestServer, text } from './support/harness.js';
import { bodyChild, pairedRequest, readRecorded, SKIP_WITHOUT_SHARED, withOurAuth } from './support/recorded.js';
import { assertSameShape, isNil, qname, type ShapeOptions } from './support/xml-shape.js';

/** The recorded traffic is from the 2_x era. */
const VERSION = '2_6';
const ADOBE = 'adobe-docs';
const MARKETY = 'markety/spec/fixtures/custom_objects';

const child = (el: XmlElement, local: string) => el.children.find((c) => c.local === local);
const pairs = (el: XmlElement | undefined, item: string, name: string, value: string): Record<string, string> =>
  Object.fromEntries((el ? findAll(el, item) : []).map((a) => [text(a, name) ?? '', text(a, value) ?? '']));

describe('golden: MObject and custom-object responses have the structure of recorded Marketo responses', {
  skip: SKIP_WITHOUT_SHARED,
}, () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
  });
  after(async () => {
    await s?.close();
  });

  async function fresh(seed?: Record<string, unknown>): Promise<void> {
    const r = await s.admin('POST', '/_mktows/reset', {});
    assert.equal(r.status, 200);
    if (seed) {
      const sd = await s.admin('POST', '/_mktows/seed', seed);
      assert.equal(sd.status, 200, JSON.stringify(sd.body));
    }
  }

  const callRaw = (xml: string): Promise<SoapResult> => s.soap('', { version: VERSION, raw: xml });
  const call = (inner: string): Promise<SoapResult> => s.soap(inner, { version: VERSION });
  const sendRecorded = (request: string, replace: [string, string][] = []) =>
    callRaw(replace.reduce((x, [a, b]) => x.replaceAll(a, b), withOurAuth(request, new Date(s.runtime.clock.now()))));

  function assertSuccessShape(recorded: XmlElement, r: SoapResult, file: string, opts?: ShapeOptions): void {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.doc.ns, SOAP_ENV_NS);
    assert.equal(bodyChild(r.doc).ns, NAMESPACE);
    assertSameShape(recorded, r.doc, file, opts);
  }

  // -- listMObjects, describeMObject ------------------------------------------------------------

  test(`listMObjects: ${ADOBE}/listMObjects.response.xml`, async () => {
    const file = `${ADOBE}/listMObjects.response.xml`;
    const recorded = parseXml(readRecorded(file));
    await fresh();
    const r = await sendRecorded(pairedRequest(file) as string);
    assertSuccessShape(recorded, r, file);
    const names = (d: XmlElement) => findAll(d, 'objects').map((o) => o.text);
    // Marketo listed four; we also list Program, which describeMObject describes too.
    assert.deepEqual(names(r.doc), [...names(recorded), 'Program']);
  });

  test(`describeMObject: ${ADOBE}/describeMObject.response.xml (ActivityRecord, field by field)`, async () => {
    const file = `${ADOBE}/describeMObject.response.xml`;
    const recorded = parseXml(readRecorded(file));
    await fresh();
    const r = await sendRecorded(pairedRequest(file) as string);
    // The recorded fields differ among themselves in nil-ness (size, isName): compare them in order.
    assertSuccessShape(recorded, r, file, { pairwise: new Set(['field']) });
    const fields = (d: XmlElement) =>
      findAll(d, 'field').map((f) => f.children.map((c) => [c.local, isNil(c) ? null : c.text]));
    assert.deepEqual(fields(r.doc), fields(recorded));
    for (const n of ['name', 'description', 'isCustom', 'isVirtual']) {
      assert.equal(text(find(r.doc, 'metadata') as XmlElement, n), text(find(recorded, 'metadata') as XmlElement, n));
    }
  });

  // -- getMObjects ------------------------------------------------------------------------------

  test(`getMObjects: ${ADOBE}/getMObjects.response.xml (Programs: tags, tokens, costs)`, {
    skip: onBridge('REST programs have no Workspace Id or My Tokens'),
  }, async () => {
    const file = `${ADOBE}/getMObjects.response.xml`;
    // The docs sample shows a token's HTML unescaped inside <value> (spec §10.12); on the wire it
    // was text, so it is escaped here before comparing.
    const recorded = parseXml(
      readRecorded(file).replace(/<value>([\s\S]*?)<\/value>/g, (m, inner: string) =>
        inner.includes('<') ? `<value>${inner.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</value>` : m,
      ),
    );
    const objects = findAll(recorded, 'mObject');
    // The recorded programs, as a seed: name, type, folder, channel, tokens and costs.
    const programs = objects.map((o) => {
      const a = pairs(child(o, 'attribList'), 'attrib', 'name', 'value');
      const typeAttribs = findAll(o, 'typeAttrib').map(
        (t): Record<string, string> => ({
          ...pairs(child(t, 'attrList'), 'attrib', 'name', 'value'),
          type: text(t, 'attrType') ?? '',
        }),
      );
      return {
        name: a.Name,
        type: a.Type,
        treePath: a['Tree Path'],
        channel: typeAttribs.find((t) => t.type === 'Tag' && t.Type === 'Channel')?.Value,
        tokens: typeAttribs.filter((t) => t.type === 'Token').map((t) => ({ name: t.Name, value: t.Value })),
        costs: typeAttribs
          .filter((t) => t.type === 'Cost')
          .map((t) => ({ month: t.Month.slice(0, 7), amount: Number(t.Amount), note: t.Note })),
      };
    });
    await fresh({ programs });
    // The recorded request as it was: Id LE 1010 and Name NE elizprogramtest (our ids are lower).
    const r = await sendRecorded(pairedRequest(file) as string);
    assertSuccessShape(recorded, r, file);
    assert.equal(text(r.doc, 'returnCount'), text(recorded, 'returnCount'));
    assert.equal(text(r.doc, 'hasMore'), text(recorded, 'hasMore'));
    assert.ok((text(r.doc, 'newStreamPosition') ?? '').length > 0);
    const view = (d: XmlElement) =>
      findAll(d, 'mObject').map((o) => {
        const a = pairs(child(o, 'attribList'), 'attrib', 'name', 'value');
        return {
          attribs: ['Name', 'Type', 'Workspace Id', 'Workspace Name', 'Tree Path', 'Is Archived'].map((n) => a[n]),
          typeAttribs: findAll(o, 'typeAttrib').map((t) => [
            text(t, 'attrType'),
            pairs(child(t, 'attrList'), 'attrib', 'name', 'value'),
          ]),
        };
      });
    assert.deepEqual(view(r.doc), view(recorded));
  });

  // -- syncMObjects, deleteMObjects -------------------------------------------------------------

  test(`syncMObjects: ${ADOBE}/syncMObjects.response.xml (Program cost by its Id)`, async () => {
    const file = `${ADOBE}/syncMObjects.response.xml`;
    const recorded = parseXml(readRecorded(file));
    const request = pairedRequest(file) as string;
    const req = parseXml(request);
    const programId = text(req, 'id') as string;
    const costId = pairs(find(req, 'attrList'), 'attrib', 'name', 'value').Id;
    await fresh({ programs: [{ name: 'Golden Program', costs: [{ month: '2013-05', amount: 1000 }] }] });
    // Program 1970 and cost 153 are ours 1 and 1.
    const r = await sendRecorded(request, [
      [`<id>${programId}</id>`, '<id>1</id>'],
      [`<value>${costId}</value>`, '<value>1</value>'],
    ]);
    assertSuccessShape(recorded, r, file);
    assert.equal(text(r.doc, 'status'), text(recorded, 'status'));
    const got = await call(
      '<ns1:paramsGetMObjects><type>Program</type><id>1</id><includeDetails>true</includeDetails></ns1:paramsGetMObjects>',
    );
    const cost = findAll(got.doc, 'typeAttrib').find((t) => text(t, 'attrType') === 'Cost') as XmlElement;
    assert.deepEqual(pairs(child(cost, 'attrList'), 'attrib', 'name', 'value'), {
      Id: '1',
      Month: '2013-06-01',
      Amount: '2000',
    });
  });

  test(`deleteMObjects: ${ADOBE}/deleteMObjects.response.xml`, {
    skip: onBridge('opportunities and roles have no integer id in REST'),
  }, async () => {
    const file = `${ADOBE}/deleteMObjects.response.xml`;
    const recorded = parseXml(readRecorded(file));
    // Opportunities 1..7, so that the recorded ids 4 and 7 exist.
    await fresh({ opportunities: Array.from({ length: 7 }, (_, i) => ({ name: `Golden ${i + 1}` })) });
    const r = await sendRecorded(pairedRequest(file) as string);
    assertSuccessShape(recorded, r, file);
    const statuses = (d: XmlElement) => findAll(d, 'mObjStatus').map((st) => [text(st, 'id'), text(st, 'status')]);
    assert.deepEqual(statuses(r.doc), statuses(recorded));
  });

  // -- custom objects ---------------------------------------------------------------------------

  /** The RoadShow type as the recordings use it, and leads for the recorded MKTOIDs. */
  async function roadShows(mktoids: string[]): Promise<Map<string, string>> {
    await fresh({
      leads: mktoids.map((id) => ({ Email: `mkto-${id}@golden.example` })),
      customObjectTypes: [
        {
          name: 'RoadShow',
          keys: ['MKTOID', 'rid'],
          fields: [
            { name: 'city', dataType: 'string' },
            { name: 'state', dataType: 'string' },
            { name: 'zip', dataType: 'string' },
          ],
        },
      ],
    });
    // Leads are created in order: ids 1, 2, ...
    return new Map(mktoids.map((id, i) => [id, String(i + 1)]));
  }

  const customObjXml = (keys: [string, string][], attrs: [string, string][] = []) => {
    const list = (p: [string, string][]) =>
      p
        .map(
          ([n, v]) =>
            `<attribute><attrName>${escapeText(n)}</attrName><attrValue>${escapeText(v)}</attrValue></attribute>`,
        )
        .join('');
    return `<customObj><customObjKeyList>${list(keys)}</customObjKeyList>${
      attrs.length ? `<customObjAttributeList>${list(attrs)}</customObjAttributeList>` : ''
    }</customObj>`;
  };

  async function upsert(objects: string[]): Promise<void> {
    const r = await call(
      `<ns1:paramsSyncCustomObjects><objTypeName>RoadShow</objTypeName><customObjList>${objects.join('')}</customObjList></ns1:paramsSyncCustomObjects>`,
    );
    assert.equal(r.status, 200, r.text);
    for (const st of findAll(r.doc, 'status')) assert.notEqual(st.text, 'FAILED', r.text);
  }

  /** Key pairs of a recorded element, the MKTOID mapped to ours. */
  const recordedKeys = (el: XmlElement, ids: Map<string, string>): [string, string][] =>
    findAll(child(el, 'customObjKeyList') as XmlElement, 'attribute').map((a) => {
      const n = text(a, 'attrName') ?? '';
      const v = text(a, 'attrValue') ?? '';
      return [n, n === 'MKTOID' ? (ids.get(v) ?? v) : v];
    });

  for (const file of [
    `${ADOBE}/syncCustomObjects.response.xml`,
    `${MARKETY}/sync_custom_objects/successful_sync.xml`,
    `${MARKETY}/sync_custom_objects/multiple_syncs.xml`,
    `${MARKETY}/sync_custom_objects/unknown_attribute.xml`,
  ]) {
    test(`syncCustomObjects: ${file}`, async () => {
      const recorded = parseXml(readRecorded(file));
      const statuses = findAll(recorded, 'syncCustomObjStatus');
      const mktoids = statuses.flatMap((st) =>
        findAll(st, 'attribute')
          .filter((a) => text(a, 'attrName') === 'MKTOID')
          .map((a) => text(a, 'attrValue') ?? ''),
      );
      const ids = await roadShows(mktoids);
      // UPDATED in the recording: the record existed before the call.
      const existing = statuses.filter((st) => text(st, 'status') === 'UPDATED').map((st) => recordedKeys(st, ids));
      if (existing.length) await upsert(existing.map((k) => customObjXml(k)));
      const request = pairedRequest(file);
      let r: SoapResult;
      if (request) {
        r = await sendRecorded(
          request,
          [...ids].map(([a, b]) => [`<attrValue>${a}</attrValue>`, `<attrValue>${b}</attrValue>`]),
        );
      } else {
        // markety keeps responses only: ask for what the response shows.
        const failed = statuses.some((st) => text(st, 'status') === 'FAILED');
        const objects = statuses.map((st) =>
          customObjXml(recordedKeys(st, ids), failed ? [['nameasdf', 'x']] : [['city', 'Golden']]),
        );
        r = await call(
          `<ns1:paramsSyncCustomObjects><objTypeName>roadshow</objTypeName><customObjList>${objects.join('')}</customObjList><operation>UPSERT</operation></ns1:paramsSyncCustomObjects>`,
        );
      }
      assertSuccessShape(recorded, r, file);
      const view = (d: XmlElement) =>
        findAll(d, 'syncCustomObjStatus').map((st) => [text(st, 'status'), text(st, 'error')]);
      // The same statuses, and for the unknown attribute Marketo's very message.
      assert.deepEqual(view(r.doc), view(recorded));
    });
  }

  for (const file of [
    `${ADOBE}/getCustomObjects.response.xml`,
    `${MARKETY}/get_custom_objects/multiple_custom_objects_found.xml`,
    `${MARKETY}/get_custom_objects/one_custom_object_found.xml`,
    `${MARKETY}/get_custom_objects/no_custom_objects_found.xml`,
  ]) {
    test(`getCustomObjects: ${file}`, async () => {
      const recorded = parseXml(readRecorded(file));
      const objects = findAll(recorded, 'customObj');
      const ids = await roadShows(['1090177']);
      // The recorded records, in the recorded order (ours come back in the order they were made).
      if (objects.length) {
        await upsert(
          objects.map((o) =>
            customObjXml(
              recordedKeys(o, ids),
              Object.entries(pairs(child(o, 'customObjAttributeList'), 'attribute', 'attrName', 'attrValue')),
            ),
          ),
        );
      }
      const request = pairedRequest(file);
      const r = request
        ? await sendRecorded(request, [
            ['<attrValue>1090177</attrValue>', `<attrValue>${ids.get('1090177')}</attrValue>`],
          ])
        : await call(
            `<ns1:paramsGetCustomObjects><objTypeName>RoadShow</objTypeName><customObjKeyList><attribute><attrName>MKTOID</attrName><attrValue>${
              objects.length ? ids.get('1090177') : '123'
            }</attrValue></attribute></customObjKeyList><includeAttributes/></ns1:paramsGetCustomObjects>`,
          );
      assertSuccessShape(recorded, r, file);
      const records = (d: XmlElement) =>
        findAll(d, 'customObj').map((o) => [
          pairs(child(o, 'customObjKeyList'), 'attribute', 'attrName', 'attrValue').rid,
          pairs(child(o, 'customObjAttributeList'), 'attribute', 'attrName', 'attrValue'),
        ]);
      assert.deepEqual(records(r.doc), records(recorded));
      assert.equal(text(r.doc, 'remainingCount'), text(recorded, 'remainingCount'));
      // Deliberate difference: at the normal end our newStreamPosition is empty (errors.md), where
      // Marketo's sample echoed `{"ky":[...],"os":6}`.
      assert.equal(text(r.doc, 'newStreamPosition'), '');
    });
  }

  test(`deleteCustomObjects: ${ADOBE}/deleteCustomObjects.response.xml`, async () => {
    const file = `${ADOBE}/deleteCustomObjects.response.xml`;
    const recorded = parseXml(readRecorded(file));
    const ids = await roadShows(['1090177']);
    await upsert([customObjXml([...recordedKeys(find(recorded, 'syncCustomObjStatus') as XmlElement, ids)])]);
    const r = await sendRecorded(pairedRequest(file) as string, [
      ['<attrValue>1090177</attrValue>', `<attrValue>${ids.get('1090177')}</attrValue>`],
    ]);
    assertSuccessShape(recorded, r, file);
    assert.equal(text(r.doc, 'status'), 'DELETED');
    assert.equal(
      qname(child(find(r.doc, 'deleteCustomObjStatusList') as XmlElement, 'syncCustomObjStatus') as XmlElement),
      'syncCustomObjStatus',
    );
  });

  test(`fault 20110: ${MARKETY}/sync_custom_objects/invalid_object_name.xml`, async () => {
    const file = `${MARKETY}/sync_custom_objects/invalid_object_name.xml`;
    const recorded = parseXml(readRecorded(file));
    await roadShows(['1090177']);
    // markety's fixture was hand-edited from an object named "job".
    const r = await call(
      `<ns1:paramsSyncCustomObjects><objTypeName>job</objTypeName><customObjList>${customObjXml([
        ['MKTOID', '1'],
        ['rid', 'a'],
      ])}</customObjList></ns1:paramsSyncCustomObjects>`,
    );
    assert.equal(r.status, 500, r.text);
    assertSameShape(recorded, r.doc, file);
    const fault = bodyChild(r.doc);
    assert.equal(qname(fault), `{${SOAP_ENV_NS}}Fault`);
    assert.equal(text(fault, 'faultcode'), text(recorded, 'faultcode'));
    assert.equal(text(fault, 'code'), text(recorded, 'code'));
    assert.equal(text(fault, 'name'), text(recorded, 'name'));
    // Marketo's message, naming the type as errors.md asks: "Object name is not valid (20110)".
    assert.equal(text(recorded, 'message'), 'Object name is not valid (20110)');
    assert.equal(text(fault, 'message'), 'Object name is not valid: "job" (20110)');
    // Deliberate difference (README "Differences from Marketo", fault texts): Marketo wrote
    // "20110 - Input error"; we write the error table's "Bad Parameter".
    assert.equal(text(recorded, 'faultstring'), '20110 - Input error');
    assert.equal(text(fault, 'faultstring'), faultString(20110));
    assert.equal(text(fault, 'faultstring'), '20110 - Bad Parameter');
  });
});
