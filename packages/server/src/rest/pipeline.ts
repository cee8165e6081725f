/**
 * The REST request path, the SOAP chain's twin (pipeline/soap.ts):
 * journal → route → read body → token → admit (per instance: 607 → 606 → 615) → fault rules
 * → handler → release → journal. Every stage ends a call with one RestError; `respond` turns it
 * into Marketo's envelope, HTTP 200.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRestErrorCode, RestError, restMessage } from '@mktows/protocol';
import { logAccess } from '../access-log.js';
import { type InjectedHttp, injectedResponse } from '../http/http-faults.js';
import { LimitsUnavailableError } from '../limits/limits.js';
import type { Runtime } from '../runtime.js';
import { replacesResponse } from '../state/fault-rules.js';
import { fireFaultRule } from '../state/operator-state.js';
import { errorBody, requestId, successBody } from './envelope.js';
import { identity } from './identity.js';
import { REST_LIMIT_CODE, REST_LIMITS_ID, restLimits } from './limits.js';
import { REST_ROUTER } from './registry.js';
import { readRestRequest, servedMethod } from './request.js';
import type { RestResult } from './route.js';

export interface RestHttpCall {
  method: string;
  url: URL;
  /** The request target as sent, for the journal. */
  target: string;
  authorization: string | undefined;
  contentType: string;
  raw: Buffer;
  onAbort(listener: () => void): void;
}

export interface RestHttpResponse {
  status: number;
  body: string;
  /** Set for a file answered outside the envelope; JSON otherwise. */
  contentType?: string;
  /** An HTTP-level fault rule fired: the HTTP layer sends `body` its way (http/http-faults.ts). */
  http?: InjectedHttp;
}

const IDENTITY_PATH = '/identity/oauth/token';

/** True for the paths the REST layer answers: identity, lead database, asset and bulk APIs. */
export function isRestPath(path: string): boolean {
  return (
    path === IDENTITY_PATH || path.startsWith('/rest/') || path.startsWith('/bulk/') || path.startsWith('/identity/')
  );
}

function bearer(call: RestHttpCall): string | undefined {
  const h = call.authorization;
  if (h !== undefined) {
    const m = /^Bearer\s+(.*)$/i.exec(h.trim());
    if (m) return m[1].trim();
  }
  return call.url.searchParams.get('access_token')?.trim() || undefined;
}

/** The request as the journal keeps it: method, target with the access token masked, body. */
function journalRequest(call: RestHttpCall): string {
  const target = call.target.replace(/([?&]access_token=)[^&]*/gi, '$1***');
  const body = call.raw.length ? `\n\n${call.raw.toString('utf8').replace(/(client_secret=)[^&]*/g, '$1***')}` : '';
  return `${call.method} ${target.replace(/(client_secret=)[^&]*/g, '$1***')}${body}`;
}

export async function handleRest(rt: Runtime, call: RestHttpCall): Promise<RestHttpResponse> {
  const started = performance.now();
  const now = rt.clock.now();
  const id = requestId(now);
  let operationId: string | null = null;
  let clientId: string | null = null;
  let code: number | null = null;
  let status = 200;
  let body: Record<string, unknown>;
  let release: (() => Promise<void>) | undefined;
  let file: RestResult['file'];
  let http: InjectedHttp | undefined;
  /** The body of an HTTP-level rule that stands in for the handler's. */
  let replaced: string | undefined;
  try {
    const path = call.url.pathname;
    if (path === IDENTITY_PATH && (call.method === 'GET' || call.method === 'POST')) {
      operationId = call.method === 'GET' ? 'identityUsingGET' : 'identityUsingPOST';
      const read = readRestRequest('POST', call.url.searchParams, call.contentType, call.raw);
      const answer = await identity(rt, read.query, now);
      status = answer.status;
      body = answer.body;
      clientId = answer.clientId;
    } else {
      const method = servedMethod(call.method, call.url.searchParams, call.contentType, call.raw);
      const match = REST_ROUTER.match(method, path);
      // Decision: an unknown path answers 610 in the envelope with HTTP 200, as error-codes.md
      // lists it among the response-level codes ("The URI in the call did not match a REST API
      // resource type"); a known path with the wrong method answers 605. Neither needs a token,
      // and neither counts against the limits (the response-level codes are not counted).
      if (!match) throw new RestError(610);
      if (!match.route) throw new RestError(605);
      const route = match.route;
      operationId = route.operationId;
      const read = readRestRequest(call.method, call.url.searchParams, call.contentType, call.raw);
      const token = await rt.restTokens.check(bearer(call), now);
      if (!token.ok) throw new RestError(token.code);
      clientId = token.clientId;

      let admission: Awaited<ReturnType<typeof rt.limits.admit>>;
      try {
        admission = await rt.limits.admit(REST_LIMITS_ID, now, restLimits(rt.config));
      } catch (e) {
        throw new LimitsUnavailableError('the limits backend failed', { cause: e });
      }
      if (!admission.ok) {
        const c = REST_LIMIT_CODE[admission.code];
        // 606 names the limit and the window in seconds, as Marketo's message template does.
        throw new RestError(c, restMessage(c, rt.config.restRatePerWindow, rt.config.restWindowMs / 1000));
      }
      const lease = admission.lease;
      release = () => lease.release();
      call.onAbort(() => void lease.release());

      let rule = rt.state.matchFaultRule(operationId, clientId, 'rest');
      if (rule?.remaining !== undefined) rule = await fireFaultRule(rt.state, operationId, clientId, 'rest');
      http = rule?.http && { kind: rule.http, ruleId: rule.id, delayMs: rule.delayMs ?? 0 };
      // A slow first byte waits after the handler, in the HTTP layer; other delays wait here.
      if (rule?.delayMs && rule.http !== 'slow-first-byte') await sleep(rule.delayMs);
      if (rule?.code !== undefined && isRestErrorCode(rule.code)) throw new RestError(rule.code);
      if (http && replacesResponse(http.kind)) {
        ({ status, body: replaced } = injectedResponse(http));
        body = {};
      } else {
        const result = await route.handler(
          {
            method,
            path,
            params: match.params,
            query: read.query,
            body: read.body,
            raw: call.raw,
            contentType: call.contentType,
          },
          { rt, clientId, now },
        );
        file = result.file;
        body = successBody(id, result);
      }
    }
  } catch (e) {
    const error = toRestError(e);
    code = error.code;
    http = undefined;
    body = errorBody(id, error);
    if (error.code === 611) {
      rt.log.error('unexpected REST failure', {
        operation: operationId,
        clientId,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
        request: journalRequest(call),
      });
    }
  } finally {
    if (release) await release().catch((err) => rt.log.warn('lease release failed', { error: String(err) }));
  }
  const text = replaced ?? (file && code === null ? file.text : JSON.stringify(body));
  const seconds = (performance.now() - started) / 1000;
  rt.metrics.recordCall('rest', operationId ?? 'unknown', code, seconds);
  rt.journal.add({
    api: 'rest',
    at: now,
    userId: clientId,
    operation: operationId,
    durationMs: Math.round(seconds * 1e6) / 1e3,
    status,
    faultCode: code,
    request: journalRequest(call),
    // An issued token is a credential: the journal keeps the answer without it.
    response: typeof body.access_token === 'string' ? JSON.stringify({ ...body, access_token: '***' }) : text,
  });
  logAccess(rt, {
    api: 'rest',
    user: clientId,
    operation: operationId,
    status,
    faultCode: code,
    seconds,
    requestBytes: call.raw.length,
    response: text,
  });
  return {
    status,
    body: text,
    http,
    ...(file && code === null && replaced === undefined ? { contentType: file.contentType } : {}),
  };
}

/**
 * Anything thrown → the REST error the client sees. Marketo has one code for both a failed backend
 * and a bug (611 "System error", "all unhandled exceptions"), where SOAP tells 10001 from 20011.
 */
function toRestError(e: unknown): RestError {
  return e instanceof RestError ? e : new RestError(611);
}
