/** Whether an error came from the storage or limits backend (→ 10001) rather than our own code (→ 20011). */
import { StoreUnavailableError } from '../store/store.js';

export class LimitsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LimitsUnavailableError';
  }
}

export function isBackendFailure(e: unknown): boolean {
  if (e instanceof StoreUnavailableError || e instanceof LimitsUnavailableError) return true;
  if (!(e instanceof Error)) return false;
  // better-sqlite3 raises SqliteError with SQLITE_* codes; pg and ioredis raise errors with
  // connection codes. Any of those means the backend, not the handler, failed.
  const code = (e as { code?: unknown }).code;
  // A constraint violation is our own logic's fault (a bug, 20011), not the backend's.
  if (typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === '23505' || code === '23503')) {
    return false;
  }
  if (
    e.name === 'SqliteError' ||
    (typeof code === 'string' && /^(SQLITE_|ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P|08)/.test(code))
  ) {
    return true;
  }
  return e.message.includes('connection is not open') || e.message.includes('database connection is not open');
}
