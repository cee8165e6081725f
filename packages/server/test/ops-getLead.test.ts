import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { demoSeed } from '../src/seed/demo.js';
import { onBridge } from './support/bridge-mode.js';
import { getLeadBody, startTestServer, type TestServer } from './support/harness.js';
import {
  attrMap,
  faultCode,
  getLeadByKey,
  leadsOf,
  ok,
  type ParsedLead,
  parseStatuses,
  seed,
  syncLeadBody,
  syncMultipleBody,
} from './support/leads.js';

const demo = demoSeed();
const demoLeads = demo.leads as Record<string, string | number>[];
/** In a new store the demo leads get ids 1…500 in seed order. */
const demoId = (email: string) => demoLeads.findIndex((l) => l.Email === email) + 1;

function ids(leads: ParsedLead[]): number[] {
  return leads.map((l) => l.Id);
}

describe('getLead: every LeadKeyRef that can match', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  test('IDNUM returns that one lead', async () => {
    const [ada, ...rest] = await getLeadByKey(s, 'IDNUM', 1);
    assert.equal(rest.length, 0);
    assert.equal(ada.Id, 1);
    assert.equal(ada.Email, 'ada@demo.example');
    const [l250] = await getLeadByKey(s, 'IDNUM', 250);
    assert.equal(l250.Email, demoLeads[249].Email);
    assert.equal(attrMap(l250).FirstName, demoLeads[249].FirstName);
  });

  test('EMAIL matches case-insensitively', async () => {
    const email = demoLeads[41].Email as string;
    for (const v of [email, email.toUpperCase(), `${email[0].toUpperCase()}${email.slice(1)}`]) {
      const leads = await getLeadByKey(s, 'EMAIL', v);
      assert.deepEqual(ids(leads), [42], v);
      assert.equal(leads[0].Email, email, 'the stored spelling comes back');
    }
  });

  test('COOKIE finds the lead a syncLead marketoCookie associated, new or existing', async () => {
    const cookie = 'id:123-ABC-456&token:_mch-demo.example-1400000000000-12345';
    const r = await s.soap(syncLeadBody({ Email: 'cookie.new@example.com' }, { cookie, returnLead: false }));
    const created = Number(ok(r).children.find((c) => c.local === 'leadId')?.text);
    assert.deepEqual(ids(await getLeadByKey(s, 'COOKIE', cookie)), [created]);

    const cookie2 = 'id:123-ABC-456&token:_mch-demo.example-1400000000000-99999';
    ok(await s.soap(syncLeadBody({ Email: 'ada@demo.example' }, { cookie: cookie2 })));
    const [ada] = await getLeadByKey(s, 'COOKIE', cookie2);
    assert.equal(ada.Id, 1);
    assert.equal(ada.Email, 'ada@demo.example');
    // The first cookie still names the first lead.
    assert.deepEqual(ids(await getLeadByKey(s, 'COOKIE', cookie)), [created]);
    faultCode(await s.soap(getLeadBody('COOKIE', 'id:123-ABC-456&amp;token:_mch-unknown')), 20103);
  });

  test('SFDCLEADID finds each demo lead that has one (every 5th)', async () => {
    const withId = demoLeads.filter((l) => l.SFDCLeadId !== undefined);
    assert.equal(withId.length, 100);
    for (const l of [withId[0], withId[1], withId[57], withId[99]]) {
      const leads = await getLeadByKey(s, 'SFDCLEADID', l.SFDCLeadId as string);
      assert.deepEqual(ids(leads), [demoId(l.Email as string)]);
      assert.equal(leads[0].Email, l.Email);
      if (!onBridge('SOAP-only lead fields have no REST field'))
        assert.equal(attrMap(leads[0]).SFDCLeadId, l.SFDCLeadId);
    }
    // Lead 2 (index 1) has none: a made-up id in the same format matches nothing.
    faultCode(await s.soap(getLeadBody('SFDCLEADID', '00Q000000000000002')), 20103);
  });

  test('SFDCCONTACTID and SFDCACCOUNTID find seeded leads; a shared account id finds both, newest first', async () => {
    await seed(s, {
      leads: [
        { Email: 'crm.one@example.com', SFDCContactId: '003000000000000111', SFDCAccountId: '001000000000000999' },
        { Email: 'crm.two@example.com', SFDCContactId: '003000000000000222', SFDCAccountId: '001000000000000999' },
      ],
    });
    const [one] = await getLeadByKey(s, 'EMAIL', 'crm.one@example.com');
    const [two] = await getLeadByKey(s, 'EMAIL', 'crm.two@example.com');
    assert.ok(two.Id > one.Id);
    assert.deepEqual(ids(await getLeadByKey(s, 'SFDCCONTACTID', '003000000000000111')), [one.Id]);
    assert.deepEqual(ids(await getLeadByKey(s, 'SFDCCONTACTID', '003000000000000222')), [two.Id]);
    const both = await getLeadByKey(s, 'SFDCACCOUNTID', '001000000000000999');
    assert.deepEqual(ids(both), [two.Id, one.Id]);
    if (!onBridge('SOAP-only lead fields have no REST field'))
      assert.deepEqual(attrMap(both[1]), { SFDCAccountId: '001000000000000999', SFDCContactId: '003000000000000111' });
    faultCode(await s.soap(getLeadBody('SFDCCONTACTID', '003000000000000333')), 20103);
    faultCode(await s.soap(getLeadBody('SFDCACCOUNTID', '001000000000000998')), 20103);
  });

  test('LEADOWNEREMAIL and SFDCLEADOWNERID return every lead of that owner', {
    skip: onBridge('owner keys have no REST lookup'),
  }, async () => {
    for (const owner of demo.owners ?? []) {
      const expected = demoLeads
        .map((l, i) => ({ id: i + 1, owner: l.LeadOwnerEmail }))
        .filter((l) => l.owner === owner.email)
        .map((l) => l.id)
        .reverse();
      assert.ok(expected.length > 0);
      const byEmail = await getLeadByKey(s, 'LEADOWNEREMAIL', owner.email);
      assert.equal(byEmail.length, expected.length, `count for ${owner.email}`);
      assert.deepEqual(ids(byEmail), expected, 'every lead of the owner, newest first');
      for (const l of byEmail) assert.equal(attrMap(l).LeadOwnerEmail, owner.email);
      // Owner e-mails match case-insensitively too.
      assert.equal((await getLeadByKey(s, 'LEADOWNEREMAIL', owner.email.toUpperCase())).length, expected.length);
      const bySfdc = await getLeadByKey(s, 'SFDCLEADOWNERID', owner.sfdcId as string);
      assert.deepEqual(ids(bySfdc), expected);
    }
  });

  test('owner keys that name no owner answer 20108', { skip: onBridge('owner keys have no REST lookup') }, async () => {
    const m = faultCode(await s.soap(getLeadBody('LEADOWNEREMAIL', 'nobody@demo.example')), 20108);
    assert.match(m, /nobody@demo\.example/);
    faultCode(await s.soap(getLeadBody('SFDCLEADOWNERID', '005000000000009')), 20108);
  });

  test('an e-mail shared by two leads (syncMultipleLeads dedupEnabled=false) gives count 2, newest first', async () => {
    const r = await s.soap(
      syncMultipleBody(
        [
          { Email: 'twin@example.com', attrs: { FirstName: 'Older' } },
          { Email: 'twin@example.com', attrs: { FirstName: 'Newer' } },
        ],
        false,
      ),
    );
    const st = parseStatuses(r);
    assert.deepEqual(
      st.map((x) => x.status),
      ['CREATED', 'CREATED'],
    );
    const leads = await getLeadByKey(s, 'EMAIL', 'TWIN@example.com');
    assert.equal(leads.length, 2);
    assert.deepEqual(ids(leads), [st[1].leadId, st[0].leadId]);
    assert.deepEqual(
      leads.map((l) => attrMap(l).FirstName),
      ['Newer', 'Older'],
    );
    const raw = await s.soap(getLeadBody('EMAIL', 'twin@example.com'));
    assert.match(raw.text, /<result><count>2<\/count><leadRecordList><leadRecord>/);
  });

  test('no match is fault 20103 naming the key, not count 0', async () => {
    const r = await s.soap(getLeadBody('EMAIL', 'pants@example.com'));
    assert.equal(faultCode(r, 20103), 'No lead found with EMAIL = pants@example.com (20103)');
    assert.equal(r.fault?.faultstring, '20103 - Lead Not Found');
    faultCode(await s.soap(getLeadBody('IDNUM', '999999')), 20103);
    faultCode(await s.soap(getLeadBody('IDNUM', 'abc')), 20103);
  });

  test('a keyType outside LeadKeyRef is 20102; no leadKey is 20101', async () => {
    faultCode(await s.soap(getLeadBody('PHONE', '123')), 20102);
    faultCode(await s.soap('<ns1:paramsGetLead/>'), 20101);
  });
});

describe('getLead: the exact record shape', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ seed: 'none' });
    await seed(s, {
      leadFields: [
        { name: 'aaa', dataType: 'string' },
        { name: 'Lead_x', dataType: 'string' },
        { name: 'zDate', dataType: 'date' },
      ],
      owners: [{ email: 'owner@shape.example', sfdcId: '005000000000077' }],
      leads: [
        {
          Email: 'Shape@Example.com',
          FirstName: 'Shape',
          LastName: '',
          Title: '',
          LeadScore: 42,
          Website: 'https://shape.example',
          Phone: '+1 312 555 0000',
          NumberOfEmployees: 7,
          AnnualRevenue: '1000.50',
          aaa: 'first',
          Lead_x: 'after LeadScore',
          zDate: '2024-02-29',
          LeadOwnerEmail: 'owner@shape.example',
        },
        { Email: 'crm@shape.example', ForeignSysPersonId: 'CRM-77', ForeignSysType: 'SFDC', FirstName: 'Crm' },
        { Email: 'bare@shape.example' },
      ],
    });
  });
  after(() => s.close());

  test('Id, Email, nil ForeignSysPersonId/Type, attributes sorted as upper-case names with attrType, empty ones left out', {
    skip: onBridge('SOAP-only lead fields have no REST field'),
  }, async () => {
    const r = await s.soap(getLeadBody('EMAIL', 'shape@example.com'));
    const [lead, ...rest] = leadsOf(r);
    assert.equal(rest.length, 0);
    assert.deepEqual(lead, {
      Id: 1,
      Email: 'Shape@Example.com',
      ForeignSysPersonId: null,
      ForeignSysType: null,
      attributes: [
        { attrName: 'aaa', attrType: 'string', attrValue: 'first' },
        { attrName: 'AnnualRevenue', attrType: 'currency', attrValue: '1000.5' },
        { attrName: 'FirstName', attrType: 'string', attrValue: 'Shape' },
        { attrName: 'LeadOwnerEmail', attrType: 'email', attrValue: 'owner@shape.example' },
        { attrName: 'LeadScore', attrType: 'integer', attrValue: '42' },
        { attrName: 'Lead_x', attrType: 'string', attrValue: 'after LeadScore' },
        { attrName: 'NumberOfEmployees', attrType: 'integer', attrValue: '7' },
        { attrName: 'Phone', attrType: 'phone', attrValue: '+1 312 555 0000' },
        { attrName: 'Website', attrType: 'url', attrValue: 'https://shape.example' },
        { attrName: 'zDate', attrType: 'date', attrValue: '2024-02-29' },
      ],
      elements: ['Id', 'Email', 'ForeignSysPersonId', 'ForeignSysType', 'leadAttributeList'],
    });
    assert.ok(r.text.includes('<ForeignSysPersonId xsi:nil="true"/><ForeignSysType xsi:nil="true"/>'));
    assert.ok(!r.text.includes('LastName') && !r.text.includes('Title'), 'empty attributes are left out');
  });

  test('a lead with a foreign system id carries its value and type', {
    skip: onBridge('SOAP-only lead fields have no REST field'),
  }, async () => {
    const [crm] = await getLeadByKey(s, 'EMAIL', 'crm@shape.example');
    assert.deepEqual(crm, {
      Id: 2,
      Email: 'crm@shape.example',
      ForeignSysPersonId: 'CRM-77',
      ForeignSysType: 'SFDC',
      attributes: [{ attrName: 'FirstName', attrType: 'string', attrValue: 'Crm' }],
      elements: ['Id', 'Email', 'ForeignSysPersonId', 'ForeignSysType', 'leadAttributeList'],
    });
  });

  test('a lead with no attributes has a nil leadAttributeList', async () => {
    const r = await s.soap(getLeadBody('IDNUM', '3'));
    const [bare] = leadsOf(r);
    assert.equal(bare.Email, 'bare@shape.example');
    assert.equal(bare.attributes, null);
    assert.ok(r.text.includes('<leadAttributeList xsi:nil="true"/></leadRecord>'));
  });

  test('a field cleared by syncLead disappears from the record', {
    skip: onBridge('SOAP-only lead fields have no REST field'),
  }, async () => {
    ok(await s.soap(syncLeadBody({ Email: 'shape@example.com', attrs: { Phone: '', aaa: '' } })));
    const [lead] = await getLeadByKey(s, 'IDNUM', 1);
    const names = (lead.attributes ?? []).map((a) => a.attrName);
    assert.deepEqual(names, [
      'AnnualRevenue',
      'FirstName',
      'LeadOwnerEmail',
      'LeadScore',
      'Lead_x',
      'NumberOfEmployees',
      'Website',
      'zDate',
    ]);
  });
});
