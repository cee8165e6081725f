/**
 * HTTP-level fault rules (state/fault-rules.ts `http`): what the connection does instead of, or
 * around, the response the pipeline made. The pipeline decides whether a rule fires (and counts
 * it); this is the one place that misbehaves on the wire.
 */
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpFault } from '../state/fault-rules.js';

export interface InjectedHttp {
  kind: HttpFault;
  ruleId: number;
  /** For `slow-first-byte`: the wait before the first byte. */
  delayMs: number;
}

/** The status and body of a kind that replaces the response, as sent and as journalled. */
export function injectedResponse(f: InjectedHttp): { status: number; body: string } {
  switch (f.kind) {
    case '503':
      return { status: 503, body: `Service Unavailable (mktows fault rule ${f.ruleId})\n` };
    case 'malformed':
      // Neither XML nor JSON, whichever API asked.
      return { status: 200, body: `mktows fault rule ${f.ruleId}: malformed response <<{"\n` };
    case 'reset':
      return { status: 0, body: '' };
    default:
      throw new Error(`${f.kind} keeps the real response`);
  }
}

/**
 * Sends `body` under `headers` as the rule says. `headers` hold the real response's Content-Type
 * and Content-Length: `truncate` keeps the full length and stops halfway, so the client sees the
 * connection close early.
 */
export async function sendFaulty(
  res: ServerResponse,
  f: InjectedHttp,
  status: number,
  contentType: string,
  body: Buffer,
): Promise<void> {
  const socket = res.socket;
  if (f.kind === 'reset') {
    // An RST rather than a FIN: what a crashed proxy or a dropped connection looks like.
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else res.destroy();
    return;
  }
  if (f.kind === 'slow-first-byte') await sleep(f.delayMs);
  if (res.destroyed) return;
  const text503 = f.kind === '503' ? ['Content-Type', 'text/plain; charset=utf-8'] : ['Content-Type', contentType];
  res.writeHead(status, [...text503, 'Content-Length', String(body.length)]);
  if (f.kind === 'truncate') {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  res.end(body);
}
