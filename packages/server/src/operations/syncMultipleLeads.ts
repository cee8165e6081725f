import { FAULT, type LeadRecord, MktowsFault, type ParamsSyncMultipleLeads } from '@mktows/protocol';
import { syncRecords, validateRecord } from '../domain/lead-sync.js';
import type { Handler } from './context.js';

export const MAX_SYNC_RECORDS = 1000;

/** The records, checked: at least one (20104), at most 1000 (20110). */
export function recordsOf(params: ParamsSyncMultipleLeads): LeadRecord[] {
  const records = params.leadRecordList.leadRecord ?? [];
  if (records.length === 0)
    throw new MktowsFault(FAULT.LEAD_DETAIL_REQUIRED, 'syncMultipleLeads: leadRecordList holds no leadRecord');
  if (records.length > MAX_SYNC_RECORDS) {
    throw new MktowsFault(
      FAULT.BAD_PARAMETER,
      `syncMultipleLeads: ${records.length} leadRecords exceed the limit of ${MAX_SYNC_RECORDS} per call`,
    );
  }
  return records;
}

/**
 * One status per record, in input order. Records that fail on their data are FAILED and the
 * rest are written; request errors (no key, unknown fields, too many records) fault the whole call
 * before anything is written, and an unexpected failure rolls everything back.
 */
export const syncMultipleLeads: Handler<'syncMultipleLeads'> = async (params, ctx) => {
  const records = recordsOf(params);
  const inputs = records.map((r, i) => validateRecord(r, ctx.schema, `syncMultipleLeads leadRecord ${i + 1}`));
  const now = ctx.now();
  const dedup = params.dedupEnabled ?? true;
  const statuses = await ctx.store.transaction((tx) => syncRecords(tx, ctx.schema, inputs, { now, dedup }));
  return { syncStatusList: { syncStatus: statuses } };
};
