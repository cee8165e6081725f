/** What only a SQLite file store shows: reopening it runs no migration twice and keeps the data. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqliteStore } from '../src/store/sqlite/open.js';

const dir = mkdtempSync(join(tmpdir(), 'mktows-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('migrations are idempotent and data survives reopening a file store', async () => {
  const path = join(dir, 'reopen.db');
  const s1 = await openSqliteStore(path);
  await s1.transaction((tx) =>
    tx.insertLead({
      email: 'k@x.example',
      foreignSysPersonId: null,
      foreignSysType: null,
      ownerId: null,
      attributes: {},
      createdAt: 1,
      updatedAt: 1,
    }),
  );
  await s1.close();
  const s2 = await openSqliteStore(path);
  assert.equal(await s2.countLeads(), 1);
  await s2.close();
});
