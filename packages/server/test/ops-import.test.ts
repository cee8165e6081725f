/**
 * importToList and getImportToListStatus over HTTP (spec §4.9–4.10, errors.md): the CSV header by
 * display or SOAP names, UPSERTLEADS and LISTONLY, clearList, per-lead My Token columns, the
 * background job (PROCESSING → COMPLETE or FAILED, batches, progress, a restart in the middle, a
 * responsive server meanwhile), the importSummary naming bad rows, GET /_mktows/imports, and each
 * fault code with its exact faultstring and detail.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ImportJob } from '../src/store/import-store.js';
import type { Lead } from '../src/store/store.js';
import { onBridge } from './support/bridge-mode.js';
import {
  type ImportInput,
  importBody,
  importStatus,
  importStatusBody,
  parseImportStatus,
  recordedXml,
  requestCampaignBody,
  resultElement,
  resultOf,
  SKIP_NO_SHARED,
  scheduleCampaignBody,
  shapeOf,
} from './support/campaigns.js';
import { assertFault, call } from './support/fault-helpers.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { seed } from './support/leads.js';

/** A second program with two lists and a trigger campaign, next to the demo's. */
const EXTRA_SEED = {
  programs: [
    {
      name: 'Second Program',
      channel: 'Email Blast',
      lists: ['Imports', 'Never Imported'],
      campaigns: [{ name: 'Token Mailer', kind: 'trigger', sources: ['MKTOWS'] }],
    },
  ],
};

function newServer(extra: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  return startTestServer({ seed: 'demo', ratePerWindow: 100_000, ...extra });
}

async function importOk(s: TestServer, p: ImportInput): Promise<void> {
  const r = await s.soap(importBody(p));
  const res = resultOf(r);
  assert.deepEqual(
    res.children.map((c) => [c.local, c.text]),
    [['importStatus', 'PROCESSING']],
  );
}

/** Imports and waits for the job to end; returns the status. */
async function importDone(s: TestServer, p: ImportInput) {
  await importOk(s, p);
  await s.runtime.imports.whenIdle();
  return importStatus(s, p.programName ?? 'Demo Program', p.listName ?? 'Imports');
}

async function leadByEmail(s: TestServer, email: string): Promise<Lead> {
  const [l] = await s.runtime.store.findLeads({ by: 'EMAIL', value: email });
  assert.ok(l, `no lead ${email}`);
  return l;
}

async function listId(s: TestServer, name: string): Promise<number> {
  const l = await s.runtime.store.findList('name', name);
  assert.ok(l, `no list ${name}`);
  return l.id;
}

async function isMember(s: TestServer, list: string, email: string): Promise<boolean> {
  return s.runtime.store.isListMember(await listId(s, list), (await leadByEmail(s, email)).id);
}

async function activityTypes(s: TestServer, leadId: number, since: number): Promise<string[]> {
  return (await s.runtime.store.listActivities(leadId))
    .filter((a) => a.id > since)
    .map((a) => a.typeName)
    .reverse();
}

async function lastActivityId(s: TestServer, leadId: number): Promise<number> {
  return (await s.runtime.store.listActivities(leadId))[0]?.id ?? 0;
}

async function jobCount(s: TestServer): Promise<number> {
  return (await s.runtime.store.imports.listImportJobs()).length;
}

describe('importToList: UPSERTLEADS', () => {
  let s: TestServer;
  before(async () => {
    s = await newServer();
    await seed(s, EXTRA_SEED);
  });
  after(() => s.close());

  test('creates and updates leads by e-mail, adds them to the list, logs the activities, ends COMPLETE', {
    skip: onBridge("importSummary is REST's message"),
  }, async () => {
    const ada = await leadByEmail(s, 'ada@demo.example');
    const since = await lastActivityId(s, ada.id);
    const st = await importDone(s, {
      header: 'First Name,LAST NAME,email address,Num Employees',
      rows: ['Nora,New,nora@import.example,12', 'Augusta,Lovelace,ADA@demo.example,'],
    });
    assert.deepEqual(
      { ...st, startedTime: !!st.startedTime, endedTime: !!st.endedTime },
      {
        status: 'COMPLETE',
        startedTime: true,
        endedTime: true,
        estimatedTime: null,
        estimatedRows: 2,
        rowsImported: 2,
        rowsFailed: 0,
        rowsIgnored: 0,
        importSummary: '2 of 2 rows imported, 0 failed, 0 ignored.',
      },
    );
    const nora = await leadByEmail(s, 'nora@import.example');
    assert.deepEqual(nora.attributes, { FirstName: 'Nora', LastName: 'New', NumberOfEmployees: '12' });
    assert.deepEqual(await activityTypes(s, nora.id, 0), ['New Lead', 'Add to List']);
    const ada2 = await leadByEmail(s, 'ada@demo.example');
    assert.equal(ada2.id, ada.id);
    assert.deepEqual([ada2.attributes.FirstName, ada2.attributes.LastName], ['Augusta', 'Lovelace']);
    // The empty Num Employees cell left Ada's value alone.
    assert.equal(ada2.attributes.NumberOfEmployees, ada.attributes.NumberOfEmployees);
    // First Name changed; the e-mail matched case-insensitively and took the row's spelling.
    assert.deepEqual(await activityTypes(s, ada.id, since), ['Change Data Value', 'Change Data Value', 'Add to List']);
    assert.equal(ada2.email, 'ADA@demo.example');
    const [add] = await s.runtime.store.listActivities(ada.id);
    assert.deepEqual(
      [add.assetName, add.attributes],
      [
        'Demo Program.Imports',
        [
          ['List ID', String(await listId(s, 'Demo Program.Imports'))],
          ['Source', 'Web service API'],
          ['Lead ID', String(ada.id)],
        ],
      ],
    );
    assert.ok(await isMember(s, 'Demo Program.Imports', 'nora@import.example'));
    assert.ok(await isMember(s, 'Demo Program.Imports', 'ada@demo.example'));
  });

  test('SOAP names are headers too; quoted values keep commas, doubled quotes and line breaks', async () => {
    const st = await importDone(s, {
      header: 'FirstName,"LastName",Email,Address',
      rows: ['"Smith, Jr","O""Brien",quote@import.example,"Line 1\nLine 2"'],
    });
    assert.equal(st.rowsImported, 1);
    const l = await leadByEmail(s, 'quote@import.example');
    assert.deepEqual(l.attributes, { FirstName: 'Smith, Jr', LastName: 'O"Brien', Address: 'Line 1\nLine 2' });
  });

  test('an empty cell leaves a value, the text NULL clears it (Change Data Value to empty)', async () => {
    await importDone(s, { header: 'Email Address,Job Title,City', rows: ['nulls@import.example,Boss,Paris'] });
    const l = await leadByEmail(s, 'nulls@import.example');
    const since = await lastActivityId(s, l.id);
    await importDone(s, { header: 'Email Address,Job Title,City', rows: ['nulls@import.example,null,'] });
    const after = await leadByEmail(s, 'nulls@import.example');
    assert.deepEqual(after.attributes, { City: 'Paris' });
    const [change] = await s.runtime.store.listActivities(l.id);
    assert.ok(change.id > since);
    assert.deepEqual(
      [change.typeName, change.attributes.slice(0, 3)],
      [
        'Change Data Value',
        [
          ['Attribute Name', 'Job Title'],
          ['Old Value', 'Boss'],
          ['New Value', ''],
        ],
      ],
    );
  });

  test('bad rows are counted and named in importSummary with their row number; good rows are imported', async () => {
    const st = await importDone(s, {
      header: 'First Name,Email Address,Num Employees',
      rows: [
        'Good,good1@import.example,5',
        'Short,short@import.example',
        'Bad,badint@import.example,many',
        '"Open,open@import.example,1',
        'NoMail,,3',
        '',
        'Good,good2@import.example,6',
      ],
    });
    assert.deepEqual(
      [st.status, st.estimatedRows, st.rowsImported, st.rowsFailed, st.rowsIgnored],
      ['COMPLETE', 7, 2, 4, 1],
    );
    // Through the bridge the counts are the same, the summary is REST's message.
    if (!onBridge("importSummary is REST's message"))
      assert.equal(
        st.importSummary,
        '2 of 7 rows imported, 4 failed, 1 ignored. ' +
          'Row 2 failed: the row has 2 values; the header has 3 columns. ' +
          'Row 3 failed: value "many" of NumberOfEmployees is not an integer. ' +
          'Row 4 failed: malformed CSV: unterminated quoted value starting at character 1. ' +
          'Row 5 failed: Email Address is empty. ' +
          'Row 6 ignored: the row is empty.',
      );
    assert.ok(await isMember(s, 'Demo Program.Imports', 'good2@import.example'));
    const bad = await s.runtime.store.findLeads({ by: 'EMAIL', value: 'badint@import.example' });
    assert.deepEqual(bad, [], 'a failed row writes nothing');
  });

  test('a lead already in the list is not added twice and gets no second Add to List', async () => {
    await importDone(s, { rows: ['Twice,Over,twice@import.example'] });
    const l = await leadByEmail(s, 'twice@import.example');
    const since = await lastActivityId(s, l.id);
    const st = await importDone(s, { rows: ['Twice,Over,twice@import.example'] });
    assert.equal(st.rowsImported, 1);
    assert.deepEqual(await activityTypes(s, l.id, since), []);
  });

  test('clearList true empties the list first (Remove from List each), false appends', async () => {
    await importDone(s, {
      programName: 'Second Program',
      rows: ['A,One,a1@import.example', 'B,Two,b2@import.example'],
    });
    await importDone(s, { programName: 'Second Program', rows: ['C,Three,c3@import.example'], clearList: false });
    const list = 'Second Program.Imports';
    const members = async () =>
      (await s.runtime.store.pageLeads({ kind: 'list', listId: await listId(s, list) }, 0, 100)).leads.map(
        (l) => l.email,
      );
    assert.deepEqual(await members(), ['a1@import.example', 'b2@import.example', 'c3@import.example']);
    const a1 = await leadByEmail(s, 'a1@import.example');
    const since = await lastActivityId(s, a1.id);
    await importDone(s, { programName: 'Second Program', rows: ['B,Two,b2@import.example'], clearList: true });
    assert.deepEqual(await members(), ['b2@import.example']);
    assert.deepEqual(await activityTypes(s, a1.id, since), ['Remove from List']);
    const b2 = await leadByEmail(s, 'b2@import.example');
    assert.deepEqual((await activityTypes(s, b2.id, 0)).slice(-2), ['Remove from List', 'Add to List']);
  });

  test('clearList with no rows empties the list; the job completes with 0 rows', {
    skip: onBridge("importSummary is REST's message"),
  }, async () => {
    await importDone(s, { programName: 'Second Program', rows: ['E,One,e1@import.example'] });
    const st = await importDone(s, { programName: 'Second Program', rows: [], clearList: true });
    assert.deepEqual(
      [st.status, st.estimatedRows, st.rowsImported, st.importSummary],
      ['COMPLETE', 0, 0, '0 of 0 rows imported, 0 failed, 0 ignored.'],
    );
    const page = await s.runtime.store.pageLeads(
      { kind: 'list', listId: await listId(s, 'Second Program.Imports') },
      0,
      10,
    );
    assert.deepEqual(page.leads, []);
  });

  test('listName may carry the program prefix; campaignName may be given with text or as xsi:nil', async () => {
    const st = await importDone(s, {
      listName: 'Demo Program.Imports',
      rows: ['Pre,Fix,prefix@import.example'],
      campaignName: 'Welcome',
    });
    assert.equal(st.rowsImported, 1);
    assert.deepEqual(await importStatus(s, 'Demo Program', 'Demo Program.Imports'), st);
  });
});

describe('importToList: LISTONLY', () => {
  let s: TestServer;
  before(async () => {
    s = await newServer();
    await seed(s, EXTRA_SEED);
  });
  after(() => s.close());

  test('existing leads are added without writing values; unknown ones are ignored and named', {
    skip: onBridge('LISTONLY completes during the call'),
  }, async () => {
    const ada = await leadByEmail(s, 'ada@demo.example');
    const st = await importDone(s, {
      mode: 'LISTONLY',
      programName: 'Second Program',
      header: 'Email Address,First Name',
      rows: ['ADA@demo.example,Changed', 'nobody@import.example,Nobody'],
    });
    assert.deepEqual(
      [st.rowsImported, st.rowsFailed, st.rowsIgnored, st.importSummary],
      [
        1,
        0,
        1,
        '1 of 2 rows imported, 0 failed, 1 ignored. Row 2 ignored: no lead with Email Address nobody@import.example.',
      ],
    );
    assert.ok(await isMember(s, 'Second Program.Imports', 'ada@demo.example'));
    assert.equal((await leadByEmail(s, 'ada@demo.example')).attributes.FirstName, ada.attributes.FirstName);
    assert.deepEqual(await s.runtime.store.findLeads({ by: 'EMAIL', value: 'nobody@import.example' }), []);
  });

  test('an Id column matches leads by id', { skip: onBridge('LISTONLY completes during the call') }, async () => {
    const st = await importDone(s, {
      mode: 'LISTONLY',
      programName: 'Second Program',
      header: 'Id',
      rows: ['2', '999999', 'x'],
    });
    assert.deepEqual(
      [st.rowsImported, st.rowsFailed, st.rowsIgnored, st.importSummary],
      [
        1,
        1,
        1,
        '1 of 3 rows imported, 1 failed, 1 ignored. Row 2 ignored: no lead with Id 999999. Row 3 failed: Id "x" is not a number.',
      ],
    );
    assert.ok(await s.runtime.store.isListMember(await listId(s, 'Second Program.Imports'), 2));
  });
});

describe('importToList: My Token columns', () => {
  let s: TestServer;
  before(async () => {
    s = await newServer();
    await seed(s, EXTRA_SEED);
  });
  after(() => s.close());

  const lastRun = async () => (await s.admin('GET', '/_mktows/campaign-runs?limit=1')).body.runs[0];

  test("token values wait per lead for the campaign's next requestCampaign run, which uses them up", {
    skip: onBridge('per-lead My Token columns have no REST equivalent'),
  }, async () => {
    const st = await importDone(s, {
      programName: 'Second Program',
      header: 'Email Address,{{my.greeting}},{{my.Offer}}',
      rows: ['tok1@import.example,Hello One,10%', 'tok2@import.example,Hello Two,'],
      campaignName: 'token mailer',
    });
    assert.equal(st.rowsImported, 2);
    const t1 = await leadByEmail(s, 'tok1@import.example');
    const t2 = await leadByEmail(s, 'tok2@import.example');
    const request = (ids: number[]) =>
      s.soap(
        requestCampaignBody({
          source: 'MKTOWS',
          programName: 'Second Program',
          campaignName: 'Token Mailer',
          leads: ids.map((id) => ['IDNUM', id] as [string, number]),
          tokens: [['{{my.greeting}}', 'Campaign default']],
        }),
      );
    resultOf(await request([t1.id]));
    let run = await lastRun();
    assert.deepEqual(run.tokens, { '{{my.greeting}}': 'Campaign default' });
    assert.deepEqual(run.leadTokens, { [t1.id]: { '{{my.greeting}}': 'Hello One', '{{my.Offer}}': '10%' } });
    // Used up for t1; t2's still wait.
    resultOf(await request([t1.id, t2.id]));
    run = await lastRun();
    assert.deepEqual(run.leadTokens, { [t2.id]: { '{{my.greeting}}': 'Hello Two' } });
    resultOf(await request([t2.id]));
    assert.deepEqual((await lastRun()).leadTokens, {});
  });

  test("a scheduled batch run takes every waiting lead's tokens", {
    skip: onBridge('per-lead My Token columns have no REST equivalent'),
  }, async () => {
    await importDone(s, {
      header: 'Email Address,{{my.note}}',
      rows: ['tok3@import.example,Three', 'tok4@import.example,Four'],
      campaignName: 'Nightly',
    });
    const t3 = await leadByEmail(s, 'tok3@import.example');
    const t4 = await leadByEmail(s, 'tok4@import.example');
    resultOf(await s.soap(scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly' })));
    assert.deepEqual((await lastRun()).leadTokens, {
      [t3.id]: { '{{my.note}}': 'Three' },
      [t4.id]: { '{{my.note}}': 'Four' },
    });
    resultOf(await s.soap(scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly' })));
    assert.deepEqual((await lastRun()).leadTokens, {});
  });
});

describe('importToList: the background job', () => {
  let s: TestServer;
  before(async () => {
    s = await newServer();
    await seed(s, EXTRA_SEED);
  });
  after(() => s.close());

  test('PROCESSING while queued (nil endedTime and importSummary), then COMPLETE', async () => {
    await s.runtime.imports.pause();
    try {
      await importOk(s, { rows: ['Q,One,q1@import.example', 'Q,Two,q2@import.example'] });
      const st = await importStatus(s);
      assert.deepEqual(
        { ...st, startedTime: typeof st.startedTime },
        {
          status: 'PROCESSING',
          startedTime: 'string',
          endedTime: null,
          estimatedTime: null,
          estimatedRows: 2,
          rowsImported: 0,
          rowsFailed: 0,
          rowsIgnored: 0,
          importSummary: null,
        },
      );
      assert.match(st.startedTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    } finally {
      s.runtime.imports.resume();
    }
    await s.runtime.imports.whenIdle();
    const done = await importStatus(s);
    assert.deepEqual([done.status, done.rowsImported], ['COMPLETE', 2]);
    assert.ok(done.endedTime && done.startedTime && Date.parse(done.endedTime) >= Date.parse(done.startedTime));
  });

  test('rows are applied in batches, one transaction each, and the status shows the progress', async () => {
    s.runtime.imports.batchSize = 10;
    try {
      const batches: ImportJob[] = [];
      const onBatch = (j: ImportJob) => {
        batches.push(j);
        if (batches.length === 1) void s.runtime.imports.pause();
      };
      s.runtime.imports.on('batch', onBatch);
      const rows = Array.from({ length: 35 }, (_, i) => `B,${i},batch${i}@import.example`);
      await importOk(s, { rows });
      await s.runtime.imports.whenIdle();
      const half = await importStatus(s);
      assert.deepEqual(
        [half.status, half.rowsImported, half.estimatedRows, half.endedTime],
        ['PROCESSING', 10, 35, null],
      );
      assert.equal((await s.runtime.store.imports.listImportJobs({ limit: 1 }))[0].nextRow, 10);
      s.runtime.imports.resume();
      await s.runtime.imports.whenIdle();
      s.runtime.imports.off('batch', onBatch);
      assert.deepEqual(
        batches.map((b) => [b.nextRow, b.status]),
        [
          [10, 'PROCESSING'],
          [20, 'PROCESSING'],
          [30, 'PROCESSING'],
          [35, 'COMPLETE'],
        ],
      );
      assert.equal((await importStatus(s)).rowsImported, 35);
    } finally {
      s.runtime.imports.batchSize = 100;
    }
  });

  test('the server keeps answering while a large import runs', async () => {
    const n = 4000;
    const rows = Array.from({ length: n }, (_, i) => `Big,${i},big${i}@import.example`);
    await importOk(s, { programName: 'Second Program', rows });
    const started = Date.now();
    const r = await s.soap(getLeadBody('IDNUM', '1'));
    assert.equal(r.status, 200);
    const elapsed = Date.now() - started;
    const job = (await s.runtime.store.imports.listImportJobs({ limit: 1 }))[0];
    assert.equal(job.status, 'PROCESSING', `getLead took ${elapsed} ms and the import had ended`);
    assert.ok(job.rowsImported < n);
    const st = await importStatus(s, 'Second Program');
    assert.equal(st.status, 'PROCESSING');
    await s.runtime.imports.whenIdle(60_000);
    assert.equal((await importStatus(s, 'Second Program')).rowsImported, n);
  });

  test('a second import into a list being imported is 20110; another list meanwhile is fine', {
    skip: onBridge('a list being imported is 20024 (REST 1019)'),
  }, async () => {
    await s.runtime.imports.pause();
    try {
      await importOk(s, { rows: ['C,One,c1@import.example'] });
      const jobs = await jobCount(s);
      assertFault(
        await call(s, importBody({ rows: ['C,Two,c2@import.example'] })),
        20110,
        'list Demo Program.Imports is already being imported; poll getImportToListStatus until that import ends',
      );
      assert.equal(await jobCount(s), jobs);
      await importOk(s, { programName: 'Second Program', rows: ['C,Three,c3@import.example'] });
    } finally {
      s.runtime.imports.resume();
    }
    await s.runtime.imports.whenIdle();
    await importOk(s, { rows: ['C,Two,c2@import.example'] });
    await s.runtime.imports.whenIdle();
    assert.equal((await importStatus(s)).status, 'COMPLETE');
  });

  test('a job that cannot run ends FAILED with the reason in importSummary', {
    skip: onBridge('the bridge knows only imports it started'),
  }, async () => {
    // As a job stored by an earlier server whose seed had a field this one lacks.
    const list = await s.runtime.store.findList('name', 'Second Program.Imports');
    assert.ok(list);
    await s.runtime.store.transaction((tx) =>
      tx.imports.createImportJob(
        {
          programName: 'Second Program',
          listId: list.id,
          listName: list.name,
          mode: 'UPSERTLEADS',
          clearList: false,
          campaignId: null,
          header: 'Email Address,Shoe Size',
          userId: 'test_user',
          api: 'soap',
          format: null,
          startedAt: s.runtime.clock.now(),
        },
        ['feet@import.example,44'],
      ),
    );
    s.runtime.imports.wake();
    await s.runtime.imports.whenIdle();
    const st = await importStatus(s, 'Second Program');
    assert.deepEqual(
      [st.status, st.rowsImported, st.importSummary],
      [
        'FAILED',
        0,
        'Import failed: importToList operation failed: unknown fields for import: Shoe Size. 0 of 1 rows imported, 0 failed, 0 ignored.',
      ],
    );
    assert.ok(st.endedTime);
    // A FAILED import does not block the list.
    await importOk(s, { programName: 'Second Program', rows: ['F,Ok,fine@import.example'] });
    await s.runtime.imports.whenIdle();
  });

  test('GET /_mktows/imports: jobs newest first, ?wait= waits for them, ?status= filters; bad parameters are 400', {
    skip: onBridge('the bridge knows only imports it started'),
  }, async () => {
    const waitRows = Array.from({ length: 300 }, (_, i) => `W,${i},wait${i}@import.example`);
    await importOk(s, { rows: waitRows });
    const r = await s.admin('GET', '/_mktows/imports?wait=10000');
    assert.equal(r.status, 200);
    const [latest] = r.body.imports;
    assert.deepEqual(
      { ...latest, id: 0, startedAt: typeof latest.startedAt, endedAt: typeof latest.endedAt, campaignId: null },
      {
        id: 0,
        list: 'Demo Program.Imports',
        program: 'Demo Program',
        mode: 'UPSERTLEADS',
        clearList: false,
        campaignId: null,
        status: 'COMPLETE',
        estimatedRows: 300,
        nextRow: 300,
        rowsImported: 300,
        rowsFailed: 0,
        rowsIgnored: 0,
        problems: [],
        importSummary: '300 of 300 rows imported, 0 failed, 0 ignored.',
        userId: 'test_user',
        startedAt: 'string',
        endedAt: 'string',
      },
    );
    const ids = r.body.imports.map((j: { id: number }) => j.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a: number, b: number) => b - a),
    );
    const failed = (await s.admin('GET', '/_mktows/imports?status=FAILED')).body.imports;
    assert.deepEqual(
      failed.map((j: { status: string }) => j.status),
      ['FAILED'],
    );
    assert.equal((await s.admin('GET', '/_mktows/imports?limit=2')).body.imports.length, 2);
    for (const [q, msg] of [
      ['?wait=-1', /wait must be/],
      ['?status=DONE', /status must be/],
      ['?limit=0', /limit must be/],
    ] as const) {
      const bad = await s.admin('GET', `/_mktows/imports${q}`);
      assert.equal(bad.status, 400, q);
      assert.match(bad.body.error, msg);
    }
  });

  test('a reset while a job is queued drops it; the runner goes idle', async () => {
    await s.runtime.imports.pause();
    try {
      await importOk(s, { rows: ['Z,One,reset@import.example'] });
      const r = await s.admin('POST', '/_mktows/reset', { seed: 'demo' });
      assert.equal(r.status, 200);
    } finally {
      s.runtime.imports.resume();
    }
    await s.runtime.imports.whenIdle();
    assert.deepEqual(await s.runtime.store.imports.listImportJobs(), []);
    assert.deepEqual(await s.runtime.store.findLeads({ by: 'EMAIL', value: 'reset@import.example' }), []);
    await seed(s, EXTRA_SEED);
  });

  test('golden: importToList and a PROCESSING getImportToListStatus have the recorded structure', {
    skip: SKIP_NO_SHARED,
  }, async () => {
    const recordedImport = recordedXml('importToList.response.xml');
    const recordedStatus = recordedXml('getImportToListStatus.response.xml');
    assert.ok(recordedImport && recordedStatus);
    await s.runtime.imports.pause();
    try {
      const r = await s.soap(importBody({ rows: ['G,One,golden@import.example'] }));
      assert.deepEqual(shapeOf(resultOf(r)), shapeOf(resultElement(recordedImport)));
      const st = await s.soap(importStatusBody());
      assert.deepEqual(shapeOf(resultOf(st)), shapeOf(resultElement(recordedStatus)));
      assert.equal(parseImportStatus(st).status, 'PROCESSING');
    } finally {
      s.runtime.imports.resume();
    }
    await s.runtime.imports.whenIdle();
  });
});

describe('importToList: a job survives a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mktows-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a PROCESSING job resumes on the next start at the first row not committed', {
    skip: onBridge('the bridge knows only imports it started'),
  }, async () => {
    const store = `sqlite:${join(dir, 'restart.db')}`;
    const s1 = await newServer({ store });
    s1.runtime.imports.batchSize = 10;
    const first = once(s1.runtime.imports, 'batch');
    s1.runtime.imports.once('batch', () => void s1.runtime.imports.pause());
    const rows = Array.from({ length: 25 }, (_, i) => `R,${i},restart${i}@import.example`);
    await importOk(s1, { rows, clearList: true });
    await first;
    await s1.runtime.imports.whenIdle();
    assert.deepEqual([(await importStatus(s1)).status, (await importStatus(s1)).rowsImported], ['PROCESSING', 10]);
    await s1.close();

    const s2 = await newServer({ store });
    try {
      await s2.runtime.imports.whenIdle();
      const st = await importStatus(s2);
      assert.deepEqual(
        [st.status, st.rowsImported, st.rowsFailed, st.rowsIgnored, st.estimatedRows],
        ['COMPLETE', 25, 0, 0, 25],
      );
      const members = await s2.runtime.store.pageLeads(
        { kind: 'list', listId: (await s2.runtime.store.findList('name', 'Demo Program.Imports'))?.id ?? -1 },
        0,
        100,
      );
      assert.deepEqual(
        members.leads.map((l) => l.email),
        rows.map((_, i) => `restart${i}@import.example`),
      );
      // Each lead was created once.
      for (const i of [0, 9, 10, 24]) {
        assert.equal(
          (await s2.runtime.store.findLeads({ by: 'EMAIL', value: `restart${i}@import.example` })).length,
          1,
        );
      }
    } finally {
      await s2.close();
    }
  });
});

describe('importToList and getImportToListStatus: faults', () => {
  let s: TestServer;
  before(async () => {
    s = await newServer();
    await seed(s, EXTRA_SEED);
  });
  after(() => s.close());

  const fault = async (inner: string, code: number, message: string) => {
    const before = await jobCount(s);
    assertFault(await call(s, inner), code, message);
    assert.equal(await jobCount(s), before, 'a faulted call stores no job');
  };
  const rows = ['A,B,fault@import.example'];

  test('20109: a required element missing or empty', async () => {
    await fault(importBody({ programName: undefined, rows }), 20109, 'paramsImportToList.programName is required');
    await fault(importBody({ programName: ' ', rows }), 20109, 'paramsImportToList.programName is required');
    await fault(importBody({ listName: undefined, rows }), 20109, 'paramsImportToList.listName is required');
    await fault(importBody({ listName: '', rows }), 20109, 'paramsImportToList.listName is required');
    await fault(importBody({ header: undefined, rows }), 20109, 'paramsImportToList.importFileHeader is required');
    await fault(importBody({ header: ' ', rows }), 20109, 'paramsImportToList.importFileHeader is empty');
    await fault(importBody({ mode: undefined, rows }), 20109, 'paramsImportToList.importListMode is required');
    await fault(importBody({ clearList: undefined, rows }), 20109, 'paramsImportToList.clearList is required');
    await fault(importBody({ campaignName: undefined, rows }), 20109, 'paramsImportToList.campaignName is required');
  });

  test('20109: My Token columns without campaignName', async () => {
    await fault(
      importBody({ header: 'Email Address,{{my.a}},{{my.b}}', rows: ['x@import.example,1,2'] }),
      20109,
      'campaignName is required when importFileHeader has My Token columns ({{my.a}}, {{my.b}})',
    );
  });

  test('20105: header cells that name no lead field, or read-only fields', async () => {
    await fault(
      importBody({ header: 'Email Address,Shoe Size,First Name,{{lead.x}}', rows }),
      20105,
      'importToList operation failed: unknown fields for import: Shoe Size, {{lead.x}}',
    );
    await fault(
      importBody({ header: 'Email Address,,First Name', rows }),
      20105,
      'importToList operation failed: unknown fields for import: (empty column name)',
    );
    await fault(
      importBody({ header: 'Email Address,Marketo Social Total Referred Visits', rows }),
      20105,
      'importToList operation failed: read-only fields cannot be imported: Marketo Social Total Referred Visits',
    );
  });

  test('20110: a bad importListMode, a malformed or ambiguous header, no column to match leads', async () => {
    await fault(
      importBody({ mode: 'MERGE', rows }),
      20110,
      'paramsImportToList.importListMode: "MERGE" is not a valid ImportToListModeEnum',
    );
    await fault(
      importBody({ header: 'Email Address,"First Name', rows }),
      20110,
      'importFileHeader is not valid CSV: unterminated quoted value starting at character 15',
    );
    await fault(
      importBody({ header: 'Email Address,First Name,FirstName', rows }),
      20110,
      'importFileHeader names the same column twice: "First Name" and "FirstName"',
    );
    await fault(
      importBody({ header: 'First Name,Last Name', rows }),
      20110,
      'importFileHeader needs an Email Address column (or Id) to match leads',
    );
  });

  test('20111: no such program, no such list in the program, a list outside any program', async () => {
    await fault(importBody({ programName: 'Nope', rows }), 20111, 'No list "Imports" found: no program named "Nope"');
    await fault(importBody({ listName: 'Exports', rows }), 20111, 'No list "Exports" found in program "Demo Program"');
    await fault(
      importBody({ listName: 'Demo List', rows }),
      20111,
      'No list "Demo List" found in program "Demo Program"',
    );
  });

  test('20113: campaignName names no campaign of the program', async () => {
    await fault(
      importBody({ rows, campaignName: 'Token Mailer' }),
      20113,
      'No campaign "Token Mailer" found in program "Demo Program"',
    );
  });

  test('20114: clearList not a boolean', async () => {
    await fault(
      importBody({ rows, clearList: 'maybe' }),
      20114,
      'paramsImportToList.clearList: "maybe" is not a valid boolean',
    );
  });

  test('getImportToListStatus 20109: programName or listName missing', async () => {
    assertFault(
      await call(s, '<ns1:paramsGetImportToListStatus><listName>Imports</listName></ns1:paramsGetImportToListStatus>'),
      20109,
      'paramsGetImportToListStatus.programName is required',
    );
    assertFault(
      await call(
        s,
        '<ns1:paramsGetImportToListStatus><programName>Demo Program</programName></ns1:paramsGetImportToListStatus>',
      ),
      20109,
      'paramsGetImportToListStatus.listName is required',
    );
  });

  test('getImportToListStatus 20111: no such program or list', async () => {
    assertFault(
      await call(s, importStatusBody('Nope', 'Imports')),
      20111,
      'No list "Imports" found: no program named "Nope"',
    );
    assertFault(
      await call(s, importStatusBody('Demo Program', 'Exports')),
      20111,
      'No list "Exports" found in program "Demo Program"',
    );
  });

  test('getImportToListStatus 20110: a list never imported into', async () => {
    assertFault(
      await call(s, importStatusBody('Second Program', 'Never Imported')),
      20110,
      'No import into list Second Program.Never Imported has been made',
    );
  });
});
