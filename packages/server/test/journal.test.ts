/**
 * The request journal as a unit: a ring of the last N calls, newest first, and the memory it
 * holds. Found by bench/ (getMultipleLeads paging through 1,000,000 leads): a clipped body kept its
 * whole original alive, because a V8 slice points into its parent string.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LocalJournal } from '../src/journal.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function entry(
  i: number,
  request: string | Buffer = `<keyValue>${i}</keyValue>`,
  response: string | Buffer = `<ok>${i}</ok>`,
) {
  return {
    at: 0,
    userId: i % 2 ? 'odd' : 'even',
    operation: i % 3 ? 'getLead' : 'syncLead',
    durationMs: 1,
    status: 200,
    faultCode: null,
    request,
    response,
  };
}

function heapMiB(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 2 ** 20;
}

describe('journal', () => {
  test('keeps the last N entries, newest first, with filters and limit', () => {
    const j = new LocalJournal(3);
    for (let i = 1; i <= 7; i++) j.add(entry(i));
    assert.deepEqual(
      j.query({}).map((e) => e.id),
      [7, 6, 5],
    );
    assert.deepEqual(
      j.query({ limit: 2 }).map((e) => e.id),
      [7, 6],
    );
    assert.deepEqual(
      j.query({ userId: 'odd' }).map((e) => e.id),
      [7, 5],
    );
    assert.deepEqual(
      j.query({ operation: 'syncLead' }).map((e) => e.id),
      [6],
    );
    j.clear();
    assert.deepEqual(j.query({}), []);
    j.add(entry(8));
    assert.deepEqual(
      j.query({}).map((e) => e.id),
      [8],
    );
  });

  test('fields come back as recorded; the signature is masked, bytes and text alike', () => {
    const j = new LocalJournal(5, undefined, 'host-a:8080');
    const request = '<a:requestSignature>0123abcd</a:requestSignature><keyValue>zoë@example.com</keyValue>';
    j.add({ ...entry(1), at: Date.UTC(2026, 10, 25, 12), request: Buffer.from(request), response: 'ü<ok/>' });
    j.add({ ...entry(2), status: 500, faultCode: 20103, request, response: Buffer.from('<fault/>') });
    const [second, first] = j.query({});
    assert.deepEqual(first, {
      id: 1,
      api: 'soap',
      replica: 'host-a:8080',
      time: '2026-11-25T12:00:00.000Z',
      userId: 'odd',
      operation: 'getLead',
      durationMs: 1,
      status: 200,
      faultCode: null,
      request: '<a:requestSignature>********</a:requestSignature><keyValue>zoë@example.com</keyValue>',
      response: 'ü<ok/>',
    });
    assert.equal(second.faultCode, 20103);
    assert.equal(second.request, first.request);
    assert.equal(second.response, '<fault/>');
    assert.deepEqual(
      j.query({ code: 20103 }).map((e) => e.id),
      [2],
    );
  });

  test('bodies beyond the byte budget are dropped, oldest first; the entries stay', () => {
    const j = new LocalJournal(10, 10_000);
    for (let i = 1; i <= 6; i++) j.add(entry(i, `<r>${'a'.repeat(2000)}${i}</r>`, Buffer.from(`<s>${i}</s>`)));
    const entries = j.query({});
    assert.deepEqual(
      entries.map((e) => e.id),
      [6, 5, 4, 3, 2, 1],
    );
    // Each request reserves 3 bytes per UTF-16 unit (about 6 KB), so one request and its response fit.
    assert.equal(entries[0].request, `<r>${'a'.repeat(2000)}6</r>`);
    assert.equal(entries[0].response, '<s>6</s>');
    assert.match(
      entries[5].request,
      /^\[body no longer kept: the journal keeps the bodies of recent calls up to 10000 bytes; it was 2008 bytes\]$/,
    );
    assert.match(entries[5].response, /^\[body no longer kept/);
  });

  test('a clipped body never ends inside a character', () => {
    const j = new LocalJournal(2);
    j.add(entry(1, Buffer.from('x'), 'é'.repeat(200_000)));
    const [e] = j.query({});
    const kept = e.response.replace(/… \[\d+ more bytes\]$/, '');
    assert.equal(kept, 'é'.repeat(128 * 1024));
    assert.match(e.response, new RegExp(`… \\[${400_000 - 256 * 1024} more bytes\\]$`));
  });

  test('a journal of size 0 keeps nothing', () => {
    const j = new LocalJournal(0);
    j.add(entry(1));
    assert.deepEqual(j.query({}), []);
  });

  test('an oversized body is clipped, and only the clipped text stays in memory', () => {
    const j = new LocalJournal(100, 16 * 2 ** 20);
    const before = heapMiB();
    for (let i = 0; i < 40; i++) {
      // A flat string of about 2 MiB, built as the encoder builds a 1000-lead page.
      const big = Array.from(
        { length: 20_000 },
        (_, k) => `<leadRecord><Id>${i}-${k}</Id>${'x'.repeat(90)}</leadRecord>`,
      ).join('');
      j.add(entry(i, `<keyValue>${i}</keyValue>`, big));
    }
    const grown = heapMiB() - before;
    const [last] = j.query({ limit: 1 });
    assert.ok(last.response.length < 256 * 1024 + 100, 'the response is clipped');
    assert.match(last.response, /… \[\d+ more bytes\]$/);
    assert.equal(Buffer.byteLength(last.response.replace(/… \[\d+ more bytes\]$/, '')), 256 * 1024);
    // The arena is 16 MiB and holds the 40 clipped responses (10 MiB); the originals would be 80 MiB and more.
    assert.ok(grown < 30, `the journal grew the heap by ${grown.toFixed(1)} MiB`);
    assert.equal(j.query({}).filter((e) => e.response.startsWith('[body no longer kept')).length, 0);
  });
});
