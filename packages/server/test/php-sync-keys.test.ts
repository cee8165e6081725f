/**
 * A real PHP SoapClient (packages/server/test/php/install.sh) syncs leads by the keys PHP users
 * send that are not leadRecord elements: the e-mail only as an Email attribute (with attrType, as a
 * popular PHP wrapper documents it) and an anonymous visitor's marketoCookie alone. Skipped with a
 * message when php is missing, unless CI is set: then a missing php is a failure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KEY, startTestServer, type TestServer, USER } from './support/harness.js';
import { getLeadByKey } from './support/leads.js';
import { PHP_INSTALL, PHP_PROBLEM, PHP_SKIP, runPhp } from './support/php.js';

describe('PHP SoapClient: syncLead by an Email attribute and by a cookie alone', { skip: PHP_SKIP }, () => {
  let s: TestServer;
  before(async () => {
    if (PHP_PROBLEM) assert.fail(`CI is set and ${PHP_PROBLEM}; .ci/run must ${PHP_INSTALL}`);
    s = await startTestServer({ seed: 'demo', ratePerWindow: 100_000 });
  });
  after(() => s?.close());

  test('the Email attribute creates then updates its lead; the cookie creates an anonymous lead, then selects it', async () => {
    const before = await s.runtime.store.countLeads();
    const lines = await runPhp('sync-keys.php', [`${s.url}/soap/mktows/3_1?WSDL`, USER, KEY]);
    const [emailNew, emailAgain, cookieNew, cookieAgain, noKey, done] = lines;
    const synced = (step: string, status: string, leadId: unknown, email: string | null) => ({
      step,
      status,
      leadId,
      email,
    });
    assert.deepEqual(
      [emailNew, emailAgain, cookieNew, cookieAgain],
      [
        synced('email-new', 'CREATED', emailNew.leadId, 'php.wrapper@example.com'),
        synced('email-again', 'UPDATED', emailNew.leadId, 'php.wrapper@example.com'),
        synced('cookie-new', 'CREATED', cookieNew.leadId, null),
        synced('cookie-again', 'UPDATED', cookieNew.leadId, 'visitor.known@example.com'),
      ],
    );
    assert.notEqual(emailNew.leadId, cookieNew.leadId);
    assert.deepEqual(noKey, {
      step: 'no-key',
      fault: {
        faultcode: 'SOAP-ENV:Client',
        faultstring: '20104 - Lead Detail Required',
        name: 'mktServiceException',
        message: 'syncLead operation: leadRecord needs one of Id, Email or ForeignSysPersonId (20104)',
        code: 20104,
      },
    });
    assert.deepEqual(done, { step: 'done' });
    assert.equal(lines.length, 6);
    assert.equal(await s.runtime.store.countLeads(), before + 2);
    const [visitor] = await getLeadByKey(s, 'EMAIL', 'visitor.known@example.com');
    assert.equal(visitor.Id, cookieNew.leadId);
  });
});
