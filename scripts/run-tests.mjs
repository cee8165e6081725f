#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Tests that read ../shared find it through
// MKTOWS_SHARED_DIR; on a user's clone without it they are skipped, in CI its absence is a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared');
const env = { ...process.env };
if (existsSync(join(shared, 'reference'))) {
  env.MKTOWS_SHARED_DIR = shared;
} else if (process.env.CI) {
  console.error(`../shared is missing (looked for ${shared}); CI requires it`);
  process.exit(1);
} else {
  console.warn('note: ../shared absent; tests that need it are skipped');
  delete env.MKTOWS_SHARED_DIR;
}

function collect(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) collect(join(root, 'packages', pkg, 'dist', 'test'), files);
const selected = filter.length ? files.filter((f) => filter.some((s) => f.includes(s))) : files;
if (selected.length === 0) {
  console.error('no test files found; run `npm run build` first');
  process.exit(1);
}
// A test that never settles fails after this long instead of holding the whole run (and CI) until
// its outer timeout; the longest legitimate test (package-install: npm install, 300 s at most) fits.
const perTestMs = Number(process.env.MKTOWS_TEST_TIMEOUT_MS ?? 600_000);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', `--test-timeout=${perTestMs}`, ...selected], {
  stdio: 'inherit',
  env,
});
process.exit(r.status ?? 1);
