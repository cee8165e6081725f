/** Static lists of the Lead Database API: lists, a list by id, its members, and membership changes. */
import { RestError } from '@mktows/protocol';
import { leadJson } from '../leads/lead-fields.js';
import { batchSize, boundToken, page, readBoundToken, requestedFields } from '../leads/query.js';
import { listParam } from '../request.js';
import type { RestContext, RestRequest, RestResult, RestRoute } from '../route.js';
import { listById, listJson, restListName } from './list-json.js';
import { changeMembers, memberIds, memberOf } from './membership.js';

/** Members by ascending lead id; the token carries the last id of the page, bound to the query. */
async function listLeads(req: RestRequest, { rt }: RestContext): Promise<RestResult> {
  const list = await listById(rt.store, req.params.listId);
  const fields = requestedFields(rt.state.leadSchema, req.query);
  const size = batchSize(req.query);
  const after = readBoundToken(req.query) ?? 0;
  const p = await rt.store.pageLeads({ kind: 'list', listId: list.id }, after, size);
  const ids = p.leads.map((l) => l.id);
  const byId = new Map((await rt.store.getLeads(ids)).map((l) => [l.id, l]));
  const leads = ids.flatMap((id) => {
    const l = byId.get(id);
    return l ? [l] : [];
  });
  const last = ids[ids.length - 1];
  return {
    result: leads.map((l) => leadJson(l, fields)),
    ...(p.remaining > 0 && last !== undefined ? { moreResult: true, nextPageToken: boundToken(req.query, last) } : {}),
  };
}

function ints(query: URLSearchParams, name: string): number[] | undefined {
  return listParam(query, name)?.map((v) => {
    if (!/^\d+$/.test(v)) throw new RestError(1001, `Invalid value '${v}'. Required of type 'Integer'`);
    return Number(v);
  });
}

export const LIST_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/lists.json',
    operationId: 'getListsUsingGET',
    handler: async (req, { rt }) => {
      const ids = ints(req.query, 'id');
      const names = listParam(req.query, 'name');
      const programs = listParam(req.query, 'programName');
      const workspaces = listParam(req.query, 'workspaceName');
      const lists = (await rt.store.listLists()).filter(
        (l) =>
          (!ids || ids.includes(l.id)) &&
          (!names || names.includes(restListName(l))) &&
          (!programs || (l.programName !== null && programs.includes(l.programName))) &&
          (!workspaces || workspaces.includes(l.workspace)),
      );
      const p = page(lists, req.query);
      return {
        result: p.items.map(listJson),
        ...(p.nextPageToken ? { moreResult: true, nextPageToken: p.nextPageToken } : {}),
      };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/lists/{listId}.json',
    operationId: 'getListByIdUsingGET',
    handler: async (req, { rt }) => {
      const list = await listById(rt.store, req.params.listId);
      const info = (await rt.store.listLists()).find((l) => l.id === list.id);
      return { result: info ? [listJson(info)] : [] };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/lists/{listId}/leads.json',
    operationId: 'getLeadsByListIdUsingGET_1',
    handler: listLeads,
  },
  {
    method: 'GET',
    path: '/rest/v1/list/{listId}/leads.json',
    operationId: 'getLeadsByListIdUsingGET',
    handler: listLeads,
  },
  {
    method: 'POST',
    path: '/rest/v1/lists/{listId}/leads.json',
    operationId: 'addLeadsToListUsingPOST',
    handler: async (req, { rt, now }) => {
      const list = await listById(rt.store, req.params.listId);
      return { result: await changeMembers(rt.store, list, memberIds(req), 'add', now) };
    },
  },
  {
    method: 'DELETE',
    path: '/rest/v1/lists/{listId}/leads.json',
    operationId: 'removeLeadsFromListUsingDELETE',
    handler: async (req, { rt, now }) => {
      const list = await listById(rt.store, req.params.listId);
      return { result: await changeMembers(rt.store, list, memberIds(req), 'remove', now) };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/lists/{listId}/leads/ismember.json',
    operationId: 'areLeadsMemberOfListUsingGET',
    handler: async (req, { rt }) => {
      const list = await listById(rt.store, req.params.listId);
      return { result: await memberOf(rt.store, list, memberIds(req)) };
    },
  },
];
