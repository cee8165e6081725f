/**
 * The store's campaign and import parts (store/campaign-store.ts, store/import-store.ts), on every
 * store backend (test/store/backends.ts): program clones, per-lead tokens, clone counting by user and quota day, the tag-type
 * catalogue, import jobs with their rows, and that a reset empties all of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../src/store/store.js';
import { STORE_BACKENDS } from './store/backends.js';

function contract(name: string, open: () => Promise<Store>): void {
  describe(`Store campaigns and imports: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(() => store.close());

    async function program(): Promise<number> {
      return store.transaction(async (tx) => {
        const id = await tx.upsertProgram(
          { name: 'P', channel: 'Webinar', workspace: 'Default', tags: [{ type: 'Region', value: 'EMEA' }] },
          1_000,
        );
        await tx.upsertCampaign({ programId: id, name: 'T', kind: 'trigger', sources: ['MKTOWS'], description: 'd' });
        await tx.upsertCampaign({ programId: id, name: 'B', kind: 'batch', sources: [], description: '' });
        await tx.upsertList('P.L', 'P');
        return id;
      });
    }

    test('a program is found case-insensitively; cloning copies it, its campaigns and its lists', async () => {
      await store.reset();
      const id = await program();
      const p = await store.campaigns.findProgram('p');
      assert.deepEqual(p, {
        id,
        name: 'P',
        channel: 'Webinar',
        workspaceName: 'Default',
        tags: [{ type: 'Region', value: 'EMEA' }],
      });
      const copy = await store.transaction((tx) => tx.campaigns.cloneProgram(p!, 'Q', 2_000));
      assert.notEqual(copy.id, id);
      assert.deepEqual({ ...copy, id: 0 }, { ...p, id: 0, name: 'Q' });
      assert.deepEqual(
        (await store.campaigns.listCampaigns()).map((c) => [c.programName, c.name, c.kind, c.sources]),
        [
          ['P', 'B', 'batch', []],
          ['P', 'T', 'trigger', ['MKTOWS']],
          ['Q', 'B', 'batch', []],
          ['Q', 'T', 'trigger', ['MKTOWS']],
        ],
      );
      assert.deepEqual(await store.findList('name', 'Q.L'), {
        id: (await store.findList('name', 'Q.L'))!.id,
        name: 'Q.L',
        programName: 'Q',
      });
      const t = await store.campaigns.findCampaign(copy.id, 't');
      assert.equal(t?.name, 'T');
      assert.deepEqual(await store.campaigns.getCampaign(t!.id), t);
    });

    test('per-lead tokens merge, and are taken for some leads or all', async () => {
      await store.reset();
      await program();
      await store.transaction(async (tx) => {
        await tx.campaigns.setLeadTokens(1, 10, [['{{my.a}}', '1']], 1);
        await tx.campaigns.setLeadTokens(
          1,
          10,
          [
            ['{{my.b}}', '2'],
            ['{{my.a}}', '3'],
          ],
          2,
        );
        await tx.campaigns.setLeadTokens(1, 11, [['{{my.a}}', 'x']], 2);
        await tx.campaigns.setLeadTokens(2, 10, [['{{my.c}}', 'y']], 2);
      });
      const some = await store.transaction((tx) => tx.campaigns.takeLeadTokens(1, [10, 99]));
      assert.deepEqual(
        [...some],
        [
          [
            10,
            [
              ['{{my.a}}', '3'],
              ['{{my.b}}', '2'],
            ],
          ],
        ],
      );
      assert.deepEqual([...(await store.campaigns.pendingLeadTokens(1))], [[11, [['{{my.a}}', 'x']]]]);
      const rest = await store.transaction((tx) => tx.campaigns.takeLeadTokens(1));
      assert.deepEqual([...rest.keys()], [11]);
      assert.equal((await store.campaigns.pendingLeadTokens(1)).size, 0);
      assert.equal((await store.campaigns.pendingLeadTokens(2)).size, 1);
    });

    test('runs are listed newest first; clone runs are counted per user and quota day', async () => {
      await store.reset();
      const run = (userId: string, day: string, clone: string | null) => ({
        operation: 'scheduleCampaign' as const,
        campaignId: 1,
        campaignName: 'P.B',
        source: null,
        userId,
        leadIds: [],
        tokens: [],
        leadTokens: {},
        runAt: 5,
        createdAt: 5,
        quotaDay: day,
        clonedFrom: clone ? 'P' : null,
        cloneToProgram: clone,
      });
      await store.transaction(async (tx) => {
        await tx.campaigns.recordCampaignRun(run('u', '2026-01-01', 'C1'));
        await tx.campaigns.recordCampaignRun(run('u', '2026-01-01', 'C2'));
        await tx.campaigns.recordCampaignRun(run('u', '2026-01-01', null));
        await tx.campaigns.recordCampaignRun(run('u', '2026-01-02', 'C3'));
        await tx.campaigns.recordCampaignRun(run('v', '2026-01-01', 'C4'));
      });
      assert.equal(await store.campaigns.countCloneRuns('u', '2026-01-01'), 2);
      assert.equal(await store.campaigns.countCloneRuns('u', '2026-01-02'), 1);
      assert.equal(await store.campaigns.countCloneRuns('v', '2026-01-01'), 1);
      const all = await store.campaigns.listCampaignRuns();
      assert.deepEqual(
        all.map((r) => r.cloneToProgram),
        ['C4', 'C3', null, 'C2', 'C1'],
      );
      assert.equal((await store.campaigns.listCampaignRuns({ limit: 2 })).length, 2);
    });

    test('tag types keep their first position; an upsert replaces the values', async () => {
      await store.reset();
      await store.transaction(async (tx) => {
        await tx.campaigns.upsertTagType({ type: 'Z', values: ['1'] });
        await tx.campaigns.upsertTagType({ type: 'A', values: ['2'] });
        await tx.campaigns.upsertTagType({ type: 'Z', values: ['3', '4'] });
      });
      assert.deepEqual(await store.campaigns.listTagTypes(), [
        { type: 'Z', values: ['3', '4'] },
        { type: 'A', values: ['2'] },
      ]);
    });

    test('import jobs: rows paged by number, updates, the newest job of a list, the oldest PROCESSING job', async () => {
      await store.reset();
      const rows = Array.from({ length: 650 }, (_, i) => `r${i}`);
      const job = (listId: number) => ({
        programName: 'P',
        listId,
        listName: `P.L${listId}`,
        mode: 'UPSERTLEADS' as const,
        clearList: true,
        campaignId: null,
        header: 'Email Address',
        userId: 'u',
        api: 'soap' as const,
        format: null,
        startedAt: 7,
      });
      const a = await store.transaction((tx) => tx.imports.createImportJob(job(1), rows));
      const b = await store.transaction((tx) => tx.imports.createImportJob(job(2), ['x']));
      assert.deepEqual(
        [a.status, a.estimatedRows, a.nextRow, a.clearList, a.problems, a.endedAt],
        ['PROCESSING', 650, 0, true, [], null],
      );
      const page = await store.transaction((tx) => tx.imports.importRows(a.id, 299, 3));
      assert.deepEqual(page, [
        { rowNo: 299, line: 'r299' },
        { rowNo: 300, line: 'r300' },
        { rowNo: 301, line: 'r301' },
      ]);
      assert.equal((await store.imports.nextProcessingJob())?.id, a.id);
      assert.equal((await store.transaction((tx) => tx.imports.claimNextImportJob()))?.id, a.id);
      await store.transaction(async (tx) => {
        await tx.imports.updateImportJob(a.id, {
          status: 'COMPLETE',
          nextRow: 650,
          rowsImported: 600,
          rowsFailed: 40,
          rowsIgnored: 10,
          problems: [{ row: 3, kind: 'failed', reason: 'r' }],
          endedAt: 9,
        });
        await tx.imports.deleteImportRows(a.id);
      });
      const done = await store.imports.getImportJob(a.id);
      assert.deepEqual(
        [done?.status, done?.rowsImported, done?.rowsFailed, done?.rowsIgnored, done?.problems, done?.endedAt],
        ['COMPLETE', 600, 40, 10, [{ row: 3, kind: 'failed', reason: 'r' }], 9],
      );
      assert.deepEqual(await store.transaction((tx) => tx.imports.importRows(a.id, 0, 10)), []);
      assert.equal((await store.imports.nextProcessingJob())?.id, b.id);
      const c = await store.transaction((tx) => tx.imports.createImportJob(job(1), []));
      assert.equal((await store.imports.latestImportForList(1))?.id, c.id);
      assert.deepEqual(
        (await store.imports.listImportJobs()).map((j) => j.id),
        [c.id, b.id, a.id],
      );
      assert.deepEqual(
        (await store.imports.listImportJobs({ status: 'COMPLETE' })).map((j) => j.id),
        [a.id],
      );
    });

    test('a reset empties runs, tokens, tag types, jobs and rows', async () => {
      await program();
      await store.transaction(async (tx) => {
        await tx.campaigns.setLeadTokens(1, 1, [['{{my.a}}', '1']], 1);
        await tx.campaigns.upsertTagType({ type: 'T', values: [] });
        await tx.imports.createImportJob(
          {
            programName: 'P',
            listId: 1,
            listName: 'P.L',
            mode: 'LISTONLY',
            clearList: false,
            campaignId: null,
            header: 'Id',
            userId: 'u',
            api: 'soap',
            format: null,
            startedAt: 1,
          },
          ['1'],
        );
      });
      await store.reset();
      assert.deepEqual(
        [
          (await store.campaigns.listCampaignRuns()).length,
          (await store.campaigns.pendingLeadTokens(1)).size,
          (await store.campaigns.listTagTypes()).length,
          (await store.imports.listImportJobs()).length,
          (await store.campaigns.listPrograms()).length,
        ],
        [0, 0, 0, 0, 0],
      );
    });
  });
}

for (const backend of STORE_BACKENDS) contract(backend.name, () => backend.open('campaigns-imports'));
