/**
 * The bridge's operations (`--store marketo+…`): each performs its SOAP operation through the
 * instance's REST API (MAPPING.md §2) and says which REST calls it makes and where it answers
 * otherwise than Marketo's SOAP API did. That description is the README's mapping table
 * (`npm run gen:bridge-doc`), so the table and the code cannot drift. An operation missing here
 * answers 20019 on a bridge.
 */
import type { Handler, OperationName } from '../../operations/context.js';
import { listMObjects as emulatorListMObjects } from '../../operations/listMObjects.js';
import { getCampaignsForSource, requestCampaign, scheduleCampaign } from './campaigns.js';
import { deleteCustomObjects } from './deleteCustomObjects.js';
import { deleteMObjects } from './deleteMObjects.js';
import { describeMObject } from './describeMObject.js';
import { getChannels } from './getChannels.js';
import { getCustomObjects } from './getCustomObjects.js';
import { getLead } from './getLead.js';
import { getLeadActivity } from './getLeadActivity.js';
import { getLeadChanges } from './getLeadChanges.js';
import { getMObjects } from './getMObjects.js';
import { getMultipleLeads } from './getMultipleLeads.js';
import { getTags } from './getTags.js';
import { getImportToListStatus, importToList } from './imports.js';
import { listOperation } from './listOperation.js';
import { mergeLeads } from './mergeLeads.js';
import type { BridgeOperation } from './operation.js';
import { syncCustomObjects } from './syncCustomObjects.js';
import { syncLead } from './syncLead.js';
import { syncMObjects } from './syncMObjects.js';
import { syncMultipleLeads } from './syncMultipleLeads.js';

const listMObjects: BridgeOperation<'listMObjects'> = {
  rest: [],
  differences: ['No REST call: the fixed list of object types the bridge serves, as the emulator answers it.'],
  handler: emulatorListMObjects,
};

export const BRIDGE_OPERATIONS: { readonly [Op in OperationName]?: BridgeOperation<Op> } = {
  getLead,
  getMultipleLeads,
  getLeadActivity,
  getLeadChanges,
  listMObjects,
  mergeLeads,
  syncLead,
  syncMultipleLeads,
  listOperation,
  getCampaignsForSource,
  requestCampaign,
  scheduleCampaign,
  importToList,
  getImportToListStatus,
  describeMObject,
  getChannels,
  getTags,
  getCustomObjects,
  syncCustomObjects,
  deleteCustomObjects,
  getMObjects,
  syncMObjects,
  deleteMObjects,
};

export const BRIDGE_HANDLERS: Partial<{ [Op in OperationName]: Handler<Op> }> = Object.fromEntries(
  Object.entries(BRIDGE_OPERATIONS).map(([name, op]) => [name, op.handler]),
);
