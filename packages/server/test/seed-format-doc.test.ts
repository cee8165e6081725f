/**
 * docs/seed-format.md as a user meets it: its example loads through POST /_mktows/seed, twice
 * (the second time merging), and the sections it documents are the ones the server accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer } from './support/harness.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../../docs/seed-format.md', import.meta.url)), 'utf8');

test('the example of docs/seed-format.md loads, and loads again as a merge', async () => {
  const example = JSON.parse(/## Example\n+```json\n([\s\S]*?)```/.exec(DOC)?.[1] ?? 'null');
  const s = await startTestServer({ store: 'sqlite::memory:', seed: 'none' });
  try {
    const first = await s.admin('POST', '/_mktows/seed', example);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, {
      leadFields: 1,
      owners: 1,
      leads: { created: 2, updated: 0 },
      lists: 2,
      listMembers: 2,
      programs: 1,
      campaigns: 2,
      opportunities: 1,
      customObjectTypes: 1,
      activities: 1,
      tagTypes: 1,
      channels: 1,
    });
    const again = await s.admin('POST', '/_mktows/seed', example);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.leads, { created: 0, updated: 2 });
  } finally {
    await s.close();
  }
});

test('every section the document names is one the server accepts, and no other', async () => {
  const documented = [...DOC.matchAll(/^### `(\w+)`/gm)].map((m) => m[1]);
  const s = await startTestServer({ store: 'sqlite::memory:', seed: 'none' });
  try {
    const r = await s.admin('POST', '/_mktows/seed', { bogus: [] });
    assert.equal(r.status, 400);
    const accepted = /expected one of (.*)$/.exec(r.body.error)?.[1].split(', ') ?? [];
    assert.deepEqual([...documented].sort(), [...accepted].sort());
  } finally {
    await s.close();
  }
});
