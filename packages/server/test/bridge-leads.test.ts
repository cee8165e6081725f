/**
 * The bridge (`--store marketo+http://…`) in front of the emulator's REST API: lead reads answer
 * as the emulator answers the same SOAP request, and each call's REST exchanges are journaled.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertSameAnswer, type BridgePair, startBridgePair } from './support/bridge.js';
import { getLeadBody } from './support/harness.js';

describe('bridge: getLead', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  test('by EMAIL and IDNUM: the same LeadRecord as the emulator, element by element', async () => {
    for (const [type, value] of [
      ['EMAIL', 'ada@demo.example'],
      ['IDNUM', '2'],
      ['IDNUM', '17'],
    ] as const) {
      const r = await p.both(getLeadBody(type, value));
      assert.equal(r.bridge.status, 200, r.bridge.text);
      assertSameAnswer(r);
    }
  });

  test('warm caches: one REST call per getLead, journaled with method, path and status', async () => {
    await p.bridge.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    const r = await p.bridge.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await p.lastUpstream(), [{ method: 'GET', path: '/rest/v1/leads.json', status: 200, code: null }]);
  });

  test('no lead: 20103 from both, for an unknown e-mail, id and non-numeric id', async () => {
    for (const [type, value] of [
      ['EMAIL', 'nobody@nowhere.example'],
      ['IDNUM', '999999'],
      ['IDNUM', 'abc'],
    ] as const) {
      const r = await p.both(getLeadBody(type, value));
      assert.equal(r.bridge.fault?.code, 20103, r.bridge.text);
      assert.equal(r.emulator.fault?.code, 20103, r.emulator.text);
    }
  });

  test('a key type outside the enum is 20102; LEADOWNEREMAIL has no REST filter: 20110', async () => {
    assert.equal((await p.bridge.soap(getLeadBody('NOPE', 'x'))).fault?.code, 20102);
    const r = await p.bridge.soap(getLeadBody('LEADOWNEREMAIL', 'owner@demo.example'));
    assert.equal(r.fault?.code, 20110, r.text);
    assert.match(r.fault?.message ?? '', /no equivalent in Marketo's REST API/);
  });

  test('listMObjects answers as the emulator', async () => {
    assertSameAnswer(await p.both('<ns1:paramsListMObjects/>'));
  });
});
