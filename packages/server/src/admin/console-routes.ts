/**
 * The admin endpoints the web console reads besides the contract's own: read-only, paged and bounded
 * views of the data (leads, lists, campaigns), the journal's extra filters, and the replay of a
 * journaled SOAP call. Bodies are typed in console-types.ts. routes.ts asks this module first;
 * `undefined` means "not one of mine".
 */
import { computeSignature, formatW3C, isVersion, LATEST_VERSION } from '@mktows/protocol';
import { handleSoap } from '../pipeline/soap.js';
import type { Runtime } from '../runtime.js';
import type { Lead } from '../store/store.js';
import type {
  CampaignsPage,
  LeadDetail,
  LeadSummary,
  LeadsPage,
  ListIndex,
  ListPage,
  ReplayResult,
} from './console-types.js';
import { MAX_ACTIVITIES, MAX_PAGE } from './console-types.js';
import { AdminQueryError } from './jobs.js';
import type { AdminRequest, AdminResponse } from './routes.js';

const iso = (ms: number) => new Date(ms).toISOString();

function bounded(q: URLSearchParams, name: string, fallback: number, max: number, min = 1): number {
  const v = q.get(name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new AdminQueryError(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** GET /_mktows/journal's filters beyond the contract's: `api`, `sinceId`, `search`. */
export function journalFilters(q: URLSearchParams): { api?: 'soap' | 'rest'; sinceId?: number; search?: string } {
  const api = q.get('api');
  if (api !== null && api !== 'soap' && api !== 'rest') throw new AdminQueryError('api must be soap or rest');
  const since = q.get('sinceId');
  const sinceId = since === null ? undefined : Number(since);
  if (sinceId !== undefined && !(Number.isSafeInteger(sinceId) && sinceId >= 0))
    throw new AdminQueryError('sinceId must be an integer ≥ 0');
  const search = q.get('search')?.trim() || undefined;
  return {
    ...(api !== null ? { api } : {}),
    ...(sinceId !== undefined ? { sinceId } : {}),
    ...(search !== undefined ? { search } : {}),
  };
}

function summary(l: Lead): LeadSummary {
  return { id: l.id, email: l.email, foreignSysPersonId: l.foreignSysPersonId, updatedAt: iso(l.updatedAt) };
}

async function leads(rt: Runtime, q: URLSearchParams): Promise<LeadsPage> {
  const limit = bounded(q, 'limit', 50, MAX_PAGE);
  const email = q.get('email')?.trim();
  const total = await rt.store.countLeads();
  if (email) return { leads: (await rt.store.findLeads({ by: 'EMAIL', value: email })).map(summary), total };
  const page = await rt.store.pageLeads({ kind: 'updated', from: 0, to: Number.MAX_SAFE_INTEGER }, 0, limit);
  const full = await rt.store.getLeads(page.leads.map((l) => l.id));
  return { leads: full.sort((a, b) => a.id - b.id).map(summary), total };
}

async function lead(rt: Runtime, idText: string): Promise<AdminResponse> {
  const id = Number(idText);
  const [l] = /^[0-9]+$/.test(idText) ? await rt.store.getLeads([id]) : [];
  if (!l) return { status: 404, body: { error: `no lead ${idText}` } };
  const activities = (await rt.store.listActivities(id)).slice(0, MAX_ACTIVITIES);
  const body: LeadDetail = {
    ...summary(l),
    createdAt: iso(l.createdAt),
    attributes: { Id: String(l.id), ...(l.email !== null ? { Email: l.email } : {}), ...l.attributes },
    activities: activities.map((a) => ({
      id: a.id,
      typeName: a.typeName,
      occurredAt: iso(a.occurredAt),
      assetName: a.assetName,
      campaign: a.campaign,
      attributes: Object.fromEntries(a.attributes),
    })),
  };
  return { status: 200, body };
}

async function list(rt: Runtime, q: URLSearchParams): Promise<AdminResponse> {
  if (!q.has('name')) {
    // Without a name: the index the console offers names from (a few lists per program, not pages of leads).
    const index: ListIndex = {
      lists: (await rt.store.listLists()).map((l) => ({ id: l.id, name: l.name, programName: l.programName })),
    };
    return { status: 200, body: index };
  }
  const name = q.get('name')?.trim();
  if (!name) throw new AdminQueryError('name is required (a static list name, e.g. Demo List)');
  const found = await rt.store.findList('name', name);
  if (!found) return { status: 404, body: { error: `no static list ${name}` } };
  const afterId = bounded(q, 'afterId', 0, Number.MAX_SAFE_INTEGER, 0);
  const page = await rt.store.pageLeads({ kind: 'list', listId: found.id }, afterId, bounded(q, 'limit', 50, MAX_PAGE));
  const body: ListPage = {
    list: { id: found.id, name: found.name, programName: found.programName },
    members: page.leads.map((l) => ({ id: l.id, email: l.email })),
    remaining: page.remaining,
  };
  return { status: 200, body };
}

async function campaigns(rt: Runtime): Promise<CampaignsPage> {
  const all = await rt.store.campaigns.listCampaigns();
  return {
    campaigns: all.map((c) => ({ id: c.id, program: c.programName, name: c.name, kind: c.kind, sources: c.sources })),
  };
}

/** Replaces the text of every element with this local name, whatever its prefix. */
function replaceElement(xml: string, local: string, value: string): string {
  const re = new RegExp(
    `(<(?:[A-Za-z_][\\w.-]*:)?${local}\\b[^>]*>)[\\s\\S]*?(</(?:[A-Za-z_][\\w.-]*:)?${local}\\s*>)`,
    'g',
  );
  return xml.replace(re, (_m, open: string, close: string) => `${open}${value}${close}`);
}

/**
 * Sends a journaled SOAP call again. Its signature was masked when it was journaled, and a
 * signature is only good for its timestamp anyway, so the call is signed afresh with its user's key:
 * what an operator expects from "replay" is the call's answer now, not a 20016.
 */
async function replay(rt: Runtime, idText: string, body: unknown): Promise<AdminResponse> {
  const id = Number(idText);
  // Entries newer than it come first; the journal's size bounds them.
  const found = /^[0-9]+$/.test(idText)
    ? (await rt.journal.query({ sinceId: id - 1 })).find((e) => e.id === id)
    : undefined;
  if (!found) return { status: 404, body: { error: `no journal entry ${idText}` } };
  if (found.api !== 'soap')
    return { status: 400, body: { error: 'only SOAP calls are replayed; copy a REST call as curl' } };
  if (/… \[[0-9]+ more bytes\]$|^\[/.test(found.request))
    return { status: 400, body: { error: `journal entry ${id} does not hold the whole request` } };
  const user = found.userId === null ? undefined : rt.state.user(found.userId);
  if (!user) return { status: 400, body: { error: `journal entry ${id} has no known user to sign it with` } };
  const version = (body as { version?: unknown } | undefined)?.version ?? LATEST_VERSION;
  if (typeof version !== 'string' || !isVersion(version))
    return { status: 400, body: { error: 'version must be an API version such as 3_1' } };
  const timestamp = formatW3C(new Date(rt.clock.now()));
  let xml = replaceElement(found.request, 'requestTimestamp', timestamp);
  xml = replaceElement(xml, 'requestSignature', computeSignature(timestamp, user.userId, user.encryptionKey));
  const r = await handleSoap(rt, { bytes: Buffer.from(xml, 'utf8'), version, onAbort: () => {} });
  const response = r.body.toString('utf8');
  const code = r.status === 500 ? /<code>\s*([0-9]+)\s*<\/code>/.exec(response)?.[1] : undefined;
  const result: ReplayResult = {
    replayOf: id,
    status: r.status,
    faultCode: code === undefined ? null : Number(code),
    response: rt.mask(response),
  };
  return { status: 200, body: result };
}

const LEAD_PATH = /^\/_mktows\/leads\/([^/]+)$/;
const REPLAY_PATH = /^\/_mktows\/journal\/([^/]+)\/replay$/;

export async function consoleRoute(rt: Runtime, req: AdminRequest): Promise<AdminResponse | undefined> {
  if (req.method === 'GET') {
    if (req.path === '/_mktows/leads') return { status: 200, body: await leads(rt, req.query) };
    const leadId = LEAD_PATH.exec(req.path)?.[1];
    if (leadId !== undefined) return lead(rt, leadId);
    if (req.path === '/_mktows/lists') return list(rt, req.query);
    if (req.path === '/_mktows/campaigns') return { status: 200, body: await campaigns(rt) };
  }
  if (req.method === 'POST') {
    const replayId = REPLAY_PATH.exec(req.path)?.[1];
    if (replayId !== undefined) return replay(rt, replayId, req.body);
  }
  return undefined;
}
