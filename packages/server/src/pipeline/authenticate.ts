/**
 * Authentication, in the order of the error contract: header present and complete (20014), user
 * known (20014), signature over the exact received strings (20014), timestamp age and skew
 * (20016), user not blocked (20013).
 */
import {
  childText,
  findHeader,
  MktowsFault,
  parseLenientDateTime,
  verifySignature,
  type XmlElement,
} from '@mktows/protocol';
import type { UserConfig } from '../config.js';
import type { Runtime } from '../runtime.js';

export function authenticate(rt: Runtime, header: XmlElement | undefined): UserConfig {
  const auth = findHeader(header, 'AuthenticationHeader');
  if (!auth) throw new MktowsFault(20014, 'Authentication failed: the AuthenticationHeader is missing');
  const userId = childText(auth, 'mktowsUserId');
  const signature = childText(auth, 'requestSignature');
  const timestamp = childText(auth, 'requestTimestamp');
  for (const [name, v] of [
    ['mktowsUserId', userId],
    ['requestSignature', signature],
    ['requestTimestamp', timestamp],
  ] as const) {
    if (v === undefined || v.trim() === '')
      throw new MktowsFault(20014, `Authentication failed: ${name} is missing or empty`);
  }
  const user = rt.users.get((userId as string).trim());
  if (!user) throw new MktowsFault(20014, `Authentication failed: unknown mktowsUserId "${(userId as string).trim()}"`);
  // The client signed its own text: HMAC the timestamp exactly as received.
  if (!verifySignature(timestamp as string, userId as string, user.encryptionKey, signature as string)) {
    throw new MktowsFault(20014, 'Authentication failed: requestSignature does not match');
  }
  const at = parseLenientDateTime(timestamp as string);
  if (!at) throw new MktowsFault(20016, `Request expired: requestTimestamp "${timestamp}" cannot be parsed`);
  const now = rt.clock.now();
  const window = rt.config.signatureWindowMs;
  const age = now - at.getTime();
  if (age > window) {
    throw new MktowsFault(
      20016,
      `Request expired: requestTimestamp ${timestamp} is ${Math.round(age / 1000)} s old; the limit is ${window / 1000} s`,
    );
  }
  if (-age > window) {
    throw new MktowsFault(
      20016,
      `Request expired: requestTimestamp ${timestamp} is ${Math.round(-age / 1000)} s in the future; the limit is ${window / 1000} s`,
    );
  }
  if (user.blocked) throw new MktowsFault(20013, `Access denied: user ${user.userId} is blocked from API access`);
  return user;
}
