import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLenientDateTime } from '../src/datetime.js';
import { childText, findHeader, parseRequest } from '../src/envelope.js';
import { computeSignature, signRequest, verifySignature } from '../src/signature.js';
import { loadCaptures, SHARED_DIR, SKIP_NO_SHARED } from './helpers.js';

// spec §2.2
const USER = 'bigcorp1_461839624B16E06BA2D663';
const KEY = '899756834129871744AAEE88DDCC77CDEEDEC1AAAD66';
const TS = '2013-07-30T14:15:06-07:00';
const SIG = 'bf98631891666fb3284485bffbe6f50801c5e18a';

describe('computeSignature', () => {
  test('the spec §2.2 test vector signs to bf98631891666fb3284485bffbe6f50801c5e18a', () => {
    assert.equal(computeSignature(TS, USER, KEY), SIG);
  });

  test('the signature is over the exact timestamp text: the same instant spelt differently signs differently', () => {
    assert.equal(computeSignature('2013-07-30T21:15:06+00:00', USER, KEY), '5608a9d631587b8380c8ecc46b0386385c613caf');
  });

  test('non-ASCII keys and messages are taken as UTF-8', () => {
    assert.equal(
      computeSignature('2013-07-30T21:15:06+00:00', 'usér', 'clé-ü'),
      'c431d835d138557e844226e81543e9fdffba0e4a',
    );
  });
});

describe('verifySignature', () => {
  test('the right signature verifies', () => {
    assert.equal(verifySignature(TS, USER, KEY, SIG), true);
  });

  test('upper-case hex and surrounding whitespace are accepted', () => {
    assert.equal(verifySignature(TS, USER, KEY, SIG.toUpperCase()), true);
    assert.equal(verifySignature(TS, USER, KEY, ` ${SIG}\n`), true);
  });

  test('a signature for another timestamp, user or key does not verify', () => {
    assert.equal(verifySignature('2013-07-30T14:15:07-07:00', USER, KEY, SIG), false);
    assert.equal(verifySignature('2013-07-30T21:15:06+00:00', USER, KEY, SIG), false);
    assert.equal(verifySignature(TS, `${USER}x`, KEY, SIG), false);
    assert.equal(verifySignature(TS, USER, `${KEY}x`, SIG), false);
  });

  test('a signature with one hex digit changed does not verify', () => {
    assert.equal(verifySignature(TS, USER, KEY, `${SIG.slice(0, 39)}b`), false);
    assert.equal(verifySignature(TS, USER, KEY, `c${SIG.slice(1)}`), false);
  });

  test('a signature of the wrong length does not verify', () => {
    assert.equal(verifySignature(TS, USER, KEY, SIG.slice(0, 39)), false);
    assert.equal(verifySignature(TS, USER, KEY, `${SIG}0`), false);
    assert.equal(verifySignature(TS, USER, KEY, ''), false);
    assert.equal(verifySignature(TS, USER, KEY, `${SIG}${SIG}`), false);
  });

  test('non-ASCII characters whose low byte spells the signature do not verify', () => {
    // U+0163 has the low byte 0x63 ('c'): a latin1 comparison would take it for the hex digit.
    const lookalike = SIG.replace('c', '\u0163');
    assert.equal(lookalike.length, 40);
    assert.equal(verifySignature(TS, USER, KEY, lookalike), false);
  });
});

describe('signRequest', () => {
  test('signs a W3C UTC timestamp of the given instant', () => {
    const h = signRequest(USER, KEY, new Date('2013-07-30T21:15:06.789Z'));
    assert.deepEqual(h, {
      mktowsUserId: USER,
      requestTimestamp: '2013-07-30T21:15:06+00:00',
      requestSignature: '5608a9d631587b8380c8ecc46b0386385c613caf',
    });
    assert.equal(verifySignature(h.requestTimestamp, h.mktowsUserId, KEY, h.requestSignature), true);
  });
});

describe('the captured requests of 12 client stacks', () => {
  test('every one of the 60 captured requests verifies against cap_key_0123456789 and has a parseable timestamp', {
    skip: SKIP_NO_SHARED,
  }, () => {
    const captures = loadCaptures(SHARED_DIR as string);
    assert.equal(captures.length, 60);
    assert.equal(new Set(captures.map((c) => c.stack)).size, 12);
    const from = Date.parse('2026-11-25T11:32:00Z');
    const to = Date.parse('2026-11-25T11:34:00Z');
    for (const c of captures) {
      assert.match(c.head, /^POST \/soap\/mktows\/2_6 HTTP\/1\.[01]\r\n/, c.name);
      const length = /\r\ncontent-length: *(\d+)/i.exec(c.head);
      assert.ok(length, `${c.name}: Content-Length`);
      assert.equal(c.body.length, Number(length[1]), `${c.name}: body length`);

      const r = parseRequest(c.body);
      const auth = findHeader(r.header, 'AuthenticationHeader');
      assert.ok(auth, `${c.name}: AuthenticationHeader`);
      const user = childText(auth, 'mktowsUserId');
      const ts = childText(auth, 'requestTimestamp');
      const sig = childText(auth, 'requestSignature');
      assert.equal(user, 'cap_user', c.name);
      assert.ok(ts !== undefined && sig !== undefined, c.name);
      assert.equal(verifySignature(ts, user, 'cap_key_0123456789', sig), true, `${c.name}: signature`);
      assert.equal(verifySignature(ts, user, 'cap_key_012345678', sig), false, `${c.name}: wrong key`);
      const when = parseLenientDateTime(ts);
      assert.ok(when, `${c.name}: timestamp ${ts}`);
      assert.ok(when.getTime() >= from && when.getTime() < to, `${c.name}: ${ts} is ${when.toISOString()}`);
    }
  });
});
