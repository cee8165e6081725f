/** The README's bridge mapping table is what the bridge's operations declare. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OPERATIONS } from '@mktows/protocol';
import { renderBridgeMapping, withBridgeMapping } from '../src/bridge/mapping-doc.js';

const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));

describe('bridge mapping table', () => {
  test('README.md holds exactly the table the code writes (run npm run gen:bridge-doc)', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, withBridgeMapping(readme), 'README.md bridge table is stale: run `npm run gen:bridge-doc`');
  });

  test('one row per SOAP operation, in the WSDL order', () => {
    const rows = renderBridgeMapping()
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| SOAP operation'));
    assert.deepEqual(
      rows.map((r) => r.split(' | ')[0].slice(2)),
      OPERATIONS.map((o) => o.name),
    );
  });
});
