/**
 * Which better-sqlite3 errors mean the database failed, turned into the store's StoreUnavailableError
 * (the pipeline answers 10001) at the driver boundary, so that nothing above it reads SQLite codes.
 */
import { StoreUnavailableError } from '../store.js';

// better-sqlite3 throws a TypeError with this message for any use of a closed database.
const CLOSED = 'The database connection is not open';

/**
 * The error to throw for one raised by the driver. SQLite's own errors (busy, I/O, corrupt file,
 * full disk, ...) and a closed connection are backend failures; a constraint violation is a bug in
 * our writes (20011), and so is a RangeError or TypeError about bound parameters: those pass as they are.
 */
export function fromDriverError(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof StoreUnavailableError) return e;
  const code = (e as { code?: unknown }).code;
  if (e.name === 'SqliteError') {
    if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return e;
    return new StoreUnavailableError(e.message, { cause: e });
  }
  if (e instanceof TypeError && e.message.includes(CLOSED)) {
    return new StoreUnavailableError(e.message, { cause: e });
  }
  return e;
}
