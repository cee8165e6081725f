/**
 * Lead writes through the bridge (syncLead, syncMultipleLeads, mergeLeads). Each write goes to the
 * bridge (which writes into its emulator through REST) and, the same, to a reference emulator with
 * the same demo seed: the SOAP answers must agree, and so must the leads read back from both
 * emulators afterwards. The REST calls the bridge made are asserted exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertSameAnswer, type BridgePair, startBridgePair } from './support/bridge.js';
import { adminCall, getLeadBody, type SoapResult, startTestServer, type TestServer } from './support/harness.js';
import { faultCode, mergeBody, type RecordInput, syncLeadBody, syncMultipleBody } from './support/leads.js';

const COOKIE = 'id:123-ABC-456&token:_mch-demo.example-1700000000000-12345';

describe('bridge: lead writes', () => {
  let p: BridgePair;
  /** The same demo seed, written to directly over SOAP. */
  let ref: TestServer;
  before(async () => {
    [p, ref] = await Promise.all([startBridgePair(), startTestServer({ seed: 'demo' })]);
    // Token and describe fetched now: each test counts only its operation's own calls.
    await p.bridge.soap(getLeadBody('IDNUM', '1'));
  });
  after(async () => {
    await p?.close();
    await ref?.close();
  });

  /** The write on the reference emulator and through the bridge (in that order, never at once). */
  async function write(inner: string): Promise<{ emulator: SoapResult; bridge: SoapResult }> {
    const emulator = await ref.soap(inner);
    const bridge = await p.bridge.soap(inner);
    return { emulator, bridge };
  }

  /** The leads as both emulators hold them now, read over SOAP: the bytes must agree. */
  async function assertSameLeads(keys: [string, string | number][]): Promise<void> {
    for (const [type, value] of keys) {
      const a = await ref.soap(getLeadBody(type, String(value)));
      const b = await p.emulator.soap(getLeadBody(type, String(value)));
      assert.equal(b.text, a.text, `lead ${type} ${value} differs`);
    }
  }

  async function calls(): Promise<string[]> {
    return (await p.lastUpstream()).map((c) => `${c.method} ${c.path} ${c.status}${c.code ? ` ${c.code}` : ''}`);
  }

  test('syncLead creates, then updates by Email and by Id, as the emulator; returnLead reads the lead back', async () => {
    const created = await write(
      syncLeadBody({ Email: 'grace@new.example', attrs: { FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy' } }),
    );
    assert.equal(created.bridge.status, 200, created.bridge.text);
    assertSameAnswer(created);
    assert.match(created.bridge.text, /<status>CREATED<\/status>/);
    assert.deepEqual(await calls(), ['POST /rest/v1/leads.json 200', 'GET /rest/v1/leads.json 200']);
    const byEmail = await write(syncLeadBody({ Email: 'grace@new.example', attrs: { Title: 'Rear Admiral' } }));
    assertSameAnswer(byEmail);
    assert.match(byEmail.bridge.text, /<status>UPDATED<\/status>/);
    const byId = await write(
      syncLeadBody(
        { Id: 3, Email: 'alan.renamed@demo.example', attrs: { Company: '', City: 'Wilmslow' } },
        { returnLead: false },
      ),
    );
    assertSameAnswer(byId);
    assert.deepEqual(await calls(), ['POST /rest/v1/leads.json 200']);
    await assertSameLeads([
      ['EMAIL', 'grace@new.example'],
      ['IDNUM', 3],
    ]);
  });

  test('syncLead faults: unknown Id 20103, unknown field 20105 (nothing written), no key 20104, bad value 20106', async () => {
    for (const [record, code] of [
      [{ Id: 999999, attrs: { FirstName: 'X' } }, 20103],
      [{ Email: 'x@new.example', attrs: { FirstName: 'X', NoSuchField: '1', firstname: 'y' } }, 20105],
      [{ attrs: { FirstName: 'X' } }, 20104],
      [{ Email: 'y@new.example', attrs: { NumberOfEmployees: 'many' } }, 20106],
    ] as [RecordInput, number][]) {
      const r = await write(syncLeadBody(record));
      faultCode(r.emulator, code);
      faultCode(r.bridge, code);
      if (code === 20105 || code === 20106) {
        // Checked before any write: the emulator's words for an unknown field and a bad value.
        assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
        assert.deepEqual(await calls(), []);
      }
    }
    await assertSameLeads([['IDNUM', 1]]);
    const fsp = await p.bridge.soap(syncLeadBody({ ForeignSysPersonId: 'SAP-1', ForeignSysType: 'CUSTOM' }));
    assert.match(faultCode(fsp, 20110), /ForeignSysPersonId has no equivalent in Marketo's REST API/);
    assert.deepEqual(await calls(), []);
  });

  test('marketoCookie: associated after the write; a cookie already known names the lead before the e-mail', async () => {
    const r = await write(
      syncLeadBody({ Email: 'cookie@new.example', attrs: { FirstName: 'C' } }, { cookie: COOKIE, returnLead: false }),
    );
    assertSameAnswer(r);
    assert.deepEqual(await calls(), [
      'GET /rest/v1/leads.json 200',
      'POST /rest/v1/leads.json 200',
      `POST /rest/v1/leads/${leadIdOf(r.bridge)}/associate.json 200`,
    ]);
    await assertSameLeads([['COOKIE', COOKIE]]);
    // The cookie's lead is updated although the e-mail names another.
    const again = await write(
      syncLeadBody({ Email: 'other@new.example', attrs: { LastName: 'Crumb' } }, { cookie: COOKIE, returnLead: false }),
    );
    assertSameAnswer(again);
    assert.equal(leadIdOf(again.bridge), leadIdOf(r.bridge));
    await assertSameLeads([['COOKIE', COOKIE]]);
  });

  test('a cookie REST refuses on associate.json (1012): the lead is written and the answer is a success', async () => {
    const r = await p.bridge.soap(
      syncLeadBody({ Email: 'badcookie@new.example' }, { cookie: 'not-a-munchkin-cookie', returnLead: false }),
    );
    assert.equal(r.status, 200, r.text);
    const id = leadIdOf(r);
    assert.deepEqual(await calls(), [
      'GET /rest/v1/leads.json 200',
      'POST /rest/v1/leads.json 200',
      `POST /rest/v1/leads/${id}/associate.json 200 1012`,
    ]);
    assert.equal((await p.emulator.soap(getLeadBody('EMAIL', 'badcookie@new.example'))).status, 200);
    // The reference gets the lead too, so that both keep giving the same ids.
    assert.equal((await ref.soap(syncLeadBody({ Email: 'badcookie@new.example' }))).status, 200);
  });

  test('syncMultipleLeads of 300 new leads: one REST call, the same statuses and leads as the emulator', async () => {
    const records: RecordInput[] = Array.from({ length: 300 }, (_, i) => ({
      Email: `bulk${i}@new.example`,
      attrs: { FirstName: `Bulk${i}`, Company: 'Bulk Inc' },
    }));
    const r = await write(syncMultipleBody(records));
    assertSameAnswer(r);
    assert.deepEqual(await calls(), ['POST /rest/v1/leads.json 200']);
    await assertSameLeads([
      ['EMAIL', 'bulk0@new.example'],
      ['EMAIL', 'bulk299@new.example'],
    ]);
  });

  test('syncMultipleLeads: Id and e-mail groups, ≤300 per call, input order kept, per-record FAILED', async () => {
    const records: RecordInput[] = [
      ...Array.from({ length: 301 }, (_, i) => ({ Email: `more${i}@new.example`, attrs: { LastName: 'More' } })),
      { Id: 7, Email: 'ignored-key@new.example', attrs: { Title: 'Seven' } },
      { Id: 888888, attrs: { Title: 'Nobody' } },
      { Email: 'more0@new.example', attrs: { NumberOfEmployees: 'lots' } },
    ];
    const r = await write(syncMultipleBody(records));
    // A value its type refuses is checked before REST, an unknown Id reads as on the emulator.
    assertSameAnswer(r);
    assert.deepEqual(await calls(), [
      'POST /rest/v1/leads.json 200',
      'POST /rest/v1/leads.json 200',
      'POST /rest/v1/leads.json 200',
    ]);
    assert.match(
      r.bridge.text,
      /<syncStatus><leadId>888888<\/leadId><status>FAILED<\/status><error>No lead found with IDNUM = 888888</,
    );
    await assertSameLeads([
      ['IDNUM', 7],
      ['EMAIL', 'more300@new.example'],
      ['EMAIL', 'more0@new.example'],
    ]);
    const fsp = await p.bridge.soap(
      syncMultipleBody([{ ForeignSysPersonId: 'SAP-2', ForeignSysType: 'CUSTOM' }, { Email: 'fine@new.example' }]),
    );
    assert.match(fsp.text, /<status>FAILED<\/status><error>syncMultipleLeads leadRecord 1: ForeignSysPersonId has no/);
    assert.match(fsp.text, /<status>CREATED<\/status>/);
    // The same lead on the reference, so that both keep giving the same ids.
    assert.equal((await ref.soap(syncMultipleBody([{ Email: 'fine@new.example' }]))).status, 200);
    await assertSameLeads([['EMAIL', 'fine@new.example']]);
  });

  test('syncMultipleLeads dedupEnabled=false duplicates an e-mail; request errors fault before any write', async () => {
    const dup = await write(syncMultipleBody([{ Email: 'ada@demo.example', attrs: { FirstName: 'Ada2' } }], false));
    assertSameAnswer(dup);
    assert.match(dup.bridge.text, /<status>CREATED<\/status>/);
    for (const [body, code] of [
      ['<ns1:paramsSyncMultipleLeads><leadRecordList/></ns1:paramsSyncMultipleLeads>', 20104],
      [syncMultipleBody([{ Email: 'a@new.example' }, { Email: 'b@new.example', attrs: { Nope: 'x' } }]), 20105],
      [syncMultipleBody([{ Email: 'a@new.example' }, { attrs: { FirstName: 'nokey' } }]), 20104],
    ] as const) {
      const r = await write(body);
      faultCode(r.emulator, code);
      assertSameAnswer(r);
      assert.deepEqual(await calls(), []);
    }
  });

  test('an e-mail two leads share: getLead lists them newest first; a sync updates the one the emulator picks', async () => {
    const dup = await write(syncMultipleBody([{ Email: 'twin@demo.example' }, { Email: 'twin@demo.example' }], false));
    assertSameAnswer(dup);
    const both = await Promise.all([ref, p.bridge].map((s) => s.soap(getLeadBody('EMAIL', 'twin@demo.example'))));
    assertSameAnswer({ emulator: both[0], bridge: both[1] });
    assert.match(both[1].text, /<count>2<\/count>/);
    // REST skips the record (1007): the bridge writes it again on the newest lead, by its id.
    const one = await write(
      syncLeadBody({ Email: 'twin@demo.example', attrs: { City: 'Newest' } }, { returnLead: false }),
    );
    assertSameAnswer(one);
    assert.deepEqual(await calls(), [
      'POST /rest/v1/leads.json 200',
      'GET /rest/v1/leads.json 200',
      'POST /rest/v1/leads.json 200',
    ]);
    // A lead the call updated first is the newest, though REST's updatedAt has whole seconds.
    const older = Number(/<leadId>(\d+)<\/leadId>/.exec(dup.bridge.text)?.[1]);
    const batch = await write(
      syncMultipleBody([
        { Id: older, attrs: { Title: 'Touched' } },
        { Email: 'twin@demo.example', attrs: { City: 'Picked' } },
      ]),
    );
    assertSameAnswer(batch);
    assert.equal([...batch.bridge.text.matchAll(/<leadId>(\d+)<\/leadId>/g)].map((m) => Number(m[1]))[1], older);
    await assertSameLeads([['EMAIL', 'twin@demo.example']]);
  });

  test('mergeLeads: keys to ids, one merge call; the emulators agree on the winner and the losers are gone', async () => {
    const r = await write(
      mergeBody(
        ['IDNUM', 20],
        [
          ['IDNUM', 21],
          ['EMAIL', 'grace@new.example'],
          ['IDNUM', 21],
        ],
        true,
      ),
    );
    assert.equal(r.bridge.status, 200, r.bridge.text);
    assertSameAnswer(r);
    const grace = (await p.bridge.runtime.journal.query({ limit: 1, api: 'soap' }))[0];
    assert.ok(grace);
    assert.deepEqual(await calls(), [
      'GET /rest/v1/leads.json 200',
      'GET /rest/v1/leads.json 200',
      'GET /rest/v1/leads.json 200',
      'GET /rest/v1/leads.json 200',
      'POST /rest/v1/leads/20/merge.json 200',
    ]);
    await assertSameLeads([['IDNUM', 20]]);
    faultCode(await p.emulator.soap(getLeadBody('IDNUM', '21')), 20103);
  });

  test('mergeLeads of 30 losers: two merge calls of 25 and 5', async () => {
    const losers = Array.from({ length: 30 }, (_, i): [string, number] => ['IDNUM', 100 + i]);
    const r = await write(mergeBody(['IDNUM', 99], losers));
    assertSameAnswer(r);
    const c = await calls();
    assert.equal(c.length, 33);
    assert.deepEqual(c.slice(31), ['POST /rest/v1/leads/99/merge.json 200', 'POST /rest/v1/leads/99/merge.json 200']);
    await assertSameLeads([['IDNUM', 99]]);
  });

  test('mergeLeads faults: no lead 20103 and self-merge 20110 before any merge; a REST refusal is FAILED', async () => {
    for (const [body, code] of [
      [mergeBody(['IDNUM', 30], [['EMAIL', 'nobody@nowhere.example']]), 20103],
      [mergeBody(['IDNUM', 30], [['IDNUM', 'abc']]), 20103],
      [mergeBody(['IDNUM', 30], [['IDNUM', 30]]), 20110],
      [mergeBody(['NOPE', 30], [['IDNUM', 31]]), 20102],
      ['<ns1:paramsMergeLeads><winningLeadKeyList/><losingLeadKeyLists/></ns1:paramsMergeLeads>', 20109],
    ] as const) {
      const r = await write(body);
      faultCode(r.emulator, code);
      assertSameAnswer(r);
      assert.ok(!(await calls()).some((c) => c.includes('merge.json')));
    }
    const rule = await adminCall(p.emulator, 'POST', '/_mktows/faults', {
      operation: 'mergeLeadsUsingPOST',
      code: 1003,
      count: 1,
    });
    assert.equal(rule.status, 200, JSON.stringify(rule.body));
    const failed = await p.bridge.soap(mergeBody(['IDNUM', 40], [['IDNUM', 41]]));
    assert.equal(failed.status, 200, failed.text);
    assert.match(failed.text, /<status>FAILED<\/status><error>1003 /);
    assert.match(failed.text, /<winningLeadId>40<\/winningLeadId><losingLeadIdList><integerItem>41<\/integerItem>/);
    assert.equal((await p.emulator.soap(getLeadBody('IDNUM', '41'))).status, 200);
  });
});

function leadIdOf(r: SoapResult): number {
  return Number(/<leadId>(\d+)<\/leadId>/.exec(r.text)?.[1]);
}
