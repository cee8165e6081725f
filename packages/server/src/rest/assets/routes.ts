/**
 * The asset API's read side over the store SOAP uses: smart campaigns, static lists, programs
 * (and a minimal program update), channels, tag types and the folders programs sit in. Unknown
 * ids and names answer Marketo's success with the warning "No assets found…", not an error.
 */
import { RestError } from '@mktows/protocol';
import { allChannels, channelStatuses } from '../../domain/channels.js';
import { tagCatalogue } from '../../domain/tags.js';
import type { Campaign } from '../../store/campaign-store.js';
import type { Program } from '../../store/mobject-store.js';
import type { Store } from '../../store/store.js';
import { boolParam, dateParam, idParam, requiredParam } from '../params.js';
import { intParam, listParam } from '../request.js';
import type { RestRequest, RestRoute } from '../route.js';
import { assetTime, folderJson, programJson, smartCampaignJson, staticListJson } from './asset-json.js';
import { type Catalog, type FolderNode, loadCatalog, programFolderPath } from './catalog.js';
import { assetPage, assetResult, updatedWithin } from './paging.js';
import { updateProgram } from './program-update.js';

interface FolderRef {
  id: number;
  type: 'Folder' | 'Program';
}

/** `folder={"id":12,"type":"Folder"}` as Marketo passes it; 1003 when it is not that. */
function folderParam(query: URLSearchParams): FolderRef | undefined {
  const text = query.get('folder') ?? query.get('root');
  if (!text?.trim()) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  const o = v as { id?: unknown; type?: unknown } | undefined;
  const type = typeof o?.type === 'string' ? o.type.toLowerCase() : '';
  if (!o || typeof o.id !== 'number' || !Number.isInteger(o.id) || (type !== 'folder' && type !== 'program'))
    throw new RestError(1003, `Invalid folder '${text}': expected {"id": <integer>, "type": "Folder" or "Program"}`);
  return { id: o.id, type: type === 'folder' ? 'Folder' : 'Program' };
}

/** True when the program is the folder, or sits in it or below it. */
function programUnder(p: Program, ref: FolderRef, catalog: Catalog): boolean {
  if (ref.type === 'Program') return p.id === ref.id;
  const folder = catalog.folderById.get(ref.id);
  if (!folder) return false;
  const path = programFolderPath(p);
  return path === folder.path || path.startsWith(`${folder.path}/`);
}

function updatedRange(req: RestRequest) {
  const earliest = dateParam(req.query, 'earliestUpdatedAt');
  const latest = dateParam(req.query, 'latestUpdatedAt');
  if (earliest !== undefined && latest !== undefined && earliest > latest)
    throw new RestError(1003, 'earliestUpdatedAt must precede latestUpdatedAt');
  return { earliest, latest };
}

async function campaignsJson(store: Store, catalog: Catalog, campaigns: Campaign[]) {
  const out: Record<string, unknown>[] = [];
  for (const c of campaigns) {
    const scheduled =
      c.kind === 'batch' && (await store.campaigns.listCampaignRuns({ campaignId: c.id, limit: 1 })).length > 0;
    out.push(smartCampaignJson(c, catalog.programById.get(c.programId), scheduled));
  }
  return out;
}

async function programsByName(catalog: Catalog): Promise<Map<string, number>> {
  return new Map(catalog.programs.map((p) => [p.name.toLowerCase(), p.id]));
}

/** Marketo's program types a channel applies to. */
function applicableProgramType(name: string): string {
  const n = name.toLowerCase();
  if (n === 'webinar') return 'webinar';
  if (n === 'tradeshow' || n === 'roadshow') return 'event';
  if (n === 'nurture') return 'nurture';
  if (n === 'email blast') return 'email_batch';
  return 'program';
}

/**
 * Channels and tag types keep no times here: they show the earliest program's creation (the
 * instance's first use of them), or the epoch on a store without programs.
 */
function catalogueTime(catalog: Catalog): string {
  return assetTime(catalog.programs.reduce((m, p) => Math.min(m, p.createdAt), catalog.programs[0]?.createdAt ?? 0));
}

async function channelsJson(store: Store, catalog: Catalog) {
  const at = catalogueTime(catalog);
  return (await allChannels(store.campaigns)).map((c, i) => ({
    // Ids in catalogue order: defined channels keep theirs, a channel first named later comes after.
    id: i + 1,
    name: c.name,
    applicableProgramType: applicableProgramType(c.name),
    progressionStatuses: [...channelStatuses(c)]
      .sort((a, b) => a.step - b.step)
      .map((s) => ({ name: s.status, step: s.step, description: null, hidden: false, success: s.success })),
    createdAt: at,
    updatedAt: at,
  }));
}

const ALL_PROGRAM_TYPES = '[program,email_batch,nurture,event,webinar]';

export const ASSET_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/asset/v1/smartCampaigns.json',
    operationId: 'getAllSmartCampaignsGET',
    handler: async (req, { rt }) => {
      const { earliest, latest } = updatedRange(req);
      const folder = folderParam(req.query);
      const active = boolParam(req.query, 'isActive');
      const catalog = await loadCatalog(rt.store);
      const found = (await rt.store.campaigns.listCampaigns())
        .sort((a, b) => a.id - b.id)
        .filter((c) => {
          const p = catalog.programById.get(c.programId);
          return (
            (!active || c.kind === 'trigger') &&
            (!folder || (p !== undefined && programUnder(p, folder, catalog))) &&
            updatedWithin(p?.updatedAt ?? 0, earliest, latest)
          );
        });
      return assetResult(await campaignsJson(rt.store, catalog, assetPage(found, req.query)));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/smartCampaign/byName.json',
    operationId: 'getSmartCampaignByNameUsingGET',
    handler: async (req, { rt }) => {
      const name = requiredParam(req.query, 'name').toLowerCase();
      const catalog = await loadCatalog(rt.store);
      const found = (await rt.store.campaigns.listCampaigns())
        .sort((a, b) => a.id - b.id)
        .filter((c) => c.name.toLowerCase() === name)
        .slice(0, 1);
      return assetResult(await campaignsJson(rt.store, catalog, found));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/smartCampaign/{id}.json',
    operationId: 'getSmartCampaignByIdUsingGET',
    handler: async (req, { rt }) => {
      const c = await rt.store.campaigns.getCampaign(idParam(req.params.id));
      return assetResult(c ? await campaignsJson(rt.store, await loadCatalog(rt.store), [c]) : []);
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/staticLists.json',
    operationId: 'getStaticListsUsingGET',
    handler: async (req, { rt }) => {
      const { earliest, latest } = updatedRange(req);
      const folder = folderParam(req.query);
      const catalog = await loadCatalog(rt.store);
      const ids = await programsByName(catalog);
      const found = (await rt.store.campaigns.listStaticLists()).filter((l) => {
        if (!updatedWithin(l.updatedAt, earliest, latest)) return false;
        if (!folder) return true;
        const pid = l.programName === null ? undefined : ids.get(l.programName.toLowerCase());
        const p = pid === undefined ? undefined : catalog.programById.get(pid);
        return p !== undefined && programUnder(p, folder, catalog);
      });
      return assetResult(assetPage(found, req.query).map((l) => staticListJson(l, catalog, ids)));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/staticList/byName.json',
    operationId: 'getStaticListByNameUsingGET',
    handler: async (req, { rt }) => {
      const name = requiredParam(req.query, 'name').toLowerCase();
      const catalog = await loadCatalog(rt.store);
      const ids = await programsByName(catalog);
      const found = (await rt.store.campaigns.listStaticLists())
        .filter((l) => l.name.toLowerCase() === name)
        .slice(0, 1);
      return assetResult(found.map((l) => staticListJson(l, catalog, ids)));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/staticList/{id}.json',
    operationId: 'getStaticListByIdUsingGET',
    handler: async (req, { rt }) => {
      const id = idParam(req.params.id);
      const catalog = await loadCatalog(rt.store);
      const ids = await programsByName(catalog);
      const found = (await rt.store.campaigns.listStaticLists()).filter((l) => l.id === id);
      return assetResult(found.map((l) => staticListJson(l, catalog, ids)));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/programs.json',
    operationId: 'browseProgramsUsingGET',
    handler: async (req, { rt }) => {
      const { earliest, latest } = updatedRange(req);
      const filterType = req.query.get('filterType')?.trim();
      const values = (listParam(req.query, 'filterValues') ?? []).map((v) => v.toLowerCase());
      if (filterType && !['id', 'programId', 'folderId', 'workspace'].includes(filterType))
        throw new RestError(1003, `Invalid filterType '${filterType}': id, programId, folderId or workspace`);
      if (filterType && values.length === 0)
        throw new RestError(1002, "Missing value for the required parameter 'filterValues'");
      const catalog = await loadCatalog(rt.store);
      const found = catalog.programs.filter((p) => {
        if (!updatedWithin(p.updatedAt, earliest, latest)) return false;
        if (filterType === 'id' || filterType === 'programId') return values.includes(String(p.id));
        if (filterType === 'workspace') return values.includes(p.workspaceName.toLowerCase());
        if (filterType === 'folderId')
          return values.some((v) => /^\d+$/.test(v) && programUnder(p, { id: Number(v), type: 'Folder' }, catalog));
        return true;
      });
      return assetResult(assetPage(found, req.query).map((p) => programJson(p, catalog)));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/program/byName.json',
    operationId: 'getProgramByNameUsingGET',
    handler: async (req, { rt }) => {
      const name = requiredParam(req.query, 'name').toLowerCase();
      const tags = boolParam(req.query, 'includeTags') === true;
      const costs = boolParam(req.query, 'includeCosts') === true;
      const catalog = await loadCatalog(rt.store);
      const found = catalog.programs.filter((p) => p.name.toLowerCase() === name).slice(0, 1);
      return assetResult(found.map((p) => programJson(p, catalog, { tags, costs })));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/program/byTag.json',
    operationId: 'getProgramListByTagUsingGET',
    handler: async (req, { rt }) => {
      const tagType = requiredParam(req.query, 'tagType').toLowerCase();
      const tagValue = requiredParam(req.query, 'tagValue').toLowerCase();
      const catalog = await loadCatalog(rt.store);
      const found = catalog.programs.filter((p) =>
        p.tags.some((t) => t.type.toLowerCase() === tagType && t.value.toLowerCase() === tagValue),
      );
      return assetResult(assetPage(found, req.query).map((p) => programJson(p, catalog, { tags: true })));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/program/{id}.json',
    operationId: 'getProgramByIdUsingGET',
    handler: async (req, { rt }) => {
      const id = idParam(req.params.id);
      const catalog = await loadCatalog(rt.store);
      const p = catalog.programById.get(id);
      // By id Marketo answers the program with its tags and costs.
      return assetResult(p ? [programJson(p, catalog, { tags: true, costs: true })] : []);
    },
  },
  {
    method: 'POST',
    path: '/rest/asset/v1/program/{id}.json',
    operationId: 'updateProgramUsingPOST',
    handler: async (req, ctx) => {
      const id = idParam(req.params.id);
      await updateProgram(ctx.rt.store, id, req, ctx.now);
      const catalog = await loadCatalog(ctx.rt.store);
      const p = catalog.programById.get(id);
      return assetResult(p ? [programJson(p, catalog, { tags: true, costs: true })] : []);
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/channels.json',
    operationId: 'getAllChannelsUsingGET',
    handler: async (req, { rt }) => {
      const channels = await channelsJson(rt.store, await loadCatalog(rt.store));
      return assetResult(assetPage(channels, req.query));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/channel/byName.json',
    operationId: 'getChannelByNameUsingGET',
    handler: async (req, { rt }) => {
      // The swagger spells the parameter `Name`, the Adobe page `name`: both are read.
      const q = new URLSearchParams({ name: req.query.get('name') ?? req.query.get('Name') ?? '' });
      const name = requiredParam(q, 'name').toLowerCase();
      const channels = await channelsJson(rt.store, await loadCatalog(rt.store));
      return assetResult(channels.filter((c) => c.name.toLowerCase() === name));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/tagTypes.json',
    operationId: 'getTagTypesUsingGET',
    handler: async (req, { rt }) => {
      const types = [...(await tagCatalogue(rt.store.campaigns)).values()].map((t) => ({
        tagType: t.type,
        applicableProgramTypes: ALL_PROGRAM_TYPES,
        required: false,
      }));
      return assetResult(assetPage(types, req.query));
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/tagType/byName.json',
    operationId: 'getTagByNameUsingGET',
    handler: async (req, { rt }) => {
      const name = requiredParam(req.query, 'name').toLowerCase();
      const t = (await tagCatalogue(rt.store.campaigns)).get(name);
      return assetResult(
        t
          ? [
              {
                tagType: t.type,
                applicableProgramTypes: ALL_PROGRAM_TYPES,
                required: false,
                allowableValues: `[${t.values.join(', ')}]`,
              },
            ]
          : [],
      );
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/folder/{id}.json',
    operationId: 'getFolderByIdUsingGET',
    handler: async (req, { rt }) => {
      const id = idParam(req.params.id);
      const type = requiredParam(req.query, 'type');
      if (!/^(folder|program)$/i.test(type)) throw new RestError(1003, `Invalid type '${type}': Folder or Program`);
      const catalog = await loadCatalog(rt.store);
      if (/^folder$/i.test(type)) {
        const f = catalog.folderById.get(id);
        return assetResult(f ? [folderJson(f)] : []);
      }
      // A program is a folder of its campaigns and lists; its parent is the folder it sits in.
      const p = catalog.programById.get(id);
      const parent = p && catalog.folderByPath.get(programFolderPath(p));
      return assetResult(
        p
          ? [
              {
                ...folderJson({
                  id: p.id,
                  name: p.name,
                  path: `${programFolderPath(p)}/${p.name}`,
                  parentId: parent?.id ?? null,
                  workspace: p.workspaceName,
                  createdAt: p.createdAt,
                  updatedAt: p.updatedAt,
                }),
                folderId: { id: p.id, type: 'Program' },
                folderType: 'Program',
                isSystem: false,
              },
            ]
          : [],
      );
    },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/folders.json',
    operationId: 'getFolderUsingGET',
    handler: async (req, { rt }) => {
      const root = folderParam(req.query);
      const catalog = await loadCatalog(rt.store);
      const workspace = req.query.get('workSpace')?.trim().toLowerCase();
      // Marketo's default depth is 2 levels below the root (or below the top folders).
      const maxDepth = intParam(req.query, 'maxDepth', 1, 1000) ?? 2;
      const base = root ? catalog.folderById.get(root.id) : undefined;
      if (root && (root.type !== 'Folder' || !base)) return assetResult([]);
      const depth = (f: FolderNode) => f.path.split('/').length - (base ? base.path.split('/').length : 2);
      const found = catalog.folders.filter(
        (f) =>
          (!base || f.path === base.path || f.path.startsWith(`${base.path}/`)) &&
          depth(f) <= maxDepth &&
          (!workspace || f.workspace.toLowerCase() === workspace),
      );
      return assetResult(assetPage(found, req.query).map(folderJson));
    },
  },
];
