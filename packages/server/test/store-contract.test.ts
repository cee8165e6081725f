/** Every store contract suite, on every store backend (test/store/backends.ts). */
import { activitiesContract } from './store/activities-contract.js';
import { STORE_BACKENDS } from './store/backends.js';
import { bridgeImportsContract } from './store/bridge-imports-contract.js';
import { storeContract } from './store/contract.js';
import { mobjectsContract } from './store/mobjects-contract.js';

for (const backend of STORE_BACKENDS) {
  storeContract(backend.name, () => backend.open('contract'));
  activitiesContract(backend.name, () => backend.open('activities'));
  mobjectsContract(backend.name, () => backend.open('mobjects'));
  bridgeImportsContract(backend.name, () => backend.open('bridge-imports'));
}
