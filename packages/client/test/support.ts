/**
 * Test support: a real mktows server (package `mktows`) on a free loopback port with an in-memory
 * store and the demo seed, its admin API, users per test, a recording logger and sleep, and a fake
 * SOAP endpoint (a fetch function) for the operations the server does not implement yet.
 */
import { setTimeout as delay } from 'node:timers/promises';
import {
  decodeComplex,
  encodeSuccess,
  faultXml,
  LATEST_VERSION,
  OPERATION_BY_NAME,
  parseRequest,
} from '@mktows/protocol';
import type { ServerConfig } from 'mktows/dist/src/config.js';
import { type RunningServer, startServer } from 'mktows/dist/src/server.js';
import { startOnTestStore } from 'mktows/dist/test/support/test-database.js';
import { type Logger, MktowsClient, type MktowsClientOptions } from '../src/index.js';

export const KEY = 'client-test-encryption-key';

// biome-ignore lint/suspicious/noExplicitAny: admin bodies are checked field by field in tests.
type Json = any;

export interface TestServer extends RunningServer {
  endpoint: string;
  admin(method: string, path: string, body?: unknown): Promise<Json>;
  /** Creates (or updates) a user with the test key; returns its id. */
  user(prefix: string, extra?: Record<string, unknown>): Promise<string>;
  /** A client for a user of this server (limits default unless given). */
  client(userId: string, options?: Partial<MktowsClientOptions>): MktowsClient;
  /**
   * Journal entries, oldest first; with a user, that user's calls only, matched on the request's
   * mktowsUserId (the server journals calls refused before authentication with userId null).
   */
  journal(user?: string, query?: string): Promise<JournalEntry[]>;
}

export interface JournalEntry {
  id: number;
  time: string;
  userId: string | null;
  operation: string | null;
  durationMs: number;
  status: number;
  faultCode: number | null;
  request: string;
  response: string;
}

let users = 0;

export async function startMktows(config: Partial<ServerConfig> = {}): Promise<TestServer> {
  // sqlite::memory:, or a fresh PostgreSQL database under MKTOWS_TEST_STORE=postgres.
  const s = await startOnTestStore(config.store, (store) =>
    startServer({
      port: 0,
      seed: 'demo',
      logLevel: 'silent',
      journalSize: 5000,
      users: [{ userId: 'client_test_fixed', encryptionKey: KEY }],
      ...config,
      store,
    }),
  );
  const admin = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const r = await fetch(`${s.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const endpoint = `${s.url}/soap/mktows/3_1`;
  return Object.assign(s, {
    endpoint,
    admin,
    async user(prefix: string, extra: Record<string, unknown> = {}) {
      const userId = `${prefix}_${process.pid}_${++users}`;
      await admin('POST', '/_mktows/users', { userId, encryptionKey: KEY, ...extra });
      return userId;
    },
    client(userId: string, options: Partial<MktowsClientOptions> = {}) {
      return new MktowsClient({ endpoint, userId, encryptionKey: KEY, ...options });
    },
    async journal(user?: string, query = '') {
      const entries = ((await admin('GET', `/_mktows/journal?limit=5000${query}`)).entries as JournalEntry[]).reverse();
      return user === undefined
        ? entries
        : entries.filter((e) => e.request.includes(`<mktowsUserId>${user}</mktowsUserId>`));
    },
  });
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A pino-shaped logger that keeps every entry. */
export function recordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      entries.push({ level, obj, msg });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A sleep that really waits and records what it was asked to wait. */
export function recordingSleep(): {
  sleeps: number[];
  /** performance.now() when each sleep began: right after the client decided how long to wait. */
  calledAt: number[];
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
} {
  const sleeps: number[] = [];
  const calledAt: number[] = [];
  return {
    sleeps,
    calledAt,
    async sleep(ms, signal) {
      sleeps.push(ms);
      calledAt.push(performance.now());
      await delay(ms, undefined, signal ? { signal } : undefined);
    },
  };
}

export type FakeHandler = (
  operation: string,
  params: Json,
  call: number,
) => unknown | { fault: number; detail?: string } | Promise<unknown>;

/**
 * A fetch that answers like a mktows endpoint: it decodes the request with the protocol's decoder
 * and encodes the handler's result (or fault) with the protocol's encoder.
 */
export function fakeEndpoint(handler: FakeHandler): {
  fetch: typeof fetch;
  calls: { operation: string; params: Json }[];
} {
  const calls: { operation: string; params: Json }[] = [];
  const f = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const parsed = parseRequest(Buffer.from(String(init?.body)));
    const params = decodeComplex(parsed.params, parsed.operation.paramsType, parsed.operation.paramsElement);
    calls.push({ operation: parsed.operation.name, params });
    const out = (await handler(parsed.operation.name, params, calls.length)) as Json;
    if (out && typeof out === 'object' && 'fault' in out) {
      return new Response(faultXml(out.fault, out.detail ?? 'Injected by the fake endpoint'), {
        status: 500,
        headers: { 'Content-Type': 'text/xml; charset=utf-8' },
      });
    }
    const op = OPERATION_BY_NAME.get(parsed.operation.name);
    if (!op) throw new Error('no operation');
    return new Response(encodeSuccess(op, out, LATEST_VERSION), {
      status: 200,
      headers: { 'Content-Type': 'text/xml; charset=utf-8' },
    });
  };
  return { fetch: f as typeof fetch, calls };
}

/** Start instants (ms) of journal entries: the server's end time minus the duration. */
export function intervals(entries: JournalEntry[]): { start: number; end: number }[] {
  return entries.map((e) => {
    const end = Date.parse(e.time);
    return { start: end - e.durationMs, end };
  });
}

/** The most intervals that overlap at any instant. */
export function maxOverlap(iv: { start: number; end: number }[]): number {
  const points = iv.flatMap((i) => [
    [i.start, 1],
    [i.end, -1],
  ]);
  // Ends before starts at the same instant: a call that ended frees its slot for one that starts.
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let max = 0;
  for (const [, d] of points) {
    cur += d;
    max = Math.max(max, cur);
  }
  return max;
}

export const getLeadParams = (email = 'ada@demo.example') => ({
  leadKey: { keyType: 'EMAIL' as const, keyValue: email },
});
