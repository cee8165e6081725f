/**
 * Opportunities, roles and programs from REST JSON to SOAP MObjects, shaped by the emulator's own
 * converters (domain/mobjects.ts) so that both answer alike. What REST cannot give is left out,
 * as each operation's `differences` say: integer ids of opportunities and roles (REST knows them
 * by marketoGUID), a role's OpportunityId (an Opportunity association by externalOpportunityId
 * instead), a program's Workspace Id and My Tokens; a program's costs have no ids in REST, so a
 * cost's Id is its place (1, 2, …) in the program's cost list.
 */
import type { Attrib, MObject } from '@mktows/protocol';
import { opportunityToMObject, programToMObject, roleToMObject } from '../domain/mobjects.js';
import { ASSET_PROGRAM_TYPE } from '../rest/assets/asset-json.js';
import type { Opportunity, OpportunityRole, Program } from '../store/mobject-store.js';
import { assetGet } from './asset-read.js';
import type { BridgeCall } from './bridge.js';
import { EXTERNAL_OPPORTUNITY_ID, type MObjFieldMap } from './mobject-fields.js';

type Json = Record<string, unknown>;

/** A REST time (`2026-01-02T03:04:05Z`, or the asset API's `…Z+0000`) in epoch ms; 0 when absent. */
export function restTime(v: unknown): number {
  if (typeof v !== 'string' || v === '') return 0;
  const t = Date.parse(v.replace(/Z\+0000$/, 'Z'));
  return Number.isNaN(t) ? 0 : t;
}

/** A REST value as the text the emulator stores for an MObject field (booleans true/false). */
export function mobjText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

const SOAP_PROGRAM_TYPE: ReadonlyMap<string, string> = new Map(
  Object.entries(ASSET_PROGRAM_TYPE).map(([soap, rest]) => [
    rest.toLowerCase(),
    soap.replace(/\b\w/g, (c) => c.toUpperCase()),
  ]),
);

/** The path of the folder a program sits in (`GET folder/{id}.json?type=Folder`, cached by id). */
function folderPath(call: BridgeCall, id: number): Promise<string> {
  return call.bridge.cache<string>('folder-path').get(String(id), async () => {
    const [f] = await assetGet(call, `/rest/asset/v1/folder/${id}.json`, { type: 'Folder' });
    return typeof f?.path === 'string' ? f.path : '';
  });
}

/** A REST program (with its tags and costs, as `program/{id}.json` answers) as the emulator's Program. */
export async function programOf(call: BridgeCall, p: Json): Promise<Program> {
  const folder = p.folder as { type?: string; value?: number; folderName?: string } | undefined;
  const name = String(p.name ?? '');
  const parent =
    folder?.type === 'Folder' && typeof folder.value === 'number' ? await folderPath(call, folder.value) : '';
  const tags = ((p.tags ?? []) as { tagType?: string; tagValue?: string }[]).map((t) => ({
    type: String(t.tagType ?? ''),
    value: String(t.tagValue ?? ''),
  }));
  const costs = ((p.costs ?? []) as { startDate?: string; cost?: number; note?: string }[]).map((c, i) => ({
    id: i + 1,
    month: String(c.startDate ?? '').slice(0, 7),
    amount: mobjText(c.cost),
    note: c.note ? String(c.note) : null,
  }));
  const type = String(p.type ?? '');
  return {
    id: Number(p.id),
    name,
    type: SOAP_PROGRAM_TYPE.get(type.toLowerCase()) ?? type,
    channel: typeof p.channel === 'string' && p.channel !== '' ? p.channel : null,
    workspaceId: 0,
    workspaceName: String(p.workspace ?? ''),
    treePath: parent ? `${parent}/${name}` : name,
    description: String(p.description ?? ''),
    archived: false,
    crmId: typeof p.sfdcId === 'string' && p.sfdcId !== '' ? p.sfdcId : null,
    tags,
    tokens: [],
    costs,
    createdAt: restTime(p.createdAt),
    updatedAt: restTime(p.updatedAt),
  };
}

/** A program as SOAP shows it through the bridge: the emulator's form without Workspace Id. */
export function programMObject(p: Program, includeDetails: boolean): MObject {
  const m = programToMObject(p, includeDetails);
  const attrib = (m.attribList?.attrib ?? []).filter((a) => a.name !== 'Workspace Id');
  return { ...m, attribList: { attrib } };
}

const withoutId = ({ id: _id, ...m }: MObject): MObject => m;

/** A REST opportunity (read with every field) as the emulator's Opportunity (id 0: REST has none). */
export function opportunityOf(o: Json, map: MObjFieldMap): Opportunity {
  const attributes: Record<string, string> = {};
  for (const f of map.fields) if (f.soap !== 'Name') attributes[f.soap] = mobjText(o[f.rest]);
  const company = mobjText(o.externalCompanyId);
  const key = mobjText(o[EXTERNAL_OPPORTUNITY_ID]);
  return {
    id: 0,
    externalKey: key ? { name: EXTERNAL_OPPORTUNITY_ID, value: key } : null,
    name: mobjText(o.name),
    attributes,
    company: company ? { id: null, key: company } : null,
    createdAt: restTime(o.createdAt),
    updatedAt: restTime(o.updatedAt),
  };
}

/** An opportunity as SOAP shows it through the bridge: the emulator's form without its id. */
export const opportunityMObject = (o: Opportunity): MObject => withoutId(opportunityToMObject(o));

/** A REST role as the emulator's OpportunityRole (ids 0) and the opportunity it names. */
export function roleOf(r: Json): { role: OpportunityRole; opportunity: string } {
  return {
    role: {
      id: 0,
      opportunityId: 0,
      leadId: Number(r.leadId),
      role: mobjText(r.role),
      isPrimary: r.isPrimary === true,
      externalKey: null,
      externalCreatedDate: mobjText(r.externalCreatedDate) || null,
      createdAt: restTime(r.createdAt),
      updatedAt: restTime(r.updatedAt),
    },
    opportunity: mobjText(r[EXTERNAL_OPPORTUNITY_ID]),
  };
}

/** A role as SOAP shows it through the bridge: PersonId, Role, IsPrimary…, its opportunity an association. */
export function roleMObject(r: { role: OpportunityRole; opportunity: string }, type: string): MObject {
  const m = roleToMObject(r.role);
  const attrib: Attrib[] = (m.attribList?.attrib ?? []).filter((a) => a.name !== 'OpportunityId');
  return {
    ...withoutId(m),
    type,
    attribList: { attrib },
    ...(r.opportunity
      ? {
          associationList: {
            mObjAssociation: [
              { mObjType: 'Opportunity', externalKey: { name: EXTERNAL_OPPORTUNITY_ID, value: r.opportunity } },
            ],
          },
        }
      : {}),
  };
}
