/**
 * Programs, smart campaigns, static lists and folders as the asset API writes them (swagger-asset
 * ProgramResponse, SmartCampaignResponse, StaticListResponse, FolderResponse; recorded
 * program_response.json). Times are `2017-09-25T21:51:20Z+0000`.
 */
import type { Campaign, ListSummary } from '../../store/campaign-store.js';
import type { Program } from '../../store/mobject-store.js';
import { type Catalog, type FolderNode, programFolderPath } from './catalog.js';

export function assetTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z+0000`;
}

/** Program types as the asset API names them (recorded: Default, Engagement, Email; Event from the docs). */
export const ASSET_PROGRAM_TYPE: Readonly<Record<string, string>> = {
  'marketing program': 'Default',
  'marketing event': 'Event',
  'nurture program': 'Engagement',
  'email program': 'Email',
};

export function programJson(
  p: Program,
  catalog: Catalog,
  extra: { tags?: boolean; costs?: boolean } = {},
): Record<string, unknown> {
  const folder = catalog.folderByPath.get(programFolderPath(p));
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    createdAt: assetTime(p.createdAt),
    updatedAt: assetTime(p.updatedAt),
    type: ASSET_PROGRAM_TYPE[p.type.toLowerCase()] ?? p.type,
    channel: p.channel ?? '',
    folder: { type: 'Folder', value: folder?.id ?? 0, folderName: folder?.name ?? '' },
    status: '',
    workspace: p.workspaceName,
    ...(p.crmId ? { sfdcId: p.crmId } : {}),
    ...(extra.tags ? { tags: p.tags.map((t) => ({ tagType: t.type, tagValue: t.value })) } : {}),
    ...(extra.costs
      ? { costs: p.costs.map((c) => ({ startDate: `${c.month}-01`, cost: Number(c.amount), note: c.note ?? '' })) }
      : {}),
  };
}

/**
 * A campaign sits in its program (folder `{type: Program}`) and shows its program's times. Trigger
 * campaigns are active (this server runs them whenever requested) and requestable when a source
 * may request them; batch ones are inactive, "Never Run" until scheduled.
 */
export function smartCampaignJson(
  c: Campaign,
  p: Program | undefined,
  everScheduled: boolean,
): Record<string, unknown> {
  const trigger = c.kind === 'trigger';
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    createdAt: assetTime(p?.createdAt ?? 0),
    updatedAt: assetTime(p?.updatedAt ?? 0),
    folder: { id: c.programId, type: 'Program' },
    status: trigger ? 'Active' : everScheduled ? 'Single Run' : 'Never Run',
    type: c.kind,
    isSystem: false,
    isActive: trigger,
    isRequestable: trigger && c.sources.length > 0,
    isCommunicationLimitEnabled: false,
    recurrence: { weekdayOnly: false },
    qualificationRuleType: 'once',
    workspace: p?.workspaceName ?? 'Default',
    parentProgramId: c.programId,
  };
}

/** A list of a program sits in it; a list outside programs sits in no Marketing Activities folder. */
export function staticListJson(l: ListSummary, catalog: Catalog, programIdByName: Map<string, number>) {
  const programId = l.programName === null ? undefined : programIdByName.get(l.programName.toLowerCase());
  const program = programId === undefined ? undefined : catalog.programById.get(programId);
  return {
    id: l.id,
    name: l.name,
    description: '',
    createdAt: assetTime(l.createdAt),
    updatedAt: assetTime(l.updatedAt),
    ...(programId !== undefined ? { folder: { id: programId, type: 'Program' } } : {}),
    workspace: program?.workspaceName ?? 'Default',
  };
}

export function folderJson(f: FolderNode): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    // Folders here carry no description nor UI link (Marketo's sample has null for both).
    description: null,
    createdAt: assetTime(f.createdAt),
    updatedAt: assetTime(f.updatedAt),
    url: null,
    folderId: { id: f.id, type: 'Folder' },
    folderType: 'Marketing Folder',
    parent: f.parentId === null ? null : { id: f.parentId, type: 'Folder' },
    path: f.path,
    isArchive: false,
    isSystem: f.parentId === null,
    accessZoneId: 1,
    workspace: f.workspace,
  };
}
