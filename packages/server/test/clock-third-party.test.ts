/**
 * POST /_mktows/clock as a third-party client meets it: the README's curl sample, run by bash with
 * `date` and `openssl` (real time), keeps working after the server's clock moved a day ahead, while
 * the quota day and the records' timestamps follow the moved clock.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { nextQuotaReset } from '@mktows/protocol';
import { DEMO_USER } from '../src/config.js';
import { startTestServer, type TestServer } from './support/harness.js';

const README = fileURLToPath(new URL('../../../../README.md', import.meta.url));
const DAY_MS = 86_400_000;

/** The shell block under "## A first call", pointed at this server. */
function readmeCurl(base: string): string {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## A first call'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README has a sh block under "A first call"');
  assert.match(block[1], /http:\/\/127\.0\.0\.1:8080\//);
  return block[1].replaceAll('http://127.0.0.1:8080/', `${base}/`);
}

let s: TestServer;
before(async () => {
  s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo', users: [DEMO_USER] });
});
after(() => s.close());

test("the README's curl call works before and after the clock moves a day ahead", async () => {
  const script = readmeCurl(s.url);
  // Asynchronous: the server runs in this process.
  const run = async () => (await promisify(execFile)('bash', ['-c', script], { encoding: 'utf8' })).stdout;
  assert.match(await run(), /<Email>ada@demo\.example<\/Email>/);
  const moved = await s.admin('POST', '/_mktows/clock', { offsetSeconds: 86_400 });
  assert.equal(moved.status, 200);
  const out = await run();
  assert.doesNotMatch(out, /20016/);
  assert.match(out, /<Email>ada@demo\.example<\/Email>/);
  // The quota day follows the moved clock: it resets at the midnight after tomorrow.
  const lim = await s.admin('GET', `/_mktows/limits?userId=${DEMO_USER.userId}`);
  assert.equal(lim.body.quotaResetsAt, nextQuotaReset(Date.now() + DAY_MS, 'America/Chicago').toISOString());
  // The journal's time is the moved clock's.
  const journal = await s.admin('GET', '/_mktows/journal?limit=1');
  const at = Date.parse(journal.body.entries[0].time);
  assert.ok(Math.abs(at - (Date.now() + DAY_MS)) < 60_000, `journal time ${journal.body.entries[0].time}`);
});
