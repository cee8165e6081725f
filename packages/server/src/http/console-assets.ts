/**
 * The web console's files: GET /_mktows/console/ (the page), console.js and console.css, read from
 * packages/server/console/ once and served as they are (no build step).
 *
 * They pass the same cross-site checks as the admin API (admin-guard.ts), and without --admin-token
 * the same loopback rule. With a token, a browser cannot put it on a navigation, so the three files
 * are served without it: they hold no data and no secret. The page asks for the token, keeps it in
 * sessionStorage (gone with the tab) and sends it as `Authorization: Bearer` on every admin request
 * it makes, so every byte of data still needs the token.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { ServerConfig } from '../config.js';
import { type AdminRefusal, adminRefusal } from './admin-guard.js';

export const CONSOLE_PATH = '/_mktows/console/';

const DIR = new URL('../../../console/', import.meta.url);

const TYPES: Record<string, string> = {
  '': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

const cache = new Map<string, Buffer>();

function file(name: string): Buffer {
  let b = cache.get(name);
  if (!b) {
    b = readFileSync(new URL(name === '' ? 'index.html' : name, DIR));
    cache.set(name, b);
  }
  return b;
}

export interface ConsoleAsset {
  status: number;
  type: string;
  body: Buffer | string;
  headers: Record<string, string>;
}

/** The asset at `path` (under CONSOLE_PATH), a refusal, or undefined when the path names none. */
export function consoleAsset(
  req: IncomingMessage,
  path: string,
  config: ServerConfig,
  loopbackPeer: boolean,
): ConsoleAsset | undefined {
  const name = path.slice(CONSOLE_PATH.length);
  const type = TYPES[name];
  if (type === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  const refusal: AdminRefusal | undefined =
    !config.adminToken && !loopbackPeer
      ? { status: 403, error: 'admin API answers loopback clients only (set --admin-token to allow others)' }
      : adminRefusal(req, config);
  if (refusal) {
    return {
      status: refusal.status,
      type: 'application/json; charset=utf-8',
      body: `${JSON.stringify(refusal)}\n`,
      headers: {},
    };
  }
  return {
    status: 200,
    type,
    body: file(name),
    headers: {
      // The page runs only its own script and style, and talks only to this server.
      'Content-Security-Policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  };
}
