/** Test support for the asset API's envelope: `errors: []`, `warnings`, and `result` only when something matched. */
import assert from 'node:assert/strict';
import type { Json, RestAnswer } from './rest.js';

export const NO_ASSETS = 'No assets found for the given search criteria.';

/** A successful asset answer with records: `{success, errors: [], requestId, warnings: [], result}`. */
export function assetOk(a: RestAnswer): Json[] {
  assert.equal(a.status, 200);
  assert.equal(a.body.success, true, JSON.stringify(a.body));
  assert.deepEqual(Object.keys(a.body), ['success', 'errors', 'requestId', 'warnings', 'result']);
  assert.deepEqual(a.body.errors, []);
  assert.deepEqual(a.body.warnings, []);
  assert.match(a.body.requestId, /^[0-9a-f]{1,5}#[0-9a-f]+$/);
  return a.body.result;
}

/** Marketo's answer when nothing matched: success, no result, the warning. */
export function assertNoAssets(a: RestAnswer): void {
  assert.equal(a.status, 200);
  assert.deepEqual(
    { ...a.body, requestId: undefined },
    {
      success: true,
      errors: [],
      requestId: undefined,
      warnings: [NO_ASSETS],
    },
  );
}
