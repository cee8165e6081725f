/** The operation handlers, by operation name. Operations without a handler answer 20019. */
import type { Handler, OperationName } from './context.js';
import { deleteCustomObjects } from './deleteCustomObjects.js';
import { deleteMObjects } from './deleteMObjects.js';
import { describeMObject } from './describeMObject.js';
import { getCampaignsForSource } from './getCampaignsForSource.js';
import { getChannels } from './getChannels.js';
import { getCustomObjects } from './getCustomObjects.js';
import { getImportToListStatus } from './getImportToListStatus.js';
import { getLead } from './getLead.js';
import { getLeadActivity } from './getLeadActivity.js';
import { getLeadChanges } from './getLeadChanges.js';
import { getMObjects } from './getMObjects.js';
import { getMultipleLeads } from './getMultipleLeads.js';
import { getTags } from './getTags.js';
import { importToList } from './importToList.js';
import { listMObjects } from './listMObjects.js';
import { listOperation } from './listOperation.js';
import { mergeLeads } from './mergeLeads.js';
import { requestCampaign } from './requestCampaign.js';
import { scheduleCampaign } from './scheduleCampaign.js';
import { syncCustomObjects } from './syncCustomObjects.js';
import { syncLead } from './syncLead.js';
import { syncMObjects } from './syncMObjects.js';
import { syncMultipleLeads } from './syncMultipleLeads.js';

export const HANDLERS: Partial<{ [Op in OperationName]: Handler<Op> }> = {
  getLead,
  getMultipleLeads,
  syncLead,
  syncMultipleLeads,
  mergeLeads,
  importToList,
  getImportToListStatus,
  getCampaignsForSource,
  requestCampaign,
  scheduleCampaign,
  getChannels,
  getTags,
  getLeadActivity,
  getLeadChanges,
  listOperation,
  listMObjects,
  describeMObject,
  getMObjects,
  syncMObjects,
  deleteMObjects,
  syncCustomObjects,
  getCustomObjects,
  deleteCustomObjects,
};
