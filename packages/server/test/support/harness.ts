/**
 * Test support: a real server on a free loopback port with an in-memory, file or PostgreSQL store
 * (PostgreSQL under MKTOWS_TEST_STORE=postgres), signed SOAP calls over HTTP, and parsed faults.
 * Tests talk to it exactly as clients do. Its limits backend is memory, or Redis under
 * MKTOWS_TEST_LIMITS=redis (support/limits-backends.ts).
 */
import { computeSignature, formatW3C, parseXml, type XmlElement } from '@mktows/protocol';
import type { ServerConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { bridgeModeWanted, startBridged } from './bridge-mode.js';
import { testLimitsUrl } from './limits-backends.js';
import { startOnTestStore } from './test-database.js';

export const USER = 'test_user';
export const KEY = 'test-encryption-key-0123';
export const NS = 'http://www.marketo.com/mktows/';

// biome-ignore lint/suspicious/noExplicitAny: admin bodies are checked field by field in tests.
type Json = any;

export interface TestServer extends RunningServer {
  soap(inner: string, opts?: CallOptions): Promise<SoapResult>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
}

export interface CallOptions {
  version?: string;
  userId?: string;
  key?: string;
  /** Overrides the timestamp text that is signed and sent. */
  timestamp?: string;
  /** Replaces the whole Header content (e.g. '' for none). */
  header?: string;
  /** Extra header elements after AuthenticationHeader. */
  extraHeader?: string;
  /** Replaces the whole envelope. */
  raw?: string | Buffer;
}

export interface SoapResult {
  status: number;
  text: string;
  /** The parsed document. */
  doc: XmlElement;
  /** Fault fields when status is 500. */
  fault?: { faultcode: string; faultstring: string; message: string; code: number };
}

export async function startTestServer(config: Partial<ServerConfig> = {}): Promise<TestServer> {
  const defaults: Partial<ServerConfig> = { users: [{ userId: USER, encryptionKey: KEY }], ...config };
  if (bridgeModeWanted(config)) return startBridged(defaults, startPlainServer);
  return startPlainServer(defaults);
}

async function startPlainServer(config: Partial<ServerConfig>): Promise<TestServer> {
  // sqlite::memory:, or a fresh PostgreSQL database under MKTOWS_TEST_STORE=postgres.
  const s = await startOnTestStore(config.store, (store) =>
    startServer({
      port: 0,
      logLevel: 'silent',
      limits: testLimitsUrl(),
      ...config,
      store,
    }),
  );
  return Object.assign(s, {
    soap: (inner: string, opts: CallOptions = {}) => soapCall(s, inner, opts),
    admin: (method: string, path: string, body?: unknown) => adminCall(s, method, path, body),
  });
}

export function authHeader(opts: CallOptions = {}, now: Date = new Date()): string {
  const userId = opts.userId ?? USER;
  const ts = opts.timestamp ?? formatW3C(now);
  const sig = computeSignature(ts, userId, opts.key ?? KEY);
  return `<ns1:AuthenticationHeader><mktowsUserId>${userId}</mktowsUserId><requestSignature>${sig}</requestSignature><requestTimestamp>${ts}</requestTimestamp></ns1:AuthenticationHeader>`;
}

export function envelope(inner: string, header: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><SOAP-ENV:Header>${header}</SOAP-ENV:Header><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

/** The text of the first descendant element with this local name. */
export function find(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.local === local) return c;
    const d = find(c, local);
    if (d) return d;
  }
  return undefined;
}

export function findAll(el: XmlElement, local: string, out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (c.local === local) out.push(c);
    findAll(c, local, out);
  }
  return out;
}

export function text(el: XmlElement, local: string): string | undefined {
  return find(el, local)?.text;
}

export async function soapCall(s: RunningServer, inner: string, opts: CallOptions = {}): Promise<SoapResult> {
  const server = s as TestServer;
  const clockNow = new Date(server.runtime.clock.now());
  const body = opts.raw ?? envelope(inner, opts.header ?? authHeader(opts, clockNow) + (opts.extraHeader ?? ''));
  const r = await fetch(`${s.url}/soap/mktows/${opts.version ?? '3_1'}`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const t = await r.text();
  const doc = parseXml(t);
  const result: SoapResult = { status: r.status, text: t, doc };
  if (r.status === 500) {
    result.fault = {
      faultcode: text(doc, 'faultcode') ?? '',
      faultstring: text(doc, 'faultstring') ?? '',
      message: text(doc, 'message') ?? '',
      code: Number(text(doc, 'code')),
    };
  }
  return result;
}

export async function adminCall(s: RunningServer, method: string, path: string, body?: unknown) {
  const r = await fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const t = await r.text();
  return { status: r.status, body: t ? JSON.parse(t) : undefined };
}

export const getLeadBody = (keyType: string, keyValue: string) =>
  `<ns1:paramsGetLead><leadKey><keyType>${keyType}</keyType><keyValue>${keyValue}</keyValue></leadKey></ns1:paramsGetLead>`;
