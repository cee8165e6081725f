/**
 * The request journal as a unit: a ring of the last N calls, newest first, and the memory it
 * holds. Found by bench/ (getMultipleLeads paging through 1,000,000 leads): a clipped body kept its
 * whole original alive, because a V8 slice points into its parent string.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Journal } from '../src/journal.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function entry(i: number, request = `<keyValue>${i}</keyValue>`, response = `<ok>${i}</ok>`) {
  return {
    time: new Date(0).toISOString(),
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
    const j = new Journal(3);
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

  test('a journal of size 0 keeps nothing', () => {
    const j = new Journal(0);
    j.add(entry(1));
    assert.deepEqual(j.query({}), []);
  });

  test('an oversized body is clipped, and only the clipped text stays in memory', () => {
    const j = new Journal(100);
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
    assert.match(last.response, /… \[\d+ more characters\]$/);
    // 40 clipped responses are 40 × 256 KiB = 10 MiB; keeping the originals would be 80 MiB and more.
    assert.ok(grown < 30, `the journal grew the heap by ${grown.toFixed(1)} MiB`);
  });
});
