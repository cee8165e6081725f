#!/usr/bin/env node
// The mktows command. The TypeScript sources compile to dist/ (`npm run build` at the repository root).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('mktows is not built yet: run `npm run build` in the repository root');
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
