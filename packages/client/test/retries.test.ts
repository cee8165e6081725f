/**
 * Every retry path of the catalogue against a running server, faults injected with
 * POST /_mktows/faults. Waits are recorded by an injected sleep that really waits, with a fixed
 * jitter source (random() = 0.5), so the expected waits are exact numbers.
 */
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  AuthError,
  InvalidRequestError,
  MktowsError,
  NetworkError,
  NotFoundError,
  ServerError,
  TimeoutError,
  UnexpectedResponseError,
} from '../src/index.js';
import {
  getLeadParams,
  intervals,
  KEY,
  recordingLogger,
  recordingSleep,
  startMktows,
  type TestServer,
} from './support.js';

let server: TestServer;
const WINDOW = 1000;
const half = () => 0.5;

before(async () => {
  // A 1 s rate window on the server (and on the clients below) keeps the 20023 waits short.
  server = await startMktows({ windowMs: WINDOW });
});
after(() => server.close());
beforeEach(() => server.admin('DELETE', '/_mktows/faults'));

async function inject(rule: Record<string, unknown>): Promise<void> {
  await server.admin('POST', '/_mktows/faults', rule);
}

function near(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected} ± ${tolerance}, got ${actual}`);
}

describe('20023 Rate Limit Exceeded: wait for the client window, with full jitter', () => {
  test('two injected 20023 faults: success on the third attempt after waiting the window twice', async () => {
    const user = await server.user('rate');
    const rec = recordingSleep();
    const sent: number[] = [];
    const answered: number[] = [];
    const client = server.client(user, {
      limits: { windowMs: WINDOW },
      sleep: rec.sleep,
      random: half,
      retry: { baseDelayMs: 100 },
      onRequest: () => {
        sent.push(performance.now());
      },
      onResponse: () => {
        answered.push(performance.now());
      },
    });
    await inject({ operation: 'getLead', code: 20023, count: 2, userId: user });
    const t0 = performance.now();
    const r = await client.getLead(getLeadParams());
    const elapsed = performance.now() - t0;
    assert.equal(r.leadRecordList?.leadRecord?.[0].Email, 'ada@demo.example');
    // The policy: wait until the oldest call in the window (the failed attempt itself, which the
    // client counts from its answer) leaves it, plus the full jitter 0.5 × min(20 s, 100 ms × 2ⁿ):
    // 50 ms, then 100 ms. What is asserted is that decision, not the wall time the machine took:
    // the time between the answer and the decision is taken off the window, so only the
    // synchronous work between the limiter's clock reads and these callbacks is slack.
    assert.equal(rec.sleeps.length, 2);
    assert.equal(sent.length, 3);
    assert.equal(answered.length, 3);
    const jitters = [50, 100];
    for (const [i, jitter] of jitters.entries()) {
      const windowLeft = rec.sleeps[i] - jitter;
      assert.ok(windowLeft > 0 && windowLeft <= WINDOW, `wait ${i + 1}: ${rec.sleeps[i]} ms is not window + ${jitter}`);
      near(
        windowLeft + (rec.calledAt[i] - answered[i]),
        WINDOW,
        25,
        `wait ${i + 1}: window left + time since the answer`,
      );
      // The next attempt goes out only after the whole wait.
      assert.ok(sent[i + 1] - rec.calledAt[i] >= rec.sleeps[i] - 2, `attempt ${i + 2} sent before its wait ended`);
    }
    assert.ok(elapsed >= 2 * WINDOW + 150 - 10, `elapsed ${elapsed}`);
    const j = await server.journal(user);
    assert.deepEqual(
      j.map((e) => e.faultCode),
      [20023, 20023, null],
    );
  });

  test('a real 20023 from the server (its window smaller than the client thinks) is waited out', async () => {
    const user = await server.user('rate_real', { ratePerWindow: 3 });
    const rec = recordingSleep();
    // The client allows 100 per window: it will overrun the server's 3 and get 20023.
    const client = server.client(user, { limits: { windowMs: WINDOW }, sleep: rec.sleep, random: half });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.getLead(getLeadParams())));
    assert.equal(results.length, 5);
    const j = await server.journal(user);
    assert.equal(j.filter((e) => e.faultCode === null).length, 5);
    assert.equal(j.filter((e) => e.faultCode === 20023).length, 2);
    // Each retry waited for the window: at least 1000 ms minus what had passed since the oldest call.
    assert.ok(rec.sleeps.length >= 2);
    for (const s of rec.sleeps) assert.ok(s >= WINDOW - 100, `wait ${s}`);
  });

  test('gives up after maxLimitRetries and throws a LimitError', async () => {
    const user = await server.user('rate_giveup');
    const client = server.client(user, {
      limits: { windowMs: 50 },
      random: () => 0,
      retry: { maxLimitRetries: 2 },
    });
    await inject({ operation: 'getLead', code: 20023, count: 5, userId: user });
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof MktowsError);
    assert.equal(e.code, 20023);
    assert.equal(e.category, 'limit');
    assert.equal(e.attempts, 3);
  });
});

describe('20024 Concurrency Limit Exceeded: retry when one of our calls finishes', () => {
  test('an injected 20024 is retried as soon as another call of the user finishes, without sleeping', async () => {
    const user = await server.user('slot');
    const rec = recordingSleep();
    const client = server.client(user, { sleep: rec.sleep, random: half });
    // A slow call holds a slot for 400 ms; the getLead that meets 20024 must wait for it.
    await inject({ operation: 'getMultipleLeads', delayMs: 400, userId: user });
    await inject({ operation: 'getLead', code: 20024, count: 1, userId: user });
    const slow = client.getMultipleLeads({
      leadSelector: { xsiType: 'StaticListSelector', staticListName: 'Demo List' },
      batchSize: 1,
    });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    let slowDone = 0;
    void slow.then(() => {
      slowDone = performance.now();
    });
    await client.getLead(getLeadParams());
    const done = performance.now();
    await slow;
    assert.deepEqual(rec.sleeps, [], 'no timed wait: the retry followed a finish');
    assert.ok(slowDone > 0 && done >= slowDone, 'the retry came after the slow call finished');
    assert.ok(done - t0 >= 300, `waited ${done - t0} ms for the slow call`);
    const j = await server.journal(user, '&operation=getLead');
    assert.deepEqual(
      j.map((e) => e.faultCode),
      [20024, null],
    );
  });

  test('a real 20024 (server allows 2 in flight, client 10): every call succeeds, retries follow finishes', async () => {
    const user = await server.user('slot_real', { concurrency: 2 });
    const rec = recordingSleep();
    const client = server.client(user, { sleep: rec.sleep, random: half });
    await inject({ operation: 'getLead', delayMs: 150, userId: user });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.getLead(getLeadParams())));
    assert.equal(results.length, 5);
    const j = await server.journal(user);
    const ok = j.filter((e) => e.faultCode === null);
    const rejected = j.filter((e) => e.faultCode === 20024);
    assert.equal(ok.length, 5);
    assert.ok(rejected.length >= 3, `${rejected.length} rejections`);
    // Successful calls never ran more than the server's 2 at once. A journal interval is a little
    // wider than the lease it held (parsing before admission, the journal write after release), so
    // each is shrunk by 25 ms at both ends; a third call inside a 150 ms delay would still overlap.
    // The most calls at once is reached at some interval's start, so counting there is enough.
    const slack = 25;
    const held = intervals(ok).map((i) => ({ start: i.start + slack, end: i.end - slack }));
    for (const a of held) {
      const atOnce = held.filter((b) => b.start <= a.start && b.end > a.start);
      assert.ok(atOnce.length <= 2, `${atOnce.length} calls at once at ${a.start}: ${JSON.stringify(held)}`);
    }
  });

  test('with none of our calls in flight, 20024 waits a full-jitter backoff', async () => {
    const user = await server.user('slot_none');
    const rec = recordingSleep();
    const client = server.client(user, { sleep: rec.sleep, random: half, retry: { baseDelayMs: 100 } });
    await inject({ operation: 'getLead', code: 20024, count: 2, userId: user });
    await client.getLead(getLeadParams());
    assert.deepEqual(rec.sleeps, [50, 100]);
  });
});

describe('10001, 20011, HTTP 5xx, resets, timeouts: full-jitter exponential backoff', () => {
  test('10001 × 2 succeeds on the third attempt after 50 and 100 ms', async () => {
    const user = await server.user('backoff');
    const rec = recordingSleep();
    const client = server.client(user, { sleep: rec.sleep, random: half, retry: { baseDelayMs: 100 } });
    await inject({ operation: 'getLead', code: 10001, count: 2, userId: user });
    const r = await client.getLead(getLeadParams());
    assert.equal(r.count, 1);
    assert.deepEqual(rec.sleeps, [50, 100]);
    const j = await server.journal(user);
    assert.deepEqual(
      j.map((e) => e.faultCode),
      [10001, 10001, null],
    );
  });

  test('10001 on every attempt: ServerError after maxAttempts (3)', async () => {
    const user = await server.user('backoff_max');
    const client = server.client(user, { random: () => 0 });
    await inject({ operation: 'getLead', code: 10001, count: 5, userId: user });
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof ServerError);
    assert.equal(e.code, 10001);
    assert.equal(e.attempts, 3);
    assert.equal(e.retryable, true);
    assert.equal(e.side, 'Server');
  });

  test('20011 is retried once: × 1 succeeds, × 2 fails after 2 attempts', async () => {
    const user = await server.user('internal');
    const client = server.client(user, { random: () => 0 });
    await inject({ operation: 'getLead', code: 20011, count: 1, userId: user });
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    await inject({ operation: 'getLead', code: 20011, count: 2, userId: user });
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof ServerError);
    assert.equal(e.code, 20011);
    assert.equal(e.attempts, 2);
  });

  test('the retry budget (token bucket) stops retries once spent', async () => {
    const user = await server.user('budget');
    const client = server.client(user, {
      random: () => 0,
      retry: { budget: { capacity: 5, retryCost: 5, timeoutCost: 10, successRefill: 1 } },
    });
    await inject({ operation: 'getLead', code: 10001, count: 10, userId: user });
    const first = await client.getLead(getLeadParams()).catch((x) => x);
    assert.equal(first.attempts, 2, 'one retry, then the bucket is empty');
    const second = await client.getLead(getLeadParams()).catch((x) => x);
    assert.equal(second.attempts, 1, 'no retry with an empty bucket');
  });

  test('HTTP 5xx without a SOAP fault is retried; other statuses are not', async () => {
    const user = await server.user('http5xx');
    let n = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (++n === 1) return new Response('<html>Bad Gateway</html>', { status: 502 });
      return fetch(input, init);
    };
    const rec = recordingSleep();
    const client = server.client(user, { fetch: flaky, sleep: rec.sleep, random: half });
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    assert.equal(n, 2);
    assert.deepEqual(rec.sleeps, [50]);

    const notFound = server.client(user, { endpoint: `${server.url}/soap/mktows/9_9` });
    const e = await notFound.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof UnexpectedResponseError);
    assert.equal(e.httpStatus, 404);
    assert.equal(e.attempts, 1);
  });

  test('a connection reset is a NetworkError, retried on a new connection', async () => {
    const user = await server.user('reset');
    // A TCP proxy in front of the server that resets the first connection.
    let connections = 0;
    const sockets = new Set<Socket>();
    const proxy: Server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      if (++connections === 1) {
        client.once('data', () => client.resetAndDestroy());
        return;
      }
      const upstream = connect(server.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      sockets.add(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as { port: number }).port;
    const logger = recordingLogger();
    const client = server.client(user, {
      endpoint: `http://127.0.0.1:${port}/soap/mktows/3_1`,
      random: () => 0,
      logger,
    });
    try {
      assert.equal((await client.getLead(getLeadParams())).count, 1);
      assert.ok(connections >= 2);
      const warn = logger.entries.find((e) => e.level === 'warn' && String(e.msg).includes('network error'));
      assert.ok(warn, 'the reset was logged');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
    }
  });

  test('a refused connection fails with NetworkError after maxAttempts', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const client = server.client('nobody', { endpoint: `http://127.0.0.1:${port}/soap/mktows/3_1`, random: () => 0 });
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof NetworkError, String(e));
    assert.equal(e.attempts, 3);
  });

  test('a timeout is a TimeoutError, retried; the retry succeeds', async () => {
    const user = await server.user('timeout');
    await inject({ operation: 'getLead', delayMs: 600, count: 1, userId: user });
    const client = server.client(user, { timeoutMs: 200, random: () => 0 });
    const t0 = performance.now();
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 200 && elapsed < 600, `elapsed ${elapsed}`);
  });

  test('a per-call timeout overrides the client default; without retries the TimeoutError is thrown', async () => {
    const user = await server.user('timeout_call');
    await inject({ operation: 'getLead', delayMs: 500, userId: user });
    const client = server.client(user, { retry: { maxAttempts: 1 } });
    const e = await client.getLead(getLeadParams(), { timeoutMs: 100 }).catch((x) => x);
    assert.ok(e instanceof TimeoutError);
    assert.equal(e.timeoutMs, 100);
    assert.equal(e.attempts, 1);
  });
});

describe('AbortSignal', () => {
  test('aborts a call in flight at once, with the signal reason', async () => {
    const user = await server.user('abort');
    await inject({ operation: 'getLead', delayMs: 2000, userId: user });
    const client = server.client(user);
    const ctrl = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ctrl.abort(new Error('stop')), 50);
    const e = await client.getLead(getLeadParams(), { signal: ctrl.signal }).catch((x) => x);
    assert.equal(e.message, 'stop');
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(client.usage().inFlight, 0, 'the slot was released');
  });

  test('aborts a wait between retries', async () => {
    const user = await server.user('abort_wait');
    await inject({ operation: 'getLead', code: 10001, count: 1, userId: user });
    const client = server.client(user, { random: () => 0.99, retry: { baseDelayMs: 5000 } });
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    const t0 = performance.now();
    const e = await client.getLead(getLeadParams(), { signal: ctrl.signal }).catch((x) => x);
    assert.equal(e.name, 'AbortError');
    assert.ok(performance.now() - t0 < 2000);
  });
});

describe('20016 Request Expired: re-sign and retry at once', () => {
  test('an injected 20016 is retried immediately with a new signature', async () => {
    const user = await server.user('expired');
    const rec = recordingSleep();
    const client = server.client(user, { sleep: rec.sleep });
    await inject({ operation: 'getLead', code: 20016, count: 1, userId: user });
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    assert.deepEqual(rec.sleeps, [], 'retried at once');
    const j = await server.journal(user);
    assert.deepEqual(
      j.map((e) => e.faultCode),
      [20016, null],
    );
  });

  test('gives up with AuthError after maxResigns', async () => {
    const user = await server.user('expired_max');
    const client = server.client(user);
    await inject({ operation: 'getLead', code: 20016, count: 5, userId: user });
    const e = await client.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e instanceof AuthError);
    assert.equal(e.code, 20016);
    assert.equal(e.attempts, 3);
  });

  for (const minutes of [20, -20]) {
    test(`a server clock ${minutes > 0 ? 'ahead' : 'behind'} by 20 minutes: re-signed with the corrected time and succeeds`, async () => {
      const user = await server.user('skew');
      const logger = recordingLogger();
      // The client's clock is off, not the server's: mktows accepts timestamps within the window of
      // the real time as well as of its moved clock, so only a wrong client clock meets 20016.
      const client = server.client(user, { logger, now: () => Date.now() - minutes * 60_000 });
      assert.equal((await client.getLead(getLeadParams())).count, 1);
      // The next call is signed right the first time.
      assert.equal((await client.getLead(getLeadParams())).count, 1);
      near(client.usage().clockSkewMs, minutes * 60_000, 2000, 'estimated skew');
      const j = await server.journal(user);
      assert.deepEqual(
        j.map((e) => e.faultCode),
        [20016, null, null],
      );
      // A new timestamp for the re-signed attempt, 20 minutes from the first.
      const ts = j.map((e) => Date.parse(/<requestTimestamp>([^<]+)</.exec(e.request)?.[1] ?? ''));
      near(ts[1] - ts[0], minutes * 60_000, 3000, 'timestamp moved by the skew');
      // mktows dates its responses by its own clock, so the Date header gives the skew.
      assert.ok(logger.entries.some((e) => e.level === 'warn' && e.obj.source === 'Date header'));
    });
  }

  test("the skew is taken from the server's Date header when it shows one", async () => {
    const user = await server.user('skew_date');
    // The client runs 30 minutes slow; the fault's detail says so (1800 s old), while a proxy-like
    // fetch rewrites the Date header to 10 minutes past the real time: a skew of 40 minutes proves
    // the client read the header.
    const dated: typeof fetch = async (input, init) => {
      const r = await fetch(input, init);
      const headers = new Headers(r.headers);
      headers.set('date', new Date(Date.now() + 10 * 60_000).toUTCString());
      return new Response(await r.text(), { status: r.status, headers });
    };
    const logger = recordingLogger();
    const client = server.client(user, { fetch: dated, logger, now: () => Date.now() - 30 * 60_000 });
    assert.equal((await client.getLead(getLeadParams())).count, 1);
    near(client.usage().clockSkewMs, 40 * 60_000, 2000, 'skew from Date');
    assert.ok(logger.entries.some((e) => e.obj.source === 'Date header'));
  });
});

describe('other Client faults: no retry', () => {
  test('20103 Lead Not Found: NotFoundError after one attempt, every field set', async () => {
    const user = await server.user('notfound');
    const client = server.client(user);
    const e = await client.getLead(getLeadParams('nobody@nowhere.example')).catch((x) => x);
    assert.ok(e instanceof NotFoundError);
    assert.equal(e.code, 20103);
    assert.equal(e.faultstring, '20103 - Lead Not Found');
    assert.equal(e.detail, 'No lead found with EMAIL = nobody@nowhere.example (20103)');
    assert.equal(e.operation, 'getLead');
    assert.equal(e.category, 'not-found');
    assert.equal(e.retryable, false);
    assert.equal(e.attempts, 1);
    assert.equal(e.httpStatus, 500);
    assert.equal(e.faultcode, 'SOAP-ENV:Client');
    assert.match(e.response, /<code>20103<\/code>/);
    assert.match(e.request ?? '', /<requestSignature>\*{8}<\/requestSignature>/);
    assert.ok(!(e.request ?? '').includes(KEY));
  });

  test('20014 wrong key, 20013 blocked user, 20110 bad parameter: thrown after one attempt', async () => {
    const user = await server.user('auth');
    const wrong = server.client(user, { encryptionKey: 'not-the-right-key-123' });
    const e1 = await wrong.getLead(getLeadParams()).catch((x) => x);
    assert.ok(e1 instanceof AuthError);
    assert.equal(e1.code, 20014);
    assert.equal(e1.attempts, 1);

    const blocked = await server.user('blocked', { blocked: true });
    const e2 = await server
      .client(blocked)
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e2 instanceof AuthError);
    assert.equal(e2.code, 20013);
    assert.equal(e2.attempts, 1);

    const e3 = await server
      .client(user)
      .getMultipleLeads({ leadSelector: { xsiType: 'StaticListSelector', staticListName: 'Demo List' }, batchSize: 0 })
      .catch((x) => x);
    assert.ok(e3 instanceof InvalidRequestError);
    assert.equal(e3.code, 20110);
    assert.equal(e3.attempts, 1);
  });

  test('an injected 20122 is a StreamError, not retried', async () => {
    const user = await server.user('stream');
    await inject({ operation: 'getLead', code: 20122, count: 1, userId: user });
    const e = await server
      .client(user)
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.equal(e.name, 'StreamError');
    assert.equal(e.attempts, 1);
  });
});
