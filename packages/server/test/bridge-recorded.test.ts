/**
 * The bridge reads Marketo's real JSON: a test server answers the bridge's REST calls with the
 * recorded responses of real instances in ../shared/reference/rest/recorded/ (Talend's describe of
 * 123 fields and a page of its leads, MadKudu's 2014 lead with its old datetime format), and the
 * SOAP answers are checked field by field against what those recordings hold.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findAll, getLeadBody, startTestServer, type TestServer, text } from './support/harness.js';

const shared = process.env.MKTOWS_SHARED_DIR;
const skip = shared ? false : 'skipped: ../shared absent';
const recorded = (...p: string[]) => join(shared ?? '', 'reference', 'rest', 'recorded', ...p);

interface Exchange {
  request: { method: string; uri: string };
  response: { status: number; payload: string };
}

/** Answers `GET|POST path` with a recorded body; anything else is a 610, as Marketo answers it. */
async function replayServer(routes: Map<string, string>): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push(`${req.method} ${path}`);
    req.resume();
    const body =
      routes.get(path) ??
      JSON.stringify({
        requestId: 'x#1',
        success: false,
        errors: [{ code: '610', message: 'Requested resource not found' }],
      });
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function attributes(r: { doc: Parameters<typeof findAll>[0] }): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const a of findAll(r.doc, 'attribute')) {
    out[text(a, 'attrName') ?? ''] = [text(a, 'attrType') ?? '', text(a, 'attrValue') ?? ''];
  }
  return out;
}

describe('bridge: recorded REST responses of real instances', { skip }, () => {
  let replay: Awaited<ReturnType<typeof replayServer>>;
  let bridge: TestServer;
  let talendLead: Record<string, unknown>;

  before(async () => {
    const talend = JSON.parse(
      readFileSync(
        recorded(
          'Talend-connectors-se/talend/testing/http/org.talend.components.marketo.input.LeadSourceTest_testSource.json',
        ),
        'utf8',
      ),
    ) as Exchange[];
    const byPath = (p: string) => {
      const ex = talend.find((x) => new URL(x.request.uri).pathname === p);
      assert.ok(ex, `no recorded ${p}`);
      return ex.response.payload;
    };
    const page = JSON.parse(byPath('/rest/v1/lists/1011/leads.json')) as {
      requestId: string;
      result: Record<string, unknown>[];
    };
    talendLead = page.result[0];
    replay = await replayServer(
      new Map([
        ['/identity/oauth/token', byPath('/identity/oauth/token')],
        ['/rest/v1/leads/describe.json', byPath('/rest/v1/leads/describe.json')],
        // The recorded lead, as leads.json answers one (same envelope, one record).
        ['/rest/v1/leads.json', JSON.stringify({ requestId: page.requestId, result: [talendLead], success: true })],
      ]),
    );
    bridge = await startTestServer({
      store: `marketo+http://clientId:clientSecret@${replay.url}`,
      bridgeState: 'sqlite::memory:',
    });
  });
  after(async () => {
    await bridge?.close();
    replay?.server.close();
  });

  test("Talend's lead through its instance's describe: SOAP names, SOAP types and SOAP values", async () => {
    const r = await bridge.soap(getLeadBody('IDNUM', '109660'));
    assert.equal(r.status, 200, r.text);
    assert.equal(text(r.doc, 'Id'), '109660');
    assert.equal(text(r.doc, 'Email'), 'xjliu@talend.com');
    // Every non-null field of the recording that describe gives a SOAP name; REST-only fields
    // (createdAt, mktoName, isAnonymous, blackListed…) are left out; false booleans are 0.
    assert.deepEqual(attributes(r), {
      'Contact Company': ['reference', '112922'],
      DoNotCall: ['boolean', '0'],
      EmailInvalid: ['boolean', '0'],
      FirstName: ['string', 'xuejing'],
      IsLead: ['boolean', '1'],
      LastName: ['string', 'liu'],
      'Lead Partition ID': ['reference', '1'],
      'Lead Person': ['reference', '109660'],
      OriginalSourceInfo: ['string', 'Web service API'],
      OriginalSourceType: ['string', 'Web service API'],
      'Person Primary Lead Interest': ['reference', '109660'],
      PersonType: ['string', 'contact'],
      RegistrationSourceInfo: ['string', 'Web service API'],
      RegistrationSourceType: ['string', 'Web service API'],
      Unsubscribed: ['boolean', '0'],
    });
    assert.deepEqual(replay.seen, [
      'POST /identity/oauth/token',
      'GET /rest/v1/leads/describe.json',
      'GET /rest/v1/leads.json',
    ]);
  });

  test('the recorded lead has fields the bridge must not show, so the check above is not empty by accident', () => {
    for (const restOnly of ['createdAt', 'updatedAt', 'mktoName', 'isAnonymous', 'blackListed']) {
      assert.notEqual(talendLead[restOnly], undefined, restOnly);
    }
  });
});

describe("bridge: MadKudu's 2014 recording (old datetime format)", { skip }, () => {
  test('a lead read by id: Email and names as recorded', async () => {
    const raw = readFileSync(
      recorded('MadKudu-node-marketo/fixtures/123-abc-456.mktorest.com-443/find-lead-by-single-id'),
      'utf8',
    );
    const body = raw.slice(raw.lastIndexOf('\n{') + 1).trim();
    const describeBody = JSON.stringify({
      requestId: 'd#1',
      success: true,
      result: [
        {
          id: 1,
          displayName: 'Id',
          dataType: 'integer',
          rest: { name: 'id', readOnly: true },
          soap: { name: 'Id', readOnly: true },
        },
        { id: 2, displayName: 'Email Address', dataType: 'email', rest: { name: 'email' }, soap: { name: 'Email' } },
        {
          id: 3,
          displayName: 'First Name',
          dataType: 'string',
          rest: { name: 'firstName' },
          soap: { name: 'FirstName' },
        },
        { id: 4, displayName: 'Last Name', dataType: 'string', rest: { name: 'lastName' }, soap: { name: 'LastName' } },
        { id: 5, displayName: 'Updated At', dataType: 'datetime', rest: { name: 'updatedAt', readOnly: true } },
      ],
    });
    const replay = await replayServer(
      new Map([
        [
          '/identity/oauth/token',
          JSON.stringify({ access_token: 't:ab', token_type: 'bearer', expires_in: 3599, scope: 'x' }),
        ],
        ['/rest/v1/leads/describe.json', describeBody],
        ['/rest/v1/leads.json', body],
      ]),
    );
    const bridge = await startTestServer({
      store: `marketo+http://id:secret@${replay.url}`,
      bridgeState: 'sqlite::memory:',
    });
    try {
      const r = await bridge.soap(getLeadBody('IDNUM', '1'));
      assert.equal(r.status, 200, r.text);
      assert.equal(text(r.doc, 'Email'), 'ak+marketo1@usermind.com');
      assert.deepEqual(attributes(r), { FirstName: ['string', 'AK1'], LastName: ['string', 'test'] });
    } finally {
      await bridge.close();
      replay.server.close();
    }
  });
});
