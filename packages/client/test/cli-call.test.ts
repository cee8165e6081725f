/** `mktows call` (runCall) against a running server: params as JSON or flags, JSON or table output. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCall } from '../src/cli-call.js';
import { KEY, startMktows, type TestServer } from './support.js';

let server: TestServer;
let env: Record<string, string>;

before(async () => {
  server = await startMktows();
  const user = await server.user('cli');
  env = { MKTOWS_ENDPOINT: server.endpoint, MKTOWS_USER_ID: user, MKTOWS_ENCRYPTION_KEY: KEY };
});
after(() => server.close());

async function call(argv: string[], e: Record<string, string> = env) {
  let out = '';
  let err = '';
  const code = await runCall(argv, e, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

test('getLead --email prints the result as JSON', async () => {
  const r = await call(['getLead', '--email', 'ada@demo.example']);
  assert.equal(r.code, 0, r.err);
  const result = JSON.parse(r.out);
  assert.equal(result.count, 1);
  assert.equal(result.leadRecordList.leadRecord[0].Email, 'ada@demo.example');
});

test('--table prints the records with lead attributes as columns', async () => {
  const r = await call(['getLead', '--email=ada@demo.example', '--table']);
  assert.equal(r.code, 0, r.err);
  const [header, rule, row] = r.out.split('\n');
  assert.match(header, /^Id\s+Email\s+.*FirstName/);
  assert.match(rule, /^-+\s+-+/);
  assert.match(row, /ada@demo\.example\s+.*Ada/);
});

test('--params JSON, dotted flags and --all for a stream', async () => {
  const json = await call([
    'getMultipleLeads',
    '--params',
    '{"leadSelector":{"xsiType":"StaticListSelector","staticListName":"Demo List"},"batchSize":5}',
  ]);
  assert.equal(json.code, 0, json.err);
  assert.equal(JSON.parse(json.out).returnCount, 5);

  const flags = await call([
    'getMultipleLeads',
    '--leadSelector.xsiType',
    'LeadKeySelector',
    '--leadSelector.keyType',
    'EMAIL',
    '--leadSelector.keyValues.stringItem',
    'ada@demo.example',
    '--leadSelector.keyValues.stringItem',
    'nobody@nowhere.example',
    '--batch-size',
    '10',
  ]);
  assert.equal(flags.code, 0, flags.err);
  assert.equal(JSON.parse(flags.out).returnCount, 1);

  const all = await call([
    'getMultipleLeads',
    '--leadSelector.xsiType',
    'StaticListSelector',
    '--leadSelector.staticListName',
    'Demo List',
    '--batchSize',
    '30',
    '--all',
  ]);
  assert.equal(all.code, 0, all.err);
  assert.equal(JSON.parse(all.out).length, 100);
});

test('a fault exits 1 with the message and the catalogue advice', async () => {
  const r = await call(['getLead', '--email', 'nobody@nowhere.example']);
  assert.equal(r.code, 1);
  assert.match(r.err, /20103 - Lead Not Found: No lead found with EMAIL = nobody@nowhere.example/);
  assert.match(r.err, /advice: do not retry/);
});

test('usage errors exit 2: unknown operation, unknown field, bad value, partial credentials', async () => {
  assert.equal((await call(['getLeed'])).code, 2);
  const field = await call(['getLead', '--leadKey.kind', 'EMAIL']);
  assert.equal(field.code, 2);
  assert.match(field.err, /LeadKey has no field "kind"; fields: keyType, keyValue/);
  const enumValue = await call(['getLead', '--leadKey.keyType', 'MAIL', '--leadKey.keyValue', 'x']);
  assert.equal(enumValue.code, 2);
  assert.match(enumValue.err, /must be one of IDNUM, COOKIE, EMAIL/);
  const creds = await call(['getLead', '--email', 'a@b.example'], { MKTOWS_ENDPOINT: server.endpoint });
  assert.equal(creds.code, 2);
  assert.match(creds.err, /missing --user-id \(MKTOWS_USER_ID\), --encryption-key \(MKTOWS_ENCRYPTION_KEY\)/);
  assert.equal((await call(['getLead', '--all'])).code, 2);
  assert.equal((await call([])).code, 2);
});

test('flags beat the environment; --help describes an operation', async () => {
  const r = await call(['getLead', '--email', 'ada@demo.example', '--encryption-key', 'wrong-key-0123456789'], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /20014/);
  const help = await call(['getLead', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--leadKey\s+LeadKey/);
  assert.match((await call(['--help'])).out, /Usage: mktows call <operation>/);
});
