/**
 * The Store contract for a bridge's importToList records (store/bridge-import-store.ts,
 * migration 0012): one record per list, the newest replacing the last, every column read back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BridgeImport } from '../../src/store/bridge-import-store.js';
import type { Store } from '../../src/store/store.js';

export function bridgeImportsContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (bridge imports): ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('put, get, replace per list; ids above 2^31 and nulls kept; reset forgets them', async () => {
      await store.reset();
      const bulk: BridgeImport = {
        listId: 3_000_000_000,
        listName: 'Demo Program.Imports',
        mode: 'UPSERTLEADS',
        batchId: 4_000_000_001,
        status: 'PROCESSING',
        estimatedRows: 12,
        rowsImported: null,
        rowsFailed: null,
        rowsIgnored: null,
        summary: null,
        startedAt: 1_780_000_000_000,
        endedAt: null,
      };
      assert.equal(await store.bridgeImports.getBridgeImport(bulk.listId), undefined);
      await store.bridgeImports.putBridgeImport(bulk);
      assert.deepEqual(await store.bridgeImports.getBridgeImport(bulk.listId), bulk);
      const done: BridgeImport = {
        ...bulk,
        status: 'COMPLETE',
        rowsImported: 10,
        rowsFailed: 1,
        rowsIgnored: 1,
        summary: 'Import completed with errors, 10 records imported, 1 failed',
        endedAt: 1_780_000_060_000,
      };
      await store.bridgeImports.putBridgeImport(done);
      const other: BridgeImport = { ...bulk, listId: 7, listName: 'P.L', mode: 'LISTONLY', batchId: null };
      await store.bridgeImports.putBridgeImport(other);
      assert.deepEqual(await store.bridgeImports.getBridgeImport(bulk.listId), done);
      assert.deepEqual(await store.bridgeImports.getBridgeImport(7), other);
      await store.reset();
      assert.equal(await store.bridgeImports.getBridgeImport(7), undefined);
    });
  });
}
