/** The request signature: lower-case hex HMAC-SHA1 of `requestTimestamp + mktowsUserId`. */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';
import { formatW3C } from './datetime.js';

/**
 * HMAC keys by encryption key: a string key is turned into a KeyObject on every createHmac, which
 * costs a third of a signature. Few keys are in use at once (one per API user).
 */
const KEYS = new Map<string, KeyObject>();
const MAX_KEYS = 256;

function hmacKey(encryptionKey: string): KeyObject {
  let key = KEYS.get(encryptionKey);
  if (key === undefined) {
    if (KEYS.size >= MAX_KEYS) KEYS.clear();
    key = createSecretKey(Buffer.from(encryptionKey, 'utf8'));
    KEYS.set(encryptionKey, key);
  }
  return key;
}

export function computeSignature(requestTimestamp: string, userId: string, encryptionKey: string): string {
  return createHmac('sha1', hmacKey(encryptionKey))
    .update(requestTimestamp + userId, 'utf8')
    .digest('hex');
}

/** Constant-time comparison of the received signature with the expected one (hex, any case). */
export function verifySignature(
  requestTimestamp: string,
  userId: string,
  encryptionKey: string,
  received: string,
): boolean {
  const expected = Buffer.from(computeSignature(requestTimestamp, userId, encryptionKey), 'latin1');
  // utf8, not latin1: latin1 keeps only the low byte of each char, so non-hex text could compare equal.
  const got = Buffer.from(received.trim().toLowerCase(), 'utf8');
  if (got.length !== expected.length) {
    // Still spend the comparison so that timing does not reveal the length check.
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, got);
}

export interface AuthenticationHeader {
  mktowsUserId: string;
  requestSignature: string;
  requestTimestamp: string;
  partnerId?: string;
}

/** A freshly signed AuthenticationHeader for `now`. */
export function signRequest(userId: string, encryptionKey: string, now: Date = new Date()): AuthenticationHeader {
  const requestTimestamp = formatW3C(now);
  return {
    mktowsUserId: userId,
    requestTimestamp,
    requestSignature: computeSignature(requestTimestamp, userId, encryptionKey),
  };
}
