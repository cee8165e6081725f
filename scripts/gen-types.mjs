#!/usr/bin/env node
// Writes packages/protocol/src/schema/generated.ts from the compiled schema; run through
// `npm run gen:types`, which builds first and formats afterwards.
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { generateTypes } = await import(resolve(root, 'packages/protocol/dist/src/schema/typegen.js'));
const out = resolve(root, 'packages/protocol/src/schema/generated.ts');
writeFileSync(out, generateTypes());
console.log(`wrote ${out}`);
