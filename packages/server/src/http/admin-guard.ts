/**
 * What keeps web pages away from the admin API. Without `--admin-token` the API trusts any loopback
 * peer, and a browser on the operator's machine is one: a page from anywhere could POST to
 * http://127.0.0.1:8080/_mktows/reset (a form with text/plain needs no CORS preflight), or reach it
 * under its own name through DNS rebinding. So, as Jupyter and dev servers do:
 * - without a token, the Host header must name this server: a loopback name or address, the bound
 *   `--host`, or the host of `--public-url` (a rebinding page sends its own name). With a token the
 *   Host is not checked: a page cannot make a browser send the Authorization header cross-origin.
 * - an Origin header, when sent, must be this server's own origin, and Sec-Fetch-Site must not say
 *   cross-site or same-site (except a top-level GET, a link followed to the console): the
 *   same-origin console passes, other pages' scripts and forms do not.
 * - a body must be sent as application/json: a page can send a cross-origin form or text/plain
 *   body without a preflight, never a JSON one.
 * Clients that are not browsers (curl, SDKs, tests) send neither Origin nor Sec-Fetch-Site.
 * And without a token, a request that names a forwarded client (Forwarded, X-Forwarded-For) came
 * through a proxy on this machine: the loopback peer is the proxy, not the client, so it is refused.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import type { ServerConfig } from '../config.js';
import { firstHeader } from './public-url.js';

export interface AdminRefusal {
  status: number;
  error: string;
}

type GuardConfig = Pick<ServerConfig, 'adminToken' | 'publicUrl' | 'host'>;

/** The host name of a Host header value or URL authority, lowercased, without its port. */
function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(0, a.indexOf(']') + 1);
  const colon = a.indexOf(':');
  return colon < 0 ? a : a.slice(0, colon);
}

function isLoopbackName(host: string): boolean {
  return (
    host === 'localhost' ||
    host === '[::1]' ||
    host === '[::ffff:127.0.0.1]' ||
    (isIPv4(host) && host.startsWith('127.'))
  );
}

function ownHostNames(config: GuardConfig): Set<string> {
  const names = new Set<string>();
  const bound = config.host.toLowerCase();
  // A wildcard bind address names no host; the loopback names cover local use.
  if (bound !== '0.0.0.0' && bound !== '::') names.add(bound.includes(':') ? `[${bound}]` : bound);
  if (config.publicUrl) names.add(new URL(config.publicUrl).hostname.toLowerCase());
  return names;
}

/** The origins this server is reached at: the public URL's, and the one the request itself names. */
function ownOrigins(req: IncomingMessage, config: GuardConfig): string[] {
  const origins: string[] = [];
  if (config.publicUrl) origins.push(new URL(config.publicUrl).origin);
  const host = req.headers.host;
  if (host) {
    const proto = firstHeader(req, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
    origins.push(`${proto}://${host.trim().toLowerCase()}`);
  }
  return origins;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Why this admin request is refused, or undefined when it may go on. */
export function adminRefusal(req: IncomingMessage, config: GuardConfig): AdminRefusal | undefined {
  if (!config.adminToken && (req.headers.forwarded !== undefined || req.headers['x-forwarded-for'] !== undefined)) {
    return {
      status: 403,
      error:
        "admin API: this request came through a proxy (Forwarded / X-Forwarded-For), so its loopback address is the proxy's, not the client's; set --admin-token to use the admin API through a proxy",
    };
  }
  const host = req.headers.host;
  if (!config.adminToken && host !== undefined) {
    const name = hostName(host);
    if (!isLoopbackName(name) && !ownHostNames(config).has(name)) {
      return {
        status: 403,
        error: `admin API: Host ${JSON.stringify(host)} is not a name of this server (a loopback name, --host or --public-url); with --admin-token any Host is accepted`,
      };
    }
  }
  const method = req.method ?? 'GET';
  const site = req.headers['sec-fetch-site'];
  // Following a link to the console from another site is a top-level GET: the page that held the
  // link never sees the answer, and a GET changes nothing.
  const navigation = (method === 'GET' || method === 'HEAD') && req.headers['sec-fetch-mode'] === 'navigate';
  if ((site === 'cross-site' || site === 'same-site') && !navigation) {
    return { status: 403, error: `admin API: requests from other sites are refused (Sec-Fetch-Site: ${site})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !ownOrigins(req, config).includes(origin.trim().toLowerCase())) {
    return {
      status: 403,
      error: `admin API: cross-origin requests are refused (Origin ${JSON.stringify(origin)} is not this server's)`,
    };
  }
  if (method !== 'GET' && method !== 'HEAD' && hasBody(req)) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return {
        status: 415,
        error: `admin API: send the body as JSON with Content-Type: application/json (got ${type === '' ? 'no Content-Type' : JSON.stringify(type)})`,
      };
    }
  }
  return undefined;
}
