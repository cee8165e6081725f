/**
 * Authentication, in the order of the error contract: header present and complete (20014), user
 * known (20014), signature over the exact received strings (20014), timestamp age and skew
 * (20016), user not blocked (20013). An unknown user and a bad signature get the same message, and
 * both pay for an HMAC, so that neither the text nor the timing tells which user ids exist; the
 * metrics keep the reason for the operator.
 */
import {
  childText,
  echo,
  FAULT,
  type FaultCode,
  findHeader,
  MktowsFault,
  parseLenientDateTime,
  verifySignature,
  type XmlElement,
} from '@mktows/protocol';
import type { UserConfig } from '../config.js';
import type { AuthFailureReason } from '../metrics.js';
import type { Runtime } from '../runtime.js';

/** The one message for an unknown user and a bad signature (Marketo's own text). */
export const AUTHENTICATION_FAILED = 'Authentication failed';

/** Signs for unknown users, so that they cost the same HMAC as known ones. */
const NO_USER_KEY = 'mktows: no such user';

/** A header that passed: the strings as received and the instant of the timestamp. */
interface Verified {
  encryptionKey: string;
  userId: string;
  timestamp: string;
  signature: string;
  at: number;
}

/**
 * The last header each user passed with. Clients sign once per call and often several calls in
 * the same second (or reuse one header), and verifying the same strings again gives the same
 * answer: HMAC and timestamp parsing are skipped for them. A user updated through the admin API
 * is a new object, so its entry goes with the old one.
 */
const lastVerified = new WeakMap<UserConfig, Verified>();

/** Equal strings, compared without an early exit (the stored one is a valid signature). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Counts the failure by its reason and returns the fault the client sees. */
function refuse(rt: Runtime, reason: AuthFailureReason, code: FaultCode, detail: string): MktowsFault {
  rt.metrics.recordAuthFailure(reason);
  return new MktowsFault(code, detail);
}

function required(rt: Runtime, name: string, v: string | undefined): string {
  if (v === undefined || v.trim() === '')
    throw refuse(
      rt,
      'field_missing',
      FAULT.AUTHENTICATION_FAILED,
      `Authentication failed: ${name} is missing or empty`,
    );
  return v;
}

/** When the signature of the header is right: the instant of its timestamp, NaN when that cannot be parsed. */
function verifiedAt(rt: Runtime, user: UserConfig, userId: string, timestamp: string, signature: string): number {
  const last = lastVerified.get(user);
  if (
    last !== undefined &&
    last.timestamp === timestamp &&
    last.userId === userId &&
    last.encryptionKey === user.encryptionKey &&
    sameText(last.signature, signature)
  ) {
    return last.at;
  }
  // The client signed its own text: HMAC the timestamp exactly as received.
  if (!verifySignature(timestamp, userId, user.encryptionKey, signature)) {
    throw refuse(rt, 'bad_signature', FAULT.AUTHENTICATION_FAILED, AUTHENTICATION_FAILED);
  }
  const at = parseLenientDateTime(timestamp)?.getTime() ?? Number.NaN;
  lastVerified.set(user, { encryptionKey: user.encryptionKey, userId, timestamp, signature, at });
  return at;
}

/** The requestSignature as the parser decoded it, if the header has one: it is masked wherever the call is kept. */
export function requestSignatureOf(header: XmlElement | undefined): string | undefined {
  const auth = findHeader(header, 'AuthenticationHeader');
  return auth && childText(auth, 'requestSignature');
}

export function authenticate(rt: Runtime, header: XmlElement | undefined): UserConfig {
  const auth = findHeader(header, 'AuthenticationHeader');
  if (!auth)
    throw refuse(
      rt,
      'header_missing',
      FAULT.AUTHENTICATION_FAILED,
      'Authentication failed: the AuthenticationHeader is missing',
    );
  const userId = required(rt, 'mktowsUserId', childText(auth, 'mktowsUserId'));
  const signature = required(rt, 'requestSignature', childText(auth, 'requestSignature'));
  const timestamp = required(rt, 'requestTimestamp', childText(auth, 'requestTimestamp'));
  const user = rt.state.user(userId.trim());
  if (!user) {
    verifySignature(timestamp, userId, NO_USER_KEY, signature);
    throw refuse(rt, 'unknown_user', FAULT.AUTHENTICATION_FAILED, AUTHENTICATION_FAILED);
  }
  const at = verifiedAt(rt, user, userId, timestamp, signature);
  if (Number.isNaN(at))
    throw refuse(
      rt,
      'expired',
      FAULT.REQUEST_EXPIRED,
      `Request expired: requestTimestamp "${echo(timestamp)}" cannot be parsed`,
    );
  const window = rt.config.signatureWindowMs;
  // A client signs with its own clock: real time for most, the server's moved clock for those
  // that follow its Date header. Moving the clock (POST /_mktows/clock) must break neither.
  const realNow = Date.now();
  const now = rt.clock.now();
  const age = now - at;
  const realAge = realNow - at;
  if (Math.abs(age) <= window || Math.abs(realAge) <= window) {
    if (user.blocked)
      throw refuse(rt, 'blocked', FAULT.ACCESS_DENIED, `Access denied: user ${user.userId} is blocked from API access`);
    return user;
  }
  const offset = Math.round((now - realNow) / 1000);
  const real = offset === 0 ? '' : `, ${describeAge(realAge)} by real time (the server's clock is moved ${offset} s)`;
  throw refuse(
    rt,
    'expired',
    FAULT.REQUEST_EXPIRED,
    `Request expired: requestTimestamp ${echo(timestamp)} is ${describeAge(age)}${real}; the limit is ${window / 1000} s`,
  );
}

/** "960 s old" or "960 s in the future". */
function describeAge(ageMs: number): string {
  return ageMs >= 0 ? `${Math.round(ageMs / 1000)} s old` : `${Math.round(-ageMs / 1000)} s in the future`;
}
