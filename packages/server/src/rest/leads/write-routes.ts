/** The lead writes (sync, delete, merge, associate) and the lead field metadata and partitions. */

import type { RestRoute } from '../route.js';
import { associateCookie, leadIdParam } from './associate.js';
import { deleteLeads, readDeleteIds } from './delete.js';
import { mergeLeads } from './merge.js';
import { page } from './query.js';
import { allLeadFields, leadFieldByName } from './schema-fields.js';
import { DEFAULT_PARTITION, readSyncRequest, syncLeads } from './sync.js';

const deleteHandler: RestRoute['handler'] = async (req, { rt, now }) => {
  const ids = readDeleteIds(req.body, req.query);
  return { result: await rt.store.transaction((tx) => deleteLeads(tx, ids, now)) };
};

export const LEAD_WRITE_ROUTES: readonly RestRoute[] = [
  {
    method: 'POST',
    path: '/rest/v1/leads.json',
    operationId: 'syncLeadUsingPOST',
    handler: async (req, { rt, now }) => {
      const schema = rt.state.leadSchema;
      const request = readSyncRequest(req.body, schema);
      // asyncProcessing: the records are written before the answer either way, so it changes nothing.
      return { result: await rt.store.transaction((tx) => syncLeads(tx, schema, request, now)) };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/leads/delete.json',
    operationId: 'deleteLeadsUsingPOST',
    handler: deleteHandler,
  },
  {
    method: 'DELETE',
    path: '/rest/v1/leads.json',
    operationId: 'deleteLeadsUsingDELETE',
    unlisted:
      "clients delete with POST /rest/v1/leads.json?_method=DELETE and delete.json's body (recorded, grouparoo); a plain DELETE with ?id= is served the same",
    handler: deleteHandler,
  },
  {
    method: 'POST',
    path: '/rest/v1/leads/{leadId}/merge.json',
    operationId: 'mergeLeadsUsingPOST',
    handler: async (req, { rt, now }) => {
      await mergeLeads(rt.store, rt.state.leadSchema, leadIdParam(req.params.leadId), req.query, now);
      return { noResult: true };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/leads/{leadId}/associate.json',
    operationId: 'associateLeadUsingPOST',
    handler: async (req, { rt }) => {
      await associateCookie(rt.store, leadIdParam(req.params.leadId), req.query);
      return { noResult: true };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/leads/schema/fields.json',
    operationId: 'getLeadFieldsUsingGET',
    handler: async (req, { rt }) => {
      const p = page(allLeadFields(rt.state.leadSchema), req.query);
      return {
        result: p.items,
        moreResult: p.moreResult,
        ...(p.nextPageToken ? { nextPageToken: p.nextPageToken } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/leads/schema/fields/{fieldApiName}.json',
    operationId: 'getLeadFieldByNameUsingGET',
    handler: async (req, { rt }) => ({ result: [leadFieldByName(rt.state.leadSchema, req.params.fieldApiName)] }),
  },
  {
    method: 'GET',
    path: '/rest/v1/leads/partitions.json',
    operationId: 'getLeadPartitionsUsingGET',
    handler: async () => ({
      result: [{ id: 1, name: DEFAULT_PARTITION, description: 'Initial system lead partition' }],
    }),
  },
];
