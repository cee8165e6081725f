/**
 * The packages as a user installs them: `npm pack` of protocol, client and server, a fresh project
 * in a temporary directory that installs the three tarballs, and a script there that imports
 * `startServer` from 'mktows', makes a signed getLead with @mktows/client, reads the journal through
 * admin(), and closes.
 *
 * The fresh project installs with --ignore-scripts and better-sqlite3 pinned to the version this
 * repository uses, then gets that version's compiled module copied from this repository's
 * node_modules: its install script would download or compile the same file, which a machine
 * without network or compiler cannot. Third-party dependencies come from npm's cache or registry;
 * when neither is reachable the test is skipped and says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGES = ['protocol', 'client', 'server'];
const NETWORK = /ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ENETUNREACH|ECONNREFUSED|ECONNRESET/;

const SCRIPT = `
import { startServer, AdminApiError } from 'mktows';
import { MktowsClient } from '@mktows/client';
const users = [{ userId: 'app_user', encryptionKey: 'app-encryption-key-0123' }];
const s = await startServer({ port: 0, store: 'sqlite::memory:', seed: 'demo', users });
const client = new MktowsClient({ endpoint: s.soapUrl, userId: users[0].userId, encryptionKey: users[0].encryptionKey });
const lead = await client.getLead({ leadKey: { keyType: 'EMAIL', keyValue: 'ada@demo.example' } });
const journal = await s.admin('GET', '/_mktows/journal?limit=5');
let refused;
try {
  await s.admin('POST', '/_mktows/clock', { offsetSeconds: 'soon' });
} catch (e) {
  refused = { isAdminApiError: e instanceof AdminApiError, status: e.status, message: e.message };
}
await s.close();
console.log(JSON.stringify({
  url: s.url, soapUrl: s.soapUrl, restUrl: s.restUrl,
  email: lead.leadRecordList.leadRecord[0].Email,
  journal: journal.entries.map((e) => ({ operation: e.operation, userId: e.userId, status: e.status })),
  refused,
}));
`;

test('a fresh project installs the packed tarballs and runs the server in process', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mktows-install-'));
  try {
    const tarballs: string[] = [];
    for (const p of PACKAGES) {
      const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
        cwd: join(ROOT, 'packages', p),
      });
      tarballs.push(join(dir, JSON.parse(stdout)[0].filename));
    }
    const app = join(dir, 'app');
    mkdirSync(app);
    const sqliteDir = dirname(
      createRequire(join(ROOT, 'packages/server/package.json')).resolve('better-sqlite3/package.json'),
    );
    const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'fresh-app',
        private: true,
        type: 'module',
        overrides: { 'better-sqlite3': sqliteVersion },
      }),
    );
    try {
      await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs], {
        cwd: app,
        timeout: 300_000,
      });
    } catch (e) {
      const message = String((e as { stderr?: string }).stderr ?? e);
      if (NETWORK.test(message)) {
        t.skip(`npm could not fetch the third-party dependencies (no cache, no registry): ${message.split('\n')[0]}`);
        return;
      }
      throw e;
    }
    const native = join('build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(app, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
    copyFileSync(join(sqliteDir, native), join(app, 'node_modules', 'better-sqlite3', native));
    // The app resolves the installed copies, not this repository's.
    const installed = JSON.parse(readFileSync(join(app, 'node_modules', 'mktows', 'package.json'), 'utf8'));
    assert.equal(installed.name, 'mktows');
    writeFileSync(join(app, 'app.mjs'), SCRIPT);
    const { stdout } = await run(process.execPath, ['app.mjs'], { cwd: app, timeout: 60_000 });
    const out = JSON.parse(stdout);
    assert.match(out.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(out.soapUrl, `${out.url}/soap/mktows/3_1`);
    assert.equal(out.restUrl, out.url);
    assert.equal(out.email, 'ada@demo.example');
    assert.deepEqual(out.journal, [{ operation: 'getLead', userId: 'app_user', status: 200 }]);
    assert.deepEqual(out.refused, {
      isAdminApiError: true,
      status: 400,
      message: 'POST /_mktows/clock answered 400: offsetSeconds must be a number',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
