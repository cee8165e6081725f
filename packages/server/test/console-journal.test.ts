/**
 * The web console's journal in a real browser: live rows, filters, a call's detail, copy as curl,
 * replay and export, as a user sees them (visible text, roles).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { JournalPage } from '../src/admin/console-types.js';
import { browserMissing, consolePage, launchBrowser, screenshot } from './support/browser.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import { accessToken, REST_CLIENT, REST_SECRET, restCall } from './support/rest.js';

const skip = browserMissing();

describe('web console: journal', { skip }, () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    s = await startTestServer({ restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }] });
    browser = await launchBrowser();
    page = await consolePage(browser, s.url);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const rows = () => page.getByRole('table', { name: /Calls, newest first/ }).locator('tbody tr');

  test('the page has its landmarks and views, keyboard reachable', async () => {
    assert.equal(await page.getByRole('banner').count(), 1);
    assert.equal(await page.getByRole('main').count(), 1);
    const nav = page.getByRole('navigation', { name: 'Views' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Journal', 'Limits', 'Faults', 'Data']);
    assert.equal(await nav.getByRole('link', { name: 'Journal' }).getAttribute('aria-current'), 'page');
    assert.equal(await page.getByRole('heading', { name: 'Journal', level: 2 }).isVisible(), true);
    // Tab from the top: the skip link first, then the views.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Journal');
  });

  test('a SOAP call shows in the journal within 3 s, without reloading', async () => {
    const before = await rows().count();
    const r = await s.soap(getLeadBody('EMAIL', 'ada@demo.example'));
    assert.equal(r.status, 200);
    const started = Date.now();
    await rows().filter({ hasText: 'getLead' }).first().waitFor({ timeout: 3000 });
    assert.ok(Date.now() - started < 3000);
    assert.equal(await rows().count(), before + 1);
    const cells = await rows().first().locator('td').allTextContents();
    assert.deepEqual(cells.slice(1, 8), ['SOAP', cells[2], 'test_user', 'getLead', '200', '', cells[7]]);
    assert.match(cells[7], /^[0-9.]+$/);
  });

  test('filters: a lead e-mail in the request, a fault code, the API', async () => {
    await s.soap(getLeadBody('EMAIL', 'ada.filter@demo.example'));
    await s.soap(getLeadBody('EMAIL', 'bob.filter@demo.example'));
    await s.soap(getLeadBody('FOO', 'x'));
    const filter = page.getByRole('search', { name: 'Filter the journal' });
    await filter.getByLabel('Text').fill('ADA.filter@demo.example');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#journal-table tbody tr').length === 1);
    assert.deepEqual(await rows().locator('td:nth-child(5)').allTextContents(), ['getLead']);

    await filter.getByLabel('Text').fill('');
    await filter.getByLabel('Code').fill('20103');
    await filter.getByRole('button', { name: 'Filter' }).click();
    const expected = (await s.admin('GET', '/_mktows/journal?code=20103')).body as JournalPage;
    assert.ok(expected.entries.length >= 2);
    await page.waitForFunction(
      (n) => document.querySelectorAll('#journal-table tbody tr').length === n,
      expected.entries.length,
    );
    assert.deepEqual(
      await rows().locator('td:nth-child(7)').allTextContents(),
      expected.entries.map(() => '20103'),
    );

    await filter.getByLabel('Code').fill('');
    await filter.getByLabel('API').selectOption('rest');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#journal-table tbody tr').length === 0);
    await filter.getByLabel('API').selectOption('');
    await filter.getByRole('button', { name: 'Filter' }).click();
    await rows().first().waitFor();
  });

  test("a call's detail: pretty-printed request and response, the signature masked, copy as curl", async () => {
    await s.soap(getLeadBody('IDNUM', '2'));
    const [entry] = ((await s.admin('GET', '/_mktows/journal?limit=1')).body as JournalPage).entries;
    const row = page.locator(`#journal-table tbody tr[data-id="${entry.id}"]`);
    await row.getByRole('button', { name: 'getLead' }).click();
    const detail = page.getByRole('region', { name: `Call ${entry.id}: getLead by test_user, status 200` });
    await detail.waitFor();
    const request = await detail.getByRole('region', { name: 'Request' }).textContent();
    assert.match(request ?? '', /\n\s+<requestSignature>\*{8}<\/requestSignature>\n/);
    assert.match(request ?? '', /\n\s+<keyType>IDNUM<\/keyType>\n\s+<keyValue>2<\/keyValue>\n/);
    const response = await detail.getByRole('region', { name: 'Response' }).textContent();
    assert.match(response ?? '', /\n\s+<ns1:successGetLead>/);
    await screenshot(page, 'call-detail');
    await detail.getByRole('button', { name: 'Copy as curl' }).click();
    const curl = await detail.getByRole('region', { name: 'curl command' }).textContent();
    assert.match(
      curl ?? '',
      new RegExp(`^curl -X POST '${s.url}/soap/mktows/3_1' -H 'Content-Type: text/xml; charset=utf-8'`),
    );
    assert.match(curl ?? '', /<keyValue>2<\/keyValue>/);
    assert.match((await detail.getByRole('status').textContent()) ?? '', /signature is masked/);
  });

  test('replay signs the call afresh and sends it: the same answer, a new journal entry', async () => {
    const detail = page.getByRole('region', { name: /^Call [0-9]+: getLead/ });
    const count = (await s.admin('GET', '/_mktows/journal')).body.entries.length;
    await detail.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/^Replayed call [0-9]+, signed afresh with test_user's key: status 200\./).waitFor();
    const after = (await s.admin('GET', '/_mktows/journal')).body as JournalPage;
    assert.equal(after.entries.length, count + 1);
    assert.equal(after.entries[0].operation, 'getLead');
    assert.equal(after.entries[0].status, 200);
    assert.match(after.entries[0].request, /<keyValue>2<\/keyValue>/);
    assert.match(after.entries[0].response, /<Id>2<\/Id>/);
  });

  test('REST calls show beside SOAP calls: API column, filter, JSON pretty-printed, copy as curl', async () => {
    const token = await accessToken(s);
    const r = await restCall(s, '/rest/v1/leads.json?filterType=email&filterValues=ada@demo.example', { token });
    assert.equal(r.status, 200);
    const [entry] = ((await s.admin('GET', '/_mktows/journal?limit=1&api=rest')).body as JournalPage).entries;
    const row = page.locator(`#journal-table tbody tr[data-id="${entry.id}"]`);
    await row.waitFor({ timeout: 3000 });
    const cells = await row.locator('td').allTextContents();
    assert.deepEqual([cells[1], cells[3], cells[4], cells[5]], ['REST', REST_CLIENT, entry.operation, '200']);
    await row.getByRole('button').click();
    const detail = page.getByRole('region', {
      name: `Call ${entry.id}: ${entry.operation} by ${REST_CLIENT}, status 200`,
    });
    assert.equal(
      await detail.getByRole('region', { name: 'Request' }).textContent(),
      'GET /rest/v1/leads.json?filterType=email&filterValues=ada@demo.example',
    );
    assert.match(
      (await detail.getByRole('region', { name: 'Response' }).textContent()) ?? '',
      /^\{\n {2}"requestId": /,
    );
    assert.equal(await detail.getByRole('button', { name: 'Replay' }).isDisabled(), true);
    await detail.getByRole('button', { name: 'Copy as curl' }).click();
    assert.equal(
      await detail.getByRole('region', { name: 'curl command' }).textContent(),
      `curl -X GET '${s.url}/rest/v1/leads.json?filterType=email&filterValues=ada@demo.example' -H "Authorization: Bearer $MKTO_TOKEN"`,
    );
    const filter = page.getByRole('search', { name: 'Filter the journal' });
    await filter.getByLabel('API').selectOption('rest');
    await filter.getByRole('button', { name: 'Filter' }).click();
    const rest = ((await s.admin('GET', '/_mktows/journal?api=rest')).body as JournalPage).entries;
    await page.waitForFunction((n) => document.querySelectorAll('#journal-table tbody tr').length === n, rest.length);
    assert.deepEqual(
      await rows().locator('td:nth-child(2)').allTextContents(),
      rest.map(() => 'REST'),
    );
    await filter.getByLabel('API').selectOption('');
    await filter.getByRole('button', { name: 'Filter' }).click();
  });

  test('dark and light follow prefers-color-scheme', async () => {
    for (const [colorScheme, background] of [
      ['dark', 'rgb(13, 17, 23)'],
      ['light', 'rgb(255, 255, 255)'],
    ] as const) {
      const p = await browser.newPage({ colorScheme, viewport: { width: 1280, height: 800 } });
      await p.goto(`${s.url}/_mktows/console/`);
      assert.equal(await p.evaluate(() => getComputedStyle(document.body).backgroundColor), background);
      await p.close();
    }
  });

  test('export downloads the journal as JSON', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'mktows-journal.json');
    const exported = JSON.parse(await readFile((await download.path()) as string, 'utf8')) as JournalPage;
    const now = (await s.admin('GET', '/_mktows/journal')).body as JournalPage;
    assert.deepEqual(
      exported.entries.map((e) => e.id),
      now.entries.map((e) => e.id),
    );
    await screenshot(page, 'journal');
  });
});
