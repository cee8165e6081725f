#!/usr/bin/env node
// Writes packages/protocol/test/fixtures/xml-oracle.json: the outcomes a reference parser gives for
// the parser fuzz test's documents and mutations (packages/protocol/test/xml-fuzz-corpus.ts).
// Usage: npm run build && node scripts/xml-oracle.mjs <reference parse.js> [label]
// The reference is a compiled packages/protocol/src/xml/parse.ts of the version to compare with.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [ref, label = ref] = process.argv.slice(2);
if (!ref) {
  console.error('usage: node scripts/xml-oracle.mjs <reference parse.js> [label]');
  process.exit(2);
}
const parser = await import(pathToFileURL(resolve(ref)).href);
const corpus = await import(pathToFileURL(resolve(root, 'packages/protocol/dist/test/xml-fuzz-corpus.js')).href);
const shared = process.env.MKTOWS_SHARED_DIR || resolve(root, '..', 'shared');
const docs = corpus.generatedDocs(corpus.GENERATED_DOCS);
if (existsSync(resolve(shared, 'reference'))) docs.push(...corpus.sharedDocs(shared));
const oracle = {};
for (const d of docs) oracle[d.name] = corpus.oracleEntry(parser, d, corpus.ORACLE_SEED);
const out = resolve(root, 'packages/protocol/test/fixtures/xml-oracle.json');
writeFileSync(out, JSON.stringify({ parser: label, seed: corpus.ORACLE_SEED, docs: oracle }));
// Laid out as the repository's formatter lays it out, so that `npm run lint` passes.
execFileSync(process.execPath, [resolve(root, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', out], {
  stdio: 'ignore',
});
console.log(`wrote ${out}: ${docs.length} documents`);
