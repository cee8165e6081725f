/**
 * What the per-call fast path must keep: text is masked whenever a hook, the logger or an error
 * shows it (and only then computed); the timeout and the caller's signal still abort a fetch that
 * asks for the signal, however late; a signature is reused only within its own second.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { computeSignature, encodeSuccess, faultXml, LATEST_VERSION, OPERATION_BY_NAME } from '@mktows/protocol';
import {
  MktowsClient,
  type MktowsClientOptions,
  NotFoundError,
  type RequestEvent,
  type ResponseEvent,
  TimeoutError,
} from '../src/index.js';
import { getLeadParams, KEY } from './support.js';

const USER = 'hot_path_user';
const op = OPERATION_BY_NAME.get('getLead');
if (!op) throw new Error('no getLead');
/** A lead whose e-mail carries the encryption key: the response text has the key in it. */
const SECRET_EMAIL = `x${KEY}@demo.example`;
const SUCCESS = encodeSuccess(
  op,
  { count: 1, leadRecordList: { leadRecord: [{ Id: 7, Email: SECRET_EMAIL }] } },
  LATEST_VERSION,
);

function client(fetchFn: typeof fetch, options: Partial<MktowsClientOptions> = {}): MktowsClient {
  return new MktowsClient({
    endpoint: 'http://fake.invalid/soap/mktows/3_1',
    userId: USER,
    encryptionKey: KEY,
    limits: false,
    fetch: fetchFn,
    ...options,
  });
}

/** A fetch that answers `body` at once and keeps every request body. */
function answering(body: string, status = 200): { fetch: typeof fetch; bodies: string[] } {
  const bodies: string[] = [];
  const f = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    bodies.push(String(init?.body));
    return new Response(body, { status, headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
  };
  return { fetch: f as typeof fetch, bodies };
}

const SIGNATURE = /<requestSignature>([^<]*)<\/requestSignature>/;
const TIMESTAMP = /<requestTimestamp>([^<]*)<\/requestTimestamp>/;

describe('masking, now done only when something shows the text', () => {
  test('hooks without a logger see the request and response masked; the result is read unmasked', async () => {
    const answer = answering(SUCCESS);
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const c = client(answer.fetch, { onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) });
    const r = await c.getLead(getLeadParams());
    assert.equal(r.leadRecordList?.leadRecord?.[0]?.Email, SECRET_EMAIL);
    const sent = SIGNATURE.exec(answer.bodies[0])?.[1];
    assert.match(String(sent), /^[0-9a-f]{40}$/);
    assert.equal(requests.length, 1);
    assert.equal(SIGNATURE.exec(requests[0].request)?.[1], '********');
    assert.ok(!requests[0].request.includes(String(sent)));
    assert.equal(responses.length, 1);
    const response = String(responses[0].response);
    assert.ok(!response.includes(KEY), 'the key is masked in the response');
    assert.ok(response.includes('x********@demo.example'));
  });

  test('an error carries the request and response masked, with no hook and no logger', async () => {
    const answer = answering(faultXml(20103, `No lead for ${KEY}`), 500);
    const e = await client(answer.fetch)
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e instanceof NotFoundError);
    assert.equal(SIGNATURE.exec(String(e.request))?.[1], '********');
    const sent = String(SIGNATURE.exec(answer.bodies[0])?.[1]);
    assert.ok(!String(e.request).includes(sent));
    assert.ok(!e.response.includes(KEY));
    assert.ok(e.response.includes('No lead for ********'));
  });
});

describe('the abort signal, set up when the fetch asks for it', () => {
  /** A fetch that asks for the signal after `waitMs` and then waits until it aborts. */
  const untilAborted =
    (waitMs: number): typeof fetch =>
    async (_url, init) => {
      if (waitMs > 0) await delay(waitMs);
      const signal = init?.signal as AbortSignal;
      if (signal.aborted) throw signal.reason;
      return new Promise<Response>((_resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    };

  test('a fetch that asks at once is aborted at the timeout', async () => {
    const started = performance.now();
    const e = await client(untilAborted(0), { timeoutMs: 50, retry: { maxAttempts: 1 } })
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e instanceof TimeoutError, String(e));
    assert.equal(e.timeoutMs, 50);
    assert.ok(performance.now() - started >= 45);
  });

  test('a fetch wrapper that spreads init passes the signal on, and the timeout still aborts', async () => {
    const inner = untilAborted(0);
    const wrapper: typeof fetch = (url, init) => inner(url, { ...init, keepalive: true });
    const e = await client(wrapper, { timeoutMs: 30, retry: { maxAttempts: 1 } })
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e instanceof TimeoutError, String(e));
  });

  test('a fetch that asks after the deadline gets a signal already aborted by the timeout', async () => {
    const e = await client(untilAborted(60), { timeoutMs: 20, retry: { maxAttempts: 1 } })
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e instanceof TimeoutError, String(e));
    assert.equal(e.timeoutMs, 20);
  });

  test('a fetch that asks before the deadline is aborted when the rest of the time runs out', async () => {
    const started = performance.now();
    const e = await client(untilAborted(30), { timeoutMs: 80, retry: { maxAttempts: 1 } })
      .getLead(getLeadParams())
      .catch((x) => x);
    assert.ok(e instanceof TimeoutError, String(e));
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 75 && elapsed < 1000, `timed out after ${elapsed} ms`);
  });

  test("the caller's signal aborts a fetch that asked for the signal, with the caller's reason", async () => {
    const ctrl = new AbortController();
    const reason = new Error('caller gave up');
    setTimeout(() => ctrl.abort(reason), 30);
    const e = await client(untilAborted(0))
      .getLead(getLeadParams(), { signal: ctrl.signal })
      .catch((x) => x);
    assert.equal(e, reason);
  });

  test("a caller's signal aborted before the fetch asks gives it an aborted signal", async () => {
    const ctrl = new AbortController();
    const reason = new Error('caller gave up early');
    setTimeout(() => ctrl.abort(reason), 10);
    const e = await client(untilAborted(40))
      .getLead(getLeadParams(), { signal: ctrl.signal })
      .catch((x) => x);
    assert.equal(e, reason);
  });

  test('a signal asked for after the attempt ended leaves no timer behind', async () => {
    let late: RequestInit | undefined;
    const f: typeof fetch = async (_url, init) => {
      late = init;
      return new Response(SUCCESS, { status: 200 });
    };
    assert.equal((await client(f, { timeoutMs: 60_000 }).getLead(getLeadParams())).count, 1);
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const signal = late?.signal as AbortSignal;
    assert.equal(signal.aborted, false);
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length, before);
  });

  test('a fetch that never asks for the signal completes as before', async () => {
    const c = client(answering(SUCCESS).fetch, { timeoutMs: 10 });
    for (let i = 0; i < 3; i++) assert.equal((await c.getLead(getLeadParams())).count, 1);
  });
});

describe('signing', () => {
  test('calls within one second share the timestamp and signature; the next second signs anew', async () => {
    let now = Date.UTC(2026, 10, 25, 14, 0, 0) + 250;
    const answer = answering(SUCCESS);
    const c = client(answer.fetch, { now: () => now });
    await c.getLead(getLeadParams());
    now += 700; // same second
    await c.getLead(getLeadParams());
    now += 100; // the next one
    await c.getLead(getLeadParams());
    const sent = answer.bodies.map((b) => [TIMESTAMP.exec(b)?.[1], SIGNATURE.exec(b)?.[1]]);
    assert.deepEqual(
      sent.map(([ts]) => ts),
      ['2026-11-25T14:00:00+00:00', '2026-11-25T14:00:00+00:00', '2026-11-25T14:00:01+00:00'],
    );
    for (const [ts, sig] of sent) assert.equal(sig, computeSignature(String(ts), USER, KEY));
  });

  test('partnerId is sent on every call, also when the signature is reused', async () => {
    const answer = answering(SUCCESS);
    const now = Date.UTC(2026, 10, 25, 14, 0, 0);
    const c = client(answer.fetch, { now: () => now, partnerId: 'partner-1' });
    await c.getLead(getLeadParams());
    await c.getLead(getLeadParams());
    assert.equal(answer.bodies.length, 2);
    for (const b of answer.bodies) assert.match(b, /<partnerId>partner-1<\/partnerId>/);
  });
});
