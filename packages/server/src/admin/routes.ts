/**
 * The admin API (README "Admin API"): health, reset, seed, journal, users, limits, faults, clock. JSON in,
 * JSON out; bad input gets 400 with a message and changes nothing.
 */
import { OPERATION_BY_NAME } from '@mktows/protocol';
import { REST_LIMITS_ID, restLimits } from '../rest/limits.js';
import { REST_OPERATIONS } from '../rest/registry.js';
import type { Runtime } from '../runtime.js';
import { resolveSeed } from '../seed/load.js';
import { applySeed, SeedError } from '../seed/seed.js';
import { FaultRuleError, type FaultRuleInput, parseFaultRule } from '../state/fault-rules.js';
import { userLimits } from '../state/users.js';
import { VERSION } from '../version.js';
import { adminBackup } from './backup.js';
import { consoleRoute, journalFilters } from './console-routes.js';
import { AdminQueryError, campaignRuns, importJobs } from './jobs.js';

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when empty). */
  body: unknown;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const OPERATIONS = new Set(OPERATION_BY_NAME.keys());

const BRIDGE_NO_SEED =
  "this server is a bridge (--store marketo+…): its leads are the Marketo instance's, so it takes no seed; write data through the SOAP API or on the instance (a reset without seed clears the bridge's own state, caches and token)";

function obj(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new AdminError(400, 'the body must be a JSON object');
  return body as Record<string, unknown>;
}

function optInt(v: unknown, name: string, min = 0): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new AdminError(400, `${name} must be an integer ≥ ${min}`);
  return v;
}

/** Seeds named in admin requests: documents, `demo`, `none`, or files of --seed-dir only. */
function adminSeed(rt: Runtime, seed: unknown) {
  return resolveSeed(seed, { via: 'admin', seedDir: rt.config.seedDir });
}

async function seedInto(rt: Runtime, seed: unknown): Promise<unknown> {
  const doc = await adminSeed(rt, seed);
  if (!doc) return null;
  const summary = await applySeed(rt.store, doc, rt.clock.now());
  // A seed may add lead fields.
  await rt.state.reload();
  return summary;
}

export async function handleAdmin(rt: Runtime, req: AdminRequest): Promise<AdminResponse> {
  try {
    return await route(rt, req);
  } catch (e) {
    if (e instanceof AdminError) return { status: e.status, body: { error: e.message } };
    if (e instanceof SeedError || e instanceof FaultRuleError) return { status: 400, body: { error: e.message } };
    if (e instanceof AdminQueryError) return { status: 400, body: { error: e.message } };
    throw e;
  }
}

/** `DELETE /_mktows/faults/ID`: the one route with a parameter in its path. */
const FAULT_RULE_PATH = /^\/_mktows\/faults\/([^/]+)$/;

async function deleteFaultRule(rt: Runtime, idText: string): Promise<AdminResponse> {
  const id = Number(idText);
  if (!/^[0-9]+$/.test(idText) || !Number.isSafeInteger(id)) throw new AdminError(404, `no fault rule ${idText}`);
  if (!(await rt.state.deleteFaultRule(id))) throw new AdminError(404, `no fault rule ${id}`);
  return { status: 200, body: { deleted: id } };
}

/** The users, where each comes from, and their settings: never their keys. */
function listUsers(rt: Runtime): AdminResponse {
  const configured = new Set(rt.config.users.map((u) => u.userId));
  const users = rt.state
    .users()
    .map((u) => ({
      userId: u.userId,
      source: configured.has(u.userId) ? 'config' : 'admin',
      blocked: u.blocked ?? false,
      ...(u.quotaPerDay !== undefined ? { quotaPerDay: u.quotaPerDay } : {}),
      ...(u.ratePerWindow !== undefined ? { ratePerWindow: u.ratePerWindow } : {}),
      ...(u.concurrency !== undefined ? { concurrency: u.concurrency } : {}),
    }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  return { status: 200, body: { users } };
}

async function route(rt: Runtime, req: AdminRequest): Promise<AdminResponse> {
  const key = `${req.method} ${req.path}`;
  const ruleId = req.method === 'DELETE' ? FAULT_RULE_PATH.exec(req.path)?.[1] : undefined;
  if (ruleId !== undefined) return deleteFaultRule(rt, ruleId);
  const consoleAnswer = await consoleRoute(rt, req);
  if (consoleAnswer) return consoleAnswer;
  switch (key) {
    case 'GET /_mktows/health':
      await rt.store.ping();
      return { status: 200, body: { status: 'ok', version: VERSION, store: rt.store.kind, limits: rt.limits.kind } };
    case 'POST /_mktows/reset': {
      const b = obj(req.body);
      if (rt.bridge && b.seed !== undefined) throw new AdminError(409, BRIDGE_NO_SEED);
      // A seed that cannot be resolved or applied is refused before anything changes.
      const doc = await adminSeed(rt, b.seed);
      // The seed is written at the reset clock (offset 0).
      const seeded = doc ? await applySeed(rt.store, doc, Date.now(), { replaceAll: true }) : null;
      if (!doc) await rt.store.reset();
      // Users, fault rules and clock offset as at start; lead schema and stream secret from the new store.
      await rt.state.reset();
      rt.restTokens.clear();
      await rt.limits.reset();
      await rt.journal.clear();
      // A bridge forgets what it learnt from the instance (describe, names → ids) and its token.
      rt.bridge?.clearCaches();
      rt.bridge?.upstream.dropToken();
      return { status: 200, body: { reset: true, seed: seeded } };
    }
    case 'POST /_mktows/seed': {
      if (rt.bridge) throw new AdminError(409, BRIDGE_NO_SEED);
      if (req.body === undefined) throw new AdminError(400, 'POST a seed document as JSON');
      return { status: 200, body: await seedInto(rt, req.body) };
    }
    case 'GET /_mktows/journal': {
      const limit = req.query.get('limit');
      const code = req.query.get('code');
      const n = limit === null ? undefined : Number(limit);
      const c = code === null ? undefined : Number(code);
      if (n !== undefined && !(Number.isInteger(n) && n > 0))
        throw new AdminError(400, 'limit must be a positive integer');
      if (c !== undefined && !Number.isInteger(c)) throw new AdminError(400, 'code must be an integer');
      const entries = await rt.journal.query({
        limit: n,
        code: c,
        operation: req.query.get('operation') ?? undefined,
        userId: req.query.get('userId') ?? undefined,
        ...journalFilters(req.query),
      });
      return { status: 200, body: { entries } };
    }
    case 'POST /_mktows/users': {
      const b = obj(req.body);
      if (typeof b.userId !== 'string' || b.userId.trim() === '')
        throw new AdminError(400, 'userId must be a non-empty string');
      // Control characters are refused: the REST limits live under an id made with one (rest/limits.ts).
      if (/[\u0000-\u001f\u007f]/.test(b.userId))
        throw new AdminError(400, 'userId must not contain control characters');
      const existing = rt.state.user(b.userId);
      if (b.encryptionKey === undefined && !existing)
        throw new AdminError(400, 'encryptionKey is required for a new user');
      if (b.encryptionKey !== undefined && (typeof b.encryptionKey !== 'string' || b.encryptionKey.length < 10)) {
        throw new AdminError(400, 'encryptionKey must be a string of at least 10 characters');
      }
      if (b.blocked !== undefined && typeof b.blocked !== 'boolean')
        throw new AdminError(400, 'blocked must be a boolean');
      const user = await rt.state.upsertUser({
        userId: b.userId,
        encryptionKey: (b.encryptionKey as string | undefined) ?? (existing?.encryptionKey as string),
        ...(b.blocked !== undefined ? { blocked: b.blocked as boolean } : {}),
        ...(b.quotaPerDay !== undefined ? { quotaPerDay: optInt(b.quotaPerDay, 'quotaPerDay') } : {}),
        ...(b.ratePerWindow !== undefined ? { ratePerWindow: optInt(b.ratePerWindow, 'ratePerWindow') } : {}),
        ...(b.concurrency !== undefined ? { concurrency: optInt(b.concurrency, 'concurrency') } : {}),
      });
      // The key is a secret: never echo it.
      const { encryptionKey: _key, ...shown } = user;
      return { status: 200, body: shown };
    }
    case 'GET /_mktows/users':
      return listUsers(rt);
    case 'POST /_mktows/rest-clients': {
      const b = obj(req.body);
      if (typeof b.clientId !== 'string' || b.clientId.trim() === '' || /[\s:]/.test(b.clientId))
        throw new AdminError(400, 'clientId must be a non-empty string without spaces or colons');
      if (typeof b.clientSecret !== 'string' || b.clientSecret.length < 8)
        throw new AdminError(400, 'clientSecret must be a string of at least 8 characters');
      await rt.state.upsertRestClient({ clientId: b.clientId, clientSecret: b.clientSecret });
      // The secret is never echoed.
      return { status: 200, body: { clientId: b.clientId } };
    }
    case 'GET /_mktows/rest-clients': {
      const configured = new Set(rt.config.restClients.map((c) => c.clientId));
      const clients = rt.state
        .restClients()
        .map((c) => ({ clientId: c.clientId, source: configured.has(c.clientId) ? 'config' : 'admin' }))
        .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
      return { status: 200, body: { clients } };
    }
    case 'GET /_mktows/limits': {
      if (req.query.get('api') === 'rest') {
        // The REST limits are the instance's, shared by all REST clients.
        const s = await rt.limits.snapshot(REST_LIMITS_ID, rt.clock.now(), restLimits(rt.config));
        const { userId: _id, ...counters } = s;
        return { status: 200, body: { api: 'rest', ...counters, quotaResetsAt: s.quotaResetsAt.toISOString() } };
      }
      const userId = req.query.get('userId');
      if (!userId) throw new AdminError(400, 'userId is required');
      const user = rt.state.user(userId);
      if (!user) throw new AdminError(404, `no user ${userId}`);
      const s = await rt.limits.snapshot(userId, rt.clock.now(), userLimits(rt.config, user));
      return { status: 200, body: { ...s, quotaResetsAt: s.quotaResetsAt.toISOString() } };
    }
    case 'POST /_mktows/faults': {
      const b = obj(req.body);
      const rule = await rt.state.addFaultRule(
        parseFaultRule(b as unknown as FaultRuleInput, OPERATIONS, REST_OPERATIONS),
      );
      return { status: 200, body: { id: rule.id } };
    }
    case 'GET /_mktows/faults':
      return { status: 200, body: { rules: rt.state.faultRules() } };
    case 'DELETE /_mktows/faults':
      await rt.state.clearFaultRules();
      return { status: 200, body: { deleted: true } };
    case 'POST /_mktows/clock': {
      const b = obj(req.body);
      if (typeof b.offsetSeconds !== 'number' || !Number.isFinite(b.offsetSeconds)) {
        throw new AdminError(400, 'offsetSeconds must be a number');
      }
      await rt.state.setClockOffset(Math.round(b.offsetSeconds * 1000));
      return {
        status: 200,
        body: { offsetSeconds: rt.state.clockOffsetMs / 1000, now: new Date(rt.clock.now()).toISOString() },
      };
    }
    case 'GET /_mktows/clock':
      return {
        status: 200,
        body: { offsetSeconds: rt.state.clockOffsetMs / 1000, now: new Date(rt.clock.now()).toISOString() },
      };
    case 'GET /_mktows/campaign-runs':
      return { status: 200, body: await campaignRuns(rt, req.query) };
    case 'GET /_mktows/imports':
      return { status: 200, body: await importJobs(rt, req.query) };
    case 'POST /_mktows/backup':
      return adminBackup(rt, obj(req.body));
    default:
      throw new AdminError(404, `no admin route ${key}`);
  }
}
