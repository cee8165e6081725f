/**
 * importToList and getImportToListStatus on the bridge (MAPPING.md rows 12, 13). UPSERTLEADS is a
 * REST bulk import into the list (`POST /bulk/v1/leads.json`), whose batch id the bridge keeps in
 * its state store for the list (store.bridgeImports), so that the status call finds it by program
 * and list after a restart and on any replica. LISTONLY is done by the call itself: the rows' leads
 * are looked up and added to the list. The header holds display names (or SOAP names): they become
 * REST names through describe.
 */
import { FAULT, MktowsFault, type ResultGetImportToListStatus } from '@mktows/protocol';
import { CsvError, formatRecord, parseCsvRecord } from '../../domain/csv.js';
import { type ImportPlan, importSummary, noLeadReason, planImport, readRow } from '../../domain/list-import.js';
import { listNames, tokenCampaign } from '../../operations/importToList.js';
import type { BridgeImport, BridgeImportStatus } from '../../store/bridge-import-store.js';
import { type ImportProblem, MAX_PROBLEMS } from '../../store/import-store.js';
import type { LeadFieldDef, LeadFieldType } from '../../store/store.js';
import type { BridgeCall } from '../bridge.js';
import type { LeadFieldMap } from '../lead-field-map.js';
import { leadIdsOfKeys } from '../lead-ids.js';
import { campaignByName } from '../rest-campaigns.js';
import { listMembership, programListId, removeAllMembers } from '../rest-lists.js';
import { notFoundInProgram } from '../rest-programs.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/**
 * The list `listName` of program `programName` (listName may already carry the `Program.` prefix,
 * as the emulator accepts it); 20111 when there is none.
 */
async function importList(call: BridgeCall, programName: string, listName: string): Promise<number> {
  const prefix = `${programName}.`;
  const names = [listName];
  if (listName.toLowerCase().startsWith(prefix.toLowerCase())) names.push(listName.slice(prefix.length));
  for (const name of names) {
    const id = await programListId(call, programName, name);
    if (id !== undefined) return id;
  }
  throw new MktowsFault(FAULT.LIST_NOT_FOUND, await notFoundInProgram(call, 'list', listName, programName));
}

/** The header checked as the emulator checks it, against the instance's fields (those with a SOAP name). */
function planOf(header: string, map: LeadFieldMap): ImportPlan {
  return planImport(header, {
    fieldByLabel: (label): LeadFieldDef | undefined => {
      const f = map.byHeader(label);
      if (!f?.soap) return undefined;
      return {
        name: f.soap,
        displayName: f.displayName,
        dataType: f.dataType as LeadFieldType,
        readOnly: f.soapReadOnly,
        custom: false,
        restName: f.rest,
      };
    },
  });
}

/**
 * A SOAP row as a line of the import file. Each SOAP row is one record; in a file, a row with an
 * unterminated quote would run on into the rows after it, so such a row is sent as a record with
 * one value too many instead: it stays on its line and fails alone, as the emulator fails it.
 */
function fileRow(plan: ImportPlan, row: string): string {
  try {
    parseCsvRecord(row);
    return row;
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    return formatRecord(Array.from({ length: plan.columns.length + 1 }, () => ''));
  }
}

/** UPSERTLEADS: the rows as a CSV file with REST names in its header, one bulk import into the list. */
async function bulkImport(call: BridgeCall, listId: number, plan: ImportPlan, rows: readonly string[]) {
  const header = formatRecord(plan.columns.map((c) => (c.kind === 'field' ? (c.field.restName ?? c.field.name) : '')));
  try {
    const body = await call.rest({
      method: 'POST',
      path: '/bulk/v1/leads.json',
      query: { format: 'csv', listId, lookupField: 'email' },
      file: {
        field: 'file',
        name: 'importToList.csv',
        type: 'text/csv',
        content: `${[header, ...rows.map((r) => fileRow(plan, r))].join('\n')}\n`,
      },
    });
    const [batch] = (body.result ?? []) as { batchId?: number }[];
    return Number(batch?.batchId);
  } catch (e) {
    const restCode = (e as { restCode?: number }).restCode;
    const detail = (e as { detail?: string }).detail ?? String(e);
    // 1016: ten imports already queued on the instance; 1019: this list is being imported.
    if (restCode === 1016 || restCode === 1019) throw new MktowsFault(FAULT.CONCURRENCY_LIMIT_EXCEEDED, detail);
    if (restCode === 1013) throw new MktowsFault(FAULT.LIST_NOT_FOUND, detail);
    throw e;
  }
}

/** LISTONLY: each row's existing lead added to the list; rows naming no lead are ignored. */
async function addExisting(call: BridgeCall, listId: number, plan: ImportPlan, rows: readonly string[]) {
  const counts = { rowsImported: 0, rowsFailed: 0, rowsIgnored: 0 };
  const problems: ImportProblem[] = [];
  const note = (row: number, kind: 'failed' | 'ignored', reason: string) => {
    counts[kind === 'failed' ? 'rowsFailed' : 'rowsIgnored']++;
    if (problems.length < MAX_PROBLEMS) problems.push({ row, kind, reason });
  };
  const named: { row: number; id: number | undefined; email: string }[] = [];
  for (const [i, line] of rows.entries()) {
    const read = readRow(plan, line);
    if ('kind' in read) note(i + 1, read.kind === 'failed' ? 'failed' : 'ignored', read.reason ?? '');
    else named.push({ row: i + 1, id: read.id, email: read.email });
  }
  const keys = named.map((n) =>
    n.id !== undefined ? { keyType: 'IDNUM', keyValue: String(n.id) } : { keyType: 'EMAIL', keyValue: n.email },
  );
  // An e-mail shared by several leads names the newest of them.
  const ids = (await leadIdsOfKeys(call, keys)).map((found) => found[0]);
  const status = await listMembership(call, listId, 'POST', [
    ...new Set(ids.filter((id): id is number => id !== undefined)),
  ]);
  for (const [i, n] of named.entries()) {
    const id = ids[i];
    if (id !== undefined && status.get(id) === 'added') counts.rowsImported++;
    else note(n.row, 'ignored', noLeadReason(n.id, n.email));
  }
  problems.sort((a, b) => a.row - b.row);
  return { ...counts, problems };
}

export const importToList: BridgeOperation<'importToList'> = {
  rest: [
    'GET /rest/v1/lists.json?name=<listName>&programName=<programName> (cached)',
    'GET /rest/v1/leads/describe.json (cached): display names in the header → REST names',
    'GET /rest/v1/campaigns.json?name=<campaignName>&programName=<programName> (only with campaignName)',
    'clearList=true: GET /rest/v1/lists/{id}/leads.json?fields=id (every page), DELETE /rest/v1/lists/{id}/leads.json 300 ids a call',
    'UPSERTLEADS: POST /bulk/v1/leads.json?format=csv&listId=<id>&lookupField=email (multipart file); the batch id is kept for the list',
    'LISTONLY: GET /rest/v1/leads.json?filterType=email&filterValues=<≤300>&fields=id,email, then POST /rest/v1/lists/{id}/leads.json 300 ids a call',

    'Faults only: GET /rest/asset/v1/program/byName.json?name=<programName> (list not found: is the program missing?)',
  ],
  differences: [
    'My Token columns ({{my.token}}) with a campaignName: 20110. REST has no per-lead token values; tokens apply per campaign run.',
    'clearList=true empties the list before the import starts, through REST list calls: not in one step with the import.',
    'A list already being imported (REST 1019), or ten imports queued on the instance (1016): 20024, try later (the emulator answers 20110 for the first).',
    'LISTONLY is done during the call: importStatus COMPLETE at once; an e-mail shared by several leads names the one with the highest id.',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { programName, listName } = listNames(params, 'paramsImportToList');
    const listId = await importList(call, programName, listName);
    const plan = planOf(params.importFileHeader, await call.leadFields());
    const campaignName = tokenCampaign(plan, params.campaignName);
    if (campaignName) await campaignByName(call, programName, campaignName);
    if (plan.tokenCols.length) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        "importToList: per-lead My Token columns have no equivalent in Marketo's REST API; use requestCampaign's programTokenList",
      );
    }
    const rows = params.importFileRows.stringItem ?? [];
    const startedAt = ctx.now();
    if (params.clearList) await removeAllMembers(call, listId);
    const base = { listId, listName: `${programName}.${listName}`, estimatedRows: rows.length, startedAt };
    if (params.importListMode === 'LISTONLY') {
      const { problems, ...counts } = await addExisting(call, listId, plan, rows);
      const summary = importSummary({
        status: 'COMPLETE',
        failure: null,
        estimatedRows: rows.length,
        problems,
        ...counts,
      });
      await ctx.store.bridgeImports.putBridgeImport({
        ...base,
        mode: 'LISTONLY',
        batchId: null,
        status: 'COMPLETE',
        ...counts,
        summary,
        endedAt: ctx.now(),
      });
      return { importStatus: 'COMPLETE' };
    }
    const batchId = await bulkImport(call, listId, plan, rows);
    await ctx.store.bridgeImports.putBridgeImport({
      ...base,
      mode: 'UPSERTLEADS',
      batchId,
      status: 'PROCESSING',
      rowsImported: null,
      rowsFailed: null,
      rowsIgnored: null,
      summary: null,
      endedAt: null,
    });
    return { importStatus: 'PROCESSING' };
  },
};

const STATUS: Record<string, BridgeImportStatus> = {
  Queued: 'PROCESSING',
  Importing: 'PROCESSING',
  Complete: 'COMPLETE',
  Failed: 'FAILED',
};

/** The batch's status from REST, kept once it has ended (REST forgets batches after 7 days). */
async function refresh(call: BridgeCall, entry: BridgeImport, now: number): Promise<BridgeImport> {
  let body: Awaited<ReturnType<BridgeCall['rest']>>;
  try {
    body = await call.rest({ method: 'GET', path: `/bulk/v1/leads/batch/${entry.batchId}.json` });
  } catch (e) {
    if ((e as { restCode?: number }).restCode !== 1013) throw e;
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `The import into list ${entry.listName} (batch ${entry.batchId}) is no longer known to the Marketo instance`,
    );
  }
  const [b] = (body.result ?? []) as Record<string, unknown>[];
  const status = STATUS[String(b?.status)] ?? 'PROCESSING';
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    ...entry,
    status,
    rowsImported: num(b?.numOfLeadsProcessed),
    rowsFailed: num(b?.numOfRowsFailed),
    rowsIgnored: num(b?.numOfRowsWithWarning),
    summary: typeof b?.message === 'string' ? b.message : null,
    endedAt: status === 'PROCESSING' ? null : now,
  };
}

export const getImportToListStatus: BridgeOperation<'getImportToListStatus'> = {
  rest: [
    'GET /rest/v1/lists.json?name=<listName>&programName=<programName> (cached)',
    'GET /bulk/v1/leads/batch/{batchId}.json (the batch importToList kept for the list; not once it has ended)',

    'Faults only: GET /rest/asset/v1/program/byName.json?name=<programName> (list not found: is the program missing?)',
  ],
  differences: [
    'importSummary is REST\'s message ("Import succeeded, 3 records imported"); rowsIgnored is REST\'s numOfRowsWithWarning; nil while processing.',
    'startedTime is when the bridge started the import; endedTime when the bridge first saw it ended; estimatedTime is nil.',
    'Only imports started through this bridge (its state store) are known; one REST no longer knows (after 7 days) is 20110.',
  ],
  handler: async (params, ctx): Promise<ResultGetImportToListStatus> => {
    const call = bridgeOf(ctx);
    const { programName, listName } = listNames(params, 'paramsGetImportToListStatus');
    const listId = await importList(call, programName, listName);
    let entry = await ctx.store.bridgeImports.getBridgeImport(listId);
    if (!entry)
      throw new MktowsFault(FAULT.BAD_PARAMETER, `No import into list ${programName}.${listName} has been made`);
    if (entry.status === 'PROCESSING' && entry.batchId !== null) {
      entry = await refresh(call, entry, ctx.now());
      if (entry.status !== 'PROCESSING') await ctx.store.bridgeImports.putBridgeImport(entry);
    }
    return {
      status: entry.status,
      startedTime: new Date(entry.startedAt),
      endedTime: entry.endedAt === null ? null : new Date(entry.endedAt),
      estimatedTime: null,
      estimatedRows: entry.estimatedRows,
      rowsImported: entry.rowsImported,
      rowsFailed: entry.rowsFailed,
      rowsIgnored: entry.rowsIgnored,
      importSummary: entry.summary,
    };
  },
};
