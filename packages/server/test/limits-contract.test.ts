import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MktowsFault } from '@mktows/protocol';
import {
  type Admission,
  type Lease,
  type Limits,
  parseDuration,
  parseRate,
  rejectionFault,
  type UserLimits,
} from '../src/limits/limits.js';
import { MemoryLimits } from '../src/limits/memory.js';
import { LIMITS_BACKEND, openTestLimits } from './support/limits-backends.js';

const CHICAGO = 'America/Chicago';
const DEFAULTS: UserLimits = { quotaPerDay: 10_000, ratePerWindow: 100, windowMs: 20_000, concurrency: 10 };
/** A whole minute, so also a multiple of 20 s: the start of a fixed 20 s bucket, if we had buckets. */
const T = Date.parse('2026-06-15T17:00:00.000Z');
const at = (iso: string) => Date.parse(iso);

/** The backend under test (MKTOWS_TEST_LIMITS): memory by default. */
const B = LIMITS_BACKEND === 'memory' ? 'MemoryLimits' : 'RedisLimits';
/** Tests of the memory backend's own bookkeeping (sweeping idle users); Redis expires keys instead. */
const memoryOnly = { skip: LIMITS_BACKEND !== 'memory' && 'memory backend only' };

function limiter(): Promise<Limits> {
  return openTestLimits(CHICAGO);
}

function lim(over: Partial<UserLimits> = {}): UserLimits {
  return { ...DEFAULTS, ...over };
}

function leaseOf(a: Admission): Lease {
  assert.equal(a.ok, true, a.ok ? '' : `expected admission, got ${a.code}: ${a.detail}`);
  return (a as Extract<Admission, { ok: true }>).lease;
}

/** Admits and releases at once, as a call that finished. */
async function call(l: Limits, userId: string, now: number, limits: UserLimits): Promise<void> {
  await leaseOf(await l.admit(userId, now, limits)).release();
}

function assertRejected(a: Admission, code: 20015 | 20023 | 20024, detail: string, retryAfterMs: number): void {
  assert.deepEqual(a.ok ? { ok: true } : a, { ok: false, code, detail, retryAfterMs });
}

describe(`${B}: daily quota (20015)`, () => {
  test('quota 3/day: the 4th call answers 20015 until the next Chicago midnight, on a 25-hour DST day', async () => {
    const l = await limiter();
    const q = lim({ quotaPerDay: 3 });
    // 2026-11-01 runs from 05:00Z (00:00 CDT) to 06:00Z on Nov 2 (00:00 CST).
    await call(l, 'u1', at('2026-11-01T05:00:00.000Z'), q);
    await call(l, 'u1', at('2026-11-01T12:00:00.000Z'), q);
    await call(l, 'u1', at('2026-11-02T05:30:00.000Z'), q); // 23:30 CST, still Nov 1
    const now = at('2026-11-02T05:59:00.000Z');
    assertRejected(
      await l.admit('u1', now, q),
      20015,
      'Daily quota of 3 calls reached for user u1; resets at 2026-11-02T06:00:00.000Z',
      60_000,
    );
    assertRejected(
      await l.admit('u1', at('2026-11-02T05:59:59.999Z'), q),
      20015,
      'Daily quota of 3 calls reached for user u1; resets at 2026-11-02T06:00:00.000Z',
      1,
    );
    const next = leaseOf(await l.admit('u1', at('2026-11-02T06:00:00.000Z'), q));
    await next.release();
    const snap = await l.snapshot('u1', at('2026-11-02T06:00:00.000Z'), q);
    assert.equal(snap.quotaUsed, 1);
    assert.deepEqual(snap.quotaResetsAt, new Date('2026-11-03T06:00:00.000Z'));
  });

  test('the call just before midnight on Oct 31 belongs to the day before Nov 1', async () => {
    const l = await limiter();
    const q = lim({ quotaPerDay: 1 });
    await call(l, 'u1', at('2026-11-01T04:59:59.999Z'), q); // 23:59:59.999 CDT, Oct 31
    assertRejected(
      await l.admit('u1', at('2026-11-01T04:59:59.999Z'), q),
      20015,
      'Daily quota of 1 call reached for user u1; resets at 2026-11-01T05:00:00.000Z',
      1,
    );
    await call(l, 'u1', at('2026-11-01T05:00:00.000Z'), q);
  });

  test('quota 3/day on the 23-hour day 2026-03-08 resets at 05:00Z on Mar 9', async () => {
    const l = await limiter();
    const q = lim({ quotaPerDay: 3 });
    // 2026-03-08 runs from 06:00Z (00:00 CST) to 05:00Z on Mar 9 (00:00 CDT).
    await call(l, 'u1', at('2026-03-08T06:00:00.000Z'), q);
    await call(l, 'u1', at('2026-03-08T08:30:00.000Z'), q); // 03:30 CDT, just after the gap
    await call(l, 'u1', at('2026-03-09T04:00:00.000Z'), q);
    assertRejected(
      await l.admit('u1', at('2026-03-09T04:59:59.999Z'), q),
      20015,
      'Daily quota of 3 calls reached for user u1; resets at 2026-03-09T05:00:00.000Z',
      1,
    );
    await call(l, 'u1', at('2026-03-09T05:00:00.000Z'), q);
    assert.equal((await l.snapshot('u1', at('2026-03-09T05:00:00.000Z'), q)).quotaUsed, 1);
  });
});

describe(`${B}: sliding rate window (20023)`, () => {
  test('100/20 s: 100 calls over 19.9 s, the 101st waits for the oldest to be exactly 20 s old', async () => {
    const l = await limiter();
    for (let i = 0; i < 100; i++) await call(l, 'u1', T + i * 201, DEFAULTS); // last at T+19 899
    assertRejected(
      await l.admit('u1', T + 19_900, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 100 ms',
      100,
    );
    assertRejected(
      await l.admit('u1', T + 19_999, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 1 ms',
      1,
    );
    await call(l, 'u1', T + 20_000, DEFAULTS);
    // The window is full again; now the call at T+201 is the oldest.
    assertRejected(
      await l.admit('u1', T + 20_000, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 201 ms',
      201,
    );
  });

  test('not fixed buckets: 100 calls at t=19 s keep the window full across the 20 s boundary', async () => {
    const l = await limiter();
    for (let i = 0; i < 100; i++) await call(l, 'u1', T + 19_000, DEFAULTS);
    // A fixed 20 s bucket would start afresh at T+20 s; the sliding window still holds all 100.
    assertRejected(
      await l.admit('u1', T + 20_000, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 19000 ms',
      19_000,
    );
    assertRejected(
      await l.admit('u1', T + 38_999, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 1 ms',
      1,
    );
    await call(l, 'u1', T + 39_000, DEFAULTS);
  });

  test('not fixed buckets: 50 calls at 1 s and 50 at 19 s allow 50 more once the first 50 age out', async () => {
    const l = await limiter();
    for (let i = 0; i < 50; i++) await call(l, 'u1', T + 1_000, DEFAULTS);
    for (let i = 0; i < 50; i++) await call(l, 'u1', T + 19_000, DEFAULTS);
    assert.equal((await l.admit('u1', T + 20_999, DEFAULTS)).ok, false);
    for (let i = 0; i < 50; i++) await call(l, 'u1', T + 21_000, DEFAULTS);
    assertRejected(
      await l.admit('u1', T + 21_000, DEFAULTS),
      20023,
      'Rate limit of 100 calls per 20 s reached for user u1; retry in 18000 ms',
      18_000,
    );
  });

  test('a window in milliseconds reads as such: 5/1500ms', async () => {
    const l = await limiter();
    const r = lim(parseRate('5/1500ms'));
    for (let i = 0; i < 5; i++) await call(l, 'u1', T + i, r);
    assertRejected(
      await l.admit('u1', T + 10, r),
      20023,
      'Rate limit of 5 calls per 1500 ms reached for user u1; retry in 1490 ms',
      1490,
    );
    await call(l, 'u1', T + 1500, r);
  });

  test('a clock moved back keeps the window ordered', async () => {
    const l = await limiter();
    const r = lim({ ratePerWindow: 2 });
    await call(l, 'u1', T + 10_000, r);
    await call(l, 'u1', T, r); // the admin clock went back 10 s
    await call(l, 'u1', T + 20_000, r); // the call at T has aged out
    assertRejected(
      await l.admit('u1', T + 20_001, r),
      20023,
      'Rate limit of 2 calls per 20 s reached for user u1; retry in 9999 ms',
      9999,
    );
  });
});

describe(`${B}: against a naive model`, () => {
  test('a long random run (bursts, idle gaps, releases) agrees with an array-scan model call by call', async () => {
    const l = await limiter();
    const r = lim({ ratePerWindow: 40, windowMs: 1_000, concurrency: 6 });
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const times: number[] = []; // the model: every admitted call time
    const held: Lease[] = [];
    let now = T;
    let admitted = 0;
    for (let step = 0; step < 5_000; step++) {
      const dice = rand(100);
      if (dice < 2)
        now += 61_000 + rand(5_000); // idle: lets the sweep run and shrink the buffer
      else if (dice < 60) now += rand(40);
      if (held.length > 0 && rand(3) === 0) {
        await held.splice(rand(held.length), 1)[0].release();
        continue;
      }
      const live = times.filter((t) => t > now - r.windowMs);
      const a = await l.admit('u1', now, r);
      if (live.length >= r.ratePerWindow) {
        const retry = live[live.length - r.ratePerWindow] + r.windowMs - now;
        assert.deepEqual(a.ok ? 'ok' : [a.code, a.retryAfterMs], [20023, retry], `step ${step}`);
      } else if (held.length >= r.concurrency) {
        assert.deepEqual(a.ok ? 'ok' : a.code, 20024, `step ${step}`);
      } else {
        held.push(leaseOf(a));
        times.push(now);
        admitted++;
      }
      assert.equal((await l.snapshot('u1', now, r)).windowCalls, times.filter((t) => t > now - r.windowMs).length);
    }
    assert.ok(admitted > 1_000, `only ${admitted} admitted`);
  });
});

describe(`${B}: rejected calls count against nothing`, () => {
  test('20023 rejections use neither quota nor window', async () => {
    const l = await limiter();
    const r = lim({ quotaPerDay: 3, ratePerWindow: 2 });
    await call(l, 'u1', T, r);
    await call(l, 'u1', T + 1, r);
    for (let i = 0; i < 10; i++) assert.equal((await l.admit('u1', T + 2 + i, r)).ok, false);
    const snap = await l.snapshot('u1', T + 100, r);
    assert.equal(snap.quotaUsed, 2);
    assert.equal(snap.windowCalls, 2);
    await call(l, 'u1', T + 20_000, r); // only T has aged out; had the rejections counted, the window would be full
    assert.equal((await l.snapshot('u1', T + 20_000, r)).quotaUsed, 3);
  });

  test('20015 rejections do not enter the window', async () => {
    const l = await limiter();
    const r = lim({ quotaPerDay: 2 });
    await call(l, 'u1', T, r);
    await call(l, 'u1', T, r);
    for (let i = 0; i < 10; i++) assert.equal((await l.admit('u1', T, r)).ok, false);
    const snap = await l.snapshot('u1', T, r);
    assert.equal(snap.quotaUsed, 2);
    assert.equal(snap.windowCalls, 2);
  });

  test('20024 rejections use neither quota nor window, and take no slot', async () => {
    const l = await limiter();
    const r = lim({ concurrency: 1 });
    const held = leaseOf(await l.admit('u1', T, r));
    for (let i = 0; i < 5; i++)
      assertRejected(await l.admit('u1', T, r), 20024, 'Concurrency limit of 1 call in flight reached for user u1', 0);
    assert.deepEqual(await l.snapshot('u1', T, r), {
      userId: 'u1',
      quotaUsed: 1,
      quotaPerDay: 10_000,
      quotaResetsAt: new Date('2026-06-16T05:00:00.000Z'),
      windowCalls: 1,
      ratePerWindow: 100,
      inFlight: 1,
      concurrency: 1,
    });
    await held.release();
    await call(l, 'u1', T, r);
  });
});

describe(`${B}: concurrency (20024)`, () => {
  test('concurrency 10: the 11th call answers 20024; releasing one admits the next', async () => {
    const l = await limiter();
    const leases: Lease[] = [];
    for (let i = 0; i < 10; i++) leases.push(leaseOf(await l.admit('u1', T, DEFAULTS)));
    assertRejected(
      await l.admit('u1', T, DEFAULTS),
      20024,
      'Concurrency limit of 10 calls in flight reached for user u1',
      0,
    );
    await leases[3].release();
    leases[3] = leaseOf(await l.admit('u1', T + 1, DEFAULTS));
    assert.equal((await l.admit('u1', T + 2, DEFAULTS)).ok, false);
    for (const lease of leases) await lease.release();
    assert.equal((await l.snapshot('u1', T + 3, DEFAULTS)).inFlight, 0);
  });

  test('releasing a lease twice frees one slot only', async () => {
    const l = await limiter();
    const a = leaseOf(await l.admit('u1', T, DEFAULTS));
    const b = leaseOf(await l.admit('u1', T, DEFAULTS));
    assert.equal(a.userId, 'u1');
    await a.release();
    await a.release();
    assert.equal((await l.snapshot('u1', T, DEFAULTS)).inFlight, 1);
    await b.release();
    await a.release();
    assert.equal((await l.snapshot('u1', T, DEFAULTS)).inFlight, 0);
  });

  test('150 parallel admits against a 100/20 s window: exactly 100 admitted, 50 answered 20023', async () => {
    const l = await limiter();
    const r = lim({ concurrency: 1_000 });
    const results = await Promise.all(Array.from({ length: 150 }, () => l.admit('u1', T, r)));
    assert.equal(results.filter((a) => a.ok).length, 100);
    assert.equal(results.filter((a) => !a.ok && a.code === 20023 && a.retryAfterMs === 20_000).length, 50);
    assert.equal((await l.snapshot('u1', T, r)).quotaUsed, 100);
  });

  test('50 parallel admits through Promise.all: exactly 10 admitted, 40 answered 20024', async () => {
    const l = await limiter();
    const results = await Promise.all(Array.from({ length: 50 }, () => l.admit('u1', T, DEFAULTS)));
    assert.equal(results.filter((r) => r.ok).length, 10);
    assert.equal(results.filter((r) => !r.ok && r.code === 20024).length, 40);
    const snap = await l.snapshot('u1', T, DEFAULTS);
    assert.equal(snap.inFlight, 10);
    assert.equal(snap.quotaUsed, 10);
    assert.equal(snap.windowCalls, 10);
    await Promise.all(results.map((r) => (r.ok ? r.lease.release() : undefined)));
    assert.equal((await l.snapshot('u1', T, DEFAULTS)).inFlight, 0);
  });
});

describe(`${B}: faults`, () => {
  test('a rejection becomes the MktowsFault of its code, the detail ending in the code', async () => {
    const l = await limiter();
    const r = lim({ concurrency: 0 });
    const a = await l.admit('u1', T, r);
    assert.equal(a.ok, false);
    if (a.ok) return;
    const fault = rejectionFault(a);
    assert.ok(fault instanceof MktowsFault);
    assert.equal(fault.code, 20024);
    assert.equal(fault.faultstring, '20024 - Concurrency Limit Exceeded');
    assert.equal(fault.detailMessage, 'Concurrency limit of 0 calls in flight reached for user u1 (20024)');
  });
});

describe(`${B}: users and per-call limits`, () => {
  test('one user exhausting quota, window or slots leaves another untouched', async () => {
    const l = await limiter();
    const r = lim({ quotaPerDay: 1, ratePerWindow: 1, concurrency: 1 });
    const held = leaseOf(await l.admit('u1', T, r));
    assert.equal((await l.admit('u1', T, r)).ok, false);
    const other = leaseOf(await l.admit('u2', T, r));
    assert.equal(other.userId, 'u2');
    assert.equal((await l.snapshot('u2', T, r)).quotaUsed, 1);
    assert.equal((await l.snapshot('u1', T, r)).quotaUsed, 1);
    await held.release();
    await other.release();
  });

  test('the limits passed with each call apply to that call, over the same counters', async () => {
    const l = await limiter();
    await call(l, 'u1', T, lim({ quotaPerDay: 1 }));
    assert.equal((await l.admit('u1', T, lim({ quotaPerDay: 1 }))).ok, false);
    await call(l, 'u1', T, lim({ quotaPerDay: 2 })); // an admin raised the quota
    assertRejected(
      await l.admit('u1', T, lim({ quotaPerDay: 2 })),
      20015,
      'Daily quota of 2 calls reached for user u1; resets at 2026-06-16T05:00:00.000Z',
      at('2026-06-16T05:00:00.000Z') - T,
    );
    await call(l, 'u1', T, lim({ ratePerWindow: 3 }));
    assert.equal((await l.admit('u1', T, lim({ ratePerWindow: 3 }))).ok, false);
    const held = leaseOf(await l.admit('u1', T, lim({ concurrency: 1 })));
    assert.equal((await l.admit('u1', T, lim({ concurrency: 1 }))).ok, false);
    await call(l, 'u1', T, lim({ concurrency: 2 }));
    await held.release();
  });
});

describe(`${B}: order of checks`, () => {
  test('quota beats rate beats concurrency', async () => {
    const l = await limiter();
    const tight = lim({ quotaPerDay: 2, ratePerWindow: 2, concurrency: 2 });
    const held = [leaseOf(await l.admit('u1', T, tight)), leaseOf(await l.admit('u1', T, tight))];
    assert.deepEqual(await l.admit('u1', T, tight).then((a) => !a.ok && a.code), 20015);
    assert.deepEqual(await l.admit('u1', T, { ...tight, quotaPerDay: 3 }).then((a) => !a.ok && a.code), 20023);
    assert.deepEqual(
      await l.admit('u1', T, { ...tight, quotaPerDay: 3, ratePerWindow: 3 }).then((a) => !a.ok && a.code),
      20024,
    );
    const third = leaseOf(
      await l.admit('u1', T, { quotaPerDay: 3, ratePerWindow: 3, windowMs: 20_000, concurrency: 3 }),
    );
    for (const lease of [...held, third]) await lease.release();
  });
});

describe(`${B}: snapshot`, () => {
  test('snapshot figures are exact', async () => {
    const l = await limiter();
    const r = lim({ quotaPerDay: 50, ratePerWindow: 20, windowMs: 10_000, concurrency: 5 });
    for (let i = 0; i < 4; i++) await call(l, 'u1', T + i * 1_000, r); // T .. T+3 s
    const held = [leaseOf(await l.admit('u1', T + 12_000, r)), leaseOf(await l.admit('u1', T + 12_500, r))];
    assert.deepEqual(await l.snapshot('u1', T + 12_500, r), {
      userId: 'u1',
      quotaUsed: 6,
      quotaPerDay: 50,
      quotaResetsAt: new Date('2026-06-16T05:00:00.000Z'),
      windowCalls: 3, // T+3 s, T+12 s, T+12.5 s; T+2 s is exactly 10 s old and out
      ratePerWindow: 20,
      inFlight: 2,
      concurrency: 5,
    });
    for (const lease of held) await lease.release();
  });

  test('a user never seen reads all zeros and is not remembered', async () => {
    const l = await limiter();
    assert.deepEqual(await l.snapshot('nobody', T, DEFAULTS), {
      userId: 'nobody',
      quotaUsed: 0,
      quotaPerDay: 10_000,
      quotaResetsAt: new Date('2026-06-16T05:00:00.000Z'),
      windowCalls: 0,
      ratePerWindow: 100,
      inFlight: 0,
      concurrency: 10,
    });
    if (l instanceof MemoryLimits) assert.equal(l.trackedUsers, 0);
  });
});

describe(`${B}: reset, close and memory`, () => {
  test('reset forgets counters, windows and leases; an old lease released afterwards leaves inFlight at 0', async () => {
    const l = await limiter();
    const r = lim({ quotaPerDay: 3, ratePerWindow: 3, concurrency: 1 });
    await call(l, 'u1', T, r);
    await call(l, 'u1', T, r);
    const old = leaseOf(await l.admit('u1', T, r));
    assert.equal((await l.admit('u1', T, r)).ok, false);
    await l.reset();
    assert.deepEqual(await l.snapshot('u1', T, r), {
      userId: 'u1',
      quotaUsed: 0,
      quotaPerDay: 3,
      quotaResetsAt: new Date('2026-06-16T05:00:00.000Z'),
      windowCalls: 0,
      ratePerWindow: 3,
      inFlight: 0,
      concurrency: 1,
    });
    await old.release();
    assert.equal((await l.snapshot('u1', T, r)).inFlight, 0);
    const fresh = leaseOf(await l.admit('u1', T, r));
    await old.release();
    assert.equal((await l.snapshot('u1', T, r)).inFlight, 1);
    assert.equal((await l.admit('u1', T, r)).ok, false);
    await fresh.release();
    assert.equal((await l.snapshot('u1', T, r)).inFlight, 0);
  });

  test('idle users are swept once their window has passed and their quota day is over', memoryOnly, async () => {
    const l = (await limiter()) as MemoryLimits;
    for (let i = 0; i < 1000; i++) await call(l, `u${i}`, T, DEFAULTS);
    const held = leaseOf(await l.admit('busy', T, DEFAULTS));
    assert.equal(l.trackedUsers, 1001);
    // Later the same day: windows are empty but today's quota must be kept.
    await call(l, 'x', T + 120_000, DEFAULTS);
    assert.equal(l.trackedUsers, 1002);
    assert.equal((await l.snapshot('u7', T + 120_000, DEFAULTS)).quotaUsed, 1);
    // The next quota day: only the user with a call in flight and the caller remain.
    const tomorrow = at('2026-06-16T05:00:00.000Z');
    await call(l, 'y', tomorrow, DEFAULTS);
    assert.equal(l.trackedUsers, 2);
    assert.equal((await l.snapshot('busy', tomorrow, DEFAULTS)).inFlight, 1);
    await held.release();
    assert.equal((await l.snapshot('busy', tomorrow, DEFAULTS)).inFlight, 0);
  });

  test('a sweep that shrinks a busy window after a burst keeps its calls in order', async () => {
    const l = await limiter();
    const r = lim({ ratePerWindow: 1_000, windowMs: 100_000 });
    for (let i = 0; i < 200; i++) await call(l, 'u1', T, r);
    for (let i = 0; i < 10; i++) await call(l, 'u1', T + 50_000 + i, r);
    await call(l, 'other', T + 100_000, DEFAULTS); // sweeps: the 200 age out, 10 stay
    assert.equal((await l.snapshot('u1', T + 100_000, r)).windowCalls, 10);
    for (let k = 1; k <= 10; k++) {
      // With room for k calls, the call that must age out is the k-th newest: T+50 s+(10−k) ms.
      const a = await l.admit('u1', T + 100_000, lim({ ratePerWindow: k, windowMs: 100_000 }));
      assert.equal(a.ok ? 'ok' : a.retryAfterMs, 50_000 + (10 - k), `room for ${k}`);
    }
    const eleven = lim({ ratePerWindow: 11, windowMs: 100_000 });
    await call(l, 'u1', T + 100_000, eleven);
    assertRejected(
      await l.admit('u1', T + 100_000, eleven),
      20023,
      'Rate limit of 11 calls per 100 s reached for user u1; retry in 50000 ms',
      50_000,
    );
    assert.equal((await l.snapshot('u1', T + 150_000, r)).windowCalls, 10);
  });

  test('a user over a large window keeps it until it has passed', async () => {
    const l = await limiter();
    const hourly = lim({ ratePerWindow: 2, windowMs: 3_600_000 });
    await call(l, 'u1', T, hourly);
    await call(l, 'u1', T + 1, hourly);
    await call(l, 'other', T + 120_000, DEFAULTS); // sweeps
    assertRejected(
      await l.admit('u1', T + 120_000, hourly),
      20023,
      'Rate limit of 2 calls per 3600 s reached for user u1; retry in 3480000 ms',
      3_480_000,
    );
  });

  test('after close, admit and snapshot fail; release still does nothing harmful', async () => {
    const l = await limiter();
    const lease = leaseOf(await l.admit('u1', T, DEFAULTS));
    await l.close();
    await assert.rejects(l.admit('u1', T, DEFAULTS), { message: `${B} is closed` });
    await assert.rejects(l.snapshot('u1', T, DEFAULTS), { message: `${B} is closed` });
    await lease.release();
  });

  test('an unknown time zone and bad limits are refused', async () => {
    assert.throws(() => new MemoryLimits({ quotaTimeZone: 'Mars/Olympus' }), RangeError);
    const l = await limiter();
    assert.equal(l.kind, LIMITS_BACKEND);
    await assert.rejects(l.admit('u1', T, lim({ windowMs: 0 })), {
      name: 'RangeError',
      message: 'Invalid limits: windowMs must be a finite number of milliseconds of at least 1, got 0',
    });
    await assert.rejects(l.admit('u1', T, lim({ concurrency: -1 })), {
      name: 'RangeError',
      message: 'Invalid limits: concurrency must be a non-negative integer, got -1',
    });
    await assert.rejects(l.admit('u1', T, lim({ quotaPerDay: 1.5 })), {
      message: 'Invalid limits: quotaPerDay must be a non-negative integer, got 1.5',
    });
    if (l instanceof MemoryLimits) assert.equal(l.trackedUsers, 0);
  });
});

describe('parseRate and parseDuration', () => {
  test('parseRate reads calls per window in ms, s, m and h', () => {
    assert.deepEqual(parseRate('100/20s'), { ratePerWindow: 100, windowMs: 20_000 });
    assert.deepEqual(parseRate('5/1500ms'), { ratePerWindow: 5, windowMs: 1500 });
    assert.deepEqual(parseRate('60/1m'), { ratePerWindow: 60, windowMs: 60_000 });
    assert.deepEqual(parseRate('1000/2h'), { ratePerWindow: 1000, windowMs: 7_200_000 });
    assert.deepEqual(parseRate('10/s'), { ratePerWindow: 10, windowMs: 1000 });
    assert.deepEqual(parseRate('100/20'), { ratePerWindow: 100, windowMs: 20_000 });
    assert.deepEqual(parseRate(' 100/20s '), { ratePerWindow: 100, windowMs: 20_000 });
  });

  test('parseRate refuses bad input with a clear message', () => {
    const shape = (t: string) =>
      `Invalid rate "${t}": expected <calls>/<window>, whole numbers, the window with an optional unit ms, s, m or h (a bare number means seconds), e.g. 100/20s or 5/1500ms`;
    for (const t of [
      '',
      '100',
      '100/',
      '/20s',
      '100/20x',
      '100 / 20s',
      '-1/20s',
      '1.5/20s',
      '100/1.5s',
      'abc',
      '100/20S',
    ]) {
      assert.throws(() => parseRate(t), { message: shape(t) }, t);
    }
    assert.throws(() => parseRate('0/20s'), {
      message: 'Invalid rate "0/20s": the number of calls must be at least 1',
    });
    assert.throws(() => parseRate('5/0s'), { message: 'Invalid rate "5/0s": the window must be at least 1 ms' });
    assert.throws(() => parseRate('1/99999999999999999h'), {
      message: 'Invalid rate "1/99999999999999999h": too large',
    });
  });

  test('parseDuration reads ms, s, m, h and bare seconds', () => {
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('900s'), 900_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('900'), 900_000);
    assert.equal(parseDuration('0'), 0);
  });

  test('parseDuration refuses bad input with a clear message', () => {
    const shape = (t: string) =>
      `Invalid duration "${t}": expected a whole number with an optional unit ms, s, m or h (a bare number means seconds), e.g. 15m, 900s or 500ms`;
    for (const t of ['', 'm', '15 min', '15 m', '-5s', '1.5s', '15d', 'PT15M', '15M']) {
      assert.throws(() => parseDuration(t), { message: shape(t) }, t);
    }
    assert.throws(() => parseDuration('99999999999999999h'), {
      message: 'Invalid duration "99999999999999999h": too large',
    });
  });
});
