/** A lead to insert straight into a store, for the store's own tests. */
import type { NewLead } from '../../src/store/store.js';

export function newLead(extra: Partial<NewLead> = {}): NewLead {
  return {
    email: 'ada@example.com',
    foreignSysPersonId: 'P1',
    foreignSysType: null,
    ownerId: null,
    attributes: {},
    createdAt: 1_000,
    updatedAt: 1_000,
    ...extra,
  };
}
