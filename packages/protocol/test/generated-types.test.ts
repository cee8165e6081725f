import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MObjStatus, OperationTypes } from '../src/index.js';
import { allTypes, OPERATIONS } from '../src/schema/index.js';
import { generateTypes } from '../src/schema/typegen.js';

// Runs from dist/test; the committed source sits two levels up.
const GENERATED = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'schema', 'generated.ts');

/** Formatting-insensitive form: whitespace, union-leading pipes and trailing commas do not count. */
function normalize(ts: string): string {
  return ts
    .replace(/\s+/g, ' ')
    .replace(/= \| /g, '= ')
    .replace(/,\s*([}\]>)])/g, ' $1')
    .replace(/\s+/g, ' ')
    .trim();
}

test('generated.ts matches the schema (run `npm run gen:types` after changing it)', () => {
  const committed = readFileSync(GENERATED, 'utf8');
  assert.equal(normalize(committed), normalize(generateTypes()));
});

test('generated.ts declares every schema type and every operation', () => {
  const text = generateTypes();
  for (const t of allTypes()) {
    assert.match(text, new RegExp(`^export (interface|type) ${t.name}\\b`, 'm'), t.name);
  }
  for (const o of OPERATIONS) {
    assert.ok(text.includes(`  ${o.name}: { params: ${o.paramsType}; result: ${o.resultType} };`), o.name);
  }
  assert.match(text, /^export type LeadSelector = LastUpdateAtSelector \| StaticListSelector \| LeadKeySelector;$/m);
  assert.match(text, /^ {2}xsiType: 'LeadKeySelector';$/m);
});

test('the generated types are exported from the package entry point', () => {
  const getLead: OperationTypes['getLead']['params'] = { leadKey: { keyType: 'EMAIL', keyValue: 'a@example.com' } };
  const multiple: OperationTypes['getMultipleLeads']['params'] = {
    leadSelector: { xsiType: 'StaticListSelector', staticListId: 1 },
  };
  const status: MObjStatus = { id: null, status: 'CREATED' };
  assert.equal(getLead.leadKey.keyType, 'EMAIL');
  assert.equal(multiple.leadSelector?.xsiType, 'StaticListSelector');
  assert.equal(status.id, null);
});
