import { echo, echoList, FAULT, MktowsFault } from '@mktows/protocol';
import { campaignByName } from '../domain/campaigns.js';
import { type ImportPlan, planImport } from '../domain/list-import.js';
import type { StaticList } from '../store/store.js';
import type { Handler, OpContext } from './context.js';

/** A program list `<programName>.<listName>` (listName may already carry the prefix); 20111 when none. */
export async function programList(ctx: OpContext, programName: string, listName: string): Promise<StaticList> {
  const program = await ctx.store.campaigns.findProgram(programName);
  if (!program)
    throw new MktowsFault(
      FAULT.LIST_NOT_FOUND,
      `No list "${echo(listName)}" found: no program named "${echo(programName)}"`,
    );
  const prefix = `${program.name}.`;
  const candidates = [prefix + listName];
  if (listName.toLowerCase().startsWith(prefix.toLowerCase())) candidates.push(prefix + listName.slice(prefix.length));
  for (const name of candidates) {
    const list = await ctx.store.findList('name', name);
    if (list && list.programName === program.name) return list;
  }
  throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No list "${echo(listName)}" found in program "${program.name}"`);
}

/** programName and listName, trimmed; 20109 when either is empty. `what` names the parameters' element. */
export function listNames(
  params: { programName?: string; listName?: string },
  what: string,
): { programName: string; listName: string } {
  const programName = params.programName?.trim() ?? '';
  const listName = params.listName?.trim() ?? '';
  if (!programName) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${what}.programName is required`);
  if (!listName) throw new MktowsFault(FAULT.PARAMETER_REQUIRED, `${what}.listName is required`);
  return { programName, listName };
}

/** The campaign My Token columns are for: campaignName, required (20109) when there are such columns. */
export function tokenCampaign(plan: ImportPlan, campaignName: string | null): string | null {
  const name = campaignName?.trim() || null;
  if (plan.tokenCols.length && !name) {
    const tokens = echoList(plan.tokenCols.map((i) => plan.columns[i].label));
    throw new MktowsFault(
      FAULT.PARAMETER_REQUIRED,
      `campaignName is required when importFileHeader has My Token columns (${tokens})`,
    );
  }
  return name;
}

/**
 * Checks the call and stores a PROCESSING job; the job runner applies the rows in the background.
 * Header problems fault now (20105 unknown or read-only fields, 20110 malformed or ambiguous
 * header); row problems are reported per row by getImportToListStatus.
 */
export const importToList: Handler<'importToList'> = async (params, ctx) => {
  const { programName, listName } = listNames(params, 'paramsImportToList');
  const list = await programList(ctx, programName, listName);
  const plan = planImport(params.importFileHeader, ctx.schema);
  const campaignName = tokenCampaign(plan, params.campaignName);
  const campaign = campaignName ? await campaignByName(ctx.store.campaigns, programName, campaignName) : null;
  const rows = params.importFileRows.stringItem ?? [];
  const now = ctx.now();
  const job = await ctx.store.transaction(async (tx) => {
    const running = await tx.imports.latestImportForList(list.id);
    if (running?.status === 'PROCESSING') {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `list ${list.name} is already being imported; poll getImportToListStatus until that import ends`,
      );
    }
    return tx.imports.createImportJob(
      {
        programName: list.programName ?? programName,
        listId: list.id,
        listName: list.name,
        mode: params.importListMode,
        clearList: params.clearList,
        campaignId: campaign?.id ?? null,
        header: params.importFileHeader,
        userId: ctx.userId,
        api: 'soap',
        format: null,
        startedAt: now,
      },
      rows,
    );
  });
  ctx.imports?.wake();
  return { importStatus: job.status };
};
