/**
 * REST bulk lead import over HTTP: multipart uploads in csv, tsv and ssv, the batch status as the
 * shared import runner moves it (Queued → Complete), failures and warnings files with the row as
 * sent and the reason last, every error the endpoints raise (612, 1001, 1002, 1003 including a
 * malformed multipart body, 1013, 1016, 1019), and both directions across the APIs: a REST import
 * reads through SOAP getLead and list membership, a SOAP importToList job reads as a REST batch.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseMultipart } from '../src/rest/multipart.js';
import { importBody } from './support/campaigns.js';
import { getLeadBody, type TestServer } from './support/harness.js';
import { assertRestError, type Json, resetDemo, restCall, restOk, startRestTestServer } from './support/rest.js';

describe('REST bulk lead import', () => {
  let s: TestServer;
  let token: string;
  let listId: number;
  before(async () => {
    s = await startRestTestServer({ seed: 'demo' });
  });
  after(() => s?.close());
  beforeEach(async () => {
    token = await resetDemo(s);
    listId = (await s.runtime.store.findList('name', 'Demo Program.Imports'))?.id as number;
  });

  async function upload(query: string, file: string | undefined, fields: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    if (file !== undefined) form.set('file', new Blob([file], { type: 'text/csv' }), 'leads.csv');
    const r = await fetch(`${s.url}/bulk/v1/leads.json${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: r.status, body: JSON.parse(await r.text()) as Json };
  }
  const get = (path: string) => restCall(s, path, { token });
  async function file(path: string) {
    const r = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }

  test('csv into a list: Queued, then Complete with counts; failures file; SOAP reads the leads and the list', async () => {
    const csv = 'email,firstName,lastName\nbulk1@example.com,Bulk,One\n,No,Email\n"bulk2@example.com","Two, Jr",Two\n';
    const [created] = restOk(await upload(`?format=csv&listId=${listId}`, csv));
    assert.deepEqual(created, { batchId: created.batchId, importId: String(created.batchId), status: 'Queued' });
    await s.runtime.imports.whenIdle();
    assert.deepEqual(restOk(await get(`/bulk/v1/leads/batch/${created.batchId}.json`)), [
      {
        batchId: created.batchId,
        importId: String(created.batchId),
        status: 'Complete',
        numOfLeadsProcessed: 2,
        numOfRowsFailed: 1,
        numOfRowsWithWarning: 0,
        message: 'Import completed with errors, 2 records imported, 1 failed',
      },
    ]);
    const failures = await file(`/bulk/v1/leads/batch/${created.batchId}/failures.json`);
    assert.equal(failures.status, 200);
    assert.equal(failures.type, 'text/csv;charset=UTF-8');
    assert.equal(failures.text, 'email,firstName,lastName,Import Failure Reason\n,No,Email,Email Address is empty\n');
    const warnings = await file(`/bulk/v1/leads/batch/${created.batchId}/warnings.json`);
    assert.equal(warnings.text, 'email,firstName,lastName,Import Warning Reason\n');

    const soap = await s.soap(getLeadBody('EMAIL', 'bulk2@example.com'));
    assert.equal(soap.status, 200);
    assert.match(
      soap.text,
      /<attrName>FirstName<\/attrName><attrType>string<\/attrType><attrValue>Two, Jr<\/attrValue>/,
    );
    const id = Number(/<Id>(\d+)<\/Id>/.exec(soap.text)?.[1]);
    assert.equal(await s.runtime.store.isListMember(listId, id), true);
    const rest = restOk(
      await get('/rest/v1/leads.json?filterType=email&filterValues=bulk1@example.com&fields=firstName,lastName'),
    );
    // The id comes with every lead, asked for or not (as Marketo): bulk1's, the row before bulk2.
    assert.deepEqual(rest, [{ id: id - 1, firstName: 'Bulk', lastName: 'One' }]);
  });

  test('tsv and ssv files, form fields for the parameters, no list; the failures file is in the same format', async () => {
    const [t] = restOk(
      await upload('', 'email\tfirstName\nt1@example.com\tTab\nnot-a-row\textra\tcell\n', { format: 'tsv' }),
    );
    const [c] = restOk(await upload('?format=ssv', 'email;lastName\ns1@example.com;Semi\n'));
    await s.runtime.imports.whenIdle();
    const [ts] = restOk(await get(`/bulk/v1/leads/batch/${t.batchId}.json`));
    assert.deepEqual([ts.status, ts.numOfLeadsProcessed, ts.numOfRowsFailed], ['Complete', 1, 1]);
    assert.equal(
      (await file(`/bulk/v1/leads/batch/${t.batchId}/failures.json`)).text,
      'email\tfirstName\tImport Failure Reason\nnot-a-row\textra\tcell\tthe row has 3 values; the header has 2 columns\n',
    );
    const [cs] = restOk(await get(`/bulk/v1/leads/batch/${c.batchId}.json`));
    assert.deepEqual(
      [cs.status, cs.numOfLeadsProcessed, cs.message],
      ['Complete', 1, 'Import succeeded, 1 records imported'],
    );
    assert.deepEqual(
      restOk(await get('/rest/v1/leads.json?filterType=email&filterValues=s1@example.com&fields=lastName')).map(
        ({ id, ...rest }) => [typeof id, rest],
      ),
      [['number', { lastName: 'Semi' }]],
    );
  });

  test('a SOAP importToList job is a REST batch, read by its id', async () => {
    const r = await s.soap(importBody({ rows: ['Soap,Import,soapimport@example.com'] }));
    assert.equal(r.status, 200);
    await s.runtime.imports.whenIdle();
    const [job] = await s.runtime.store.imports.listImportJobs({ limit: 1 });
    assert.deepEqual(restOk(await get(`/bulk/v1/leads/batch/${job.id}.json`)), [
      {
        batchId: job.id,
        importId: String(job.id),
        status: 'Complete',
        numOfLeadsProcessed: 1,
        numOfRowsFailed: 0,
        numOfRowsWithWarning: 0,
        message: 'Import succeeded, 1 records imported',
      },
    ]);
  });

  test('errors: 612, 1003 malformed multipart, 1002/1003 format, 1002 file, 1003 empty file and unknown column, 1013 list, 1003 lookupField and partition', async () => {
    assertRestError(
      await restCall(s, '/bulk/v1/leads.json?format=csv', {
        token,
        method: 'POST',
        body: 'email\na@b.c',
        contentType: 'text/csv',
      }),
      612,
      'Invalid Content Type',
    );
    assertRestError(
      await restCall(s, '/bulk/v1/leads.json?format=csv', {
        token,
        method: 'POST',
        body: '--XX\r\nContent-Disposition: form-data; name="file"\r\n\r\nemail\na@b.c\r\n',
        contentType: 'multipart/form-data; boundary=XX',
      }),
      1003,
      'Invalid multipart body: the body ends inside a part (no closing delimiter)',
    );
    assertRestError(
      await restCall(s, '/bulk/v1/leads.json?format=csv', {
        token,
        method: 'POST',
        body: '--XX--',
        contentType: 'multipart/form-data',
      }),
      1003,
      'Invalid multipart body: the multipart/form-data Content-Type has no boundary',
    );
    assertRestError(await upload('', 'email\n'), 1002, "Missing value for the required parameter 'format'");
    assertRestError(
      await upload('?format=xls', 'email\n'),
      1003,
      "Invalid value 'xls' for format; expected csv, tsv or ssv",
    );
    assertRestError(
      await upload('?format=csv', undefined, { other: 'x' }),
      1002,
      "Missing value for the required parameter 'file'",
    );
    assertRestError(await upload('?format=csv', ''), 1003, 'Empty file');
    assertRestError(
      await upload('?format=csv', 'email,shoeSize\na@b.c,9\n'),
      1003,
      'importToList operation failed: unknown fields for import: shoeSize',
    );
    assertRestError(await upload('?format=csv&listId=99999', 'email\na@b.c\n'), 1013, "List '99999' not found");
    assertRestError(
      await upload('?format=csv&listId=abc', 'email\na@b.c\n'),
      1001,
      "Invalid value 'abc'. Required of type 'Integer'",
    );
    assertRestError(
      await upload('?format=csv&lookupField=sfdcLeadId', 'email\na@b.c\n'),
      1003,
      "lookupField 'sfdcLeadId' is not supported; use email",
    );
    assertRestError(
      await upload('?format=csv&partitionName=Europe', 'email\na@b.c\n'),
      1003,
      "Partition 'Europe' not found",
    );
    assert.deepEqual(await s.runtime.store.imports.listImportJobs(), []);
    assertRestError(await get('/bulk/v1/leads/batch/424242.json'), 1013, "Batch '424242' not found");
    assertRestError(await get('/bulk/v1/leads/batch/x1.json'), 1001, "Invalid value 'x1'. Required of type 'Integer'");
  });

  test('1019 while the list is being imported, 1016 beyond 10 queued REST imports', async () => {
    await s.runtime.imports.pause();
    try {
      restOk(await upload(`?format=csv&listId=${listId}`, 'email\nq0@example.com\n'));
      assertRestError(
        await upload(`?format=csv&listId=${listId}`, 'email\nq1@example.com\n'),
        1019,
        'Import in progress',
      );
      for (let i = 1; i < 10; i++) restOk(await upload('?format=csv', `email\nq${i}@example.com\n`));
      assertRestError(await upload('?format=csv', 'email\nq10@example.com\n'), 1016, 'Too many imports');
      const [first] = (await s.runtime.store.imports.listImportJobs()).slice(-1);
      assert.equal(restOk(await get(`/bulk/v1/leads/batch/${first.id}.json`))[0].status, 'Queued');
    } finally {
      s.runtime.imports.resume();
    }
    await s.runtime.imports.whenIdle();
    assert.equal((await s.runtime.store.imports.listImportJobs({ status: 'COMPLETE' })).length, 10);
  });

  test('the multipart reader: names, filenames, quoted boundaries, and the parts as sent', () => {
    const ok = Buffer.from(
      '--ab\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n' +
        '--ab\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\n--a\r\n--ab--\r\n',
    );
    assert.throws(() => parseMultipart(ok, 'multipart/form-data; charset=utf-8'), /no boundary/);
    assert.throws(() => parseMultipart(ok, 'multipart/form-data; boundary=zz'), /no part delimiter/);
    assert.deepEqual(
      parseMultipart(ok, 'multipart/form-data; boundary="ab"').map((p) => [
        p.name,
        p.filename,
        p.contentType,
        p.data.toString(),
      ]),
      [
        ['format', undefined, undefined, 'csv'],
        ['file', 'x.csv', 'text/csv', 'email\r\n--a'],
      ],
    );
  });
});
