#!/usr/bin/env node
// Writes docs/errors.md from the error catalogue (FAULTS). Run `npm run gen:errors-doc` (it builds first);
// packages/server/test/errors-catalogue.test.ts fails when the page and the catalogue differ.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { FAULTS, REST_ERRORS } = await import(new URL('../packages/protocol/dist/src/index.js', import.meta.url).href);
const { renderErrorsDoc } = await import(
  new URL('../packages/server/dist/src/cli/errors-doc.js', import.meta.url).href
);
const out = resolve(root, 'docs', 'errors.md');
writeFileSync(out, renderErrorsDoc(FAULTS));
console.log(`wrote ${out} (${FAULTS.length} SOAP codes, ${REST_ERRORS.length} REST codes)`);
