import { findStoredLeadsByKey } from '../domain/lead-keys.js';
import { leadRecordWriter } from '../domain/lead-record.js';
import type { Handler } from './context.js';

/**
 * Every lead that matches the key (an e-mail can match several); none is 20103, not count 0. The
 * records are written from the stored attribute text, as getMultipleLeads writes its pages: the
 * same bytes as toLeadRecord and the schema encoder (test/lead-record.test.ts), without parsing.
 */
export const getLead: Handler<'getLead'> = async (params, ctx) => {
  const { keyType, keyValue } = params.leadKey;
  const leads = await findStoredLeadsByKey(ctx.store, keyType, keyValue);
  return { count: leads.length, leadRecordList: leadRecordWriter(ctx.schema, ctx.version).recordList(leads) };
};
