/** The REST route table: templates, literal paths before templates, one route per method and path, the registry. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REST_OPERATIONS, REST_ROUTES } from '../src/rest/registry.js';
import type { RestRoute } from '../src/rest/route.js';
import { RestRouter } from '../src/rest/router.js';
import { SHARED_DIR } from './support/recorded.js';

function route(method: RestRoute['method'], path: string, operationId: string): RestRoute {
  return { method, path, operationId, handler: async () => ({}) };
}

describe('REST router', () => {
  const router = new RestRouter([
    route('GET', '/rest/v1/lists/{listId}/leads.json', 'getLeadsByListIdUsingGET'),
    route('GET', '/rest/v1/lists/{listId}/leads/ismember.json', 'areLeadsMemberOfListUsingGET'),
    route('POST', '/rest/v1/lists/{listId}/leads.json', 'addLeadsToListUsingPOST'),
    route('GET', '/rest/v1/lead/{leadId}.json', 'getLeadByIdUsingGET'),
    route('GET', '/rest/v1/lead/describe.json', 'literal'),
  ]);

  test('a template binds its parameters, percent-decoded', () => {
    const m = router.match('GET', '/rest/v1/lists/12/leads.json');
    assert.equal(m?.route?.operationId, 'getLeadsByListIdUsingGET');
    assert.deepEqual(m?.route && m.params, { listId: '12' });
    assert.deepEqual(router.match('GET', '/rest/v1/lead/a%20b.json'), {
      route: router.match('GET', '/rest/v1/lead/1.json')?.route,
      params: { leadId: 'a b' },
    });
  });

  test('the method picks between routes of one path; another method is reported with the ones served', () => {
    assert.equal(router.match('POST', '/rest/v1/lists/12/leads.json')?.route?.operationId, 'addLeadsToListUsingPOST');
    assert.deepEqual(router.match('DELETE', '/rest/v1/lists/12/leads.json'), {
      route: undefined,
      methods: ['GET', 'POST'],
    });
    assert.equal(router.match('GET', '/rest/v1/lists/12/nothing.json'), undefined);
    // A parameter never spans a slash.
    assert.equal(router.match('GET', '/rest/v1/lists/1/2/leads.json'), undefined);
  });

  test('a literal path wins over a template that also matches it', () => {
    assert.equal(router.match('GET', '/rest/v1/lead/describe.json')?.route?.operationId, 'literal');
  });

  test('the same method and path twice is refused', () => {
    assert.throws(
      () => new RestRouter([route('GET', '/rest/v1/a.json', 'x'), route('GET', '/rest/v1/a.json', 'y')]),
      /REST route GET \/rest\/v1\/a\.json is registered twice/,
    );
  });

  test("the registry's operationIds are unique and known to fault rules, with identity's", () => {
    const ids = REST_ROUTES.map((r) => r.operationId);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...REST_OPERATIONS].sort(), [...ids, 'identityUsingGET', 'identityUsingPOST'].sort());
    assert.ok(ids.includes('getLeadsByFilterUsingGET'));
    for (const r of REST_ROUTES) assert.match(r.path, /^\/(rest\/v1|rest\/asset\/v1|bulk\/v1)\//);
  });

  test("every route is Marketo's: its method, path and operationId are in the official Swagger", (t) => {
    if (!SHARED_DIR) {
      t.skip('skipped: ../shared absent');
      return;
    }
    const paths: Record<string, Record<string, { operationId: string }>> = {};
    for (const file of ['swagger-mapi.json', 'swagger-asset.json']) {
      const doc = JSON.parse(readFileSync(join(SHARED_DIR, 'reference', 'rest', 'swagger', file), 'utf8'));
      Object.assign(paths, doc.paths);
    }
    for (const r of REST_ROUTES) {
      const op = paths[r.path]?.[r.method.toLowerCase()];
      if (r.unlisted) {
        assert.equal(op, undefined, `${r.method} ${r.path} is in the Swagger after all`);
        continue;
      }
      assert.ok(op, `${r.method} ${r.path} is not in the Swagger`);
      assert.equal(op.operationId, r.operationId, `${r.method} ${r.path}`);
    }
  });
});
