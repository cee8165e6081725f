import { FAULT, MktowsFault } from '@mktows/protocol';
import { toLeadRecord } from '../domain/lead-record.js';
import { FieldValueError } from '../domain/lead-schema.js';
import { syncRecord, validateRecord } from '../domain/lead-sync.js';
import type { Handler } from './context.js';

export const syncLead: Handler<'syncLead'> = async (params, ctx) => {
  const cookie = params.marketoCookie || undefined;
  const input = validateRecord(params.leadRecord, ctx.schema, 'syncLead operation', { cookie });
  const now = ctx.now();
  try {
    const { status, lead } = await ctx.store.transaction((tx) =>
      syncRecord(tx, ctx.schema, input, { now, dedup: true, cookie }),
    );
    return {
      leadId: lead.id,
      syncStatus: { leadId: lead.id, status, error: null },
      leadRecord: params.returnLead ? toLeadRecord(lead, ctx.schema) : null,
    };
  } catch (e) {
    if (e instanceof FieldValueError)
      throw new MktowsFault(FAULT.LEAD_SYNC_FAILED, `syncLead operation failed: ${e.message}`);
    throw e;
  }
};
