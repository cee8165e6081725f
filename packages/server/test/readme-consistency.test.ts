/**
 * The README shows what the program does: the banner `npm start` prints (on a new ./mktows.db with
 * the demo data) and the flag table of "Configuration", which must list every flag of
 * `mktows serve --help` and no flag the program does not take.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/server/bin/mktows.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The banner of a `mktows serve` on a new SQLite file, read until its last line. */
function banner(dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--store', `sqlite:${join(dir, 'mktows.db')}`],
      {
        cwd: dir,
        env: { ...process.env, MKTOWS_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no banner within 30 s:\n${out}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (/REST client .*\n/.test(out)) {
        clearTimeout(timer);
        child.kill('SIGTERM');
        resolve(out);
      }
    });
    child.once('error', reject);
  });
}

function serveHelpFlags(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', () => resolve([...new Set(out.match(/^\s+(--[a-z][a-z-]*)/gm)?.map((f) => f.trim()))].sort()));
  });
}

describe('README matches the program', { timeout: 60_000 }, () => {
  test('the banner of `npm start` on a new store, as printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mktows-readme-'));
    try {
      const printed = (await banner(dir))
        .replaceAll(/127\.0\.0\.1:\d+/g, '127.0.0.1:8080')
        .replaceAll(`sqlite:${join(dir, 'mktows.db')}`, 'sqlite:./mktows.db');
      const shown = /prints:\n\n```\n([\s\S]*?)```/.exec(README)?.[1];
      assert.ok(shown, 'README has no banner block after "prints:"');
      assert.equal(shown, printed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the Configuration table lists exactly the flags of `mktows serve --help`', async () => {
    const section = README.slice(README.indexOf('## Configuration'));
    const table = section.slice(0, section.indexOf('\n## '));
    const documented = [...new Set([...table.matchAll(/^\| `(--[a-z][a-z-]*)/gm)].map((m) => m[1]))].sort();
    const help = (await serveHelpFlags()).filter((f) => f !== '--help');
    assert.ok(help.length > 20, `serve --help listed only ${help.length} flags`);
    assert.deepEqual(documented, help);
  });
});
