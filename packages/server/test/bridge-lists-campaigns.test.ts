/**
 * The bridge's list and campaign operations in front of the emulator's REST API: reads answer as the
 * emulator answers the same SOAP request; writes made through the bridge are read back on the
 * emulator; faults carry the emulator's codes; warm calls make the fewest REST calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listOperationBody, parseListOperation } from './support/activities.js';
import { assertSameAnswer, type BridgePair, startBridgePair } from './support/bridge.js';
import { campaignsForSourceBody, requestCampaignBody, scheduleCampaignBody } from './support/campaigns.js';
import type { TestServer } from './support/harness.js';

const DEMO_LIST = 'Demo List';
const IMPORTS = 'Demo Program.Imports';
type Key = [string, string | number];

async function isMember(s: TestServer, list: string, leads: Key[]) {
  return parseListOperation(await s.soap(listOperationBody({ op: 'ISMEMBEROFLIST', list, leads })));
}

describe('bridge: listOperation', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  test("ISMEMBEROFLIST: the emulator's answer, members, non-members, unknown ids and e-mails", async () => {
    const leads: Key[] = [
      ['IDNUM', 1],
      ['IDNUM', 150],
      ['IDNUM', 999999],
      ['IDNUM', 'abc'],
      ['EMAIL', 'ada@demo.example'],
      ['EMAIL', 'ADA@demo.example'],
      ['EMAIL', 'nobody@nowhere.example'],
    ];
    const r = await p.both(listOperationBody({ op: 'ISMEMBEROFLIST', list: DEMO_LIST, leads }));
    assertSameAnswer(r);
    assert.deepEqual(parseListOperation(r.bridge), {
      success: false,
      statuses: [
        ['IDNUM', '1', true],
        ['IDNUM', '150', false],
        ['IDNUM', '999999', false],
        ['IDNUM', 'abc', false],
        ['EMAIL', 'ada@demo.example', true],
        ['EMAIL', 'ADA@demo.example', true],
        ['EMAIL', 'nobody@nowhere.example', false],
      ],
    });
  });

  test('ADDTOLIST through the bridge: members on the emulator; the same answer as the emulator gives', async () => {
    const leads: Key[] = [
      ['IDNUM', 201],
      ['IDNUM', 202],
    ];
    const r = await p.bridge.soap(listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads }));
    assert.deepEqual(parseListOperation(r), { success: true, statuses: null });
    assert.deepEqual(await isMember(p.emulator, DEMO_LIST, leads), {
      success: true,
      statuses: [
        ['IDNUM', '201', true],
        ['IDNUM', '202', true],
      ],
    });
    // Adding members again, with an unknown lead: both answer success false, one status false.
    assertSameAnswer(
      await p.both(listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [...leads, ['IDNUM', 999999]] })),
    );
  });

  test('REMOVEFROMLIST through the bridge: gone on the emulator; a non-member is status false', async () => {
    await p.emulator.soap(listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [['IDNUM', 210]] }));
    const r = await p.bridge.soap(
      listOperationBody({
        op: 'REMOVEFROMLIST',
        list: DEMO_LIST,
        leads: [
          ['IDNUM', 210],
          ['IDNUM', 211],
        ],
      }),
    );
    assert.deepEqual(parseListOperation(r), {
      success: false,
      statuses: [
        ['IDNUM', '210', true],
        ['IDNUM', '211', false],
      ],
    });
    assert.deepEqual((await isMember(p.emulator, DEMO_LIST, [['IDNUM', 210]])).statuses, [['IDNUM', '210', false]]);
    // The same request again: neither is a member now, on either server.
    const again = listOperationBody({ op: 'REMOVEFROMLIST', list: DEMO_LIST, leads: [['IDNUM', 210]] });
    assertSameAnswer(await p.both(again));
  });

  test('strict: one lead that would fail changes nothing, and only the check is made', async () => {
    const add = listOperationBody({
      op: 'ADDTOLIST',
      list: DEMO_LIST,
      leads: [
        ['IDNUM', 220],
        ['IDNUM', 999999],
      ],
      strict: true,
    });
    const r = await p.bridge.soap(add);
    assert.deepEqual(parseListOperation(r), {
      success: false,
      statuses: [
        ['IDNUM', '220', true],
        ['IDNUM', '999999', false],
      ],
    });
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      ['GET /rest/v1/lists/1/leads/ismember.json'],
    );
    assert.deepEqual((await isMember(p.emulator, DEMO_LIST, [['IDNUM', 220]])).statuses, [['IDNUM', '220', false]]);
    assertSameAnswer(await p.both(add));

    const remove = listOperationBody({
      op: 'REMOVEFROMLIST',
      list: DEMO_LIST,
      leads: [
        ['IDNUM', 3],
        ['IDNUM', 221],
      ],
      strict: true,
    });
    assertSameAnswer(await p.both(remove));
    assert.deepEqual((await isMember(p.emulator, DEMO_LIST, [['IDNUM', 3]])).statuses, [['IDNUM', '3', true]]);

    // Every lead would succeed: checked, then changed.
    const ok = await p.bridge.soap(
      listOperationBody({ op: 'REMOVEFROMLIST', list: DEMO_LIST, leads: [['IDNUM', 3]], strict: true }),
    );
    assert.deepEqual(parseListOperation(ok), { success: true, statuses: null });
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      ['GET /rest/v1/lists/1/leads/ismember.json', 'DELETE /rest/v1/lists/1/leads.json'],
    );
    assert.deepEqual((await isMember(p.emulator, DEMO_LIST, [['IDNUM', 3]])).statuses, [['IDNUM', '3', false]]);
  });

  test('warm caches: IDNUM keys cost one REST call, EMAIL keys one more', async () => {
    await p.bridge.soap(listOperationBody({ op: 'ISMEMBEROFLIST', list: DEMO_LIST, leads: [['IDNUM', 1]] }));
    await p.bridge.soap(listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [['IDNUM', 230]] }));
    assert.deepEqual(await p.lastUpstream(), [
      { method: 'POST', path: '/rest/v1/lists/1/leads.json', status: 200, code: null },
    ]);
    await p.bridge.soap(
      listOperationBody({ op: 'ISMEMBEROFLIST', list: DEMO_LIST, leads: [['EMAIL', 'ada@demo.example']] }),
    );
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      ['GET /rest/v1/leads.json', 'GET /rest/v1/lists/1/leads/ismember.json'],
    );
  });

  test("650 leads: three membership calls of at most 300, the emulator's answer", async () => {
    const leads: Key[] = Array.from({ length: 650 }, (_, i) => ['IDNUM', i + 1]);
    const r = await p.both(listOperationBody({ op: 'ISMEMBEROFLIST', list: DEMO_LIST, leads }));
    assertSameAnswer(r);
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => c.path),
      Array(3).fill('/rest/v1/lists/1/leads/ismember.json'),
    );
  });

  test('a program list by `Program.List`; CLEARLIST on 2_2 empties it', async () => {
    const leads: Key[] = [
      ['IDNUM', 5],
      ['IDNUM', 6],
    ];
    const add = await p.bridge.soap(listOperationBody({ op: 'ADDTOLIST', list: IMPORTS, leads }));
    assert.deepEqual(parseListOperation(add), { success: true, statuses: null });
    assert.equal((await isMember(p.emulator, IMPORTS, leads)).success, true);
    const clear = await p.bridge.soap(listOperationBody({ op: 'CLEARLIST', list: IMPORTS, leads: [] }), {
      version: '2_2',
    });
    assert.deepEqual(parseListOperation(clear), { success: true, statuses: null });
    assert.deepEqual((await isMember(p.emulator, IMPORTS, leads)).statuses, [
      ['IDNUM', '5', false],
      ['IDNUM', '6', false],
    ]);
  });

  test("faults: the emulator's codes", async () => {
    const cases: [string, number][] = [
      [listOperationBody({ op: 'ADDTOLIST', list: 'No Such List', leads: [['IDNUM', 1]] }), 20111],
      [listOperationBody({ op: 'ADDTOLIST', list: 'x', listKeyType: 'MKTOSALESUSERID', leads: [['IDNUM', 1]] }), 20110],
      [listOperationBody({ op: 'ADDTOLIST', list: 'x', listKeyType: 'SFDCLEADOWNERID', leads: [['IDNUM', 1]] }), 20110],
      [listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [['COOKIE', 'id:1']] }), 20102],
      [listOperationBody({ op: 'ADDTOLIST', list: DEMO_LIST, leads: [] }), 20109],
      [listOperationBody({ op: 'CLEARLIST', list: DEMO_LIST, leads: [] }), 20110],
      [
        listOperationBody({
          op: 'ADDTOLIST',
          list: DEMO_LIST,
          leads: Array.from({ length: 1001 }, (_, i): Key => ['IDNUM', i + 1]),
        }),
        20110,
      ],
    ];
    for (const [body, code] of cases) {
      const r = await p.both(body);
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assert.equal(r.bridge.fault?.code, code, r.bridge.text);
      assert.equal(r.bridge.fault?.message, r.emulator.fault?.message);
    }
  });
});

const WELCOME = 1;
const NIGHTLY = 2;

describe('bridge: campaigns', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
  });
  after(() => p?.close());

  const runs = (campaignId: number) => p.emulator.runtime.store.campaigns.listCampaignRuns({ campaignId });

  test("getCampaignsForSource MKTOWS: the emulator's answer with and without a name filter", async () => {
    for (const body of [
      campaignsForSourceBody('MKTOWS'),
      campaignsForSourceBody('MKTOWS', 'welcome'),
      campaignsForSourceBody('MKTOWS', 'demo program.wel'),
      campaignsForSourceBody('MKTOWS', 'Welcome', true),
      campaignsForSourceBody('MKTOWS', 'Demo Program.Welcome', true),
      campaignsForSourceBody('MKTOWS', 'Welc', true),
      campaignsForSourceBody('MKTOWS', 'nothing like it'),
    ]) {
      assertSameAnswer(await p.both(body));
    }
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      ['GET /rest/v1/campaigns.json'],
    );
  });

  test('getCampaignsForSource SALES: an empty list (decision), where the emulator lists Welcome', async () => {
    const r = await p.both(campaignsForSourceBody('SALES'));
    assert.match(r.emulator.text, /Demo Program\.Welcome/);
    assert.match(r.bridge.text, /<returnCount>0<\/returnCount>/);
    assert.deepEqual(await p.lastUpstream(), []);
  });

  test('requestCampaign by id and by name: a run with the leads and tokens on the emulator', async () => {
    const before = (await runs(WELCOME)).length;
    const r = await p.bridge.soap(
      requestCampaignBody({
        source: 'MKTOWS',
        campaignId: WELCOME,
        leads: [
          ['IDNUM', 7],
          ['EMAIL', 'ada@demo.example'],
        ],
      }),
    );
    assert.equal(r.status, 200, r.text);
    let [run] = await runs(WELCOME);
    assert.equal((await runs(WELCOME)).length, before + 1);
    assert.deepEqual(run.leadIds, [7, 1]);
    assert.deepEqual(run.tokens, []);
    const byName = requestCampaignBody({
      source: 'MKTOWS',
      programName: 'Demo Program',
      campaignName: 'Welcome',
      leads: [['IDNUM', 8]],
      tokens: [['{{my.Offer}}', 'ten percent']],
    });
    assertSameAnswer(await p.both(byName));
    [run] = await runs(WELCOME);
    assert.deepEqual(run.leadIds, [8]);
    assert.deepEqual(run.tokens, [['{{my.Offer}}', 'ten percent']]);
    // Warm: the name is cached, IDNUM keys need no look-up.
    await p.bridge.soap(byName);
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      [`POST /rest/v1/campaigns/${WELCOME}/trigger.json`],
    );
  });

  test("requestCampaign faults: the emulator's codes", async () => {
    const cases: [string, number][] = [
      [requestCampaignBody({ source: 'MKTOWS', campaignId: 9999, leads: [['IDNUM', 1]] }), 20113],
      [requestCampaignBody({ source: 'MKTOWS', campaignId: NIGHTLY, leads: [['IDNUM', 1]] }), 20113],
      [
        requestCampaignBody({
          source: 'MKTOWS',
          programName: 'Demo Program',
          campaignName: 'Nightly',
          leads: [['IDNUM', 1]],
        }),
        20113,
      ],
      [
        requestCampaignBody({
          source: 'MKTOWS',
          programName: 'Demo Program',
          campaignName: 'Nope',
          leads: [['IDNUM', 1]],
        }),
        20113,
      ],
      [
        requestCampaignBody({
          source: 'MKTOWS',
          programName: 'No Program',
          campaignName: 'Welcome',
          leads: [['IDNUM', 1]],
        }),
        20113,
      ],
      [requestCampaignBody({ source: 'MKTOWS', campaignId: WELCOME, leads: [['IDNUM', 999999]] }), 20103],
      [
        requestCampaignBody({ source: 'MKTOWS', campaignId: WELCOME, leads: [['EMAIL', 'nobody@nowhere.example']] }),
        20103,
      ],
      [requestCampaignBody({ source: 'MKTOWS', campaignId: WELCOME, leads: [] }), 20101],
      [
        requestCampaignBody({ source: 'MKTOWS', campaignId: WELCOME, campaignName: 'Welcome', leads: [['IDNUM', 1]] }),
        20110,
      ],
      [requestCampaignBody({ source: 'MKTOWS', campaignName: 'Welcome', leads: [['IDNUM', 1]] }), 20109],
      [
        requestCampaignBody({
          source: 'MKTOWS',
          programName: 'Demo Program',
          campaignName: 'Welcome',
          leads: [['IDNUM', 1]],
          tokens: [['Offer', 'x']],
        }),
        20110,
      ],
      [
        requestCampaignBody({
          source: 'MKTOWS',
          campaignId: WELCOME,
          leads: Array.from({ length: 101 }, (_, i): Key => ['IDNUM', i + 1]),
        }),
        20110,
      ],
    ];
    const before = (await runs(WELCOME)).length;
    for (const [body, code] of cases) {
      const r = await p.both(body);
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assert.equal(r.bridge.fault?.code, code, r.bridge.text);
    }
    assert.equal((await runs(WELCOME)).length, before);
  });

  test("campaign faults carry the emulator's words: id not found, a batch campaign by id, no such program, a taken clone name", async () => {
    const cases = [
      requestCampaignBody({ source: 'MKTOWS', campaignId: 9999, leads: [['IDNUM', 1]] }),
      requestCampaignBody({ source: 'MKTOWS', campaignId: NIGHTLY, leads: [['IDNUM', 1]] }),
      requestCampaignBody({
        source: 'MKTOWS',
        programName: 'No Program',
        campaignName: 'Welcome',
        leads: [['IDNUM', 1]],
      }),
      requestCampaignBody({
        source: 'MKTOWS',
        programName: 'Demo Program',
        campaignName: 'Nope',
        leads: [['IDNUM', 1]],
      }),
      scheduleCampaignBody({ programName: 'No Program', campaignName: 'Nightly' }),
      scheduleCampaignBody({
        programName: 'Demo Program',
        campaignName: 'Nightly',
        cloneToProgramName: 'spring roadshow',
      }),
    ];
    const messages: string[] = [];
    for (const body of cases) {
      const r = await p.both(body, { version: '3_1' });
      assert.deepEqual(r.bridge.fault, r.emulator.fault, r.bridge.text);
      messages.push(r.bridge.fault?.message ?? '');
    }
    assert.deepEqual(messages, [
      'No campaign found with id 9999 (20113)',
      `Campaign "Demo Program.Nightly" (id ${NIGHTLY}) is a batch campaign; requestCampaign runs trigger campaigns (use scheduleCampaign) (20113)`,
      'No campaign "Welcome" found: no program named "No Program" (20113)',
      'No campaign "Nope" found in program "Demo Program" (20113)',
      'No campaign "Nightly" found: no program named "No Program" (20113)',
      'cloneToProgramName: a program named "Spring Roadshow" already exists (20110)',
    ]);
    // The taken name is refused before schedule.json: one look-up, nothing scheduled or cloned.
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      ['GET /rest/asset/v1/program/byName.json'],
    );
  });

  test('requestCampaign from SALES: 20110 on the bridge (decision), no REST call', async () => {
    const r = await p.bridge.soap(requestCampaignBody({ source: 'SALES', campaignId: WELCOME, leads: [['IDNUM', 1]] }));
    assert.equal(r.fault?.code, 20110, r.text);
    assert.deepEqual(await p.lastUpstream(), []);
  });

  test('scheduleCampaign: a run on the emulator at runAt with tokens, or five minutes on; a clone', async () => {
    const at = new Date(Date.now() + 86_400_000);
    at.setUTCMilliseconds(0);
    let r = await p.bridge.soap(
      scheduleCampaignBody({
        programName: 'Demo Program',
        campaignName: 'Nightly',
        campaignRunAt: at.toISOString(),
        tokens: [['{{my.Score}}', '5']],
      }),
    );
    assert.equal(r.status, 200, r.text);
    let [run] = await runs(NIGHTLY);
    assert.equal(run.runAt, at.getTime());
    assert.deepEqual(run.tokens, [['{{my.Score}}', '5']]);
    const started = Date.now();
    r = await p.bridge.soap(scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly' }));
    assert.equal(r.status, 200, r.text);
    [run] = await runs(NIGHTLY);
    assert.ok(run.runAt >= started + 5 * 60_000 && run.runAt <= Date.now() + 5 * 60_000, String(run.runAt));
    assert.deepEqual(
      (await p.lastUpstream()).map((c) => `${c.method} ${c.path}`),
      [`POST /rest/v1/campaigns/${NIGHTLY}/schedule.json`],
    );
    r = await p.bridge.soap(
      scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly', cloneToProgramName: 'Bridge Copy' }),
      { version: '3_1' },
    );
    assert.equal(r.status, 200, r.text);
    assert.ok(await p.emulator.runtime.store.campaigns.findProgram('Bridge Copy'));
  });

  test('scheduleCampaign faults: 20113 unknown or trigger campaign, 20110 runAt over two years, 20109 missing names', async () => {
    const far = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
    const cases: [string, number][] = [
      [scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nope' }), 20113],
      [scheduleCampaignBody({ programName: 'No Program', campaignName: 'Nightly' }), 20113],
      [scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Welcome' }), 20113],
      [scheduleCampaignBody({ programName: 'Demo Program', campaignName: '' }), 20109],
      [scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly', tokens: [['x', 'y']] }), 20110],
    ];
    for (const [body, code] of cases) {
      const r = await p.both(body);
      assert.equal(r.emulator.fault?.code, code, r.emulator.text);
      assert.equal(r.bridge.fault?.code, code, r.bridge.text);
    }
    const trigger = await p.both(scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Welcome' }));
    assert.equal(trigger.bridge.fault?.message, trigger.emulator.fault?.message);
    const r = await p.bridge.soap(
      scheduleCampaignBody({ programName: 'Demo Program', campaignName: 'Nightly', campaignRunAt: far }),
    );
    assert.equal(r.fault?.code, 20110, r.text);
  });
});
