/**
 * Whether an error came from the storage or limits backend (→ 10001) rather than our own code
 * (→ 20011). Each backend turns its driver's failures into its failure type where it calls the
 * driver (store/sqlite/driver-errors.ts), so that nothing here knows a driver's error codes.
 */
import { LimitsUnavailableError } from '../limits/limits.js';
import { StoreUnavailableError } from '../store/store.js';

export function isBackendFailure(e: unknown): boolean {
  return e instanceof StoreUnavailableError || e instanceof LimitsUnavailableError;
}
