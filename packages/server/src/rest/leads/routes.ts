/** The lead endpoints of the Lead Database API served so far: describe, describe2, lead by id, query by filter. */
import { RestError } from '@mktows/protocol';
import type { RestRoute } from '../route.js';
import { describe, describe2 } from './describe.js';
import { leadJson } from './lead-fields.js';
import { findByFilter, page, requestedFields } from './query.js';

export const LEAD_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/leads/describe.json',
    operationId: 'describeUsingGET_2',
    handler: async (_req, { rt }) => ({ result: describe(rt.state.leadSchema) }),
  },
  {
    method: 'GET',
    path: '/rest/v1/leads/describe2.json',
    operationId: 'describeUsingGET_6',
    handler: async (_req, { rt }) => ({ result: describe2(rt.state.leadSchema) }),
  },
  {
    method: 'GET',
    path: '/rest/v1/lead/{leadId}.json',
    operationId: 'getLeadByIdUsingGET',
    handler: async (req, { rt }) => {
      const idText = req.params.leadId;
      if (!/^\d+$/.test(idText)) throw new RestError(1001, `Invalid value '${idText}'. Required of type 'Integer'`);
      const fields = requestedFields(rt.state.leadSchema, req.query);
      // A missing lead is an empty result, not an error (Marketo's answer to an unknown id).
      const leads = await rt.store.getLeads([Number(idText)]);
      return { result: leads.map((l) => leadJson(l, fields)) };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/leads.json',
    operationId: 'getLeadsByFilterUsingGET',
    handler: async (req, { rt }) => {
      const schema = rt.state.leadSchema;
      const fields = requestedFields(schema, req.query);
      const leads = await findByFilter(rt.store, schema, req.query);
      const p = page(leads, req.query);
      return {
        result: p.items.map((l) => leadJson(l, fields)),
        ...(p.nextPageToken ? { moreResult: true, nextPageToken: p.nextPageToken } : {}),
      };
    },
  },
];
