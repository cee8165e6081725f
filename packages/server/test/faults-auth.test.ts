/**
 * Authentication faults over HTTP (errors.md, spec §2): 20014 Authentication failed, 20016 Request
 * Expired, 20013 Access Denied, their order (20014 → 20016 → 20013), and that calls rejected with
 * them count against nothing.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { computeSignature, formatW3C } from '@mktows/protocol';
import {
  addUser,
  alignedTimestamp,
  assertFault,
  assertOk,
  call,
  getLeadByEmail,
  limitsOf,
} from './support/fault-helpers.js';
import { authHeader, KEY, NS, startTestServer, type TestServer, USER } from './support/harness.js';

const GET_ADA = getLeadByEmail('ada@demo.example');
const MIN = 60_000;
const SIXTEEN_MIN = 16 * MIN;
const LIMIT = 'the limit is 900 s';

/** An AuthenticationHeader with each child given verbatim (undefined leaves the child out). */
function header(children: { userId?: string; signature?: string; timestamp?: string }): string {
  const parts: string[] = [];
  if (children.userId !== undefined) parts.push(`<mktowsUserId>${children.userId}</mktowsUserId>`);
  if (children.signature !== undefined) parts.push(`<requestSignature>${children.signature}</requestSignature>`);
  if (children.timestamp !== undefined) parts.push(`<requestTimestamp>${children.timestamp}</requestTimestamp>`);
  return `<ns1:AuthenticationHeader>${parts.join('')}</ns1:AuthenticationHeader>`;
}

function validChildren(s: TestServer, userId = USER, key = KEY) {
  const timestamp = formatW3C(new Date(s.runtime.clock.now()));
  return { userId, timestamp, signature: computeSignature(timestamp, userId, key) };
}

describe('authentication faults over HTTP', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ store: 'sqlite::memory:', seed: 'demo' });
  });
  after(() => s.close());
  afterEach(async () => {
    // A test that moved the clock must not leak the move into the next one.
    await s.admin('POST', '/_mktows/clock', { offsetSeconds: 0 });
  });

  test('a correctly signed call succeeds', async () => {
    assertOk(await call(s, GET_ADA));
  });

  describe('20014 Authentication failed', () => {
    test('no Header element at all', async () => {
      const raw = `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NS}"><SOAP-ENV:Body>${GET_ADA}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
      assertFault(await call(s, '', { raw }), 20014, 'Authentication failed: the AuthenticationHeader is missing');
    });

    test('an empty Header', async () => {
      assertFault(
        await call(s, GET_ADA, { header: '' }),
        20014,
        'Authentication failed: the AuthenticationHeader is missing',
      );
    });

    test('an AuthenticationHeader outside the mktows namespace does not count', async () => {
      const h = authHeader({}, new Date(s.runtime.clock.now())).replaceAll(
        'ns1:AuthenticationHeader',
        'AuthenticationHeader',
      );
      assertFault(
        await call(s, GET_ADA, { header: h }),
        20014,
        'Authentication failed: the AuthenticationHeader is missing',
      );
    });

    for (const name of ['mktowsUserId', 'requestSignature', 'requestTimestamp'] as const) {
      const key = ({ mktowsUserId: 'userId', requestSignature: 'signature', requestTimestamp: 'timestamp' } as const)[
        name
      ];

      test(`${name} missing`, async () => {
        const c: { userId?: string; signature?: string; timestamp?: string } = validChildren(s);
        delete c[key];
        assertFault(
          await call(s, GET_ADA, { header: header(c) }),
          20014,
          `Authentication failed: ${name} is missing or empty`,
        );
      });

      test(`${name} empty`, async () => {
        const c = { ...validChildren(s), [key]: '' };
        assertFault(
          await call(s, GET_ADA, { header: header(c) }),
          20014,
          `Authentication failed: ${name} is missing or empty`,
        );
      });

      test(`${name} only whitespace`, async () => {
        const c = { ...validChildren(s), [key]: '  \n ' };
        assertFault(
          await call(s, GET_ADA, { header: header(c) }),
          20014,
          `Authentication failed: ${name} is missing or empty`,
        );
      });
    }

    test('an unknown mktowsUserId (correctly signed with some key)', async () => {
      assertFault(await call(s, GET_ADA, { userId: 'nobody_0123456789ABCDEF' }), 20014, 'Authentication failed');
    });

    test('a signature made with the wrong key', async () => {
      const r = await call(s, GET_ADA, { key: 'the-wrong-encryption-key' });
      assertFault(r, 20014, 'Authentication failed');
    });

    test('a signature over another timestamp than the one sent', async () => {
      const c = validChildren(s);
      const other = formatW3C(new Date(s.runtime.clock.now() - 1000));
      const h = header({ ...c, signature: computeSignature(other, USER, KEY) });
      assertFault(await call(s, GET_ADA, { header: h }), 20014, 'Authentication failed');
    });

    test('a signature of the right length that is not hex', async () => {
      const h = header({ ...validChildren(s), signature: 'z'.repeat(40) });
      assertFault(await call(s, GET_ADA, { header: h }), 20014, 'Authentication failed');
    });

    test('a header that passed is checked again once the user has another key', async () => {
      const u = await addUser(s, {}, 'rekeyed');
      const h = header(validChildren(s, u.userId, u.key));
      assertOk(await call(s, GET_ADA, { header: h }));
      const newKey = `${u.key}-rotated`;
      assert.equal((await s.admin('POST', '/_mktows/users', { userId: u.userId, encryptionKey: newKey })).status, 200);
      assertFault(await call(s, GET_ADA, { header: h }), 20014, 'Authentication failed');
      assertOk(await call(s, GET_ADA, { header: header(validChildren(s, u.userId, newKey)) }));
    });

    test('after a success, the same timestamp with another signature or user spelling fails', async () => {
      const c = validChildren(s);
      assertOk(await call(s, GET_ADA, { header: header(c) }));
      const flipped = (c.signature[0] === '0' ? '1' : '0') + c.signature.slice(1);
      assertFault(
        await call(s, GET_ADA, { header: header({ ...c, signature: flipped }) }),
        20014,
        'Authentication failed',
      );
      // The user is found by its trimmed id, but the signature covers the id as sent.
      assertFault(
        await call(s, GET_ADA, { header: header({ ...c, userId: ` ${USER} ` }) }),
        20014,
        'Authentication failed',
      );
      assertOk(await call(s, GET_ADA, { header: header(c) }));
    });

    test('the fault never echoes the signature or the key', async () => {
      const c = validChildren(s, USER, 'the-wrong-encryption-key');
      const r = await call(s, GET_ADA, { header: header(c) });
      assertFault(r, 20014, 'Authentication failed');
      assert.ok(!r.text.includes(c.signature));
      assert.ok(!r.text.includes(KEY));
    });
    test('an unknown user and a bad signature get the very same fault: user ids cannot be enumerated', async () => {
      const unknown = await call(s, GET_ADA, { userId: 'nobody_enumerated' });
      const badSignature = await call(s, GET_ADA, { key: 'the-wrong-encryption-key' });
      assertFault(unknown, 20014, 'Authentication failed');
      assert.equal(unknown.text, badSignature.text);
      assert.ok(!unknown.text.includes('nobody_enumerated'));
    });

    test('failed authentications are counted in /metrics by reason', async () => {
      const counts = async () => {
        const text = await (await fetch(`${s.url}/metrics`)).text();
        const out: Record<string, number> = {};
        for (const m of text.matchAll(/^mktows_auth_failures_total\{reason="(\w+)"\} (\d+)$/gm))
          out[m[1]] = Number(m[2]);
        return out;
      };
      const before = await counts();
      assert.deepEqual(Object.keys(before).sort(), [
        'bad_signature',
        'blocked',
        'expired',
        'field_missing',
        'header_missing',
        'unknown_user',
      ]);
      await call(s, GET_ADA, { userId: 'nobody_counted' });
      await call(s, GET_ADA, { key: 'the-wrong-encryption-key' });
      await call(s, GET_ADA, { key: 'the-wrong-encryption-key' });
      await call(s, GET_ADA, { header: '' });
      await call(s, GET_ADA, { header: header({ ...validChildren(s), signature: '' }) });
      await call(s, GET_ADA, { timestamp: formatW3C(new Date(s.runtime.clock.now() - 60 * MIN)) });
      assertOk(await call(s, GET_ADA));
      const after = await counts();
      assert.deepEqual(Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]])), {
        header_missing: 1,
        field_missing: 1,
        unknown_user: 1,
        bad_signature: 2,
        expired: 1,
        blocked: 0,
      });
    });
  });

  describe('20016 Request Expired', () => {
    test('a timestamp 14 minutes old is still accepted', async () => {
      assertOk(await call(s, GET_ADA, { timestamp: formatW3C(new Date(s.runtime.clock.now() - 14 * MIN)) }));
    });

    test('a timestamp 16 minutes old', async () => {
      const ts = await alignedTimestamp(s, -SIXTEEN_MIN);
      assertFault(
        await call(s, GET_ADA, { timestamp: ts }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s old; ${LIMIT}`,
      );
    });

    test('a timestamp 16 minutes in the future', async () => {
      const ts = await alignedTimestamp(s, SIXTEEN_MIN);
      assertFault(
        await call(s, GET_ADA, { timestamp: ts }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s in the future; ${LIMIT}`,
      );
    });

    test('an old timestamp in another offset and format is judged by the instant it names', async () => {
      // Ruby's Time#to_s form, 16 minutes old, written in UTC-05:00.
      const base = await alignedTimestamp(s, -SIXTEEN_MIN);
      const t = new Date(base);
      const local = new Date(t.getTime() - 5 * 60 * MIN);
      const ts = `${local.toISOString().slice(0, 19).replace('T', ' ')} -0500`;
      assertFault(
        await call(s, GET_ADA, { timestamp: ts }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s old; ${LIMIT}`,
      );
    });

    test('an unparseable timestamp with a valid signature over it', async () => {
      assertFault(
        await call(s, GET_ADA, { timestamp: 'yesterday' }),
        20016,
        'Request expired: requestTimestamp "yesterday" cannot be parsed',
      );
    });

    test('an impossible date with a valid signature over it', async () => {
      assertFault(
        await call(s, GET_ADA, { timestamp: '2026-02-30T10:00:00+00:00' }),
        20016,
        'Request expired: requestTimestamp "2026-02-30T10:00:00+00:00" cannot be parsed',
      );
    });

    describe('after POST /_mktows/clock moved the server a day ahead', () => {
      const DAY_S = 86_400;
      // Both windows, both sides: a timestamp passes when it is within 900 s of the real time or
      // of the moved clock, and gets 20016 only outside both.
      const cases: { name: string; base: 'wall' | 'server'; delta: number; fault?: string }[] = [
        { name: 'real time, 14 min old', base: 'wall', delta: -14 * MIN },
        { name: 'real time, 14 min ahead', base: 'wall', delta: 14 * MIN },
        { name: 'moved clock, 14 min old', base: 'server', delta: -14 * MIN },
        { name: 'moved clock, 14 min ahead', base: 'server', delta: 14 * MIN },
        {
          name: 'real time, 16 min old',
          base: 'wall',
          delta: -SIXTEEN_MIN,
          fault: `is ${DAY_S + 960} s old, 960 s old by real time`,
        },
        {
          name: 'real time, 16 min ahead',
          base: 'wall',
          delta: SIXTEEN_MIN,
          fault: `is ${DAY_S - 960} s old, 960 s in the future by real time`,
        },
        {
          name: 'moved clock, 16 min old',
          base: 'server',
          delta: -SIXTEEN_MIN,
          fault: `is 960 s old, ${DAY_S - 960} s in the future by real time`,
        },
        {
          name: 'moved clock, 16 min ahead',
          base: 'server',
          delta: SIXTEEN_MIN,
          fault: `is 960 s in the future, ${DAY_S + 960} s in the future by real time`,
        },
      ];
      for (const c of cases) {
        test(`${c.name}: ${c.fault ? '20016' : 'accepted'}`, async () => {
          const moved = await s.admin('POST', '/_mktows/clock', { offsetSeconds: DAY_S });
          assert.equal(moved.status, 200);
          const ts = await alignedTimestamp(s, c.delta, c.base);
          const r = await call(s, GET_ADA, { timestamp: ts });
          if (!c.fault) return assertOk(r);
          assertFault(
            r,
            20016,
            `Request expired: requestTimestamp ${ts} ${c.fault} (the server's clock is moved ${DAY_S} s); ${LIMIT}`,
          );
        });
      }
    });

    test('a header replayed after 15 minutes of both clocks is expired, though it passed before', async () => {
      // Signed an hour ahead of real time, on the moved clock (a client following the Date header).
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3600 });
      const ts = await alignedTimestamp(s, 0);
      const h = header({ userId: USER, timestamp: ts, signature: computeSignature(ts, USER, KEY) });
      assertOk(await call(s, GET_ADA, { header: h }));
      await s.admin('POST', '/_mktows/clock', { offsetSeconds: 3600 + 960 });
      assertFault(
        await call(s, GET_ADA, { header: h }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s old, 3600 s in the future by real time (the server's clock is moved 4560 s); ${LIMIT}`,
      );
    });
  });

  describe('20013 Access Denied', () => {
    test('a blocked user (POST /_mktows/users {blocked: true}) with valid credentials', async () => {
      const u = await addUser(s, { blocked: true }, 'blocked');
      assertFault(
        await call(s, GET_ADA, { userId: u.userId, key: u.key }),
        20013,
        `Access denied: user ${u.userId} is blocked from API access`,
      );
      // Unblocking restores access.
      const r = await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: false });
      assert.equal(r.status, 200);
      assertOk(await call(s, GET_ADA, { userId: u.userId, key: u.key }));
    });

    test('a blocked user with a bad signature gets 20014: the block is not revealed', async () => {
      const u = await addUser(s, { blocked: true }, 'blocked');
      assertFault(
        await call(s, GET_ADA, { userId: u.userId, key: 'the-wrong-encryption-key' }),
        20014,
        'Authentication failed',
      );
    });
  });

  describe('check order 20014 → 20016 → 20013', () => {
    test('bad signature and expired timestamp: 20014', async () => {
      const ts = formatW3C(new Date(s.runtime.clock.now() - 60 * MIN));
      assertFault(
        await call(s, GET_ADA, { timestamp: ts, key: 'the-wrong-encryption-key' }),
        20014,
        'Authentication failed',
      );
    });

    test('unknown user and expired timestamp: 20014', async () => {
      const ts = formatW3C(new Date(s.runtime.clock.now() - 60 * MIN));
      assertFault(await call(s, GET_ADA, { timestamp: ts, userId: 'nobody_expired' }), 20014, 'Authentication failed');
    });

    test('bad signature over an unparseable timestamp: 20014', async () => {
      assertFault(
        await call(s, GET_ADA, { timestamp: 'yesterday', key: 'the-wrong-encryption-key' }),
        20014,
        'Authentication failed',
      );
    });

    test('blocked user and expired timestamp: 20016', async () => {
      const u = await addUser(s, { blocked: true }, 'blocked');
      const ts = await alignedTimestamp(s, -SIXTEEN_MIN);
      assertFault(
        await call(s, GET_ADA, { userId: u.userId, key: u.key, timestamp: ts }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s old; ${LIMIT}`,
      );
    });

    test('blocked user and a timestamp in the future: 20016', async () => {
      const u = await addUser(s, { blocked: true }, 'blocked');
      const ts = await alignedTimestamp(s, SIXTEEN_MIN);
      assertFault(
        await call(s, GET_ADA, { userId: u.userId, key: u.key, timestamp: ts }),
        20016,
        `Request expired: requestTimestamp ${ts} is 960 s in the future; ${LIMIT}`,
      );
    });

    test('missing header before anything else about the user: 20014', async () => {
      const u = await addUser(s, { blocked: true }, 'blocked');
      const h = header({ userId: u.userId, timestamp: 'yesterday' });
      assertFault(
        await call(s, GET_ADA, { header: h }),
        20014,
        'Authentication failed: requestSignature is missing or empty',
      );
    });
  });

  test('calls rejected with 20014, 20016 and 20013 count against neither quota nor rate window', async () => {
    // One call a day and one per window: if any rejection counted, the last call would be refused.
    const u = await addUser(s, { quotaPerDay: 1, ratePerWindow: 1 }, 'auth_quota');
    const as = { userId: u.userId, key: u.key };
    const expired = formatW3C(new Date(s.runtime.clock.now() - 60 * MIN));
    assertFault(await call(s, GET_ADA, { ...as, key: 'the-wrong-encryption-key' }), 20014, /^Authentication failed/);
    assertFault(await call(s, GET_ADA, { ...as, timestamp: '' }), 20014, /^Authentication failed/);
    assertFault(await call(s, GET_ADA, { ...as, timestamp: expired }), 20016, /^Request expired: /);
    assertFault(await call(s, GET_ADA, { ...as, timestamp: 'soon' }), 20016, /^Request expired: /);
    await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: true });
    assertFault(await call(s, GET_ADA, as), 20013, `Access denied: user ${u.userId} is blocked from API access`);
    await s.admin('POST', '/_mktows/users', { userId: u.userId, blocked: false });
    const before = await limitsOf(s, u.userId);
    assert.deepEqual([before.quotaUsed, before.windowCalls, before.inFlight], [0, 0, 0]);
    assertOk(await call(s, GET_ADA, as));
    const after = await limitsOf(s, u.userId);
    assert.deepEqual([after.quotaUsed, after.windowCalls, after.inFlight], [1, 1, 0]);
  });

  test('the journal records authentication faults with the signature masked', async () => {
    const c = validChildren(s, USER, 'the-wrong-encryption-key');
    await call(s, GET_ADA, { header: header(c) });
    const j = await s.admin('GET', '/_mktows/journal?code=20014&limit=1');
    assert.equal(j.status, 200);
    const [e] = j.body.entries;
    assert.equal(e.faultCode, 20014);
    assert.equal(e.status, 500);
    assert.equal(e.operation, 'getLead');
    assert.ok(!e.request.includes(c.signature), 'the signature must be masked');
    assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
    assert.ok(!JSON.stringify(j.body).includes(KEY));
  });

  test('the journal masks the signature of an accepted call too', async () => {
    const c = validChildren(s);
    assertOk(await call(s, GET_ADA, { header: header(c) }));
    const j = await s.admin('GET', '/_mktows/journal?limit=1');
    const [e] = j.body.entries;
    assert.equal(e.faultCode, null);
    assert.ok(!e.request.includes(c.signature));
    assert.ok(e.request.includes(c.timestamp));
  });
});
