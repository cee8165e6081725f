/** The operation handlers, by operation name. Operations without a handler answer 20019. */
import type { Handler, OperationName } from './context.js';
import { getLead } from './getLead.js';
import { getMultipleLeads } from './getMultipleLeads.js';
import { mergeLeads } from './mergeLeads.js';
import { syncLead } from './syncLead.js';
import { syncMultipleLeads } from './syncMultipleLeads.js';

export const HANDLERS: Partial<{ [Op in OperationName]: Handler<Op> }> = {
  getLead,
  getMultipleLeads,
  syncLead,
  syncMultipleLeads,
  mergeLeads,
};
