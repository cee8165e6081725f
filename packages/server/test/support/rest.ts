/**
 * Test support for the REST API: a token for a client, calls with the bearer header, and exact
 * assertions on Marketo's envelope. Every REST endpoint suite uses these.
 */
import assert from 'node:assert/strict';
import type { ServerConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer, type TestServer } from './harness.js';

export const REST_CLIENT = 'test-rest-client';
export const REST_SECRET = 'test-rest-secret-0123';
/** A second client, to show that REST limits are the instance's, not a client's. */
export const SECOND_CLIENT = 'second';
export const SECOND_SECRET = 'second-secret';

/** A test server with no seed and the two test REST clients; `config` overrides. */
export function startRestTestServer(config: Partial<ServerConfig> = {}): Promise<TestServer> {
  return startTestServer({
    seed: 'none',
    restClients: [
      { clientId: REST_CLIENT, clientSecret: REST_SECRET },
      { clientId: SECOND_CLIENT, clientSecret: SECOND_SECRET },
    ],
    ...config,
  });
}

// biome-ignore lint/suspicious/noExplicitAny: REST bodies are checked field by field in tests.
export type Json = any;

export interface RestAnswer {
  status: number;
  body: Json;
}

/** Calls the identity endpoint with GET (default) or POST form; answers status and JSON. */
export async function tokenCall(
  s: RunningServer,
  clientId = REST_CLIENT,
  secret = REST_SECRET,
  method: 'GET' | 'POST' = 'GET',
): Promise<RestAnswer> {
  const params = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  const r =
    method === 'GET'
      ? await fetch(`${s.url}/identity/oauth/token?${params}`)
      : await fetch(`${s.url}/identity/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: params.toString(),
        });
  return { status: r.status, body: await r.json() };
}

/** A valid access token for the test client. */
export async function accessToken(s: RunningServer, clientId = REST_CLIENT, secret = REST_SECRET): Promise<string> {
  const r = await tokenCall(s, clientId, secret);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

export interface RestCallOptions {
  method?: string;
  /** undefined: no token at all. */
  token?: string;
  body?: string;
  contentType?: string;
}

/** One REST call; the token goes in the Authorization header. */
export async function restCall(s: RunningServer, path: string, o: RestCallOptions = {}): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.contentType) headers['content-type'] = o.contentType;
  const r = await fetch(`${s.url}${path}`, { method: o.method ?? 'GET', headers, body: o.body });
  const text = await r.text();
  return { status: r.status, body: JSON.parse(text) };
}

/** A successful envelope: HTTP 200, `success: true`, a requestId like Marketo's; answers `result`. */
export function restOk(a: RestAnswer): Json[] {
  assert.equal(a.status, 200);
  assert.equal(a.body.success, true, JSON.stringify(a.body));
  assert.match(a.body.requestId, /^[0-9a-f]{1,5}#[0-9a-f]+$/);
  assert.equal(a.body.errors, undefined);
  return a.body.result;
}

/** A failed envelope with exactly this one error code (and message, when given). */
export function assertRestError(a: RestAnswer, code: number, message?: string): void {
  assert.equal(a.status, 200);
  assert.equal(a.body.success, false, JSON.stringify(a.body));
  assert.match(a.body.requestId, /^[0-9a-f]{1,5}#[0-9a-f]+$/);
  assert.equal(a.body.errors.length, 1);
  assert.equal(a.body.errors[0].code, String(code));
  if (message !== undefined) assert.equal(a.body.errors[0].message, message);
  assert.equal(a.body.result, undefined);
}

/** Resets a demo-seeded test server to the demo data and answers a fresh token (a suite's beforeEach). */
export async function resetDemo(s: TestServer): Promise<string> {
  const r = await s.admin('POST', '/_mktows/reset', { seed: 'demo' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return accessToken(s);
}
