/**
 * The access log: one JSON line per SOAP or REST call at --log-level info (and debug). It names
 * the caller and the outcome, never request text: no signature, key, token or secret can reach it.
 */
import type { Runtime } from './runtime.js';

export interface AccessEntry {
  api: 'soap' | 'rest';
  /** SOAP userId or REST clientId; null when the call failed before the caller was known. */
  user: string | null;
  operation: string | null;
  status: number;
  faultCode: number | null;
  seconds: number;
  requestBytes: number;
  /** A number, or the response text whose UTF-8 length is counted only when the line is written. */
  response: number | string;
}

export function logAccess(rt: Runtime, e: AccessEntry): void {
  // One check and no allocation when the level is above info: the hot path of a quiet server.
  if (!rt.log.enabled('info')) return;
  rt.log.access({
    replica: rt.replica,
    api: e.api,
    user: e.user,
    operation: e.operation,
    status: e.status,
    faultCode: e.faultCode,
    durationMs: Math.round(e.seconds * 1e6) / 1e3,
    requestBytes: e.requestBytes,
    responseBytes: typeof e.response === 'number' ? e.response : Buffer.byteLength(e.response),
  });
}
