/**
 * describeMObject on the bridge (MAPPING.md row 19): LeadRecord from the lead describe,
 * Opportunity and OpportunityPersonRole from theirs; ActivityRecord and Program have no REST
 * describe and answer the fixed metadata the emulator answers.
 */
import type { MObjectMetadata, MObjFieldMetadata } from '@mktows/protocol';
import { compareAttrNames } from '../../domain/lead-schema.js';
import { describe, leadFieldMetadata, MOBJECT_NAMES, matchName, metadataField } from '../../domain/mobjects.js';
import type { BridgeCall } from '../bridge.js';
import { mobjFields } from '../mobject-fields.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** The REST names of the custom lead fields (`leads/schema/fields.json`, every page; cached). */
function customLeadFields(call: BridgeCall): Promise<ReadonlySet<string>> {
  return call.bridge.cache<ReadonlySet<string>>('lead-custom-fields').get('all', async () => {
    const out = new Set<string>();
    let token: string | undefined;
    do {
      const body = await call.rest({
        method: 'GET',
        path: '/rest/v1/leads/schema/fields.json',
        query: { batchSize: 300, nextPageToken: token },
      });
      for (const f of (body.result ?? []) as { name?: string; isCustom?: boolean }[])
        if (f.isCustom === true && f.name) out.add(f.name);
      token = body.moreResult && body.nextPageToken ? body.nextPageToken : undefined;
    } while (token);
    return out;
  });
}

async function leadRecordFields(call: BridgeCall): Promise<MObjFieldMetadata[]> {
  const [map, custom] = await Promise.all([call.leadFields(), customLeadFields(call)]);
  const out: MObjFieldMetadata[] = [];
  for (const f of map.soapFields()) {
    if (f.soap === undefined) continue;
    // Id and Email keep the SOAP documentation's entries, as the emulator writes them.
    if (f.soap === 'Id' || f.soap === 'Email') continue;
    out.push(
      leadFieldMetadata({
        name: f.soap,
        dataType: f.dataType,
        ...(f.length !== undefined ? { length: f.length } : {}),
        displayName: f.displayName,
        readOnly: f.soapReadOnly,
        custom: custom.has(f.rest),
      }),
    );
  }
  // The emulator's order, Marketo's for lead attributes.
  return out.sort((a, b) => compareAttrNames(a.name, b.name));
}

export const describeMObject: BridgeOperation<'describeMObject'> = {
  rest: [
    'LeadRecord: GET /rest/v1/leads/describe.json and GET /rest/v1/leads/schema/fields.json (isCustom), both cached',
    'Opportunity: GET /rest/v1/opportunities/describe.json (cached)',
    'OpportunityPersonRole: GET /rest/v1/opportunities/roles/describe.json (cached)',
    'ActivityRecord, Program: no REST call (fixed metadata)',
  ],
  differences: [
    'LeadRecord lists the fields that have a SOAP name in the instance describe: no ForeignSysPersonId, ForeignSysType nor the other SOAP-only fields.',
    'Opportunity and OpportunityPersonRole have no integer `id` field: REST identifies them by marketoGUID (see getMObjects).',
    'OpportunityPersonRole has no OpportunityId field: the opportunity is an Opportunity association named by its externalOpportunityId.',
    'Fields the SOAP documentation does not list (custom opportunity fields) are described from REST: description nil, isCustom true.',
  ],
  handler: async (params, ctx) => {
    const name = matchName(MOBJECT_NAMES, params.objectName);
    // ActivityRecord, Program and unknown names (20110) answer as the emulator: nothing to ask REST.
    const fixed = describe(params.objectName, ctx.schema);
    if (name !== 'LeadRecord' && name !== 'Opportunity' && name !== 'OpportunityPersonRole') return { metadata: fixed };
    const call = bridgeOf(ctx);
    let fields: MObjFieldMetadata[];
    if (name === 'LeadRecord') {
      const idEmail = (fixed.fieldList.field ?? []).filter((f) => f.name === 'Id' || f.name === 'Email');
      fields = [...idEmail, ...(await leadRecordFields(call))];
    } else {
      const map = await mobjFields(call, name);
      fields = map.fields.map((f) => metadataField(map.definition(f), name));
    }
    const metadata: MObjectMetadata = { ...fixed, fieldList: { field: fields } };
    return { metadata };
  },
};
