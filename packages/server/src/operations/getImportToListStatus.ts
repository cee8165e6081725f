import { FAULT, MktowsFault } from '@mktows/protocol';
import { importSummary } from '../domain/list-import.js';
import type { Handler } from './context.js';
import { listNames, programList } from './importToList.js';

/** The newest import into a program list; a list never imported into is 20110. */
export const getImportToListStatus: Handler<'getImportToListStatus'> = async (params, ctx) => {
  const { programName, listName } = listNames(params, 'paramsGetImportToListStatus');
  const list = await programList(ctx, programName, listName);
  const job = await ctx.store.imports.latestImportForList(list.id);
  if (!job) throw new MktowsFault(FAULT.BAD_PARAMETER, `No import into list ${list.name} has been made`);
  return {
    status: job.status,
    startedTime: new Date(job.startedAt),
    endedTime: job.endedAt === null ? null : new Date(job.endedAt),
    estimatedTime: null,
    estimatedRows: job.estimatedRows,
    rowsImported: job.rowsImported,
    rowsFailed: job.rowsFailed,
    rowsIgnored: job.rowsIgnored,
    importSummary: importSummary(job),
  };
};
