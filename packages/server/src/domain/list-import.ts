/**
 * importToList's CSV: the header (field display names or SOAP names, case-insensitive, plus
 * `{{my.token}}` columns) and what one row does to the store. The call checks the header at once
 * (20105, 20110); the job runner (jobs/import-runner.ts) applies the rows.
 */
import { echo, echoList, FAULT, MktowsFault } from '@mktows/protocol';
import type { ImportJob } from '../store/import-store.js';
import type { Lead, StaticList, StoreTx } from '../store/store.js';
import { listActivity } from './activities.js';
import { MY_TOKEN } from './campaigns.js';
import { CsvError, parseCsvRecord } from './csv.js';
import type { LeadFieldDef } from './lead-fields.js';
import { FieldValueError, type LeadSchema } from './lead-schema.js';
import { type SyncInput, syncRecord } from './lead-sync.js';

export type ImportColumn =
  | { kind: 'field'; label: string; field: LeadFieldDef }
  | { kind: 'token'; label: string; token: string };

export interface ImportPlan {
  columns: ImportColumn[];
  /** Index of the Email Address column, or -1. */
  emailCol: number;
  /** Index of the Id column, or -1. */
  idCol: number;
  /** Indexes of the `{{my.token}}` columns. */
  tokenCols: number[];
}

/** A cell with this text clears the field (Marketo's list import convention); an empty cell leaves it. */
export const NULL_CELL = 'NULL';

/**
 * Reads and checks the header; throws the fault the call answers with. `fieldOf` resolves a
 * column name: by default a display or SOAP name, case-insensitively (importToList); REST bulk
 * import passes its own (REST names).
 */
export function planImport(
  header: string,
  schema: Pick<LeadSchema, 'fieldByLabel'>,
  fieldOf: (label: string) => LeadFieldDef | undefined = (l) => schema.fieldByLabel(l),
): ImportPlan {
  if (header.trim() === '')
    throw new MktowsFault(FAULT.PARAMETER_REQUIRED, 'paramsImportToList.importFileHeader is empty');
  let labels: string[];
  try {
    labels = parseCsvRecord(header).map((l) => l.trim());
  } catch (e) {
    throw new MktowsFault(FAULT.BAD_PARAMETER, `importFileHeader is not valid CSV: ${(e as Error).message}`);
  }
  const columns: ImportColumn[] = [];
  const unknown: string[] = [];
  const readOnly: string[] = [];
  for (const label of labels) {
    if (MY_TOKEN.test(label)) {
      columns.push({ kind: 'token', label, token: label });
      continue;
    }
    const field = label === '' ? undefined : fieldOf(label);
    if (!field) unknown.push(label === '' ? '(empty column name)' : label);
    else if (field.readOnly) readOnly.push(label);
    else columns.push({ kind: 'field', label, field });
  }
  if (unknown.length) {
    throw new MktowsFault(
      FAULT.LEAD_ATTRIBUTE_BAD,
      `importToList operation failed: unknown fields for import: ${echoList(unknown)}`,
    );
  }
  if (readOnly.length) {
    throw new MktowsFault(
      FAULT.LEAD_ATTRIBUTE_BAD,
      `importToList operation failed: read-only fields cannot be imported: ${echoList(readOnly)}`,
    );
  }
  const seen = new Map<string, string>();
  for (const c of columns) {
    const key = c.kind === 'field' ? `f:${c.field.name}` : `t:${c.token.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `importFileHeader names the same column twice: "${echo(first)}" and "${echo(c.label)}"`,
      );
    }
    seen.set(key, c.label);
  }
  const emailCol = columns.findIndex((c) => c.kind === 'field' && c.field.name === 'Email');
  const idCol = columns.findIndex((c) => c.kind === 'field' && c.field.name === 'Id');
  if (emailCol < 0 && idCol < 0) {
    throw new MktowsFault(FAULT.BAD_PARAMETER, 'importFileHeader needs an Email Address column (or Id) to match leads');
  }
  const tokenCols = columns.flatMap((c, i) => (c.kind === 'token' ? [i] : []));
  return { columns, emailCol, idCol, tokenCols };
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export interface RowOutcome {
  kind: 'imported' | 'failed' | 'ignored';
  reason?: string;
}

/** The lead a LISTONLY row names: by Id, else the most recently updated lead with the e-mail. */
async function existingLead(tx: StoreTx, id: number | undefined, email: string): Promise<Lead | undefined> {
  if (id !== undefined) return (await tx.findLeads({ by: 'IDNUM', value: id }))[0];
  const leads = await tx.findLeads({ by: 'EMAIL', value: email });
  return leads.sort((a, b) => b.updatedAt - a.updatedAt || b.id - a.id)[0];
}

/** A row's cells and the lead it names (Id, else Email Address), or why it is skipped. */
export function readRow(
  plan: ImportPlan,
  line: string,
): { cells: string[]; email: string; id: number | undefined } | RowOutcome {
  if (line.trim() === '') return { kind: 'ignored', reason: 'the row is empty' };
  let cells: string[];
  try {
    cells = parseCsvRecord(line);
  } catch (e) {
    if (e instanceof CsvError) return { kind: 'failed', reason: `malformed CSV: ${e.message}` };
    throw e;
  }
  if (cells.length !== plan.columns.length) {
    return {
      kind: 'failed',
      reason: `the row has ${count(cells.length, 'value')}; the header has ${count(plan.columns.length, 'column')}`,
    };
  }
  const email = plan.emailCol >= 0 ? cells[plan.emailCol].trim() : '';
  const idText = plan.idCol >= 0 ? cells[plan.idCol].trim() : '';
  if (idText !== '' && !/^\d{1,10}$/.test(idText)) return { kind: 'failed', reason: `Id "${idText}" is not a number` };
  const id = idText === '' ? undefined : Number(idText);
  if (email === '' && id === undefined) {
    return { kind: 'failed', reason: plan.emailCol >= 0 ? 'Email Address is empty' : 'Id is empty' };
  }
  return { cells, email, id };
}

/** Why a LISTONLY row names no lead. */
export function noLeadReason(id: number | undefined, email: string): string {
  return id !== undefined ? `no lead with Id ${id}` : `no lead with Email Address ${email}`;
}

/**
 * Applies one CSV row inside the caller's transaction: UPSERTLEADS creates or updates the lead by
 * e-mail (or Id) and adds it to the list; LISTONLY adds an existing lead and ignores unknown ones.
 * Token cells are kept for the job's campaign. A bad row changes nothing and reports why.
 */
export async function importRow(
  tx: StoreTx,
  schema: LeadSchema,
  plan: ImportPlan,
  job: ImportJob,
  list: StaticList | undefined,
  line: string,
  now: number,
): Promise<RowOutcome> {
  const read = readRow(plan, line);
  if ('kind' in read) return read;
  const { cells, email, id } = read;

  let lead: Lead | undefined;
  if (job.mode === 'LISTONLY') {
    lead = await existingLead(tx, id, email);
    if (!lead) {
      return { kind: 'ignored', reason: noLeadReason(id, email) };
    }
  } else {
    const values: [string, string][] = [];
    for (const [i, c] of plan.columns.entries()) {
      if (c.kind !== 'field' || c.field.name === 'Email' || c.field.name === 'Id') continue;
      const cell = cells[i];
      if (cell === '') continue;
      values.push([c.field.name, cell.trim().toUpperCase() === NULL_CELL ? '' : cell]);
    }
    const input: SyncInput = {
      record: {
        ...(id !== undefined ? { Id: id } : {}),
        ...(email !== '' ? { Email: email } : {}),
        leadAttributeList: { attribute: values.map(([attrName, attrValue]) => ({ attrName, attrValue })) },
      },
      values,
    };
    try {
      lead = (await syncRecord(tx, schema, input, { now, dedup: true })).lead;
    } catch (e) {
      if (e instanceof FieldValueError) return { kind: 'failed', reason: e.message };
      if (e instanceof MktowsFault) return { kind: 'failed', reason: e.detail };
      throw e;
    }
  }

  if (list && !(await tx.isListMember(list.id, lead.id))) {
    await tx.addListMembers(list.id, [lead.id], now);
    await tx.appendActivities([listActivity('add', lead.id, list, now)]);
  }
  if (job.campaignId !== null && plan.tokenCols.length) {
    const tokens: [string, string][] = [];
    for (const i of plan.tokenCols) {
      const c = plan.columns[i];
      if (c.kind === 'token' && cells[i] !== '') tokens.push([c.token, cells[i]]);
    }
    if (tokens.length) await tx.campaigns.setLeadTokens(job.campaignId, lead.id, tokens, now);
  }
  return { kind: 'imported' };
}

/**
 * getImportToListStatus' importSummary: nil while PROCESSING; at the end the counts and the rows
 * that failed or were ignored, each with its 1-based row number and reason.
 */
export function importSummary(
  job: Pick<
    ImportJob,
    'status' | 'failure' | 'rowsImported' | 'estimatedRows' | 'rowsFailed' | 'rowsIgnored' | 'problems'
  >,
): string | null {
  if (job.status === 'PROCESSING') return null;
  const parts: string[] = [];
  if (job.status === 'FAILED') parts.push(`Import failed: ${job.failure ?? 'unknown reason'}.`);
  parts.push(
    `${job.rowsImported} of ${job.estimatedRows} rows imported, ${job.rowsFailed} failed, ${job.rowsIgnored} ignored.`,
  );
  for (const p of job.problems) parts.push(`Row ${p.row} ${p.kind}: ${p.reason}.`);
  const more = job.rowsFailed + job.rowsIgnored - job.problems.length;
  if (more > 0) parts.push(`${more} more rows failed or were ignored.`);
  return parts.join(' ');
}
