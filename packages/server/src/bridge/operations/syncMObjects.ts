/**
 * syncMObjects on the bridge (MAPPING.md row 17): opportunities and roles in one REST call each,
 * deduplicated on their external keys; programs (UPDATE only) one by one through the asset API's
 * program update (tags and costs).
 */
import type { MObject, MObjStatus, SyncOperationEnum } from '@mktows/protocol';
import { checkObjectCount, type ObjectOutcome, toMObjStatus } from '../../domain/mobject-sync.js';
import { matchName } from '../../domain/mobjects.js';
import { MAX_SYNC_MOBJECTS } from '../../operations/syncMObjects.js';
import { assetGet } from '../asset-read.js';
import type { BridgeCall } from '../bridge.js';
import { leadIdsOfAssociation } from '../lead-lookup.js';
import { EXTERNAL_OPPORTUNITY_ID, MOBJ_PATH, type MObjFieldMap, type MObjKind, mobjFields } from '../mobject-fields.js';
import { associationsByType, ObjectRefused, type Prepared, writeObjects } from '../mobject-write.js';
import { reasonOf } from '../record-result.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const ACTION: Record<SyncOperationEnum, string> = {
  INSERT: 'createOnly',
  UPDATE: 'updateOnly',
  UPSERT: 'createOrUpdate',
};

const SYNC_TYPES = ['Opportunity', 'OpportunityPersonRole', 'OpportunityLeadRole', 'Program'] as const;

const noIds = (type: string) =>
  new ObjectRefused(
    `${type} has no integer id on this bridge: Marketo's REST API names it by marketoGUID; use the externalKey or associations`,
  );

/** A SOAP value as REST JSON for the field's type: booleans as the emulator reads them, numbers as numbers. */
function restValue(dataType: string, text: string): unknown {
  const t = text.trim();
  if (dataType === 'boolean') {
    const l = t.toLowerCase();
    if (l === 'true' || l === '1' || l === 'yes') return true;
    if (l === 'false' || l === '0' || l === 'no') return false;
    return text;
  }
  if (['integer', 'float', 'currency', 'percent'].includes(dataType) && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t))
    return Number(t);
  return text;
}

/** The attribList as REST fields: unknown and read-only names refused with the emulator's words. */
function attributes(obj: MObject, map: MObjFieldMap, type: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const a of obj.attribList?.attrib ?? []) {
    const f = map.bySoap(a.name ?? '');
    if (!f) {
      unknown.push(a.name);
      continue;
    }
    if (map.definition(f).readOnly) throw new ObjectRefused(`Attribute ${f.soap} of ${type} is read-only`);
    out[f.rest] = restValue(f.dataType, a.value ?? '');
  }
  if (unknown.length) throw new ObjectRefused(`Unknown attribute name(s) for ${type}: ${unknown.join(', ')}`);
  return out;
}

function noTypeAttribs(obj: MObject, type: string): void {
  if (obj.typeAttribList?.typeAttrib?.length)
    throw new ObjectRefused(`typeAttribList is only used with Program, not ${type}`);
}

function opportunityRecord(obj: MObject, map: MObjFieldMap, op: SyncOperationEnum): Record<string, unknown> {
  noTypeAttribs(obj, 'Opportunity');
  if (obj.id != null) throw noIds('Opportunity');
  const record = attributes(obj, map, 'Opportunity');
  const assoc = associationsByType(
    obj.associationList?.mObjAssociation,
    ['Company'],
    (a) => `Opportunity can only be associated with a Company, not "${a.mObjType}"`,
  );
  const company = assoc.get('Company');
  if (company) {
    if (!company.externalKey)
      throw new ObjectRefused('A Company association names its company by externalKey on this bridge');
    record.externalCompanyId = company.externalKey.value;
  }
  const key = obj.externalKey?.value?.trim();
  if (!key) {
    throw new ObjectRefused(
      op === 'UPDATE'
        ? 'UPDATE needs the externalKey of the Opportunity'
        : `${op} needs the externalKey of the Opportunity: REST deduplicates opportunities on ${EXTERNAL_OPPORTUNITY_ID}`,
    );
  }
  return { [EXTERNAL_OPPORTUNITY_ID]: key, ...record };
}

async function roleRecord(
  call: BridgeCall,
  obj: MObject,
  map: MObjFieldMap,
  type: string,
): Promise<Record<string, unknown>> {
  noTypeAttribs(obj, type);
  if (obj.id != null) throw noIds(type);
  if (obj.externalKey) throw new ObjectRefused(`${type} has no externalKey in Marketo's REST API`);
  if ((obj.attribList?.attrib ?? []).some((a) => (a.name ?? '').trim().toLowerCase() === 'opportunityid'))
    throw new ObjectRefused(
      'OpportunityId is an integer id REST does not know: name the opportunity by an Opportunity association with its externalKey',
    );
  const record = attributes(obj, map, type);
  const assoc = associationsByType(
    obj.associationList?.mObjAssociation,
    ['Lead', 'Opportunity'],
    (a) => `OpportunityPersonRole can only be associated with a Lead or an Opportunity, not "${a.mObjType}"`,
  );
  const opportunity = assoc.get('Opportunity');
  if (opportunity?.id != null) throw noIds('Opportunity');
  if (opportunity?.externalKey) record[EXTERNAL_OPPORTUNITY_ID] = opportunity.externalKey.value;
  const lead = assoc.get('Lead');
  if (lead) {
    // As the emulator: the newest lead a key names (its highest id).
    const ids = await leadIdsOfAssociation(call, lead, (m) => new ObjectRefused(m));
    if (ids.length === 0) {
      const k = lead.externalKey;
      throw new ObjectRefused(`No lead with ${k?.name} ${k?.value}`);
    }
    record.leadId = Math.max(...ids);
  }
  if (record[EXTERNAL_OPPORTUNITY_ID] === undefined || record.leadId === undefined)
    throw new ObjectRefused(
      `${type} needs an Opportunity association (externalKey) and a PersonId (or a Lead association)`,
    );
  record.role ??= '';
  return record;
}

/** A REST write result as the emulator's outcome: a create of an existing or update of a missing object is SKIPPED. */
function outcomeOf(r: Parameters<typeof reasonOf>[0], op: SyncOperationEnum, what: string): ObjectOutcome {
  if (r?.status === 'created') return { status: 'CREATED', id: null };
  if (r?.status === 'updated') return { status: 'UPDATED', id: null };
  const reason = reasonOf(r);
  if (op === 'INSERT' && (reason.code === 1017 || reason.code === 1005))
    return { status: 'SKIPPED', id: null, error: `${what} exists; INSERT skips it` };
  if (op === 'UPDATE' && reason.code === 1013)
    return { status: 'SKIPPED', id: null, error: `No ${what}; UPDATE skips new objects` };
  return { status: 'FAILED', id: null, error: reason.message };
}

const AMOUNT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** typeAttrib pairs by name (case-insensitive); a name outside `names` is refused. */
function pairs(list: readonly { name: string; value: string }[], names: readonly string[], what: string) {
  const out: Record<string, string> = {};
  for (const a of list) {
    const n = matchName(names, a.name ?? '');
    if (!n) throw new ObjectRefused(`Unknown ${what} attribute "${a.name}"; expected ${names.join(', ')}`);
    out[n] = (a.value ?? '').trim();
  }
  return out;
}

interface RestCost {
  startDate: string;
  cost: number;
  note: string;
}

/**
 * A program's UPDATE: Tag typeAttribs set tag values (the channel only to the one it has: REST sets
 * a channel at creation), Cost typeAttribs add a cost or, with an Id (the cost's place), change
 * one, sent back with every cost and costsDestructiveUpdate. Nothing to change is UNCHANGED.
 */
async function syncProgram(call: BridgeCall, obj: MObject, op: SyncOperationEnum): Promise<ObjectOutcome> {
  const id = obj.id ?? null;
  const refuse = (message: string, status: 'FAILED' | 'SKIPPED' = 'FAILED'): ObjectOutcome => ({
    status,
    id,
    error: message,
  });
  if (op !== 'UPDATE') return refuse(`Programs can only be updated: use operation UPDATE, not ${op}`);
  if (id == null) return refuse('A Program is named by its id');
  if (obj.attribList?.attrib?.length)
    return refuse('Program attributes cannot be changed; send Cost or Tag typeAttribs');
  if (obj.associationList?.mObjAssociation?.length) return refuse('Program takes no associations');
  const [program] = await assetGet(call, `/rest/asset/v1/program/${id}.json`);
  if (!program) return refuse(`No Program with id ${id}; UPDATE skips new objects`, 'SKIPPED');
  const costs = ((program.costs ?? []) as RestCost[]).map((c) => ({ ...c, note: c.note ?? '' }));
  const before = JSON.stringify(costs);
  const tags = new Map<string, string>();
  let replace = false;
  try {
    for (const ta of obj.typeAttribList?.typeAttrib ?? []) {
      const kind = matchName(['Cost', 'Tag'], ta.attrType ?? '');
      const list = ta.attrList?.attrib ?? [];
      if (kind === 'Cost') {
        const c = pairs(list, ['Id', 'Month', 'Amount', 'Note'], 'Cost');
        if (!c.Month) throw new ObjectRefused('Cost needs a Month (YYYY-MM)');
        const m = /^(\d{4}-(0[1-9]|1[0-2]))(-\d{2})?$/.exec(c.Month);
        if (!m) throw new ObjectRefused(`Cost Month "${c.Month}" is not a month (YYYY-MM)`);
        if (!c.Amount) throw new ObjectRefused('Cost needs an Amount');
        if (!AMOUNT.test(c.Amount)) throw new ObjectRefused(`Cost Amount "${c.Amount}" is not a number`);
        const cost: RestCost = { startDate: `${m[1]}-01`, cost: Number(c.Amount), note: c.Note ?? '' };
        if (c.Id) {
          if (!/^\d+$/.test(c.Id)) throw new ObjectRefused(`Cost Id "${c.Id}" is not an integer`);
          const at = Number(c.Id) - 1;
          if (at < 0 || at >= costs.length) throw new ObjectRefused(`Cost Id ${c.Id} does not exist on Program ${id}`);
          costs[at] = cost;
          replace = true;
        } else costs.push(cost);
      } else if (kind === 'Tag') {
        const t = pairs(list, ['Type', 'Value'], 'Tag');
        if (!t.Type || !t.Value) throw new ObjectRefused('Tag needs a Type and a Value');
        if (t.Type.toLowerCase() === 'channel') {
          if (t.Value.toLowerCase() !== String(program.channel ?? '').toLowerCase())
            throw new ObjectRefused(
              "A program's channel cannot be changed: Marketo's REST API sets it only when the program is created",
            );
        } else tags.set(t.Type.toLowerCase(), JSON.stringify({ tagType: t.Type, tagValue: t.Value }));
      } else {
        throw new ObjectRefused(`typeAttrib attrType "${ta.attrType}" is not valid for Program; expected Cost or Tag`);
      }
    }
  } catch (e) {
    if (e instanceof ObjectRefused) return refuse(e.message);
    throw e;
  }
  const had = new Set(
    ((program.tags ?? []) as { tagType?: string; tagValue?: string }[]).map((t) =>
      JSON.stringify({ tagType: String(t.tagType).toLowerCase(), tagValue: String(t.tagValue).toLowerCase() }),
    ),
  );
  const newTags = [...tags.values()]
    .map((t) => JSON.parse(t) as { tagType: string; tagValue: string })
    .filter((t) => !had.has(JSON.stringify({ tagType: t.tagType.toLowerCase(), tagValue: t.tagValue.toLowerCase() })));
  const costsChanged = JSON.stringify(costs) !== before;
  if (newTags.length === 0 && !costsChanged) return { status: 'UNCHANGED', id };
  const form: Record<string, string> = {};
  if (newTags.length) form.tags = JSON.stringify(newTags);
  if (costsChanged) {
    const added = costs.slice(JSON.parse(before).length);
    form.costs = JSON.stringify(replace ? costs : added);
    if (replace) form.costsDestructiveUpdate = 'true';
  }
  try {
    await call.rest({ method: 'POST', path: `/rest/asset/v1/program/${id}.json`, form });
  } catch (e) {
    const code = (e as { restCode?: number }).restCode;
    // What REST refuses about this program (an unknown tag, a bad cost) fails it alone.
    if (code !== undefined && code >= 700 && code < 2000)
      return refuse((e as { restMessage?: string }).restMessage ?? String(e));
    throw e;
  }
  return { status: 'UPDATED', id };
}

export const syncMObjects: BridgeOperation<'syncMObjects'> = {
  rest: [
    'Opportunity: GET /rest/v1/opportunities/describe.json (cached), POST /rest/v1/opportunities.json {action, dedupeBy:"dedupeFields", input} (one call for all)',
    'OpportunityPersonRole (or OpportunityLeadRole): GET /rest/v1/opportunities/roles/describe.json (cached), POST /rest/v1/opportunities/roles.json {action, dedupeBy:"dedupeFields", input}',
    'Program (UPDATE): GET /rest/asset/v1/program/{id}.json, then POST /rest/asset/v1/program/{id}.json (form: tags, costs, costsDestructiveUpdate) when something changes',
  ],
  differences: [
    'Opportunities are named by externalKey (externalOpportunityId) only: an id is FAILED, and INSERT/UPSERT without an externalKey is FAILED (REST deduplicates on it). Statuses carry no id.',
    'A role names its opportunity by an Opportunity association with the externalKey and its lead by PersonId or a Lead association (by id, or by a lead key REST filters on); OpportunityId, an id or an externalKey of the role is FAILED.',
    'An update that changes nothing is UPDATED (REST has no unchanged), except for programs, whose tags and costs the bridge compares first.',
    "Values REST refuses are FAILED with REST's message.",
    "A program's channel cannot be changed (FAILED): REST sets it only at creation. A Cost Id is the cost's place in the program's list (as getMObjects shows it).",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const objects = params.mObjectList.mObject ?? [];
    checkObjectCount(objects.length, MAX_SYNC_MOBJECTS, 'syncMObjects');
    const op = params.operation;
    const fields = (kind: MObjKind) => mobjFields(call, kind);
    const outcomes = await writeObjects({
      count: objects.length,
      idOf: (i) => objects[i].id ?? null,
      prepare: async (i): Promise<Prepared | ObjectOutcome> => {
        const obj = objects[i];
        const type = matchName(SYNC_TYPES, obj.type ?? '');
        if (type === 'Program') return syncProgram(call, obj, op);
        if (type === 'Opportunity')
          return { group: 'Opportunity', record: opportunityRecord(obj, await fields('Opportunity'), op) };
        if (type)
          return {
            group: 'OpportunityPersonRole',
            record: await roleRecord(call, obj, await fields('OpportunityPersonRole'), type),
          };
        throw new ObjectRefused(
          `MObject type "${obj.type}" cannot be synced; expected one of Opportunity, OpportunityPersonRole, Program`,
        );
      },
      send: (group, input) =>
        call.rest({
          method: 'POST',
          path: `${MOBJ_PATH[group as MObjKind]}.json`,
          json: { action: ACTION[op], dedupeBy: 'dedupeFields', input },
        }),
      answer: (i, r, record) => {
        const what =
          matchName(SYNC_TYPES, objects[i].type ?? '') === 'Opportunity'
            ? `Opportunity with externalKey ${EXTERNAL_OPPORTUNITY_ID} = ${record[EXTERNAL_OPPORTUNITY_ID]}`
            : `OpportunityPersonRole for ${record[EXTERNAL_OPPORTUNITY_ID]}, lead ${record.leadId}, role "${record.role}"`;
        return outcomeOf(r, op, what);
      },
    });
    const statuses: MObjStatus[] = objects.map((obj, i) => toMObjStatus(obj, outcomes[i], ctx.version));
    return { mObjStatusList: { mObjStatus: statuses } };
  },
};
