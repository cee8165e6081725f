/**
 * The asset API at the HTTP level: smart campaigns, static lists, programs (browse, by id, name and
 * tag, update), channels, tag types and folders; offset/maxReturn paging, the "No assets found"
 * warning, each parameter error, and SOAP writes read back (and the reverse for program tags).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertNoAssets, assetOk } from './support/assets.js';
import { campaignSeedFile, DRIP, INBOUND, REGISTER, REMINDER, SALES_TOUCH } from './support/campaign-seed.js';
import { startTestServer, type TestServer } from './support/harness.js';
import { accessToken, assertRestError, type Json, REST_CLIENT, REST_SECRET, restCall } from './support/rest.js';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\+0000$/;

describe('REST asset API', () => {
  let s: TestServer;
  let token: string;
  const get = (path: string) => restCall(s, path, { token });
  const ids = (r: Json[]) => r.map((x) => x.id);

  before(async () => {
    s = await startTestServer({
      seed: campaignSeedFile(),
      restClients: [{ clientId: REST_CLIENT, clientSecret: REST_SECRET }],
      restRatePerWindow: 100_000,
    });
    token = await accessToken(s);
  });
  after(() => s.close());

  test('smartCampaigns.json: every campaign with the swagger fields, in its program folder', async () => {
    const result = assetOk(await get('/rest/asset/v1/smartCampaigns.json'));
    assert.deepEqual(
      result.map((c) => [c.id, c.name, c.type, c.status, c.isActive, c.isRequestable, c.folder, c.workspace]),
      [
        [REGISTER, 'Register', 'trigger', 'Active', true, true, { id: 1, type: 'Program' }, 'Default'],
        [REMINDER, 'Reminder', 'batch', 'Never Run', false, false, { id: 1, type: 'Program' }, 'Default'],
        [SALES_TOUCH, 'Sales Touch', 'trigger', 'Active', true, true, { id: 1, type: 'Program' }, 'Default'],
        [DRIP, 'Drip', 'batch', 'Never Run', false, false, { id: 2, type: 'Program' }, 'Default'],
        [INBOUND, 'Inbound', 'trigger', 'Active', true, true, { id: 3, type: 'Program' }, 'Other'],
      ],
    );
    const [register] = result;
    assert.deepEqual(
      { ...register, createdAt: undefined, updatedAt: undefined },
      {
        id: REGISTER,
        name: 'Register',
        description: 'Registration',
        createdAt: undefined,
        updatedAt: undefined,
        folder: { id: 1, type: 'Program' },
        status: 'Active',
        type: 'trigger',
        isSystem: false,
        isActive: true,
        isRequestable: true,
        isCommunicationLimitEnabled: false,
        recurrence: { weekdayOnly: false },
        qualificationRuleType: 'once',
        workspace: 'Default',
        parentProgramId: 1,
      },
    );
    assert.match(register.createdAt, TIME);
    assert.match(register.updatedAt, TIME);
  });

  test('smartCampaigns.json: isActive, folder, updatedAt range, offset/maxReturn', async () => {
    const list = async (q: string) => ids(assetOk(await get(`/rest/asset/v1/smartCampaigns.json?${q}`)));
    assert.deepEqual(await list('isActive=true'), [REGISTER, SALES_TOUCH, INBOUND]);
    assert.deepEqual(await list('isActive=false'), [REGISTER, REMINDER, SALES_TOUCH, DRIP, INBOUND]);
    assert.deepEqual(await list(`folder=${encodeURIComponent('{"id":2,"type":"Program"}')}`), [DRIP]);
    // Folder 3 is /Marketing Activities/Default/Events, holding Spring Webinar.
    assert.deepEqual(await list(`folder=${encodeURIComponent('{"id":3,"type":"Folder"}')}`), [
      REGISTER,
      REMINDER,
      SALES_TOUCH,
    ]);
    // Folder 2 is /Marketing Activities/Default: Nurture Q3 and, below, Spring Webinar.
    assert.deepEqual(await list(`folder=${encodeURIComponent('{"id":2,"type":"folder"}')}`), [
      REGISTER,
      REMINDER,
      SALES_TOUCH,
      DRIP,
    ]);
    assert.deepEqual(await list('maxReturn=2'), [REGISTER, REMINDER]);
    assert.deepEqual(await list('maxReturn=2&offset=2'), [SALES_TOUCH, DRIP]);
    assert.deepEqual(await list('offset=4'), [INBOUND]);
    assert.deepEqual(await list('earliestUpdatedAt=2001-01-01T00:00:00Z'), [
      REGISTER,
      REMINDER,
      SALES_TOUCH,
      DRIP,
      INBOUND,
    ]);
    assertNoAssets(await get('/rest/asset/v1/smartCampaigns.json?offset=5'));
    assertNoAssets(await get('/rest/asset/v1/smartCampaigns.json?latestUpdatedAt=2001-01-01T00:00:00-00:00'));
    assertNoAssets(
      await get(`/rest/asset/v1/smartCampaigns.json?folder=${encodeURIComponent('{"id":99,"type":"Folder"}')}`),
    );
  });

  test('paging and filter errors: 1001 for types, 1003 for ranges and bad folders or dates', async () => {
    const path = '/rest/asset/v1/smartCampaigns.json';
    assertRestError(await get(`${path}?maxReturn=201`), 1003, 'maxReturn must be between 1 and 200');
    assertRestError(await get(`${path}?maxReturn=0`), 1003, 'maxReturn must be between 1 and 200');
    assertRestError(await get(`${path}?maxReturn=ten`), 1001, "Invalid value 'ten'. Required of type 'Integer'");
    assertRestError(await get(`${path}?offset=-1`), 1003, 'offset must be between 0 and 9007199254740991');
    assertRestError(await get(`${path}?isActive=yes`), 1001, "Invalid value 'yes'. Required of type 'Boolean'");
    assertRestError(
      await get(`${path}?earliestUpdatedAt=yesterday`),
      1001,
      "Invalid value 'yesterday'. Required of type 'Date'",
    );
    assertRestError(
      await get(`${path}?earliestUpdatedAt=2020-01-02T00:00:00Z&latestUpdatedAt=2020-01-01T00:00:00Z`),
      1003,
      'earliestUpdatedAt must precede latestUpdatedAt',
    );
    assertRestError(
      await get(`${path}?folder=12`),
      1003,
      `Invalid folder '12': expected {"id": <integer>, "type": "Folder" or "Program"}`,
    );
  });

  test('smartCampaign/{id}.json and byName.json: one record, or the warning', async () => {
    const all = assetOk(await get('/rest/asset/v1/smartCampaigns.json'));
    assert.deepEqual(assetOk(await get(`/rest/asset/v1/smartCampaign/${DRIP}.json`)), [all[3]]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/smartCampaign/byName.json?name=inbound')), [all[4]]);
    assertNoAssets(await get('/rest/asset/v1/smartCampaign/999.json'));
    assertNoAssets(await get('/rest/asset/v1/smartCampaign/byName.json?name=Nope'));
    assertRestError(
      await get('/rest/asset/v1/smartCampaign/byName.json'),
      1002,
      "Missing value for the required parameter 'name'",
    );
    assertRestError(
      await get('/rest/asset/v1/smartCampaign/1x.json'),
      1001,
      "Invalid value '1x'. Required of type 'Integer'",
    );
  });

  test('static lists: lists of programs in the program folder, the others without a folder; SOAP members move updatedAt', async () => {
    const result = assetOk(await get('/rest/asset/v1/staticLists.json'));
    assert.deepEqual(
      result.map((l) => ({ ...l, createdAt: undefined, updatedAt: undefined })),
      [
        {
          id: 1,
          name: 'Newsletter',
          description: '',
          createdAt: undefined,
          updatedAt: undefined,
          workspace: 'Default',
        },
        {
          id: 2,
          name: 'Spring Webinar.Attendees',
          description: '',
          createdAt: undefined,
          updatedAt: undefined,
          folder: { id: 1, type: 'Program' },
          workspace: 'Default',
        },
      ],
    );
    for (const l of result) assert.match(l.createdAt, TIME);
    assert.deepEqual(
      ids(
        assetOk(await get(`/rest/asset/v1/staticLists.json?folder=${encodeURIComponent('{"id":1,"type":"Program"}')}`)),
      ),
      [2],
    );
    assert.deepEqual(ids(assetOk(await get('/rest/asset/v1/staticLists.json?maxReturn=1&offset=1'))), [2]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/staticList/2.json')), [result[1]]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/staticList/byName.json?name=newsletter')), [result[0]]);
    assertNoAssets(await get('/rest/asset/v1/staticList/9.json'));
    assertNoAssets(await get('/rest/asset/v1/staticList/byName.json?name=Attendees'));
    assertRestError(
      await get('/rest/asset/v1/staticList/byName.json?name='),
      1002,
      "Missing value for the required parameter 'name'",
    );

    // A member added through SOAP an hour later: the list's updatedAt follows, createdAt stays.
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3600 });
    try {
      const r = await s.soap(
        `<ns1:paramsListOperation><listOperation>ADDTOLIST</listOperation><listKey><keyType>MKTOLISTNAME</keyType><keyValue>Newsletter</keyValue></listKey><listMemberList><leadKey><keyType>IDNUM</keyType><keyValue>3</keyValue></leadKey></listMemberList></ns1:paramsListOperation>`,
      );
      assert.equal(r.status, 200, r.text);
    } finally {
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
    }
    const [after] = assetOk(await get('/rest/asset/v1/staticList/1.json'));
    assert.equal(after.createdAt, result[0].createdAt);
    assert.equal(
      Date.parse(after.updatedAt.replace('+0000', '')) - Date.parse(result[0].updatedAt.replace('+0000', '')) >=
        3_599_000,
      true,
    );
  });

  test('programs.json: browse with Marketo fields, folder with its name, paging and filters', async () => {
    const result = assetOk(await get('/rest/asset/v1/programs.json'));
    assert.deepEqual(
      result.map((p) => ({ ...p, createdAt: undefined, updatedAt: undefined })),
      [
        {
          id: 1,
          name: 'Spring Webinar',
          description: '',
          createdAt: undefined,
          updatedAt: undefined,
          type: 'Default',
          channel: 'Webinar',
          folder: { type: 'Folder', value: 3, folderName: 'Events' },
          status: '',
          workspace: 'Default',
        },
        {
          id: 2,
          name: 'Nurture Q3',
          description: '',
          createdAt: undefined,
          updatedAt: undefined,
          type: 'Engagement',
          channel: 'Nurture',
          folder: { type: 'Folder', value: 2, folderName: 'Default' },
          status: '',
          workspace: 'Default',
        },
        {
          id: 3,
          name: 'Ops',
          description: '',
          createdAt: undefined,
          updatedAt: undefined,
          type: 'Default',
          channel: 'Operational',
          folder: { type: 'Folder', value: 4, folderName: 'Other' },
          status: '',
          workspace: 'Other',
        },
      ],
    );
    const list = async (q: string) => ids(assetOk(await get(`/rest/asset/v1/programs.json?${q}`)));
    assert.deepEqual(await list('maxReturn=1&offset=1'), [2]);
    assert.deepEqual(await list('filterType=id&filterValues=3,1'), [1, 3]);
    assert.deepEqual(await list('filterType=workspace&filterValues=other'), [3]);
    assert.deepEqual(await list('filterType=folderId&filterValues=3'), [1]);
    assertNoAssets(await get('/rest/asset/v1/programs.json?filterType=id&filterValues=42'));
    assertRestError(
      await get('/rest/asset/v1/programs.json?filterType=name&filterValues=x'),
      1003,
      "Invalid filterType 'name': id, programId, folderId or workspace",
    );
    assertRestError(
      await get('/rest/asset/v1/programs.json?filterType=id'),
      1002,
      "Missing value for the required parameter 'filterValues'",
    );
  });

  test('program by id (tags and costs), by name (includeTags, includeCosts), by tag', async () => {
    const [byId] = assetOk(await get('/rest/asset/v1/program/1.json'));
    assert.deepEqual(byId.tags, [{ tagType: 'Region', tagValue: 'EMEA' }]);
    assert.deepEqual(byId.costs, [{ startDate: '2026-03-01', cost: 1500, note: 'Platform' }]);
    const [plain] = assetOk(await get('/rest/asset/v1/program/byName.json?name=spring%20webinar'));
    assert.equal(plain.tags, undefined);
    assert.equal(plain.costs, undefined);
    const [full] = assetOk(
      await get('/rest/asset/v1/program/byName.json?name=Spring%20Webinar&includeTags=true&includeCosts=true'),
    );
    assert.deepEqual(full, byId);
    assertNoAssets(await get('/rest/asset/v1/program/byName.json?name=Nope'));
    assertNoAssets(await get('/rest/asset/v1/program/77.json'));
    assertRestError(
      await get('/rest/asset/v1/program/byName.json'),
      1002,
      "Missing value for the required parameter 'name'",
    );
    assertRestError(
      await get('/rest/asset/v1/program/byName.json?name=Ops&includeTags=1'),
      1001,
      "Invalid value '1'. Required of type 'Boolean'",
    );

    const byTag = assetOk(await get('/rest/asset/v1/program/byTag.json?tagType=region&tagValue=apac'));
    assert.deepEqual(
      byTag.map((p) => [p.id, p.tags]),
      [
        [
          2,
          [
            { tagType: 'Region', tagValue: 'APAC' },
            { tagType: 'Product Line', tagValue: 'Platform' },
          ],
        ],
      ],
    );
    assertNoAssets(await get('/rest/asset/v1/program/byTag.json?tagType=Region&tagValue=LATAM'));
    assertRestError(
      await get('/rest/asset/v1/program/byTag.json?tagType=Region'),
      1002,
      "Missing value for the required parameter 'tagValue'",
    );
  });

  test('channels: defined ones with their progression statuses by step; byName reads name or Name', async () => {
    const result = assetOk(await get('/rest/asset/v1/channels.json'));
    assert.deepEqual(
      result.map((c) => [c.id, c.name, c.applicableProgramType, c.progressionStatuses.length]),
      [
        [1, 'Webinar', 'webinar', 9],
        [2, 'Nurture', 'nurture', 2],
        [3, 'Operational', 'program', 1],
        [4, 'Blog', 'program', 3],
      ],
    );
    assert.deepEqual(result[3].progressionStatuses, [
      { name: 'Visited', step: 10, description: null, hidden: false, success: false },
      { name: 'Engaged', step: 20, description: null, hidden: false, success: true },
      { name: 'Subscribed', step: 30, description: null, hidden: false, success: true },
    ]);
    assert.match(result[0].createdAt, TIME);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/channel/byName.json?name=blog')), [result[3]]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/channel/byName.json?Name=Nurture')), [result[1]]);
    assert.deepEqual(ids(assetOk(await get('/rest/asset/v1/channels.json?maxReturn=2&offset=1'))), [2, 3]);
    assertNoAssets(await get('/rest/asset/v1/channel/byName.json?name=Podcast'));
    assertRestError(
      await get('/rest/asset/v1/channel/byName.json'),
      1002,
      "Missing value for the required parameter 'name'",
    );
  });

  test('tag types: the catalogue with program tags merged; byName lists the allowable values', async () => {
    assert.deepEqual(assetOk(await get('/rest/asset/v1/tagTypes.json')), [
      { tagType: 'Region', applicableProgramTypes: '[program,email_batch,nurture,event,webinar]', required: false },
      {
        tagType: 'Product Line',
        applicableProgramTypes: '[program,email_batch,nurture,event,webinar]',
        required: false,
      },
    ]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/tagType/byName.json?name=region')), [
      {
        tagType: 'Region',
        applicableProgramTypes: '[program,email_batch,nurture,event,webinar]',
        required: false,
        allowableValues: '[EMEA, APAC, North America]',
      },
    ]);
    assertNoAssets(await get('/rest/asset/v1/tagType/byName.json?name=Color'));
    assertRestError(
      await get('/rest/asset/v1/tagType/byName.json'),
      1002,
      "Missing value for the required parameter 'name'",
    );
  });

  test('folders: the Marketing Activities tree programs sit in; folder/{id}.json by Folder or Program', async () => {
    const all = assetOk(await get('/rest/asset/v1/folders.json'));
    assert.deepEqual(
      all.map((f) => [f.id, f.name, f.path, f.parent, f.workspace]),
      [
        [1, 'Marketing Activities', '/Marketing Activities', null, 'Default'],
        [2, 'Default', '/Marketing Activities/Default', { id: 1, type: 'Folder' }, 'Default'],
        [3, 'Events', '/Marketing Activities/Default/Events', { id: 2, type: 'Folder' }, 'Default'],
        [4, 'Other', '/Marketing Activities/Other', { id: 1, type: 'Folder' }, 'Other'],
      ],
    );
    const root = encodeURIComponent('{"id":2,"type":"Folder"}');
    assert.deepEqual(ids(assetOk(await get(`/rest/asset/v1/folders.json?root=${root}`))), [2, 3]);
    assert.deepEqual(ids(assetOk(await get(`/rest/asset/v1/folders.json?root=${root}&maxDepth=1`))), [2, 3]);
    assert.deepEqual(ids(assetOk(await get('/rest/asset/v1/folders.json?maxDepth=1'))), [1, 2, 4]);
    assert.deepEqual(ids(assetOk(await get('/rest/asset/v1/folders.json?workSpace=Other'))), [4]);
    assert.deepEqual(assetOk(await get('/rest/asset/v1/folder/3.json?type=Folder')), [all[2]]);
    const [program] = assetOk(await get('/rest/asset/v1/folder/1.json?type=Program'));
    assert.deepEqual(
      [program.name, program.path, program.folderType, program.folderId, program.parent],
      [
        'Spring Webinar',
        '/Marketing Activities/Default/Events/Spring Webinar',
        'Program',
        { id: 1, type: 'Program' },
        { id: 3, type: 'Folder' },
      ],
    );
    assertNoAssets(await get('/rest/asset/v1/folder/9.json?type=Folder'));
    assertRestError(await get('/rest/asset/v1/folder/3.json'), 1002, "Missing value for the required parameter 'type'");
    assertRestError(
      await get('/rest/asset/v1/folder/3.json?type=Email'),
      1003,
      "Invalid type 'Email': Folder or Program",
    );
  });

  test('POST program/{id}.json updates description and tags, all or nothing; SOAP getMObjects reads the tags', async () => {
    const post = (id: number | string, form: Record<string, string>) =>
      restCall(s, `/rest/asset/v1/program/${id}.json`, {
        method: 'POST',
        token,
        body: new URLSearchParams(form).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
    const [updated] = assetOk(
      await post(3, {
        description: 'Operational sends',
        tags: JSON.stringify([
          { tagType: 'region', tagValue: 'north america' },
          { tagType: 'Product Line', tagValue: 'Analytics' },
        ]),
      }),
    );
    assert.equal(updated.description, 'Operational sends');
    assert.deepEqual(updated.tags, [
      { tagType: 'Region', tagValue: 'North America' },
      { tagType: 'Product Line', tagValue: 'Analytics' },
    ]);
    // A later tag of a type replaces its value; the program's other tags stay.
    const [again] = assetOk(await post(3, { tags: JSON.stringify([{ tagType: 'Region', tagValue: 'EMEA' }]) }));
    assert.deepEqual(again.tags, [
      { tagType: 'Region', tagValue: 'EMEA' },
      { tagType: 'Product Line', tagValue: 'Analytics' },
    ]);
    assert.equal(again.description, 'Operational sends');
    const byTag = assetOk(await get('/rest/asset/v1/program/byTag.json?tagType=Product%20Line&tagValue=Analytics'));
    assert.deepEqual(ids(byTag), [3]);
    // SOAP getMObjects reads the tags REST wrote.
    const soap = await s.soap(
      '<ns1:paramsGetMObjects><type>Program</type><id>3</id><includeDetails>true</includeDetails></ns1:paramsGetMObjects>',
    );
    assert.deepEqual(
      [
        ...soap.text.matchAll(
          /<name>Type<\/name><value>([^<]*)<\/value><\/attrib><attrib><name>Value<\/name><value>([^<]*)</g,
        ),
      ].map((m) => [m[1], m[2]]),
      [
        ['Channel', 'Operational'],
        ['Region', 'EMEA'],
        ['Product Line', 'Analytics'],
      ],
    );

    const before = assetOk(await get('/rest/asset/v1/program/3.json'));
    assertRestError(await post(99, { description: 'x' }), 1013, "Program '99' not found");
    assertRestError(await post(3, {}), 1003, 'Nothing to update: send description, tags or costs');
    assertRestError(await post(3, { name: 'Renamed' }), 1003, 'name cannot be updated through this endpoint here');
    assertRestError(
      await post(3, { description: 'x'.repeat(2001) }),
      1003,
      'description is 2001 characters; the maximum is 2000',
    );
    assertRestError(
      await post(3, { tags: 'Region=EMEA' }),
      1003,
      'tags must be a JSON array of {"tagType": …, "tagValue": …}',
    );
    assertRestError(
      await post(3, { description: 'changed', tags: JSON.stringify([{ tagType: 'Color', tagValue: 'Red' }]) }),
      1003,
      "Tag type 'Color' not found",
    );
    assertRestError(
      await post(3, { tags: JSON.stringify([{ tagType: 'Region', tagValue: 'Mars' }]) }),
      1003,
      "'Mars' is not a value of tag type 'Region'",
    );
    // Refused updates change nothing, not even the description sent with a bad tag.
    assert.deepEqual(assetOk(await get('/rest/asset/v1/program/3.json')), before);
    // A JSON body is read the same way.
    const [json] = assetOk(
      await restCall(s, '/rest/asset/v1/program/3.json', {
        method: 'POST',
        token,
        body: JSON.stringify({ description: 'From JSON' }),
        contentType: 'application/json',
      }),
    );
    assert.equal(json.description, 'From JSON');
  });

  test('POST program/{id}.json costs: added, or replaced in order with costsDestructiveUpdate; SOAP reads them', async () => {
    const post = (form: Record<string, string>) =>
      restCall(s, '/rest/asset/v1/program/3.json', {
        method: 'POST',
        token,
        body: new URLSearchParams(form).toString(),
        contentType: 'application/x-www-form-urlencoded',
      });
    const costsOf = async () => (assetOk(await get('/rest/asset/v1/program/3.json'))[0] as Json).costs;
    const start = (await costsOf()) as Json[];
    let [p] = assetOk(await post({ costs: JSON.stringify([{ startDate: '2026-03-01', cost: 500, note: 'Ads' }]) }));
    assert.deepEqual(p.costs, [...start, { startDate: '2026-03-01', cost: 500, note: 'Ads' }]);
    [p] = assetOk(
      await post({
        costs: JSON.stringify([
          ...start,
          { startDate: '2026-04-01', cost: 750 },
          { startDate: '2026-05-01', cost: 20, note: 'Print' },
        ]),
        costsDestructiveUpdate: 'true',
      }),
    );
    assert.deepEqual(p.costs, [
      ...start,
      { startDate: '2026-04-01', cost: 750, note: '' },
      { startDate: '2026-05-01', cost: 20, note: 'Print' },
    ]);
    const soap = await s.soap('<ns1:paramsGetMObjects><type>Program</type><id>3</id></ns1:paramsGetMObjects>');
    assert.match(
      soap.text,
      /<name>Month<\/name><value>2026-04-01<\/value><\/attrib><attrib><name>Amount<\/name><value>750</,
    );
    const before = await costsOf();
    assertRestError(
      await post({ costs: JSON.stringify([{ startDate: '2026-04-01', cost: 1 }]), costsDestructiveUpdate: 'true' }),
      1003,
      'costsDestructiveUpdate with 1 costs cannot remove costs here',
    );
    const shape = 'costs must be a JSON array of {"startDate": "yyyy-MM-dd", "cost": <integer>, "note": …}';
    assertRestError(await post({ costs: 'lots' }), 1003, shape);
    assertRestError(await post({ costs: JSON.stringify([{ startDate: '2026-13-01', cost: 1 }]) }), 1003, shape);
    assertRestError(await post({ costs: JSON.stringify([{ startDate: '2026-01-01', cost: '1' }]) }), 1003, shape);
    assert.deepEqual(await costsOf(), before);
  });
});
