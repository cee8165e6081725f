/**
 * Which `pg` errors mean the database failed, turned into the store's StoreUnavailableError (the
 * pipeline answers 10001) at the driver boundary, so that nothing above it reads SQLSTATE codes.
 */
import { StoreUnavailableError } from '../store.js';

/**
 * SQLSTATE classes of a server that cannot serve: connection exceptions (08), insufficient
 * resources (53: too many connections, disk full), operator intervention (57: shutdown, terminated
 * backend, cannot connect now), system errors (58) and internal errors (XX).
 */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58', 'XX']);

/** Messages `pg` raises without a code when the socket closes or a client can no longer be used. */
const CONNECTION_LOST =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end|Client was closed/i;

/**
 * The error to throw for one raised by the driver. The server's own errors are classed by their
 * SQLSTATE: a constraint violation (23xxx), a syntax or type error is a bug in our queries (20011)
 * and passes as it is. Socket errors (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, …) and a closed
 * connection are failures of the backend.
 */
export function fromDriverError(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof StoreUnavailableError) return e;
  const code = (e as { code?: unknown }).code;
  // Socket errors carry Node's errno codes (EPIPE has five letters, like a SQLSTATE).
  const errno =
    typeof code === 'string' && /^E[A-Z]+$/.test(code) && (e as { syscall?: unknown }).syscall !== undefined;
  if (!errno && (e.name === 'DatabaseError' || (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)))) {
    if (typeof code === 'string' && UNAVAILABLE_CLASSES.has(code.slice(0, 2))) {
      return new StoreUnavailableError(e.message, { cause: e });
    }
    return e;
  }
  if (errno || (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || CONNECTION_LOST.test(e.message)) {
    return new StoreUnavailableError(e.message || String(code), { cause: e });
  }
  return e;
}

/** Any failure to obtain a connection is the backend's, whatever its kind (refused, auth, missing database). */
export function fromConnectError(e: unknown): unknown {
  if (e instanceof StoreUnavailableError) return e;
  const message = e instanceof Error ? e.message || String((e as { code?: unknown }).code ?? e) : String(e);
  return new StoreUnavailableError(message, { cause: e });
}
