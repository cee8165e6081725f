/**
 * The server's base URL as clients see it: `--public-url` when the operator gave one (a proxy or
 * TLS terminator sits in front), otherwise what the request says (X-Forwarded-Proto/-Host, Host).
 */
import type { IncomingMessage } from 'node:http';

/** Why a `--public-url` value is refused. */
export class PublicUrlError extends Error {}

/**
 * An absolute http(s) URL without query, fragment or credentials; the trailing slash is dropped so
 * that paths append to it (`https://h/api/` → `https://h/api`, then `https://h/api/soap/…`).
 */
export function normalisePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new PublicUrlError('an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new PublicUrlError('an http:// or https:// URL');
  if (url.search || value.includes('?')) throw new PublicUrlError('a URL without a query');
  if (url.hash || value.includes('#')) throw new PublicUrlError('a URL without a fragment');
  if (url.username || url.password) throw new PublicUrlError('a URL without user name or password');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A host name or IP literal with an optional port: nothing that could break out of a URL in XML. */
const HOST = /^[A-Za-z0-9._~-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/** The first value of a header that proxies may send as a comma-separated list. */
export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.split(',')[0].trim();
  return v ? v : undefined;
}

/** The base URL of this request: the public URL, or scheme and host from the request's headers. */
export function requestBase(req: IncomingMessage, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl;
  const proto = firstHeader(req, 'x-forwarded-proto') === 'https' ? 'https' : 'http';
  const host = [firstHeader(req, 'x-forwarded-host'), req.headers.host].find((h) => h && HOST.test(h)) ?? 'localhost';
  return `${proto}://${host}`;
}
