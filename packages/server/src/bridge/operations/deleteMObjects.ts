/**
 * deleteMObjects on the bridge (MAPPING.md row 18): opportunities by their externalKey and roles
 * by their opportunity, lead and role (REST's dedupe fields), one REST call per type.
 */
import type { MObjStatus } from '@mktows/protocol';
import { checkObjectCount, type ObjectOutcome, toMObjStatus } from '../../domain/mobject-sync.js';
import { matchName } from '../../domain/mobjects.js';
import { MAX_DELETE_MOBJECTS } from '../../operations/deleteMObjects.js';
import { EXTERNAL_OPPORTUNITY_ID, MOBJ_PATH, type MObjKind } from '../mobject-fields.js';
import { associationsByType, ObjectRefused, type Prepared, writeObjects } from '../mobject-write.js';
import { reasonOf } from '../record-result.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const DELETE_TYPES = ['Opportunity', 'OpportunityPersonRole', 'OpportunityLeadRole'] as const;

const noIds = (type: string) =>
  new ObjectRefused(
    `${type} has no integer id on this bridge: Marketo's REST API names it by marketoGUID; delete it by its external keys`,
  );

function prepare(obj: Parameters<typeof toMObjStatus>[0]): Prepared {
  const type = matchName(DELETE_TYPES, obj.type ?? '');
  if (!type) {
    throw new ObjectRefused(
      `MObject type "${obj.type}" cannot be deleted; expected one of Opportunity, OpportunityPersonRole`,
    );
  }
  if (obj.id != null) throw noIds(type);
  if (type === 'Opportunity') {
    const key = obj.externalKey?.value?.trim();
    if (!key) throw new ObjectRefused('Deleting an Opportunity needs its externalKey on this bridge');
    return { group: 'Opportunity', record: { [EXTERNAL_OPPORTUNITY_ID]: key } };
  }
  const assoc = associationsByType(
    obj.associationList?.mObjAssociation,
    ['Lead', 'Opportunity'],
    (a) => `OpportunityPersonRole can only be associated with a Lead or an Opportunity, not "${a.mObjType}"`,
  );
  const attr = (n: string) =>
    (obj.attribList?.attrib ?? []).find((a) => (a.name ?? '').trim().toLowerCase() === n.toLowerCase())?.value?.trim();
  const opportunity = assoc.get('Opportunity')?.externalKey?.value;
  const lead = assoc.get('Lead')?.id ?? attr('PersonId');
  const role = attr('Role');
  if (!opportunity || lead === undefined || lead === '' || !role) {
    throw new ObjectRefused(
      `Deleting an ${type} needs its Opportunity association (externalKey), PersonId (or a Lead association by id) and Role on this bridge`,
    );
  }
  return {
    group: 'OpportunityPersonRole',
    record: { [EXTERNAL_OPPORTUNITY_ID]: opportunity, leadId: Number(lead), role },
  };
}

export const deleteMObjects: BridgeOperation<'deleteMObjects'> = {
  rest: [
    'Opportunity: POST /rest/v1/opportunities/delete.json {deleteBy:"dedupeFields", input:[{externalOpportunityId}]}',
    'OpportunityPersonRole (or OpportunityLeadRole): POST /rest/v1/opportunities/roles/delete.json {deleteBy:"dedupeFields", input:[{externalOpportunityId, leadId, role}]}',
  ],
  differences: [
    'An opportunity is deleted by its externalKey; an id is FAILED (REST knows no integer ids). Statuses carry no id.',
    'A role is deleted by its Opportunity association (externalKey), PersonId (or a Lead association by id) and Role, the REST dedupe fields; an id or a role externalKey is FAILED.',
    "An object REST does not find is UNCHANGED, as on the emulator; other REST refusals are FAILED with REST's message.",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const objects = params.mObjectList.mObject ?? [];
    checkObjectCount(objects.length, MAX_DELETE_MOBJECTS, 'deleteMObjects');
    const outcomes = await writeObjects({
      count: objects.length,
      idOf: (i) => objects[i].id ?? null,
      prepare: async (i) => prepare(objects[i]),
      send: (group, input) =>
        call.rest({
          method: 'POST',
          path: `${MOBJ_PATH[group as MObjKind]}/delete.json`,
          json: { deleteBy: 'dedupeFields', input },
        }),
      answer: (i, r, record): ObjectOutcome => {
        if (r?.status === 'deleted') return { status: 'DELETED', id: null };
        const reason = reasonOf(r);
        // Not found: the opportunity (1013), or for a role its opportunity (1013) or lead (1004).
        if (reason.code === 1013 || reason.code === 1004) {
          const what =
            record.leadId === undefined
              ? `No Opportunity with externalKey ${objects[i].externalKey?.name} = ${record[EXTERNAL_OPPORTUNITY_ID]}`
              : `No OpportunityPersonRole for ${record[EXTERNAL_OPPORTUNITY_ID]}, lead ${record.leadId}, role "${record.role}"`;
          return { status: 'UNCHANGED', id: null, error: what };
        }
        return { status: 'FAILED', id: null, error: reason.message };
      },
    });
    const statuses: MObjStatus[] = objects.map((obj, i) => toMObjStatus(obj, outcomes[i], ctx.version));
    return { mObjStatusList: { mObjStatus: statuses } };
  },
};
