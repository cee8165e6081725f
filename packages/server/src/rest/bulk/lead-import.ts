/**
 * Bulk lead import (`/bulk/v1/leads.json`): a multipart upload becomes an import job in the same
 * store and runner as SOAP importToList (jobs/import-runner.ts), so both APIs share the batching,
 * the per-replica claiming, the list activities and the status. Decisions, where Marketo's docs
 * leave room:
 * - The header names REST fields (docs: "REST API fields"); unknown or read-only columns, an
 *   empty file and a malformed upload are 1003 at once and store nothing.
 * - lookupField: `email` (the default) only; Marketo's other dedupe fields are refused with 1003.
 *   A row with an `id` column updates that lead, as in importToList.
 * - partitionName: only the default partition exists here (`Default`); any other is 1003.
 * - At most 10 REST imports queued or importing (1016); the runner works one job at a time per
 *   replica, so "2 at once" holds for up to two replicas. A list being filled is 1019.
 * - Every import job is a batch: a SOAP importToList job's status reads here by its id too.
 * - Rows that fail are in failures.json with the reason in a last column `Import Failure
 *   Reason`; rows ignored (empty) in warnings.json under `Import Warning Reason`; each file keeps
 *   the job's first 100 problems (the counts stay exact).
 */
import { MktowsFault, RestError } from '@mktows/protocol';
import { formatRecord, parseCsvRecord, splitRecords } from '../../domain/csv.js';
import { planImport } from '../../domain/list-import.js';
import type { ImportFormat, ImportJob } from '../../store/import-store.js';
import { restHeaderField } from '../leads/lead-fields.js';
import { type FormPart, MultipartError, parseMultipart } from '../multipart.js';
import { intParam } from '../request.js';
import type { RestContext, RestRequest, RestRoute } from '../route.js';

const DELIMITER: Record<ImportFormat, string> = { csv: ',', tsv: '\t', ssv: ';' };
const CONTENT_TYPE: Record<ImportFormat, string> = {
  csv: 'text/csv;charset=UTF-8',
  tsv: 'text/tab-separated-values;charset=UTF-8',
  ssv: 'text/plain;charset=UTF-8',
};

/** REST imports queued or importing on the instance at once (docs: "a maximum of 10 jobs"). */
export const MAX_QUEUED_IMPORTS = 10;

function formParts(req: RestRequest): FormPart[] {
  const type = req.contentType.split(';')[0].trim().toLowerCase();
  if (type !== 'multipart/form-data') throw new RestError(612);
  try {
    return parseMultipart(req.raw, req.contentType);
  } catch (e) {
    if (e instanceof MultipartError) throw new RestError(1003, `Invalid multipart body: ${e.message}`);
    throw e;
  }
}

/** The query's parameters with the form's text fields added (curl `-F format=csv`). */
function params(req: RestRequest, parts: readonly FormPart[]): URLSearchParams {
  const p = new URLSearchParams(req.query);
  for (const part of parts)
    if (part.name !== 'file' && part.filename === undefined) p.set(part.name, part.data.toString('utf8'));
  return p;
}

/** The file's header and rows, each as one CSV record (the runner's form), whatever the format. */
function readFile(data: Buffer, format: ImportFormat): { header: string; rows: string[] } {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  const records = splitRecords(text);
  if (records.length === 0 || records[0].trim() === '') throw new RestError(1003, 'Empty file');
  const d = DELIMITER[format];
  const recode = (r: string) => {
    if (d === ',') return r;
    try {
      return formatRecord(parseCsvRecord(r, d));
    } catch {
      // Left as sent: the runner fails the row as malformed, with its row number.
      return r;
    }
  };
  return { header: recode(records[0]), rows: records.slice(1).map(recode) };
}

async function createImport(req: RestRequest, { rt, clientId, now }: RestContext) {
  const parts = formParts(req);
  const p = params(req, parts);
  const format = p.get('format')?.trim().toLowerCase();
  if (!format) throw new RestError(1002, "Missing value for the required parameter 'format'");
  if (!(format in DELIMITER))
    throw new RestError(1003, `Invalid value '${format}' for format; expected csv, tsv or ssv`);
  const lookupField = p.get('lookupField')?.trim() || 'email';
  if (lookupField !== 'email') throw new RestError(1003, `lookupField '${lookupField}' is not supported; use email`);
  const partition = p.get('partitionName')?.trim();
  if (partition && partition.toLowerCase() !== 'default')
    throw new RestError(1003, `Partition '${partition}' not found`);
  const listId = intParam(p, 'listId', 1, 2 ** 31 - 1);
  const file = parts.find((x) => x.name === 'file');
  if (!file) throw new RestError(1002, "Missing value for the required parameter 'file'");
  const f = format as ImportFormat;
  const { header, rows } = readFile(file.data, f);
  try {
    planImport(header, rt.state.leadSchema, restHeaderField(rt.state.leadSchema));
  } catch (e) {
    if (e instanceof MktowsFault) throw new RestError(1003, e.detail);
    throw e;
  }
  const job = await rt.store.transaction(async (tx) => {
    const list = listId === undefined ? undefined : await tx.findList('id', listId);
    if (listId !== undefined && !list) throw new RestError(1013, `List '${listId}' not found`);
    if (list && (await tx.imports.latestImportForList(list.id))?.status === 'PROCESSING') throw new RestError(1019);
    const running = await tx.imports.listImportJobs({ status: 'PROCESSING' });
    if (running.filter((j) => j.api === 'rest').length >= MAX_QUEUED_IMPORTS) throw new RestError(1016);
    return tx.imports.createImportJob(
      {
        programName: list?.programName ?? '',
        listId: list?.id ?? null,
        listName: list?.name ?? '',
        mode: 'UPSERTLEADS',
        clearList: false,
        campaignId: null,
        header,
        userId: clientId,
        api: 'rest',
        format: f,
        startedAt: now,
      },
      rows,
    );
  });
  rt.imports.wake();
  return { result: [{ batchId: job.id, importId: String(job.id), status: 'Queued' }] };
}

/** Marketo's status words: Queued until the runner commits a first batch, then Importing. */
function statusOf(job: ImportJob): string {
  if (job.status === 'PROCESSING') return job.nextRow === 0 ? 'Queued' : 'Importing';
  return job.status === 'COMPLETE' ? 'Complete' : 'Failed';
}

function messageOf(job: ImportJob): string | undefined {
  if (job.status === 'PROCESSING') return undefined;
  if (job.status !== 'COMPLETE') return `Import failed: ${job.failure ?? 'the import was canceled'}`;
  const imported = `${job.rowsImported} records imported`;
  return job.rowsFailed > 0
    ? `Import completed with errors, ${imported}, ${job.rowsFailed} failed`
    : `Import succeeded, ${imported}`;
}

async function batch(req: RestRequest, { rt }: RestContext): Promise<ImportJob> {
  const text = req.params.batchId;
  if (!/^\d{1,10}$/.test(text)) throw new RestError(1001, `Invalid value '${text}'. Required of type 'Integer'`);
  const job = await rt.store.imports.getImportJob(Number(text));
  if (!job) throw new RestError(1013, `Batch '${text}' not found`);
  return job;
}

/** failures.json / warnings.json: the rows as sent, in the job's format, with the reason last. */
function problemFile(job: ImportJob, kind: 'failed' | 'ignored', column: string) {
  const format = job.format ?? 'csv';
  const d = DELIMITER[format];
  const lines = [formatRecord([...parseCsvRecord(job.header), column], d)];
  for (const p of job.problems) {
    if (p.kind !== kind) continue;
    let cells: string[];
    try {
      cells = p.line === undefined ? [] : parseCsvRecord(p.line);
    } catch {
      cells = [p.line ?? ''];
    }
    lines.push(formatRecord([...cells, p.reason], d));
  }
  return { file: { contentType: CONTENT_TYPE[format], text: `${lines.join('\n')}\n` } };
}

export const BULK_IMPORT_ROUTES: readonly RestRoute[] = [
  { method: 'POST', path: '/bulk/v1/leads.json', operationId: 'importLeadUsingPOST', handler: createImport },
  {
    method: 'GET',
    path: '/bulk/v1/leads/batch/{batchId}.json',
    operationId: 'getImportLeadStatusUsingGET',
    handler: async (req, ctx) => {
      const job = await batch(req, ctx);
      const message = messageOf(job);
      return {
        result: [
          {
            batchId: job.id,
            importId: String(job.id),
            status: statusOf(job),
            numOfLeadsProcessed: job.rowsImported,
            numOfRowsFailed: job.rowsFailed,
            numOfRowsWithWarning: job.rowsIgnored,
            ...(message !== undefined ? { message } : {}),
          },
        ],
      };
    },
  },
  {
    method: 'GET',
    path: '/bulk/v1/leads/batch/{batchId}/failures.json',
    operationId: 'getImportLeadFailuresUsingGET',
    handler: async (req, ctx) => problemFile(await batch(req, ctx), 'failed', 'Import Failure Reason'),
  },
  {
    method: 'GET',
    path: '/bulk/v1/leads/batch/{batchId}/warnings.json',
    operationId: 'getImportLeadWarningsUsingGET',
    handler: async (req, ctx) => problemFile(await batch(req, ctx), 'ignored', 'Import Warning Reason'),
  },
];
