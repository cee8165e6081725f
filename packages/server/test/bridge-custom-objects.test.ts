/**
 * Custom objects through the bridge (getCustomObjects, syncCustomObjects, deleteCustomObjects) on
 * the demo type RoadShow (keys MKTOID, rid; MKTOID links to a lead). Writes go through the bridge
 * and are compared with the same write on a twin emulator (same demo data), then read back on the
 * emulator behind the bridge; reads are compared with that emulator's own answer.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FAULT } from '@mktows/protocol';
import type { BridgeCall } from '../src/bridge/bridge.js';
import { customObjectRest } from '../src/bridge/custom-object-type.js';
import { assertSameAnswer } from './support/bridge.js';
import { bridgeWithTwin, restCalls } from './support/bridge-twin.js';
import type { SoapResult } from './support/harness.js';
import {
  type CustomObjInput,
  deleteCustomObjectsBody,
  getCustomObjectsBody,
  type Pairs,
  parseCustomStatuses,
  parseGetCustomObjects,
  syncCustomObjectsBody,
} from './support/mobjects.js';

const show = (mktoid: number | string, rid: string, attrs?: Pairs): CustomObjInput => ({
  keys: { MKTOID: mktoid, rid },
  ...(attrs ? { attrs } : {}),
});

describe('bridge: custom objects', () => {
  const t = bridgeWithTwin();

  /** The same request to the bridge and to the twin emulator: a write's answers side by side. */
  async function write(inner: string): Promise<{ emulator: SoapResult; bridge: SoapResult }> {
    const [e, b] = await Promise.all([t.twin.soap(inner), t.p.bridge.soap(inner)]);
    return { emulator: e, bridge: b };
  }

  test('syncCustomObjects: created, updated and refused records answer as the emulator, in input order', async () => {
    const body = syncCustomObjectsBody('RoadShow', [
      show(1, 'r1', { city: 'San Mateo', zip: '94404' }),
      show(1, 'r2', { city: 'Austin' }),
      show(2, 'r1', { state: 'CA' }),
      { keys: { MKTOID: 1 }, attrs: { city: 'x' } },
      show(1, 'r3', { color: 'red' }),
      { keys: { MKTOID: 1, rid: 'r4', nope: 'x' } },
      show(999999, 'r1', { city: 'Nowhere' }),
    ]);
    const r = await write(body);
    assert.equal(r.bridge.status, 200, r.bridge.text);
    assertSameAnswer(r);
    assert.deepEqual(
      parseCustomStatuses(r.bridge).map((s) => [s.status, s.error]),
      [
        ['CREATED', null],
        ['CREATED', null],
        ['CREATED', null],
        ['FAILED', 'Missing key attribute list: rid'],
        ['FAILED', 'Unknown name attribute list: color'],
        ['FAILED', 'Unknown key attribute list: nope'],
        ['FAILED', 'MKTOID 999999 names no lead'],
      ],
    );
    assert.deepEqual(await restCalls(t.p), [
      'GET /rest/v1/customobjects/RoadShow/describe.json',
      'POST /rest/v1/customobjects/RoadShow.json',
    ]);
    // Again: UPSERT updates; INSERT of an existing record and UPDATE of a missing one fail.
    assertSameAnswer(await write(syncCustomObjectsBody('RoadShow', [show(1, 'r1', { city: 'Foster City' })])));
    const insert = await write(syncCustomObjectsBody('RoadShow', [show(1, 'r1', { city: 'x' })], 'INSERT'));
    assertSameAnswer(insert);
    assert.match(parseCustomStatuses(insert.bridge)[0].error ?? '', /already exists/);
    assertSameAnswer(await write(syncCustomObjectsBody('RoadShow', [show(3, 'r9', { city: 'x' })], 'UPDATE')));
    // Read back on the emulator behind the bridge.
    const back = parseGetCustomObjects(
      await t.p.emulator.soap(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 1 } })),
    );
    assert.deepEqual(back.objects, [
      { keys: { MKTOID: '1', rid: 'r1' }, attrs: { city: 'Foster City', zip: '94404' } },
      { keys: { MKTOID: '1', rid: 'r2' }, attrs: { city: 'Austin' } },
    ]);
  });

  test('getCustomObjects by the lead key, by the whole compound key, with includeAttributes: as the emulator', async () => {
    let r = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 1 } }));
    assertSameAnswer(r);
    assert.equal(parseGetCustomObjects(r.bridge).returnCount, 2);
    assert.deepEqual(await restCalls(t.p), ['GET /rest/v1/customobjects/RoadShow.json']);

    r = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { rid: 'r1', mktoid: 2 } }));
    assertSameAnswer(r);
    assert.deepEqual(parseGetCustomObjects(r.bridge).objects, [
      { keys: { MKTOID: '2', rid: 'r1' }, attrs: { state: 'CA' } },
    ]);
    // A compound key goes as JSON input: POST …?_method=GET.
    assert.deepEqual(await restCalls(t.p), ['POST /rest/v1/customobjects/RoadShow.json']);

    r = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 1 }, include: ['zip'] }));
    assertSameAnswer(r);
    assert.deepEqual(
      parseGetCustomObjects(r.bridge).objects.map((o) => o.attrs),
      [{ zip: '94404' }, null],
    );
    r = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 77 } }));
    assertSameAnswer(r);
    assert.equal(parseGetCustomObjects(r.bridge).returnCount, 0);
  });

  test('getCustomObjects pages with a signed position; remainingCount is 0 at the end', async () => {
    await t.p.bridge.soap(syncCustomObjectsBody('RoadShow', [show(5, 'a'), show(5, 'b'), show(5, 'c')]));
    const first = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 5 }, batchSize: 2 }));
    // The positions are each server's own; everything else is equal (3 records: remainingCount 1 on both).
    assertSameAnswer(first, (path) => path.endsWith('/newStreamPosition'));
    const page1 = parseGetCustomObjects(first.bridge);
    assert.equal(page1.returnCount, 2);
    assert.equal(page1.remainingCount, 1);
    const page2 = parseGetCustomObjects(
      await t.p.bridge.soap(
        getCustomObjectsBody('RoadShow', {
          keys: { MKTOID: 5 },
          batchSize: 2,
          streamPosition: page1.newStreamPosition,
        }),
      ),
    );
    assert.deepEqual(
      [page2.returnCount, page2.remainingCount, page2.newStreamPosition, page2.objects[0]?.keys],
      [1, 0, '', { MKTOID: '5', rid: 'c' }],
    );
    // Bound to its filter: another key is 20122, as a forged position.
    const other = await t.p.bridge.soap(
      getCustomObjectsBody('RoadShow', { keys: { MKTOID: 6 }, batchSize: 2, streamPosition: page1.newStreamPosition }),
    );
    assert.equal(other.fault?.code, 20122, other.text);
    const forged = await t.p.both(getCustomObjectsBody('RoadShow', { keys: { MKTOID: 5 }, streamPosition: 'abc.def' }));
    assert.equal(forged.bridge.fault?.code, 20122);
    assert.equal(forged.bridge.fault?.message, forged.emulator.fault?.message);
  });

  test('faults: unknown type, unknown key, unknown include, batchSize 0 as the emulator; no key at all is 20109', async () => {
    for (const body of [
      getCustomObjectsBody('NoSuchType', { keys: { MKTOID: 1 } }),
      getCustomObjectsBody('RoadShow', { keys: { city: 'x' } }),
      getCustomObjectsBody('RoadShow', { keys: { MKTOID: 1 }, include: ['zip', 'nope'] }),
      getCustomObjectsBody('RoadShow', { keys: { MKTOID: 1 }, batchSize: 0 }),
      syncCustomObjectsBody('NoSuchType', [show(1, 'x')]),
      syncCustomObjectsBody('RoadShow', []),
      deleteCustomObjectsBody('NoSuchType', [{ MKTOID: 1, rid: 'x' }]),
      deleteCustomObjectsBody('RoadShow', []),
    ]) {
      const r = await t.p.both(body);
      assert.equal(r.bridge.status, 500, r.bridge.text);
      assert.equal(r.bridge.fault?.code, r.emulator.fault?.code, body);
      assert.equal(r.bridge.fault?.message, r.emulator.fault?.message, body);
    }
    const over = Array.from({ length: 101 }, (_, i) => show(1, `o${i}`));
    const r = await t.p.both(syncCustomObjectsBody('RoadShow', over));
    assert.equal(r.bridge.fault?.code, 20110);
    assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
    const all = await t.p.bridge.soap(getCustomObjectsBody('RoadShow'));
    assert.equal(all.fault?.code, 20109, all.text);
    assert.match(all.fault?.message ?? '', /reads RoadShow records only by key/);
  });

  test('deleteCustomObjects: DELETED, UNCHANGED for a missing record, FAILED for a bad key list, as the emulator', async () => {
    const records = [show(1, 'd1', { city: 'x' }), show(2, 'd2')];
    await Promise.all([
      t.twin.soap(syncCustomObjectsBody('RoadShow', records)),
      t.p.bridge.soap(syncCustomObjectsBody('RoadShow', records)),
    ]);
    const r = await write(
      deleteCustomObjectsBody('RoadShow', [
        { MKTOID: 1, rid: 'd1' },
        { MKTOID: 1, rid: 'never' },
        { MKTOID: 2 },
        { MKTOID: 2, rid: 'd2' },
      ]),
    );
    assertSameAnswer(r);
    assert.deepEqual(
      parseCustomStatuses(r.bridge).map((s) => [s.status, s.error]),
      [
        ['DELETED', null],
        ['UNCHANGED', 'No RoadShow with MKTOID=1, rid=never'],
        ['FAILED', 'Missing key attribute list: rid'],
        ['DELETED', null],
      ],
    );
    assert.deepEqual(await restCalls(t.p), ['POST /rest/v1/customobjects/RoadShow/delete.json']);
    const back = parseGetCustomObjects(
      await t.p.emulator.soap(getCustomObjectsBody('RoadShow', { keys: { rid: 'd2' } })),
    );
    assert.equal(back.returnCount, 0);
  });

  test('custom objects not enabled (REST 1026 or 616) is 20013; an unknown type (1013) 20110', async () => {
    const failing = (restCode: number) =>
      ({
        rest: async () => {
          throw Object.assign(new Error(`REST ${restCode}`), { restCode });
        },
      }) as unknown as BridgeCall;
    for (const [code, fault] of [
      [1026, FAULT.ACCESS_DENIED],
      [616, FAULT.ACCESS_DENIED],
      [1013, FAULT.BAD_PARAMETER],
    ] as const) {
      await assert.rejects(customObjectRest(failing(code), 'RoadShow', { method: 'GET', path: '/x' }), { code: fault });
    }
  });
});
