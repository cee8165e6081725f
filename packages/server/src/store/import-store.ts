/**
 * importToList jobs: the job row (status, counters, the row cursor) and its CSV rows, so that a job
 * survives a restart and resumes at the first row not yet committed. Reached as `store.imports`
 * (reads) and `tx.imports` (reads and writes, inside a transaction).
 */

export type ImportStatus = 'PROCESSING' | 'COMPLETE' | 'FAILED' | 'CANCELED';
export type ImportMode = 'UPSERTLEADS' | 'LISTONLY';
/** The API that started a job: SOAP importToList or REST bulk lead import. */
export type ImportApi = 'soap' | 'rest';
/** A REST import file's format (comma, tab or semicolon separated). */
export type ImportFormat = 'csv' | 'tsv' | 'ssv';

export interface ImportProblem {
  /** 1-based row number in importFileRows. */
  row: number;
  kind: 'failed' | 'ignored';
  reason: string;
  /** The row as sent (CSV), for REST failure and warning files. */
  line?: string;
}

/** Problems kept per job for the summary; the counters stay exact beyond it. */
export const MAX_PROBLEMS = 100;

export interface NewImportJob {
  programName: string;
  /** null: a REST import into no list. */
  listId: number | null;
  listName: string;
  mode: ImportMode;
  clearList: boolean;
  campaignId: number | null;
  header: string;
  userId: string;
  api: ImportApi;
  /** REST only: the format failure and warning files are written in. */
  format: ImportFormat | null;
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
