/**
 * The web console's limits, fault rules and data views in a real browser, and how it asks for the
 * admin token when the server has one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, consolePage, launchBrowser, screenshot } from './support/browser.js';
import { requestCampaignBody } from './support/campaigns.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';

const skip = browserMissing();
const RESET_MS = 20_000;

describe('web console: limits, faults, data', { skip }, () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    s = await startTestServer();
    await s.admin('POST', '/_mktows/users', {
      userId: 'second_user',
      encryptionKey: 'second-user-key-0123',
      quotaPerDay: 500,
    });
    browser = await launchBrowser();
    page = await consolePage(browser, s.url, 'limits');
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('limits: quota used, reset time, calls in the window, in flight, refreshed live', async () => {
    const table = page.getByRole('table', { name: /Per user/ });
    const userRow = table.getByRole('row').filter({ hasText: 'test_user' });
    await userRow.waitFor();
    const first = await userRow.getByRole('cell').allTextContents();
    const snap = (await s.admin('GET', '/_mktows/limits?userId=test_user')).body;
    assert.deepEqual(first, [
      'test_user',
      `0 / ${snap.quotaPerDay}`,
      snap.quotaResetsAt,
      `0 / ${snap.ratePerWindow}`,
      `0 / ${snap.concurrency}`,
    ]);
    for (let i = 0; i < 3; i++) assert.equal((await s.soap(getLeadBody('IDNUM', '1'))).status, 200);
    // The view refreshes itself every 2 s.
    await table
      .getByRole('row')
      .filter({ hasText: 'test_user' })
      .filter({ hasText: `3 / ${snap.quotaPerDay}` })
      .waitFor({ timeout: 3000 });
    assert.deepEqual((await userRow.getByRole('cell').allTextContents()).slice(3), [
      `3 / ${snap.ratePerWindow}`,
      `0 / ${snap.concurrency}`,
    ]);
    assert.equal(
      await table.getByRole('row').filter({ hasText: 'second_user' }).getByRole('cell').nth(1).textContent(),
      '0 / 500',
    );
    const rest = (await s.admin('GET', '/_mktows/limits?api=rest')).body;
    assert.equal(
      await table.getByRole('row').filter({ hasText: 'REST (instance)' }).getByRole('cell').nth(1).textContent(),
      `0 / ${rest.quotaPerDay}`,
    );
    await screenshot(page, 'limits');
  });

  test('faults: a rule added from the console changes what a SOAP client gets; removing it restores the answer', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Faults' }).click();
    const form = page.getByRole('form', { name: 'Add a fault rule' });
    await form.getByLabel('Operation').fill('getLead');
    await form.getByLabel('Code').fill('20024');
    await form.getByLabel('Count').fill('2');
    await form.getByLabel('User').fill('test_user');
    await form.getByRole('button', { name: 'Add rule' }).click();
    const table = page.getByRole('table', { name: /Rules/ });
    const ruleRow = table.getByRole('row').filter({ hasText: '20024' });
    await ruleRow.waitFor();
    const { rules } = (await s.admin('GET', '/_mktows/faults')).body;
    assert.equal(rules.length, 1);
    assert.deepEqual(await ruleRow.getByRole('cell').allTextContents(), [
      String(rules[0].id),
      'getLead',
      '20024',
      '2',
      '',
      '',
      'test_user',
      'Remove',
    ]);
    const faulted = await s.soap(getLeadBody('IDNUM', '1'));
    assert.equal(faulted.status, 500);
    assert.equal(faulted.fault?.code, 20024);
    await screenshot(page, 'faults');
    await ruleRow.getByRole('button', { name: `Remove rule ${rules[0].id}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `fault rule ${rules[0].id} removed` })
      .waitFor();
    assert.equal(await table.locator('tbody tr').count(), 0);
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body.rules, []);
    assert.equal((await s.soap(getLeadBody('IDNUM', '1'))).status, 200);
  });

  test('faults: a bad rule is refused with the reason, and nothing is added', async () => {
    const form = page.getByRole('form', { name: 'Add a fault rule' });
    await form.getByLabel('Operation').fill('getLead');
    await form.getByLabel('Code').fill('12345');
    await form.getByLabel('Count').fill('');
    await form.getByLabel('User').fill('');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('status').filter({ hasText: 'Error: code 12345 is not in the error catalogue' }).waitFor();
    assert.deepEqual((await s.admin('GET', '/_mktows/faults')).body.rules, []);
  });

  test('data: leads by e-mail with attributes and activities, list members, campaigns, runs, imports', async () => {
    const run = await s.soap(
      requestCampaignBody({
        source: 'MKTOWS',
        programName: 'Demo Program',
        campaignName: 'Welcome',
        leads: [
          ['IDNUM', 1],
          ['IDNUM', 2],
        ],
      }),
    );
    assert.equal(run.status, 200);
    await page.getByRole('link', { name: 'Data' }).click();
    await page.getByText('500 leads; the first 50 by id').waitFor();
    const find = page.getByRole('search', { name: 'Find leads' });
    await find.getByLabel('E-mail').fill('ada@demo.example');
    await find.getByRole('button', { name: 'Find' }).click();
    await page.getByText('1 lead(s) with e-mail ada@demo.example').waitFor();
    await page.getByRole('table', { name: 'Leads' }).getByRole('button', { name: 'ada@demo.example' }).click();
    const lead = page.getByRole('region', { name: 'Lead 1: ada@demo.example' });
    await lead.waitFor();
    const attrs = lead.getByRole('table', { name: 'Attributes' });
    assert.equal(
      await attrs
        .getByRole('row', { name: /^FirstName/ })
        .getByRole('cell')
        .textContent(),
      'Ada',
    );
    const detail = (await s.admin('GET', '/_mktows/leads/1')).body;
    assert.ok(detail.activities.length > 0);
    assert.equal(
      await lead.getByRole('table', { name: 'Activities' }).locator('tbody tr').count(),
      detail.activities.length,
    );

    await page.getByText('Demo List: 100 members').waitFor();
    assert.equal(await page.getByRole('table', { name: 'Members' }).locator('tbody tr').count(), 100);
    // The list field offers every static list's name; picking the program's list shows its members.
    await page.locator('#list-names option[value="Demo Program.Imports"]').waitFor({ state: 'attached' });
    assert.deepEqual(
      await page.locator('#list-names option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
      ['Demo List', 'Demo Program.Imports'],
    );
    await page.getByRole('combobox', { name: 'List name' }).fill('Demo Program.Imports');
    await page.getByRole('button', { name: 'Show members' }).click();
    await page.getByText('Demo Program.Imports: 0 members').waitFor();
    await page.getByRole('combobox', { name: 'List name' }).fill('Demo List');
    await page.getByRole('button', { name: 'Show members' }).click();
    await page.getByText('Demo List: 100 members').waitFor();
    const campaigns = page.getByRole('table', { name: 'Campaigns' });
    assert.deepEqual(
      await campaigns.getByRole('row').filter({ hasText: 'Welcome' }).getByRole('cell').allTextContents(),
      ['Demo Program', 'Welcome', 'trigger', 'MKTOWS, SALES'],
    );
    const runs = page.getByRole('table', { name: 'Campaign runs' });
    assert.deepEqual((await runs.locator('tbody tr').first().getByRole('cell').allTextContents()).slice(0, 3), [
      'Demo Program.Welcome',
      'requestCampaign',
      '2',
    ]);
    assert.equal(await page.getByRole('table', { name: 'Imports' }).locator('tbody').textContent(), 'None yet');
    await screenshot(page, 'data');
  });

  test('data: reset asks first, then empties the store', async () => {
    await page.getByRole('search', { name: 'Find leads' }).getByLabel('E-mail').fill('');
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('button', { name: 'Reset to empty' }).click();
    assert.equal((await s.admin('GET', '/_mktows/leads')).body.total, 500);
    page.once('dialog', (d) => {
      assert.match(d.message(), /^Reset the server to empty\?/);
      void d.accept();
    });
    await page.getByRole('button', { name: 'Reset to empty' }).click();
    // A reset rewrites the whole store: on PostgreSQL, beside other suites, that can take seconds.
    await page.getByText('0 leads; the first 0 by id').waitFor({ timeout: RESET_MS });
    assert.equal((await s.admin('GET', '/_mktows/leads')).body.total, 0);
    await page.getByText('no static list Demo List').waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Reset and seed demo' }).click();
    await page.getByText('500 leads; the first 50 by id').waitFor({ timeout: RESET_MS });
  });
});

describe('web console with --admin-token', { skip }, () => {
  const TOKEN = 'console-admin-token-0123';
  let s: TestServer;
  let browser: Browser;

  before(async () => {
    s = await startTestServer({ adminToken: TOKEN });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  test('the page asks for the token, keeps it for the tab, and sends it with every request', async () => {
    const page = await consolePage(browser, s.url);
    const form = page.getByRole('form', { name: 'Admin token' });
    await form.waitFor();
    await form.getByLabel('Token').fill(TOKEN);
    await form.getByRole('button', { name: 'Use token' }).click();
    await s.soap(getLeadBody('IDNUM', '1'));
    await page
      .getByRole('table', { name: /Calls/ })
      .getByRole('button', { name: 'getLead' })
      .waitFor({ timeout: 3000 });
    assert.equal(await form.isVisible(), false);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('mktows-admin-token')), TOKEN);
    // The page itself holds no data: without the token only the admin API is closed.
    const r = await fetch(`${s.url}/_mktows/journal`);
    assert.equal(r.status, 401);
  });
});
