/**
 * The bridge's `--store marketo+https://CLIENT_ID:CLIENT_SECRET@HOST[:PORT][/PATH]`: the Marketo
 * instance (or another mktows, `marketo+http://`) whose REST API holds the data. The client secret
 * is kept out of every message, banner and journal: `where` and `redacted` never carry it.
 */

export interface MarketoTarget {
  /** `https://HOST[:PORT][/PATH]`, without a trailing slash: `/identity/…`, `/rest/…` and `/bulk/…` go under it. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** `marketo+https://CLIENT_ID:***@HOST`, for messages and the banner. */
  readonly redacted: string;
}

export class MarketoTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarketoTargetError';
  }
}

export function isMarketoStoreUrl(url: string): boolean {
  return /^marketo\+https?:\/\//i.test(url);
}

const EXPECTED = 'marketo+https://CLIENT_ID:CLIENT_SECRET@HOST (or marketo+http:// for a local REST endpoint)';

export function parseMarketoTarget(url: string): MarketoTarget {
  if (!isMarketoStoreUrl(url)) throw new MarketoTargetError(`the bridge's store must be ${EXPECTED}`);
  let u: URL;
  try {
    u = new URL(url.slice('marketo+'.length));
  } catch {
    // The URL itself is not shown: it holds the secret.
    throw new MarketoTargetError(`the bridge's store is not a valid URL; expected ${EXPECTED}`);
  }
  const clientId = decodeURIComponent(u.username);
  const clientSecret = decodeURIComponent(u.password);
  if (!clientId || !clientSecret) {
    throw new MarketoTargetError(
      `the bridge's store must name the REST client: ${EXPECTED} (a LaunchPoint custom service's id and secret)`,
    );
  }
  if (u.search || u.hash) {
    throw new MarketoTargetError("the bridge's store takes no query or fragment; the state store is --bridge-state");
  }
  const path = u.pathname.replace(/\/+$/, '');
  const baseUrl = `${u.protocol}//${u.host}${path}`;
  return { baseUrl, clientId, clientSecret, redacted: `marketo+${u.protocol}//${u.username}:***@${u.host}${path}` };
}
