/**
 * The 60 requests that twelve third-party SOAP stacks wrote to the socket
 * (../shared/reference/client-requests), replayed byte for byte over raw TCP to a running server.
 * Nothing is re-encoded: request line, headers (HTTP/1.0 for Axis, three `Accept:` lines for
 * SOAP::Lite, `Expect: 100-continue` for Mono) and body go out as captured. The server clock is
 * moved to each request's own requestTimestamp, so its captured signature is inside the window.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NAMESPACE, parseLenientDateTime, parseXml, SOAP_ENV_NS, type XmlElement } from '@mktows/protocol';
import { onBridge } from './support/bridge-mode.js';
import { find, findAll, getLeadBody, startTestServer, type TestServer, text } from './support/harness.js';

const SHARED_DIR = process.env.MKTOWS_SHARED_DIR || undefined;
const SKIP = SHARED_DIR ? false : 'skipped: ../shared absent';

const CAP_USER = 'cap_user';
const CAP_KEY = 'cap_key_0123456789';
const ADA = 'ada@demo.example';
const OPS = ['getLead', 'getMultipleLeads', 'syncLead', 'listOperation', 'getLeadChanges'] as const;
/** Leads written with the clock inside every captured LastUpdateAtSelector range. */
const IN_RANGE = ['replay-1@range.example', 'replay-2@range.example', 'replay-3@range.example'];

interface Capture {
  /** `<stack>/<file>`. */
  readonly name: string;
  readonly op: string;
  /** The whole file, as sent. */
  readonly bytes: Buffer;
  /** Bytes up to and including the blank line that ends the headers. */
  readonly head: Buffer;
  readonly body: Buffer;
  readonly expectContinue: boolean;
  /** The client asked to close the connection (`Connection: close`, or HTTP/1.0 without keep-alive). */
  readonly closes: boolean;
  readonly timestamp: string;
}

function loadCaptures(sharedDir: string): Capture[] {
  const root = join(sharedDir, 'reference', 'client-requests');
  const out: Capture[] = [];
  for (const stack of readdirSync(root, { withFileTypes: true })) {
    if (!stack.isDirectory()) continue;
    for (const file of readdirSync(join(root, stack.name)).sort()) {
      if (!file.endsWith('.http')) continue;
      const bytes = readFileSync(join(root, stack.name, file));
      const split = bytes.indexOf('\r\n\r\n');
      assert.ok(split > 0, `${stack.name}/${file} has a head`);
      const head = bytes.subarray(0, split + 4);
      const body = bytes.subarray(split + 4);
      const headText = head.toString('latin1');
      const declared = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
      assert.equal(Number(declared?.[1]), body.length, `${stack.name}/${file}: Content-Length matches the body`);
      const ts = /<(?:[\w.-]+:)?requestTimestamp\b[^>]*>([^<]+)</.exec(body.toString('utf8'));
      assert.ok(ts, `${stack.name}/${file} carries a requestTimestamp`);
      out.push({
        name: `${stack.name}/${file}`,
        op: file.slice(0, file.indexOf('.')),
        bytes,
        head,
        body,
        expectContinue: /\r\nexpect:\s*100-continue/i.test(headText),
        closes:
          /\r\nconnection:[^\r]*\bclose\b/i.test(headText) ||
          (headText.startsWith('POST /soap/mktows/2_6 HTTP/1.0') && !/\r\nconnection:[^\r]*keep-alive/i.test(headText)),
        timestamp: ts[1],
      });
    }
  }
  return out;
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Interim (1xx) status lines received before the final response. */
  interim: string[];
}

/**
 * Sends a captured request over a fresh TCP connection and reads one HTTP response. With
 * `expectContinue` the headers go first and the body only after `HTTP/1.1 100 Continue`, as Mono
 * does.
 */
function replay(port: number, c: Capture, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    const interim: string[] = [];
    let bodySent = !c.expectContinue;
    let done = false;
    const finish = (err: Error | undefined, r?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(r as RawResponse);
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `${c.name}: no complete response within ${timeoutMs} ms; got ${JSON.stringify(buf.toString('latin1'))}`,
          ),
        ),
      timeoutMs,
    );
    /** Parses what has arrived; returns true when a final response is complete. */
    const tryParse = (ended: boolean): boolean => {
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return false;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
        if (!m) {
          finish(new Error(`${c.name}: bad status line ${JSON.stringify(lines[0])}`));
          return true;
        }
        const status = Number(m[1]);
        if (status >= 100 && status < 200) {
          interim.push(lines[0]);
          buf = buf.subarray(end + 4);
          if (status === 100 && !bodySent) {
            bodySent = true;
            socket.write(c.body);
          }
          continue;
        }
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const i = line.indexOf(':');
          headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        const rest = buf.subarray(end + 4);
        const length = headers['content-length'];
        if (length === undefined) {
          if (!ended) return false;
          finish(undefined, { status, headers, body: rest.toString('utf8'), interim });
          return true;
        }
        if (rest.length < Number(length)) return false;
        finish(undefined, { status, headers, body: rest.subarray(0, Number(length)).toString('utf8'), interim });
        return true;
      }
    };
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      tryParse(false);
    });
    socket.on('end', () => {
      if (!tryParse(true)) finish(new Error(`${c.name}: connection closed before a complete response`));
    });
    socket.on('error', (e) => finish(e));
    socket.on('connect', () => {
      // Exactly the captured bytes; with Expect the body waits for 100 Continue.
      socket.write(c.expectContinue ? c.head : c.bytes);
    });
  });
}

/** The one element of the SOAP Body, after checking the envelope. */
function bodyElement(xml: string): XmlElement {
  const doc = parseXml(xml);
  assert.equal(doc.ns, SOAP_ENV_NS);
  assert.equal(doc.local, 'Envelope');
  const body = doc.children.find((e) => e.ns === SOAP_ENV_NS && e.local === 'Body');
  assert.ok(body, 'the response has a Body');
  assert.equal(body.children.length, 1);
  return body.children[0];
}

function assertSuccess(r: RawResponse, element: string): XmlElement {
  assert.equal(r.status, 200, `expected HTTP 200, got ${r.status}: ${r.body}`);
  assert.match(r.headers['content-type'] ?? '', /^text\/xml; charset=utf-8$/i);
  const el = bodyElement(r.body);
  assert.equal(el.ns, NAMESPACE);
  assert.equal(el.local, element);
  return el;
}

function leadAttributes(record: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of findAll(record, 'attribute')) out[text(a, 'attrName') ?? ''] = text(a, 'attrValue') ?? '';
  return out;
}

describe('captured third-party client requests, replayed byte for byte', { skip: SKIP }, () => {
  const captures = SHARED_DIR ? loadCaptures(SHARED_DIR) : [];
  let s: TestServer;
  let adaId: number;

  /** Moves the server clock so that `now` is the capture's own requestTimestamp. */
  async function clockAt(c: Capture): Promise<void> {
    const at = parseLenientDateTime(c.timestamp);
    assert.ok(at, `${c.name}: requestTimestamp ${c.timestamp} parses`);
    const r = await s.admin('POST', '/_mktows/clock', { offsetSeconds: (at.getTime() - Date.now()) / 1000 });
    assert.equal(r.status, 200);
  }

  async function send(c: Capture): Promise<RawResponse> {
    await clockAt(c);
    const r = await replay(s.port, c);
    if (c.expectContinue) assert.deepEqual(r.interim, ['HTTP/1.1 100 Continue'], `${c.name}: 100 Continue first`);
    // strong-soap sends Connection: close but keeps the socket in its pool: the answer must say
    // Connection: close, or its next call fails with "socket hang up" (client-requests/README.md).
    if (c.closes) assert.equal(r.headers.connection?.toLowerCase(), 'close', `${c.name}: Connection: close answered`);
    return r;
  }

  async function getLeadNow(email: string): Promise<XmlElement> {
    const r = await s.soap(getLeadBody('EMAIL', email));
    assert.equal(r.status, 200, r.text);
    const records = findAll(r.doc, 'leadRecord');
    assert.equal(records.length, 1);
    return records[0];
  }

  before(async () => {
    s = await startTestServer({ seed: 'demo' });
    const u = await s.admin('POST', '/_mktows/users', { userId: CAP_USER, encryptionKey: CAP_KEY });
    assert.equal(u.status, 200, JSON.stringify(u.body));
    adaId = Number(text(await getLeadNow(ADA), 'Id'));
    // The demo leads were written at the real "now", after every capture was made, so they lie
    // beyond the end of each captured range (its end is the server's now = the request's timestamp).
    // These three are written a minute before the earliest capture: inside every range.
    const earliest = Math.min(...captures.map((c) => (parseLenientDateTime(c.timestamp) as Date).getTime()));
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: (earliest - 60_000 - Date.now()) / 1000 });
    const records = IN_RANGE.map(
      (e) =>
        `<leadRecord><Email>${e}</Email><leadAttributeList><attribute><attrName>FirstName</attrName><attrValue>Range</attrValue></attribute></leadAttributeList></leadRecord>`,
    ).join('');
    const r = await s.soap(
      `<ns1:paramsSyncMultipleLeads><leadRecordList>${records}</leadRecordList></ns1:paramsSyncMultipleLeads>`,
    );
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(
      findAll(r.doc, 'status').map((e) => e.text),
      ['CREATED', 'CREATED', 'CREATED'],
    );
  });

  after(async () => {
    await s?.close();
  });

  test('there are 60 captures: 12 stacks × 5 operations', () => {
    assert.equal(captures.length, 60);
    for (const op of OPS) assert.equal(captures.filter((c) => c.op === op).length, 12, op);
    assert.ok(captures.some((c) => c.name === 'soap-wsdl/getMultipleLeads.no-xsi-type.http'));
    assert.ok(
      captures.filter((c) => c.name.startsWith('mono-asmx/')).every((c) => c.expectContinue),
      'Mono sends Expect: 100-continue',
    );
    assert.ok(
      captures.filter((c) => c.name.startsWith('strong-soap/')).every((c) => c.closes),
      'strong-soap sends Connection: close',
    );
    assert.ok(
      captures.some((c) => c.bytes.subarray(0, 40).toString('latin1').includes('HTTP/1.0')),
      'Axis sends HTTP/1.0',
    );
  });

  const byOp = (op: string) => captures.filter((c) => c.op === op);

  for (const c of byOp('getLead')) {
    test(`${c.name}: successGetLead with Ada`, async () => {
      const r = await send(c);
      const el = assertSuccess(r, 'successGetLead');
      assert.equal(text(el, 'count'), '1');
      const records = findAll(el, 'leadRecord');
      assert.equal(records.length, 1);
      assert.equal(text(records[0], 'Email'), ADA);
      assert.equal(Number(text(records[0], 'Id')), adaId);
      assert.equal(leadAttributes(records[0]).FirstName, 'Ada');
    });
  }

  for (const c of byOp('getMultipleLeads')) {
    // Its leads are written with the clock set back: their activities follow the demo's in id order
    // but precede them in time, and the bridge reads activities in id order up to the range's end.
    const back = onBridge('the clock set back puts activity ids out of time order');
    test(`${c.name}: successGetMultipleLeads with the leads updated inside the range`, { skip: back }, async () => {
      const r = await send(c);
      const el = assertSuccess(r, 'successGetMultipleLeads');
      const returnCount = Number(text(el, 'returnCount'));
      const remainingCount = Number(text(el, 'remainingCount'));
      const records = findAll(el, 'leadRecord');
      assert.ok(returnCount >= 0);
      assert.equal(records.length, returnCount);
      // batchSize 100 holds every lead in the range: nothing remains, the position is empty.
      assert.equal(remainingCount, 0);
      assert.equal(text(el, 'newStreamPosition'), '');
      // Exactly the leads written inside [oldestUpdatedAt, now]; the 500 demo leads are later.
      assert.deepEqual(records.map((rec) => text(rec, 'Email')).sort(), [...IN_RANGE].sort());
    });
  }

  for (const c of byOp('syncLead')) {
    test(`${c.name}: successSyncLead UPDATED, FirstName and LastName applied`, async () => {
      // Give Ada other names first, so that the replay visibly writes its own.
      const prep = await s.soap(
        `<ns1:paramsSyncLead><leadRecord><Email>${ADA}</Email><leadAttributeList><attribute><attrName>FirstName</attrName><attrValue>Augusta</attrValue></attribute><attribute><attrName>LastName</attrName><attrValue>King</attrValue></attribute></leadAttributeList></leadRecord><returnLead>false</returnLead></ns1:paramsSyncLead>`,
      );
      assert.equal(prep.status, 200, prep.text);
      assert.equal(leadAttributes(await getLeadNow(ADA)).FirstName, 'Augusta');

      const r = await send(c);
      const el = assertSuccess(r, 'successSyncLead');
      const result = find(el, 'result') as XmlElement;
      assert.equal(text(result, 'leadId'), String(adaId));
      const status = find(result, 'syncStatus') as XmlElement;
      assert.equal(text(status, 'leadId'), String(adaId));
      assert.equal(text(status, 'status'), 'UPDATED');
      assert.equal(find(status, 'error')?.attrs.find((a) => a.local === 'nil')?.value, 'true');
      // returnLead true: the updated record comes back.
      const returned = result.children.find((e) => e.local === 'leadRecord') as XmlElement;
      assert.equal(text(returned, 'Email'), ADA);
      assert.deepEqual(
        { FirstName: leadAttributes(returned).FirstName, LastName: leadAttributes(returned).LastName },
        { FirstName: 'Ada', LastName: 'Lovelace' },
      );

      const stored = await getLeadNow(ADA);
      assert.equal(Number(text(stored, 'Id')), adaId);
      const attrs = leadAttributes(stored);
      assert.deepEqual(
        { FirstName: attrs.FirstName, LastName: attrs.LastName },
        { FirstName: 'Ada', LastName: 'Lovelace' },
      );
    });
  }

  for (const c of byOp('listOperation')) {
    test(`${c.name}: successListOperation, leads 1 and 2 are members of the Demo List`, async () => {
      const r = await send(c);
      const el = assertSuccess(r, 'successListOperation');
      const result = find(el, 'result') as XmlElement;
      assert.deepEqual(
        result.children.map((e) => e.local),
        ['success', 'statusList'],
      );
      assert.equal(text(result, 'success'), 'true');
      // ISMEMBEROFLIST answers a status per lead, in request order.
      assert.deepEqual(
        findAll(result, 'leadStatus').map((st) => [text(st, 'keyType'), text(st, 'keyValue'), text(st, 'status')]),
        [
          ['IDNUM', '1', 'true'],
          ['IDNUM', '2', 'true'],
        ],
      );
    });
  }

  for (const c of byOp('getLeadChanges')) {
    test(`${c.name}: successGetLeadChanges with every Change Data Value since oldestCreatedAt`, async () => {
      const r = await send(c);
      const el = assertSuccess(r, 'successGetLeadChanges');
      const result = find(el, 'result') as XmlElement;
      // The Change Data Value activities since 2026-11-01T00:00:00-06:00: the syncLead replays
      // above renamed Ada back and forth.
      const expected = await s.runtime.store.pageActivityChanges({
        include: ['Change Data Value'],
        from: Date.parse('2026-11-01T06:00:00Z'),
        afterId: 0,
        limit: 1000,
      });
      assert.ok(expected.activities.length > 0, 'the syncLead replays wrote Change Data Value activities');
      const records = findAll(result, 'leadChangeRecord');
      assert.equal(Number(text(result, 'returnCount')), records.length);
      assert.equal(text(result, 'remainingCount'), '0');
      assert.deepEqual(
        records.map((rec) => Number(text(rec, 'id'))),
        expected.activities.map((a) => a.id),
        'oldest first by id',
      );
      for (const rec of records) {
        // A 2_6 path: an id, no marketoGUID.
        assert.deepEqual(
          rec.children.map((e) => e.local),
          ['id', 'activityDateTime', 'activityType', 'mktgAssetName', 'activityAttributes', 'mktPersonId'],
        );
        assert.equal(text(rec, 'activityType'), 'Change Data Value');
        assert.equal(text(rec, 'mktPersonId'), String(adaId));
        assert.ok(['First Name', 'Last Name'].includes(text(rec, 'mktgAssetName') ?? ''));
      }
      const position = find(result, 'newStartPosition') as XmlElement;
      const nil = (name: string) => find(position, name)?.attrs.find((a) => a.local === 'nil')?.value === 'true';
      assert.ok(nil('latestCreatedAt') && nil('activityCreatedAt'));
      assert.equal(text(position, 'oldestCreatedAt'), '2026-11-01T06:00:00+00:00');
      assert.ok((text(position, 'offset') ?? '').length > 20, 'an offset to poll from');
    });
  }
});
