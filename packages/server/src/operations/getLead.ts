import { findLeadsByKey } from '../domain/lead-keys.js';
import { toLeadRecord } from '../domain/lead-record.js';
import type { Handler } from './context.js';

/** Every lead that matches the key (an e-mail can match several); none is 20103, not count 0. */
export const getLead: Handler<'getLead'> = async (params, ctx) => {
  const { keyType, keyValue } = params.leadKey;
  const leads = await findLeadsByKey(ctx.store, keyType, keyValue);
  return { count: leads.length, leadRecordList: { leadRecord: leads.map((l) => toLeadRecord(l, ctx.schema)) } };
};
