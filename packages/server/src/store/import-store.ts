/**
 * importToList jobs: the job row (status, counters, the row cursor) and its CSV rows, so that a job
 * survives a restart and resumes at the first row not yet committed. Reached as `store.imports`
 * (reads) and `tx.imports` (reads and writes, inside a transaction).
 */

export type ImportStatus = 'PROCESSING' | 'COMPLETE' | 'FAILED' | 'CANCELED';
export type ImportMode = 'UPSERTLEADS' | 'LISTONLY';

export interface ImportProblem {
  /** 1-based row number in importFileRows. */
  row: number;
  kind: 'failed' | 'ignored';
  reason: string;
}

/** Problems kept per job for the summary; the counters stay exact beyond it. */
export const MAX_PROBLEMS = 100;

export interface NewImportJob {
  programName: string;
  listId: number;
  listName: string;
  mode: ImportMode;
  clearList: boolean;
  campaignId: number | null;
  header: string;
  userId: string;
  startedAt: number;
}

export interface ImportJob extends NewImportJob {
  id: number;
  status: ImportStatus;
  estimatedRows: number;
  nextRow: number;
  rowsImported: number;
  rowsFailed: number;
  rowsIgnored: number;
  problems: ImportProblem[];
  failure: string | null;
  endedAt: number | null;
}

export type ImportJobUpdate = Partial<
  Pick<
    ImportJob,
    'status' | 'nextRow' | 'rowsImported' | 'rowsFailed' | 'rowsIgnored' | 'problems' | 'failure' | 'endedAt'
  >
>;

export interface ImportReads {
  getImportJob(id: number): Promise<ImportJob | undefined>;
  /** The newest job of a list (the one getImportToListStatus reports). */
  latestImportForList(listId: number): Promise<ImportJob | undefined>;
  /** The oldest job still PROCESSING: the runner's next work. */
  nextProcessingJob(): Promise<ImportJob | undefined>;
  /** Jobs, newest first. */
  listImportJobs(filter?: { status?: ImportStatus; limit?: number }): Promise<ImportJob[]>;
}

export interface ImportWrites extends ImportReads {
  /**
   * The oldest PROCESSING job that no other transaction holds, now held by this one until it ends;
   * undefined when there is none free. Replicas sharing a store thus never work one job at once.
   */
  claimNextImportJob(): Promise<ImportJob | undefined>;
  /** Stores a PROCESSING job and its rows. */
  createImportJob(job: NewImportJob, rows: readonly string[]): Promise<ImportJob>;
  /** Rows `[from, from + limit)` of a job, in order. */
  importRows(jobId: number, from: number, limit: number): Promise<{ rowNo: number; line: string }[]>;
  updateImportJob(id: number, update: ImportJobUpdate): Promise<void>;
  /** Drops a finished job's rows (the counters and problems stay). */
  deleteImportRows(jobId: number): Promise<void>;
}
