#!/usr/bin/env node
// Rewrites the README's bridge mapping table from the bridge's operations. Run `npm run gen:bridge-doc`
// (it builds first); packages/server/test/bridge-doc.test.ts fails when the README and the code differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { withBridgeMapping } = await import(
  new URL('../packages/server/dist/src/bridge/mapping-doc.js', import.meta.url).href
);
const file = resolve(root, 'README.md');
writeFileSync(file, withBridgeMapping(readFileSync(file, 'utf8')));
console.log(`wrote the bridge mapping table in ${file}`);
