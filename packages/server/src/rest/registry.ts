/** Every REST endpoint group: adding one is a file of routes and one line here. */
import { ACTIVITY_ROUTES } from './activities/routes.js';
import { ASSET_ROUTES } from './assets/routes.js';
import { BULK_IMPORT_ROUTES } from './bulk/lead-import.js';
import { CAMPAIGN_ROUTES } from './campaigns/routes.js';
import { LEAD_ROUTES } from './leads/routes.js';
import { LEAD_WRITE_ROUTES } from './leads/write-routes.js';
import { LIST_ROUTES } from './lists/routes.js';
import { CUSTOM_OBJECT_ROUTES } from './objects/custom-objects.js';
import { OPPORTUNITY_ROUTES } from './objects/opportunities.js';
import type { RestRoute } from './route.js';
import { RestRouter } from './router.js';

export const REST_ROUTES: readonly RestRoute[] = [
  ...LEAD_ROUTES,
  ...LEAD_WRITE_ROUTES,
  ...LIST_ROUTES,
  ...ACTIVITY_ROUTES,
  ...CAMPAIGN_ROUTES,
  ...ASSET_ROUTES,
  ...OPPORTUNITY_ROUTES,
  ...CUSTOM_OBJECT_ROUTES,
  ...BULK_IMPORT_ROUTES,
];

export const REST_ROUTER = new RestRouter(REST_ROUTES);

/** The operationIds fault rules may name, with the identity service's. */
export const REST_OPERATIONS: ReadonlySet<string> = new Set([
  ...REST_ROUTER.operationIds(),
  'identityUsingGET',
  'identityUsingPOST',
]);
