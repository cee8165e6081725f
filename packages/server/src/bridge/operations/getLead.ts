/** getLead on the bridge: one `GET /rest/v1/leads.json` by the key's filter (MAPPING.md row 1). */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import { leadFilterOf, leadRecordOf, soapReadFields } from '../lead-convert.js';
import type { RestBody } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

export const getLead: BridgeOperation<'getLead'> = {
  rest: [
    'GET /rest/v1/leads/describe.json (cached)',
    'GET /rest/v1/leads.json?filterType=<key type>&filterValues=<key value>&fields=<every field with a SOAP name>',
  ],
  differences: [
    "LEADOWNEREMAIL keys: 20110 (REST has no filter for them). SFDCLEADOWNERID keys use REST's sfdcLeadOwnerId filter where the instance offers one (else REST's 1006: 20105); an owner that does not exist is no 20108 (REST has no owner lookup).",
    'SOAP-only fields (ForeignSysPersonId, ForeignSysType, SFDCType, SFDCLeadId, SFDCContactId, SFDCAccountId, LeadOwnerEmail) have no REST field and are not shown.',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const { keyType, keyValue } = params.leadKey;
    const filterType = leadFilterOf(keyType);
    const value = keyType === 'COOKIE' ? keyValue : keyValue.trim();
    if (keyType === 'IDNUM' && !/^\d{1,10}$/.test(value)) throw notFound(keyType, keyValue);
    const map = await call.leadFields();
    let body: RestBody;
    try {
      body = await call.rest({
        method: 'GET',
        path: '/rest/v1/leads.json',
        // A value holding a comma would be read as two: REST has no escape for it.
        query: { filterType, filterValues: value, fields: soapReadFields(map) },
      });
    } catch (e) {
      // A cookie REST cannot parse finds no lead, as SOAP answered.
      if ((e as { restCode?: number }).restCode === 1012) throw notFound(keyType, keyValue);
      throw e;
    }
    const leads = (body.result ?? []) as Record<string, unknown>[];
    if (leads.length === 0) throw notFound(keyType, keyValue);
    // Newest first, as the emulator lists the leads a key shares (REST lists them by ascending id).
    const records = leads.map((l) => leadRecordOf(l, map)).sort((a, b) => Number(b.Id) - Number(a.Id));
    return { count: records.length, leadRecordList: { leadRecord: records } };
  },
};

function notFound(keyType: string, keyValue: string): MktowsFault {
  return new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with ${keyType} = ${echo(keyValue)}`);
}
