/** importToList jobs and their rows in SQL (store/import-store.ts). */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  ImportApi,
  ImportFormat,
  ImportJob,
  ImportJobUpdate,
  ImportMode,
  ImportProblem,
  ImportStatus,
  ImportWrites,
  NewImportJob,
} from '../import-store.js';
import type { Database, ImportJobTable } from './schema.js';
import type { SqlFlavour } from './sql-flavour.js';

type Db = Kysely<Database> | Transaction<Database>;

function toJob(r: Selectable<ImportJobTable>): ImportJob {
  return {
    id: Number(r.id),
    programName: r.program_name,
    // 0 is a REST import into no list (migration 0009).
    listId: Number(r.list_id) === 0 ? null : Number(r.list_id),
    listName: r.list_name,
    mode: r.mode as ImportMode,
    clearList: Number(r.clear_list) === 1,
    campaignId: r.campaign_id === null ? null : Number(r.campaign_id),
    header: r.header,
    userId: r.user_id,
    api: r.api as ImportApi,
    format: r.format as ImportFormat | null,
    startedAt: Number(r.started_at),
    status: r.status as ImportStatus,
    estimatedRows: Number(r.estimated_rows),
    nextRow: Number(r.next_row),
    rowsImported: Number(r.rows_imported),
    rowsFailed: Number(r.rows_failed),
    rowsIgnored: Number(r.rows_ignored),
    problems: JSON.parse(r.problems) as ImportProblem[],
    failure: r.failure,
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

/** Rows per INSERT, well under SQLite's bound-parameter limit. */
const ROW_CHUNK = 300;

export class SqlImports implements ImportWrites {
  constructor(
    private readonly db: Db,
    private readonly flavour: SqlFlavour,
  ) {}

  async getImportJob(id: number): Promise<ImportJob | undefined> {
    const r = await this.db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toJob(r);
  }

  async latestImportForList(listId: number): Promise<ImportJob | undefined> {
    const r = await this.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('list_id', '=', listId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r && toJob(r);
  }

  async nextProcessingJob(): Promise<ImportJob | undefined> {
    const r = await this.db
      .selectFrom('import_jobs')
      .selectAll()
      .where('status', '=', 'PROCESSING')
      .orderBy('id')
      .executeTakeFirst();
    return r && toJob(r);
  }

  async claimNextImportJob(): Promise<ImportJob | undefined> {
    const q = this.db.selectFrom('import_jobs').selectAll().where('status', '=', 'PROCESSING').orderBy('id').limit(1);
    // SQLite has one writer at a time: the transaction holding the job is the only one running.
    // PostgreSQL locks the row until the transaction ends, and other replicas skip it.
    const r = await (this.flavour === 'postgres' ? q.forUpdate().skipLocked() : q).executeTakeFirst();
    return r && toJob(r);
  }

  async listImportJobs(filter: { status?: ImportStatus; limit?: number } = {}): Promise<ImportJob[]> {
    let q = this.db.selectFrom('import_jobs').selectAll();
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    const rows = await q.orderBy('id', 'desc').execute();
    return rows.map(toJob);
  }

  async createImportJob(job: NewImportJob, rows: readonly string[]): Promise<ImportJob> {
    const r = await this.db
      .insertInto('import_jobs')
      .values({
        program_name: job.programName,
        list_id: job.listId ?? 0,
        list_name: job.listName,
        mode: job.mode,
        clear_list: job.clearList ? 1 : 0,
        campaign_id: job.campaignId,
        header: job.header,
        status: 'PROCESSING',
        estimated_rows: rows.length,
        next_row: 0,
        rows_imported: 0,
        rows_failed: 0,
        rows_ignored: 0,
        problems: '[]',
        failure: null,
        user_id: job.userId,
        api: job.api,
        format: job.format,
        started_at: job.startedAt,
        ended_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(r.id);
    for (let i = 0; i < rows.length; i += ROW_CHUNK) {
      const values = rows.slice(i, i + ROW_CHUNK).map((line, j) => ({ job_id: id, row_no: i + j, line }));
      await this.db.insertInto('import_rows').values(values).execute();
    }
    return (await this.getImportJob(id)) as ImportJob;
  }

  async importRows(jobId: number, from: number, limit: number): Promise<{ rowNo: number; line: string }[]> {
    const rows = await this.db
      .selectFrom('import_rows')
      .select(['row_no', 'line'])
      .where('job_id', '=', jobId)
      .where('row_no', '>=', from)
      .orderBy('row_no')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ rowNo: Number(r.row_no), line: r.line }));
  }

  async updateImportJob(id: number, u: ImportJobUpdate): Promise<void> {
    const set: Partial<Record<keyof ImportJobTable, unknown>> = {};
    if (u.status !== undefined) set.status = u.status;
    if (u.nextRow !== undefined) set.next_row = u.nextRow;
    if (u.rowsImported !== undefined) set.rows_imported = u.rowsImported;
    if (u.rowsFailed !== undefined) set.rows_failed = u.rowsFailed;
    if (u.rowsIgnored !== undefined) set.rows_ignored = u.rowsIgnored;
    if (u.problems !== undefined) set.problems = JSON.stringify(u.problems);
    if (u.failure !== undefined) set.failure = u.failure;
    if (u.endedAt !== undefined) set.ended_at = u.endedAt;
    if (Object.keys(set).length === 0) return;
    await this.db
      .updateTable('import_jobs')
      .set(set as never)
      .where('id', '=', id)
      .execute();
  }

  async deleteImportRows(jobId: number): Promise<void> {
    await this.db.deleteFrom('import_rows').where('job_id', '=', jobId).execute();
  }
}
