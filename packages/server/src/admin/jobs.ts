/**
 * Admin views of what campaigns and imports did: GET /_mktows/campaign-runs (requestCampaign and
 * scheduleCampaign runs, newest first) and GET /_mktows/imports (importToList jobs, newest first;
 * `?wait=MS` first waits up to MS milliseconds for every PROCESSING job to end).
 */
import { importSummary } from '../domain/list-import.js';
import type { Runtime } from '../runtime.js';
import type { ImportStatus } from '../store/import-store.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Thrown for bad query parameters; the router answers 400 with the message. */
export class AdminQueryError extends Error {}

function positiveInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AdminQueryError(`${name} must be a positive integer`);
  return n;
}

export async function campaignRuns(rt: Runtime, q: URLSearchParams): Promise<unknown> {
  const runs = await rt.store.campaigns.listCampaignRuns({
    campaignId: positiveInt(q, 'campaignId'),
    limit: positiveInt(q, 'limit'),
  });
  return {
    runs: runs.map((r) => ({
      id: r.id,
      operation: r.operation,
      campaignId: r.campaignId,
      campaign: r.campaignName,
      source: r.source,
      userId: r.userId,
      leadIds: r.leadIds,
      tokens: Object.fromEntries(r.tokens),
      leadTokens: Object.fromEntries(Object.entries(r.leadTokens).map(([id, t]) => [id, Object.fromEntries(t)])),
      runAt: iso(r.runAt),
      requestedAt: iso(r.createdAt),
      clonedFrom: r.clonedFrom,
      cloneToProgram: r.cloneToProgram,
    })),
  };
}

const STATUSES = new Set(['PROCESSING', 'COMPLETE', 'FAILED', 'CANCELED']);

export async function importJobs(rt: Runtime, q: URLSearchParams): Promise<unknown> {
  const wait = q.get('wait');
  if (wait !== null) {
    const ms = Number(wait);
    if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
      throw new AdminQueryError('wait must be an integer number of milliseconds from 0 to 600000');
    }
    await rt.imports.whenIdle(ms).catch(() => undefined);
  }
  const status = q.get('status');
  if (status !== null && !STATUSES.has(status)) {
    throw new AdminQueryError('status must be PROCESSING, COMPLETE, FAILED or CANCELED');
  }
  const jobs = await rt.store.imports.listImportJobs({
    status: (status as ImportStatus | null) ?? undefined,
    limit: positiveInt(q, 'limit'),
  });
  return {
    imports: jobs.map((j) => ({
      id: j.id,
      list: j.listName,
      program: j.programName,
      mode: j.mode,
      clearList: j.clearList,
      campaignId: j.campaignId,
      status: j.status,
      estimatedRows: j.estimatedRows,
      nextRow: j.nextRow,
      rowsImported: j.rowsImported,
      rowsFailed: j.rowsFailed,
      rowsIgnored: j.rowsIgnored,
      problems: j.problems,
      importSummary: importSummary(j),
      userId: j.userId,
      startedAt: iso(j.startedAt),
      endedAt: iso(j.endedAt),
    })),
  };
}
