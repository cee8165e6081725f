/**
 * Runs importToList jobs in the background, one job at a time, oldest first. Each step applies a
 * batch of rows (100 by default) in one transaction that also moves the job's row cursor, so a
 * restart resumes at the first row not committed; between batches the runner yields to the event
 * loop so that SOAP calls keep being answered. On server start every PROCESSING job resumes.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import { MktowsFault } from '@mktows/protocol';
import { listActivity } from '../domain/activities.js';
import type { LeadSchema } from '../domain/lead-schema.js';
import { importRow, planImport } from '../domain/list-import.js';
import type { Logger } from '../log.js';
import { restHeaderField } from '../rest/leads/lead-fields.js';
import { type ImportJob, type ImportProblem, MAX_PROBLEMS } from '../store/import-store.js';
import type { Store } from '../store/store.js';

export interface ImportRunnerDeps {
  store: Store;
  /** The lead schema in force (it changes when a seed adds fields). */
  schema(): LeadSchema;
  now(): number;
  log: Logger;
}

export const DEFAULT_IMPORT_BATCH = 100;

/** How soon a replica looks again at jobs that another one held. */
const HELD_JOB_RETRY_MS = 1_000;

/**
 * Events: `batch` (job after a committed batch), `done` (job after it ended COMPLETE or FAILED).
 */
export class ImportRunner extends EventEmitter {
  /** Rows per transaction. */
  batchSize = DEFAULT_IMPORT_BATCH;
  private running: Promise<void> | undefined;
  private again = false;
  /** A later look at jobs another replica held (it may have stopped half way). */
  private retry: NodeJS.Timeout | undefined;
  private paused = false;
  private stopped = false;

  constructor(private readonly deps: ImportRunnerDeps) {
    super();
  }

  /** Starts working through PROCESSING jobs (a new one was stored, or the server started). */
  wake(): void {
    if (this.stopped || this.paused) return;
    this.again = true;
    if (this.running) return;
    this.running = this.loop()
      .catch((e) => this.deps.log.error('import runner stopped', { error: errorText(e) }))
      .finally(() => {
        this.running = undefined;
        if (this.again) this.wake();
      });
  }

  /** Holds further batches (tests use it to observe a job half done); the current batch finishes. */
  async pause(): Promise<void> {
    this.paused = true;
    await this.running;
  }

  resume(): void {
    this.paused = false;
    this.wake();
  }

  /** Waits for the current batch and stops; used before the store closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.running;
  }

  /** Resolves when no job is PROCESSING (or the runner is paused or stopped and idle). */
  async whenIdle(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running && (this.paused || this.stopped || !(await this.deps.store.imports.nextProcessingJob()))) {
        return;
      }
      if (Date.now() > end) throw new Error(`imports still running after ${timeoutMs} ms`);
      await sleep(5);
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.paused) {
      this.again = false;
      // The job a batch claimed, known even when its transaction rolls back.
      const claimed: { job?: ImportJob } = {};
      let after: ImportJob | undefined;
      try {
        after = await this.step(claimed);
      } catch (e) {
        const job = claimed.job;
        if (!job) throw e;
        this.deps.log.error('import batch failed', { jobId: job.id, list: job.listName, error: errorText(e) });
        after = await this.fail(job.id, `the import stopped on an unexpected error: ${errorText(e)}`);
      }
      if (!claimed.job) {
        if (this.again) continue;
        // Every PROCESSING job is held by another replica sharing the store: look again later, in
        // case that replica stops before the job ends.
        if (await this.deps.store.imports.nextProcessingJob()) this.retryLater();
        return;
      }
      if (after) {
        this.emit('batch', after);
        if (after.status !== 'PROCESSING') this.emit('done', after);
      }
      await yieldToLoop();
    }
  }

  private retryLater(): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.wake();
    }, HELD_JOB_RETRY_MS);
    // A pending look never keeps the process alive.
    this.retry.unref();
  }

  private fail(jobId: number, failure: string): Promise<ImportJob | undefined> {
    return this.deps.store.transaction(async (tx) => {
      await tx.imports.updateImportJob(jobId, { status: 'FAILED', failure, endedAt: this.deps.now() });
      await tx.imports.deleteImportRows(jobId);
      return tx.imports.getImportJob(jobId);
    });
  }

  /**
   * One batch of the oldest job no other replica holds, in one transaction that holds the job;
   * returns the job as committed (`claimed.job` is left unset when there was none to take).
   */
  private step(claimed: { job?: ImportJob }): Promise<ImportJob | undefined> {
    const schema = this.deps.schema();
    return this.deps.store.transaction(async (tx) => {
      const job = await tx.imports.claimNextImportJob();
      if (!job) return undefined;
      claimed.job = job;
      const now = this.deps.now();
      const failWith = async (failure: string) => {
        await tx.imports.updateImportJob(job.id, { status: 'FAILED', failure, endedAt: now });
        await tx.imports.deleteImportRows(job.id);
        return tx.imports.getImportJob(job.id);
      };
      // A REST import may name no list: its rows only create or update leads.
      const list = job.listId === null ? undefined : await tx.findList('id', job.listId);
      if (job.listId !== null && !list) return failWith(`the list ${job.listName} no longer exists`);
      let plan: ReturnType<typeof planImport>;
      try {
        plan = planImport(job.header, schema, job.api === 'rest' ? restHeaderField(schema) : undefined);
      } catch (e) {
        if (e instanceof MktowsFault) return failWith(e.detail);
        throw e;
      }
      if (list && job.nextRow === 0 && job.clearList) {
        const removed = await tx.clearListMembers(list.id);
        await tx.appendActivities(removed.map((leadId) => listActivity('remove', leadId, list, now)));
      }
      const rows = await tx.imports.importRows(job.id, job.nextRow, this.batchSize);
      let { rowsImported, rowsFailed, rowsIgnored } = job;
      const problems: ImportProblem[] = [...job.problems];
      for (const { rowNo, line } of rows) {
        const r = await importRow(tx, schema, plan, job, list, line, now);
        if (r.kind === 'imported') rowsImported++;
        else {
          if (r.kind === 'failed') rowsFailed++;
          else rowsIgnored++;
          if (problems.length < MAX_PROBLEMS) {
            const p: ImportProblem = { row: rowNo + 1, kind: r.kind, reason: r.reason ?? '' };
            problems.push(job.api === 'rest' ? { ...p, line } : p);
          }
        }
      }
      const nextRow = rows.length ? rows[rows.length - 1].rowNo + 1 : job.estimatedRows;
      const done = nextRow >= job.estimatedRows;
      await tx.imports.updateImportJob(job.id, {
        nextRow,
        rowsImported,
        rowsFailed,
        rowsIgnored,
        problems,
        ...(done ? { status: 'COMPLETE', endedAt: now } : {}),
      });
      if (done) await tx.imports.deleteImportRows(job.id);
      return tx.imports.getImportJob(job.id);
    });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
