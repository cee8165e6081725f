/**
 * syncLead on the bridge (MAPPING.md row 3): one `POST /rest/v1/leads.json` record, then the cookie
 * association and the read-back the request asks for. A record REST skips answers the fault the
 * emulator gives for the same cause: 1004 (no lead with that Id) → 20103, 1006 (unknown field) →
 * 20105, any other reason → 20106 with REST's message.
 */
import { FAULT, MktowsFault } from '@mktows/protocol';
import { FieldValueError } from '../../domain/lead-schema.js';
import { leadRecordOf, soapReadFields } from '../lead-convert.js';
import { findLeadsByKey } from '../lead-lookup.js';
import { reasonOf, restWriteOf, syncBody, syncResults, writeAmbiguous } from '../lead-write.js';
import { UpstreamFault } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const WHERE = 'syncLead operation';

export const syncLead: BridgeOperation<'syncLead'> = {
  rest: [
    'GET /rest/v1/leads/describe.json (cached)',
    'with marketoCookie and no Id: GET /rest/v1/leads.json?filterType=cookies&filterValues=<cookie>&fields=id,updatedAt (the cookie names the lead before the e-mail does)',
    'POST /rest/v1/leads.json {action: updateOnly, lookupField: id} for a record with Id, else {action: createOrUpdate, lookupField: email}; attribute names (SOAP) → REST names from describe',
    'an e-mail several leads share (REST skips the record with 1007): GET /rest/v1/leads.json?filterType=email&filterValues=<e-mail>&fields=id,updatedAt, then POST /rest/v1/leads.json {action: updateOnly, lookupField: id} on the newest of them (updated last, then highest id), as the emulator picks it',
    'with marketoCookie: POST /rest/v1/leads/{id}/associate.json?cookie=<cookie>',
    'with returnLead: GET /rest/v1/leads.json?filterType=id&filterValues=<id>&fields=<every field with a SOAP name>',
  ],
  differences: [
    'ForeignSysPersonId: 20110 before any write (REST has no foreign-system key; Adobe advises a custom field as lookupField, which the bridge does not configure).',
    'SOAP-only fields (no REST field in describe: LeadOwnerEmail, SFDC ids, ForeignSysType…) are unknown fields: 20105 before any write.',
    "Fields that describe marks read-only for REST (inferredCompany, inferredCountry…) cannot be written: 20106 with REST's 1003 message.",
    'A cookie REST refuses on associate.json (1012) leaves the lead written and answers success; the journal shows the 1012. moveCookie has no REST switch and is ignored.',
    "An Email element and a different Email attribute without Id: REST looks the lead up by the attribute's e-mail (one lookupField value per record).",
    "A value its field's type refuses (describe's dataType and length) is 20106 in the emulator's words, before any write; other REST skip reasons than 1004/1006/1007 answer 20106 with REST's message.",
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const cookie = params.marketoCookie || undefined;
    const map = await call.leadFields();
    let write: ReturnType<typeof restWriteOf>;
    try {
      write = restWriteOf(params.leadRecord, map, WHERE, { emailKeyOnly: false, ...(cookie ? { cookie } : {}) });
    } catch (e) {
      if (e instanceof FieldValueError) throw new MktowsFault(FAULT.LEAD_SYNC_FAILED, `${WHERE} failed: ${e.message}`);
      throw e;
    }
    if (cookie && write.group === 'email') {
      // The emulator matches a cookie before an e-mail: the lead it names is updated by its id.
      const [byCookie] = await findLeadsByKey(call, 'COOKIE', cookie);
      if (byCookie) {
        write.group = 'id';
        write.record = { id: byCookie.id, ...write.record };
      }
    }
    const body = await call.rest({
      method: 'POST',
      path: '/rest/v1/leads.json',
      json: syncBody(write.group, true, [write.record]),
    });
    const result = await writeAmbiguous(call, write.record, syncResults(body)[0]);
    if (result?.status !== 'created' && result?.status !== 'updated') throw skippedFault(result, write.record.id);
    const leadId = Number(result.id);
    if (cookie) {
      try {
        await call.rest({ method: 'POST', path: `/rest/v1/leads/${leadId}/associate.json`, query: { cookie } });
      } catch (e) {
        if (!(e instanceof UpstreamFault && e.restCode === 1012)) throw e;
      }
    }
    let leadRecord = null;
    if (params.returnLead) {
      const read = await call.rest({
        method: 'GET',
        path: '/rest/v1/leads.json',
        query: { filterType: 'id', filterValues: leadId, fields: soapReadFields(map) },
      });
      const [lead] = (read.result ?? []) as Record<string, unknown>[];
      if (lead) leadRecord = leadRecordOf(lead, map);
    }
    const status = result.status === 'created' ? 'CREATED' : 'UPDATED';
    return { leadId, syncStatus: { leadId, status, error: null }, leadRecord };
  },
};

function skippedFault(result: Parameters<typeof reasonOf>[0], id: unknown): MktowsFault {
  const { code, message } = reasonOf(result);
  if (code === 1004) return new MktowsFault(FAULT.LEAD_NOT_FOUND, `No lead found with IDNUM = ${id}`);
  if (code === 1006) return new MktowsFault(FAULT.LEAD_ATTRIBUTE_BAD, `${WHERE} failed: ${message}`);
  return new MktowsFault(FAULT.LEAD_SYNC_FAILED, `${WHERE} failed: ${message}`);
}
