/**
 * The bridge's error contract (issue #13 item 3): each REST error is provoked for real on the
 * emulator (admin reset, the movable clock, its --rest-* limits, REST fault rules, a closed port, a
 * wrong secret) and the SOAP answer of getLead through the bridge is asserted: the fault of the REST
 * catalogue's `soap` mapping, or success where the bridge renews, waits or retries; the journal
 * shows the REST exchanges that made it so.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { FAULTS, REST_ERRORS } from '@mktows/protocol';
import { soapCodeOf, type UpstreamCallRecord, type UpstreamFault } from '../src/bridge/upstream.js';
import { type BridgePair, bridgeStoreUrl, startBridgePair } from './support/bridge.js';
import { getLeadBody, startTestServer } from './support/harness.js';
import { REST_CLIENT } from './support/rest.js';

const ADA = getLeadBody('EMAIL', 'ada@demo.example');
const LEADS = '/rest/v1/leads.json';
const TOKEN = '/identity/oauth/token';

/** A warm bridge: describe and the token are cached, so a getLead is one REST call when all goes well. */
async function warm(p: BridgePair): Promise<void> {
  const r = await p.bridge.soap(ADA);
  assert.equal(r.status, 200, r.text);
}

async function rule(p: BridgePair, body: Record<string, unknown>): Promise<void> {
  const r = await p.emulator.admin('POST', '/_mktows/faults', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** The REST exchanges of the bridge's last SOAP call, as `METHOD path status/code`. */
async function exchanges(p: BridgePair): Promise<string[]> {
  return (await p.lastUpstream()).map((u) => `${u.method} ${u.path} ${u.status}${u.code ? `/${u.code}` : ''}`);
}

describe('bridge faults: the REST catalogue is the one mapping', () => {
  test('soapCodeOf reads REST_ERRORS: every catalogue code with a SOAP fault maps to it', () => {
    for (const e of REST_ERRORS) {
      assert.equal(soapCodeOf(e.code), e.soap ?? 20011, `${e.code}`);
      if (e.soap !== undefined) assert.ok(FAULTS.some((f) => f.code === e.soap));
    }
    // Outside the catalogue: HTTP 5xx and no answer are the backend failing, the rest a bridge bug.
    assert.deepEqual([0, 500, 502, 503, 404, 999].map(soapCodeOf), [10001, 10001, 10001, 10001, 20011, 20011]);
    assert.deepEqual(
      [601, 602, 604, 606, 607, 608, 611, 615, 713].map(soapCodeOf),
      [20014, 20014, 10001, 20023, 20015, 10001, 10001, 20024, 10001],
    );
  });
});

describe('bridge faults: token, transient errors, network', () => {
  let p: BridgePair;
  before(async () => {
    p = await startBridgePair();
    await warm(p);
  });
  afterEach(async () => {
    await p.emulator.admin('DELETE', '/_mktows/faults');
    await p.emulator.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
  });
  after(() => p?.close());

  test('601: an admin reset on the emulator revokes the token; the bridge renews it and retries once', async () => {
    assert.equal((await p.emulator.admin('POST', '/_mktows/reset', { seed: 'demo' })).status, 200);
    const r = await p.bridge.soap(ADA);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await exchanges(p), [`GET ${LEADS} 200/601`, `POST ${TOKEN} 200`, `GET ${LEADS} 200`]);
  });

  test('602: a token past its lifetime on the emulator clock is renewed, the call succeeds', async () => {
    // Two hours on: past --rest-token-ttl (1 h) on the emulator, while the bridge's own clock says it is valid.
    await p.emulator.admin('POST', '/_mktows/clock', { offsetSeconds: 7200 });
    const r = await p.bridge.soap(ADA);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(await exchanges(p), [`GET ${LEADS} 200/602`, `POST ${TOKEN} 200`, `GET ${LEADS} 200`]);
  });

  test('601 again after the renewal: 20014, retried once only', async () => {
    await rule(p, { operation: 'getLeadsByFilterUsingGET', code: 601, count: 2 });
    const r = await p.bridge.soap(ADA);
    assert.equal(r.fault?.code, 20014, r.text);
    assert.match(r.fault?.message ?? '', /Marketo REST error 601 on GET \/rest\/v1\/leads\.json: Access token invalid/);
    assert.deepEqual(await exchanges(p), [`GET ${LEADS} 200/601`, `POST ${TOKEN} 200`, `GET ${LEADS} 200/601`]);
  });

  for (const code of [604, 608, 611, 713]) {
    test(`${code} once: a read is retried after a pause and succeeds; persistent: 10001 after 3 retries`, async () => {
      await rule(p, { operation: 'getLeadsByFilterUsingGET', code, count: 1 });
      const once = await p.bridge.soap(ADA);
      assert.equal(once.status, 200, once.text);
      assert.deepEqual(await exchanges(p), [`GET ${LEADS} 200/${code}`, `GET ${LEADS} 200`]);

      await rule(p, { operation: 'getLeadsByFilterUsingGET', code });
      const started = Date.now();
      const r = await p.bridge.soap(ADA);
      assert.equal(r.fault?.code, 10001, r.text);
      assert.equal(r.fault?.faultcode, 'SOAP-ENV:Server');
      assert.match(r.fault?.message ?? '', new RegExp(`Marketo REST error ${code} on GET /rest/v1/leads.json`));
      assert.deepEqual(await exchanges(p), Array(4).fill(`GET ${LEADS} 200/${code}`));
      // Backoff 100 + 400 + 1000 ms between the four attempts.
      assert.ok(Date.now() - started >= 1_500, `${Date.now() - started} ms`);
    });
  }

  test('a write is not sent twice after 604 (it may have been performed); after 608 (not performed) it is', async () => {
    const upstream = p.bridge.runtime.bridge!.upstream;
    const write = (email: string) => ({
      method: 'POST' as const,
      path: LEADS,
      json: { action: 'createOrUpdate', lookupField: 'email', input: [{ email }] },
    });
    await rule(p, { operation: 'syncLeadUsingPOST', code: 604, count: 1 });
    const seen: UpstreamCallRecord[] = [];
    await assert.rejects(upstream.call(write('w604@example.com'), seen), (e: UpstreamFault) => {
      assert.deepEqual([e.code, e.restCode], [10001, 604]);
      return true;
    });
    assert.deepEqual(
      seen.map((u) => u.code),
      ['604'],
    );
    await rule(p, { operation: 'syncLeadUsingPOST', code: 608, count: 1 });
    const again: UpstreamCallRecord[] = [];
    const body = await upstream.call(write('w608@example.com'), again);
    assert.deepEqual(
      again.map((u) => u.code),
      ['608', null],
    );
    assert.equal((body.result as { status: string }[])[0].status, 'created');
  });

  test('HTTP 503 once is retried; a connection reset every time is 10001', async () => {
    await rule(p, { operation: 'getLeadsByFilterUsingGET', http: '503', count: 1 });
    assert.equal((await p.bridge.soap(ADA)).status, 200);
    assert.deepEqual(await exchanges(p), [`GET ${LEADS} 503`, `GET ${LEADS} 200`]);

    await rule(p, { operation: 'getLeadsByFilterUsingGET', http: 'reset' });
    const r = await p.bridge.soap(ADA);
    assert.equal(r.fault?.code, 10001, r.text);
    assert.match(r.fault?.message ?? '', /no answer from the Marketo instance \(GET \/rest\/v1\/leads\.json\)/);
    assert.deepEqual(await exchanges(p), Array(4).fill(`GET ${LEADS} 0`));
  });
});

/** A second getLead sent while a first holds the emulator's one REST slot (for 600 ms). */
async function whileBusy(p: BridgePair) {
  await warm(p);
  await rule(p, { operation: 'getLeadsByFilterUsingGET', delayMs: 600, count: 1 });
  const first = p.bridge.soap(ADA);
  await new Promise((r) => setTimeout(r, 150));
  const second = await p.bridge.soap(getLeadBody('IDNUM', '2'));
  return { first, second };
}

describe('bridge faults: the instance limits', () => {
  test('606 from a small emulator rate limit: the bridge waits and retries; past --upstream-max-wait, 20023', async () => {
    // 3 REST calls per 2 s on the emulator; the bridge allows itself many more, so the emulator refuses.
    const p = await startBridgePair({ emulator: { restRatePerWindow: 3, restWindowMs: 2_000 } });
    try {
      await warm(p); // describe + leads: 2 of the 3
      assert.equal((await p.bridge.soap(ADA)).status, 200); // the 3rd
      const r = await p.bridge.soap(ADA);
      assert.equal(r.status, 200, r.text);
      const seen = await exchanges(p);
      assert.equal(seen[0], `GET ${LEADS} 200/606`);
      assert.equal(seen.at(-1), `GET ${LEADS} 200`);
      assert.ok(
        seen.slice(0, -1).every((x) => x === `GET ${LEADS} 200/606`),
        seen.join(', '),
      );
    } finally {
      await p.close();
    }
    const q = await startBridgePair({
      emulator: { restRatePerWindow: 2, restWindowMs: 60_000 },
      bridge: { upstreamMaxWaitMs: 300 },
    });
    try {
      await warm(q);
      const r = await q.bridge.soap(ADA);
      assert.equal(r.fault?.code, 20023, r.text);
      assert.equal(r.fault?.faultcode, 'SOAP-ENV:Client');
      assert.match(r.fault?.message ?? '', /Marketo REST error 606 .*Max rate limit '2' exceeded with in '60' secs/);
    } finally {
      await q.close();
    }
  });

  test('607 from the emulator daily quota: 20015, not retried', async () => {
    const p = await startBridgePair({ emulator: { restQuotaPerDay: 2 } });
    try {
      await warm(p);
      const r = await p.bridge.soap(ADA);
      assert.equal(r.fault?.code, 20015, r.text);
      assert.match(
        r.fault?.message ?? '',
        /Marketo REST error 607 on GET \/rest\/v1\/leads\.json: Daily quota reached/,
      );
      assert.deepEqual(await exchanges(p), [`GET ${LEADS} 200/607`]);
    } finally {
      await p.close();
    }
  });

  test('615 from an emulator with 1 call in flight: a concurrent call waits its turn; past the wait, 20024', async () => {
    const p = await startBridgePair({ emulator: { restConcurrency: 1 } });
    try {
      const { first, second } = await whileBusy(p);
      assert.equal(second.status, 200, second.text);
      const seen = await exchanges(p);
      assert.equal(seen[0], `GET ${LEADS} 200/615`);
      assert.equal(seen.at(-1), `GET ${LEADS} 200`);
      assert.equal((await first).status, 200);
    } finally {
      await p.close();
    }
    const q = await startBridgePair({ emulator: { restConcurrency: 1 }, bridge: { upstreamMaxWaitMs: 50 } });
    try {
      const { first, second } = await whileBusy(q);
      assert.equal(second.fault?.code, 20024, second.text);
      assert.match(second.fault?.message ?? '', /Marketo REST error 615 .*Concurrent access limit reached/);
      assert.equal((await first).status, 200);
    } finally {
      await q.close();
    }
  });
});

describe('bridge faults: credentials and reachability', () => {
  test('a wrong client secret: 20014 naming the client, never the secret', async () => {
    const emulator = await startTestServer({
      seed: 'demo',
      restClients: [{ clientId: REST_CLIENT, clientSecret: 'the-right-secret-1' }],
    });
    const bridge = await startTestServer({
      store: bridgeStoreUrl(emulator, REST_CLIENT, 'the-wrong-secret-2'),
      bridgeState: 'sqlite::memory:',
    });
    try {
      const r = await bridge.soap(ADA);
      assert.equal(r.fault?.code, 20014, r.text);
      assert.equal(
        r.fault?.message,
        `The Marketo instance refused the bridge's REST client ${REST_CLIENT} (HTTP 401: Bad client credentials); check the client id and secret in --store (20014)`,
      );
      assert.doesNotMatch(r.text, /the-wrong-secret-2/);
      const journal = await bridge.admin('GET', '/_mktows/journal');
      assert.doesNotMatch(JSON.stringify(journal.body), /the-wrong-secret-2/);
      assert.deepEqual(
        journal.body.entries[0].upstream.map((u: { method: string; path: string; status: number }) => [
          u.method,
          u.path,
          u.status,
        ]),
        [['POST', TOKEN, 401]],
      );
    } finally {
      await bridge.close();
      await emulator.close();
    }
  });

  test('the emulator down: 10001, the connection retried, then "cannot be reached"', async () => {
    const p = await startBridgePair();
    try {
      await warm(p);
      await p.emulator.close();
      const r = await p.bridge.soap(ADA);
      assert.equal(r.fault?.code, 10001, r.text);
      assert.match(
        r.fault?.message ?? '',
        /no answer from the Marketo instance \(GET \/rest\/v1\/leads\.json\): ECONNREFUSED/,
      );
      assert.deepEqual(await exchanges(p), Array(4).fill(`GET ${LEADS} 0`));
      // A new token cannot be had either: the token request names the instance, not the secret.
      await p.bridge.admin('POST', '/_mktows/reset');
      const t = await p.bridge.soap(ADA);
      assert.equal(t.fault?.code, 10001, t.text);
      assert.match(
        t.fault?.message ?? '',
        /^The Marketo instance at http:\/\/127\.0\.0\.1:\d+ cannot be reached: ECONNREFUSED \(10001\)$/,
      );
    } finally {
      await p.bridge.close();
    }
  });
});
