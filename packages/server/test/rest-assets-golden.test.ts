/**
 * Golden shape checks for campaigns and assets against recorded Marketo responses
 * (treasure-data program and campaign fixtures) and Adobe's samples in the REST docs: the same
 * field names, nesting and JSON types. Fields left out on purpose, named here: `url` and
 * `computedUrl` (links into Marketo's UI), `smartListId` and `flowId` (no smart lists or flows
 * are kept), `headStart` and `costs: null` of the docs' sample.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assetOk } from './support/assets.js';
import { campaignSeedFile } from './support/campaign-seed.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { SHARED_DIR, SKIP_WITHOUT_SHARED } from './support/recorded.js';
import { accessToken, type Json, REST_CLIENT, REST_SECRET, restCall, restOk } from './support/rest.js';

const REST_REF = SHARED_DIR ? join(SHARED_DIR, 'reference', 'rest') : '';
const TD = 'recorded/treasure-data-embulk-input-marketo/fixtures';
const LEFT_OUT = new Set(['url', 'computedUrl', 'smartListId', 'flowId', 'headStart']);

function readJson(rel: string): Json {
  return JSON.parse(readFileSync(join(REST_REF, rel), 'utf8'));
}

/** The first ```json block after `marker` in a docs page. */
function docSample(page: string, marker: string): Json {
  const md = readFileSync(join(REST_REF, 'docs', page), 'utf8');
  const at = md.indexOf(marker);
  assert.ok(at >= 0, `${page} has ${marker}`);
  const start = md.indexOf('```json', at) + '```json'.length;
  return JSON.parse(md.slice(start, md.indexOf('```', start)));
}

/** A value's shape: the JSON type of each leaf, keys kept, arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v === null ? 'null' : typeof v;
}

/** Every recorded field but the ones left out (kept when ours has them), in ours, with the same shape; ours has only `extra` besides. */
function sameShape(ours: Json, recorded: Json, extra: string[] = []): void {
  const want = Object.keys(recorded).filter((k) => !LEFT_OUT.has(k) || k in ours);
  assert.deepEqual(Object.keys(ours).sort(), [...want, ...extra].sort());
  for (const k of want) if (recorded[k] !== null) assert.deepEqual(shape(ours[k]), shape(recorded[k]), k);
}

describe('campaign and asset responses have the shape of recorded Marketo responses', {
  skip: SKIP_WITHOUT_SHARED,
}, () => {
  let s: TestServer;
  let token: string;
  const get = (path: string) => restCall(s, path, { token });

  before(async () => {
    s = await startTestServer({
      seed: campaignSeedFile(),
      restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
    });
    token = await accessToken(s);
  });
  after(() => s.close());

  test('campaigns.json: the recorded campaign fields (plus the swagger programName, programId) and paging envelope', async () => {
    const recorded = readJson(`${TD}/campaign_response_full.json`);
    for (const c of restOk(await get('/rest/v1/campaigns.json')))
      sameShape(c, recorded[0], ['programName', 'programId']);
    const [firstPage] = readJson(`${TD}/campaign_response.json`).responses;
    const ours = await get('/rest/v1/campaigns.json?batchSize=1');
    assert.deepEqual(Object.keys(ours.body).sort(), Object.keys(firstPage).sort());
  });

  test('programs: browse as all_program_full.json, by name as the docs sample, envelope as program_response.json', async () => {
    const recorded = readJson(`${TD}/all_program_full.json`);
    const ours = await get('/rest/asset/v1/programs.json');
    for (const p of assetOk(ours)) sameShape(p, recorded[0]);
    const [envelope] = readJson(`${TD}/program_response.json`).responses;
    assert.deepEqual(Object.keys(ours.body).sort(), Object.keys(envelope).sort());
    const sample = docSample('programs.md', 'GET /rest/asset/v1/program/byName.json').result[0];
    const [byName] = assetOk(
      await get('/rest/asset/v1/program/byName.json?name=Spring%20Webinar&includeTags=true&includeCosts=true'),
    );
    sameShape(byName, sample);
  });

  test('smart campaigns, static lists, channels, tag types and folders as the Adobe samples', async () => {
    const campaign = docSample('smart-campaigns.md', 'GET /rest/asset/v1/smartCampaign/byName.json').result[0];
    const [ours] = assetOk(await get('/rest/asset/v1/smartCampaign/1.json'));
    sameShape(ours, campaign, ['parentProgramId']);

    const list = docSample('static-lists.md', 'GET /rest/asset/v1/staticList/{id}.json').result[0];
    const [ourList] = assetOk(await get('/rest/asset/v1/staticList/2.json'));
    sameShape(ourList, list, ['description', 'workspace']);

    const channel = docSample('channels.md', 'GET /rest/asset/v1/channel/byName.json').result[0];
    const [ourChannel] = assetOk(await get('/rest/asset/v1/channel/byName.json?name=Webinar'));
    sameShape(ourChannel, channel);

    const tagType = docSample('tags.md', 'GET /rest/asset/v1/tagType/byName.json').result[0];
    sameShape(assetOk(await get('/rest/asset/v1/tagType/byName.json?name=Region'))[0], tagType);

    const folder = docSample('folders.md', 'GET /rest/asset/v1/folder/{id}.json?type=Folder').result[0];
    sameShape(assetOk(await get('/rest/asset/v1/folder/3.json?type=Folder'))[0], folder);
  });
});
