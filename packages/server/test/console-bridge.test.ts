/**
 * The web console of a bridge in a real browser: a getLead made through the bridge shows, in its
 * journal detail, the REST calls the bridge made to the Marketo instance (method, path, status).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { JournalPage } from '../src/admin/console-types.js';
import { type BridgePair, startBridgePair } from './support/bridge.js';
import { browserMissing, consolePage, launchBrowser, screenshot } from './support/browser.js';
import { getLeadBody } from './support/harness.js';

const skip = browserMissing();

describe('web console: a bridge call and its REST calls', { skip }, () => {
  let p: BridgePair;
  let browser: Browser;
  let page: Page;

  before(async () => {
    p = await startBridgePair();
    browser = await launchBrowser();
    page = await consolePage(browser, p.bridge.url);
  });
  after(async () => {
    await browser?.close();
    await p?.close();
  });

  /** The detail's REST call lines without their durations. */
  async function restCallsShown(id: number): Promise<string[]> {
    const row = page.locator(`#journal-table tbody tr[data-id="${id}"]`);
    await row.getByRole('button', { name: 'getLead' }).click();
    const detail = page.getByRole('region', { name: `Call ${id}: getLead by test_user, status 200` });
    await detail.waitFor();
    assert.equal(
      await detail.getByRole('heading', { name: 'REST calls to the Marketo instance (bridge)' }).isVisible(),
      true,
    );
    const text =
      (await detail.getByRole('region', { name: 'REST calls to the Marketo instance (bridge)' }).textContent()) ?? '';
    return text.split('\n').map((line) => line.replace(/ {2}[0-9.]+ ms$/, ''));
  }

  async function lastEntryId(): Promise<number> {
    const [entry] = ((await p.bridge.admin('GET', '/_mktows/journal?limit=1')).body as JournalPage).entries;
    return entry.id;
  }

  test('a cold getLead lists the token, describe and the lead query; a warm one the lead query only', async () => {
    assert.equal((await p.bridge.soap(getLeadBody('EMAIL', 'ada@demo.example'))).status, 200);
    const cold = await lastEntryId();
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => [c.method, c.path, c.status]),
      [
        ['POST', '/identity/oauth/token', 200],
        ['GET', '/rest/v1/leads/describe.json', 200],
        ['GET', '/rest/v1/leads.json', 200],
      ],
    );
    assert.equal((await p.bridge.soap(getLeadBody('IDNUM', '2'))).status, 200);
    const warm = await lastEntryId();
    await page.locator(`#journal-table tbody tr[data-id="${warm}"]`).waitFor({ timeout: 3000 });

    assert.deepEqual(await restCallsShown(cold), [
      'POST /identity/oauth/token  HTTP 200',
      'GET /rest/v1/leads/describe.json  HTTP 200',
      'GET /rest/v1/leads.json  HTTP 200',
    ]);
    await screenshot(page, 'bridge-call-detail');
    assert.deepEqual(await restCallsShown(warm), ['GET /rest/v1/leads.json  HTTP 200']);
  });
});
