/**
 * syncMultipleLeads on the bridge (MAPPING.md row 4): the records grouped by how REST finds them
 * (Id → updateOnly on id; the rest by e-mail, createDuplicate when dedupEnabled is false), each
 * group in `POST /rest/v1/leads.json` calls of at most 300 records, and one status per record in
 * input order. The whole call fails, before any write, on what fails it on the emulator (no record,
 * over 1000 records, a record without key, unknown fields).
 */
import { FAULT, MktowsFault, type SyncStatus } from '@mktows/protocol';
import { FieldValueError } from '../../domain/lead-schema.js';
import { recordsOf } from '../../operations/syncMultipleLeads.js';
import {
  failedText,
  type LookupGroup,
  type RestWrite,
  restWriteOf,
  syncBody,
  syncResults,
  writeAmbiguous,
} from '../lead-write.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** REST's largest `POST leads.json` input. */
export const REST_MAX_SYNC = 300;

export const syncMultipleLeads: BridgeOperation<'syncMultipleLeads'> = {
  rest: [
    'GET /rest/v1/leads/describe.json (cached)',
    'POST /rest/v1/leads.json {action: updateOnly, lookupField: id, input: <records with Id, ≤300>}',
    'POST /rest/v1/leads.json {action: createOrUpdate (createDuplicate when dedupEnabled=false), lookupField: email, input: <the other records, ≤300>}',
    'Groups are sent in the order their first record appears; more than 300 records of a group take several calls.',
    'A record whose e-mail several leads share (REST skips it with 1007): GET /rest/v1/leads.json?filterType=email&filterValues=<e-mail>&fields=id,updatedAt, then POST /rest/v1/leads.json {action: updateOnly, lookupField: id} on the newest of them (updated last, then highest id), as the emulator picks it.',
  ],
  differences: [
    'A record with ForeignSysPersonId is FAILED with a 20110 text (REST has no foreign-system key); the others are written.',
    "A FAILED record's error is REST's reason as \"<code> <message>\"; a value its field's type refuses (checked before any write, from describe) and an Id that names no lead read as on the emulator.",
    "An Email element and a different Email attribute without Id: REST looks the lead up by the attribute's e-mail (one lookupField value per record).",
    "Fields that describe marks read-only for REST (inferredCompany, inferredCountry…) cannot be written: such a record is FAILED with REST's 1003.",
    'Records are written group by group (Id group, e-mail group), not strictly in input order: a record keyed by Id cannot see a lead an e-mail record of the same call creates.',
    'A response-level REST error (rate limit, outage) on a later call fails the SOAP call after the earlier calls were written.',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const records = recordsOf(params);
    const map = await call.leadFields();
    const statuses: SyncStatus[] = new Array(records.length);
    const groups = new Map<LookupGroup, { at: number[]; input: Record<string, unknown>[] }>();
    for (const [i, r] of records.entries()) {
      let w: RestWrite;
      try {
        w = restWriteOf(r, map, `syncMultipleLeads leadRecord ${i + 1}`, { emailKeyOnly: true });
      } catch (e) {
        if (e instanceof FieldValueError) statuses[i] = { leadId: r.Id ?? 0, status: 'FAILED', error: e.message };
        else if (e instanceof MktowsFault && e.code === FAULT.BAD_PARAMETER)
          statuses[i] = { leadId: r.Id ?? 0, status: 'FAILED', error: e.detail };
        else throw e;
        continue;
      }
      let g = groups.get(w.group);
      if (!g) {
        g = { at: [], input: [] };
        groups.set(w.group, g);
      }
      g.at.push(i);
      g.input.push(w.record);
    }
    const dedup = params.dedupEnabled ?? true;
    /** The leads written so far, in order (the newest of several sharing an e-mail is the last). */
    const written: number[] = [];
    for (const [group, { at, input }] of groups) {
      for (let k = 0; k < input.length; k += REST_MAX_SYNC) {
        const body = await call.rest({
          method: 'POST',
          path: '/rest/v1/leads.json',
          json: syncBody(group, dedup, input.slice(k, k + REST_MAX_SYNC)),
        });
        const results = syncResults(body);
        for (let j = 0; j < Math.min(REST_MAX_SYNC, input.length - k); j++) {
          const i = at[k + j];
          const res = await writeAmbiguous(call, input[k + j], results[j], written);
          if (res?.status === 'created' || res?.status === 'updated') {
            written.push(Number(res.id));
            statuses[i] = {
              leadId: Number(res.id),
              status: res.status === 'created' ? 'CREATED' : 'UPDATED',
              error: null,
            };
          } else {
            statuses[i] = { leadId: records[i].Id ?? 0, status: 'FAILED', error: failedText(res, records[i].Id) };
          }
        }
      }
    }
    return { syncStatusList: { syncStatus: statuses } };
  },
};
