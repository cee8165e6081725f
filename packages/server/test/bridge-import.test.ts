/**
 * importToList and getImportToListStatus through the bridge: an import started on the bridge runs
 * as a REST bulk import on the emulator, lands in the emulator's list, and the bridge reports its
 * status from the batch id it kept in its own state store (also for another bridge on that store).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { listOperationBody, parseListOperation } from './support/activities.js';
import { assertSameAnswer, type BridgePair, bridgeStoreUrl, startBridgePair } from './support/bridge.js';
import { importBody, importStatusBody, parseImportStatus } from './support/campaigns.js';
import { type SoapResult, startTestServer, type TestServer } from './support/harness.js';

const IMPORTS = 'Demo Program.Imports';

/** Polls until the import has ended (the emulator's runner works in the background). */
async function ended(s: TestServer): Promise<SoapResult> {
  for (let i = 0; i < 300; i++) {
    const r = await s.soap(importStatusBody());
    assert.equal(r.status, 200, r.text);
    if (parseImportStatus(r).status !== 'PROCESSING') return r;
    await sleep(50);
  }
  throw new Error('the import did not end');
}

async function members(s: TestServer, emails: string[]) {
  const r = await s.soap(
    listOperationBody({ op: 'ISMEMBEROFLIST', list: IMPORTS, leads: emails.map((e) => ['EMAIL', e]) }),
  );
  return parseListOperation(r).statuses?.map(([, , ok]) => ok);
}

describe('bridge: importToList and getImportToListStatus', () => {
  let p: BridgePair;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mktows-bridge-import-'));
    p = await startBridgePair({ bridge: { bridgeState: `sqlite:${join(dir, 'state.db')}` } });
  });
  after(async () => {
    await p?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('before any import: 20110 from both; an unknown list 20111 from both', async () => {
    let r = await p.both(importStatusBody());
    assert.equal(r.emulator.fault?.code, 20110, r.emulator.text);
    assert.equal(r.bridge.fault?.code, 20110, r.bridge.text);
    assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
    // The emulator's words, which say whether the program is missing (one program look-up on this path).
    for (const [program, message] of [
      ['Demo Program', 'No list "No Such List" found in program "Demo Program" (20111)'],
      ['No Program', 'No list "No Such List" found: no program named "No Program" (20111)'],
    ]) {
      r = await p.both(importStatusBody(program, 'No Such List'));
      assert.equal(r.emulator.fault?.code, 20111);
      assert.deepEqual(r.bridge.fault, r.emulator.fault);
      assert.equal(r.bridge.fault?.message, message);
    }
    r = await p.both(importStatusBody('', 'Imports'));
    assert.equal(r.emulator.fault?.code, 20109);
    assert.equal(r.bridge.fault?.code, 20109);
  });

  test('UPSERTLEADS: a bulk import on the emulator; leads in the list; the status as the emulator reports it', async () => {
    const r = await p.bridge.soap(
      importBody({
        header: 'First Name,Last Name,Email Address',
        rows: ['Grace,Hopper,grace@bridge.example', 'Alan,Turing,alan@bridge.example', '', 'Bad,Row'],
      }),
    );
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<importStatus>PROCESSING<\/importStatus>/);
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      // The list's id is cached from the first test.
      ['GET /rest/v1/leads/describe.json', 'POST /bulk/v1/leads.json'],
    );
    const done = parseImportStatus(await ended(p.bridge));
    assert.equal(done.status, 'COMPLETE');
    assert.deepEqual([done.estimatedRows, done.rowsImported, done.rowsFailed, done.rowsIgnored], [4, 2, 1, 1]);
    assert.equal(done.importSummary, 'Import completed with errors, 2 records imported, 1 failed');
    assert.deepEqual(await members(p.emulator, ['grace@bridge.example', 'alan@bridge.example']), [true, true]);
    // The emulator reports the same job (the newest import into the list, whichever API made it).
    const both = await p.both(importStatusBody());
    assertSameAnswer(both, (path) => /\/(startedTime|endedTime|importSummary)$/.test(path));
    // Ended imports are not asked about again.
    assert.deepEqual(await p.lastUpstream(), []);
  });

  test('another bridge on the same state store (a restart, a replica) reports the import', async () => {
    const other = await startTestServer({
      store: bridgeStoreUrl(p.emulator),
      bridgeState: `sqlite:${join(dir, 'state.db')}`,
      ratePerWindow: 100_000,
      upstreamRatePerWindow: 100_000,
      upstreamConcurrency: 1_000,
    });
    try {
      const [mine, theirs] = await Promise.all([p.bridge.soap(importStatusBody()), other.soap(importStatusBody())]);
      assert.deepEqual(parseImportStatus(theirs), parseImportStatus(mine));
      assert.equal(parseImportStatus(theirs).status, 'COMPLETE');
    } finally {
      await other.close();
    }
  });

  test('clearList=true empties the list first; the new rows are its members', async () => {
    const r = await p.bridge.soap(
      importBody({
        header: 'Email Address,Company Name',
        rows: ['ada@demo.example,Analytical Engines'],
        clearList: true,
      }),
    );
    assert.equal(r.status, 200, r.text);
    assert.equal(parseImportStatus(await ended(p.bridge)).rowsImported, 1);
    assert.deepEqual(await members(p.emulator, ['grace@bridge.example', 'ada@demo.example']), [false, true]);
  });

  test('LISTONLY: existing leads added at once, unknown ones ignored; COMPLETE', async () => {
    const r = await p.bridge.soap(
      importBody({
        mode: 'LISTONLY',
        header: 'Email Address',
        rows: ['grace@bridge.example', 'nobody@nowhere.example', 'ALAN@bridge.example'],
      }),
    );
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /<importStatus>COMPLETE<\/importStatus>/);
    assert.deepEqual(await members(p.emulator, ['grace@bridge.example', 'alan@bridge.example']), [true, true]);
    const s = parseImportStatus(await p.bridge.soap(importStatusBody()));
    assert.deepEqual(
      [s.status, s.estimatedRows, s.rowsImported, s.rowsFailed, s.rowsIgnored, s.importSummary],
      [
        'COMPLETE',
        3,
        2,
        0,
        1,
        '2 of 3 rows imported, 0 failed, 1 ignored. Row 2 ignored: no lead with Email Address nobody@nowhere.example.',
      ],
    );
    // The outcome was kept: the status costs no REST call.
    assert.deepEqual(await p.lastUpstream(), []);
  });

  test('faults: unknown column 20105, unknown list 20111, My Tokens without campaign 20109 — as the emulator', async () => {
    const cases: [string, number][] = [
      [importBody({ header: 'Email Address,Shoe Size', rows: [] }), 20105],
      [importBody({ header: 'Email Address', rows: [], listName: 'No Such List' }), 20111],
      [importBody({ header: 'Email Address', rows: [], programName: 'No Program' }), 20111],
      [importBody({ header: 'Email Address,{{my.Offer}}', rows: [] }), 20109],
      [importBody({ header: 'Email Address', rows: [], programName: '' }), 20109],
      [importBody({ header: 'Email Address', rows: [], campaignName: 'No Campaign' }), 20113],
    ];
    for (const [body, code] of cases) {
      const r = await p.both(body);
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assert.equal(r.bridge.fault?.code, code, r.bridge.text);
    }
    const unknown = await p.both(importBody({ header: 'Email Address,Shoe Size', rows: [] }));
    assert.equal(unknown.bridge.fault?.message, unknown.emulator.fault?.message);
    const noProgram = await p.both(importBody({ header: 'Email Address', rows: [], programName: 'No Program' }));
    assert.equal(noProgram.bridge.fault?.message, 'No list "Imports" found: no program named "No Program" (20111)');
    assert.deepEqual(noProgram.bridge.fault, noProgram.emulator.fault);
  });

  test('My Token columns with a campaign: 20110 on the bridge (no per-lead tokens in REST), nothing imported', async () => {
    const r = await p.bridge.soap(
      importBody({ header: 'Email Address,{{my.Offer}}', rows: ['tok@bridge.example,ten'], campaignName: 'Welcome' }),
    );
    assert.equal(r.fault?.code, 20110, r.text);
    assert.match(r.fault?.message ?? '', /per-lead My Token columns have no equivalent/);
    assert.ok(!(await p.lastUpstream()).some((c) => c.path === '/bulk/v1/leads.json'));
  });

  test('REST 1019 (list being imported) and 1016 (queue full): 20024', async () => {
    for (const code of [1019, 1016]) {
      const rule = await p.emulator.admin('POST', '/_mktows/faults', {
        operation: 'importLeadUsingPOST',
        code,
        api: 'rest',
        count: 1,
      });
      assert.equal(rule.status, 200, JSON.stringify(rule.body));
      const r = await p.bridge.soap(importBody({ header: 'Email Address', rows: ['q@bridge.example'] }));
      assert.equal(r.fault?.code, 20024, r.text);
    }
  });
});
