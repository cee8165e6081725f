/**
 * The request path, a fixed chain (docs/how-it-works.md):
 * journal → parse envelope → resolve operation → authenticate → admit (quota, rate, concurrency)
 * → fault rules → decode params → handler → encode result → release → journal.
 * Every stage either passes the call on or ends it with one MktowsFault; `respond` below is the
 * one place that turns a fault into XML.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  decodeComplex,
  encodeSuccessBytes,
  FAULT,
  faultXml,
  isFaultCode,
  MktowsFault,
  type OperationDef,
  type ParsedRequest,
  parseRequest,
  type Version,
} from '@mktows/protocol';
import { logAccess } from '../access-log.js';
import { BRIDGE_HANDLERS } from '../bridge/operations/index.js';
import { type InjectedHttp, injectedResponse } from '../http/http-faults.js';
import type { OpContext, OperationName } from '../operations/context.js';
import { HANDLERS } from '../operations/index.js';
import type { Runtime } from '../runtime.js';
import { replacesResponse } from '../state/fault-rules.js';
import { fireFaultRule } from '../state/operator-state.js';
import { admit } from './admit.js';
import { authenticate, requestSignatureOf } from './authenticate.js';
import { isBackendFailure } from './backend-failure.js';

export interface SoapResponse {
  status: number;
  /** UTF-8 bytes: sent as they are and copied into the journal without a second encoding. */
  body: Buffer;
  /** An HTTP-level fault rule fired: the HTTP layer sends `body` its way (http/http-faults.ts). */
  http?: InjectedHttp;
}

export interface SoapCall {
  bytes: Buffer;
  version: Version;
  /** Set when the client disconnects, so the concurrency lease is released at once. */
  onAbort(listener: () => void): void;
}

export async function handleSoap(rt: Runtime, call: SoapCall): Promise<SoapResponse> {
  const started = performance.now();
  let op: OperationDef | undefined;
  let userId: string | null = null;
  let signature: string | undefined;
  let response: SoapResponse;
  let faultCode: number | null = null;
  let release: (() => Promise<void>) | undefined;
  const bridgeCall = rt.bridge?.forCall();
  try {
    let parsed: ParsedRequest | undefined = parseRequest(call.bytes);
    op = parsed.operation;
    signature = requestSignatureOf(parsed.header);
    // An operation without a handler is 20019 in the envelope stage, before it could count.
    const handler = (rt.bridge ? BRIDGE_HANDLERS : HANDLERS)[op.name as OperationName];
    if (!handler)
      throw new MktowsFault(FAULT.UNSUPPORTED_OPERATION, `Operation ${op.name} is not implemented by this server yet`);
    const user = authenticate(rt, parsed.header);
    userId = user.userId;
    const lease = await admit(rt, user);
    release = () => lease.release();
    call.onAbort(() => void lease.release());

    // Most calls match no rule and pay no await here. A count rule is claimed in the store before
    // it applies: exactly `count` firings across replicas.
    let rule = rt.state.matchFaultRule(op.name, user.userId);
    if (rule?.remaining !== undefined) rule = await fireFaultRule(rt.state, op.name, user.userId);
    const http = rule?.http && { kind: rule.http, ruleId: rule.id, delayMs: rule.delayMs ?? 0 };
    // A slow first byte waits after the handler, in the HTTP layer; other delays wait here.
    if (rule?.delayMs && rule.http !== 'slow-first-byte') await sleep(rule.delayMs);
    if (rule?.code !== undefined && isFaultCode(rule.code))
      throw new MktowsFault(rule.code, `Injected fault (rule ${rule.id})`);
    if (http && replacesResponse(http.kind)) {
      const r = injectedResponse(http);
      response = { status: r.status, body: Buffer.from(r.body, 'utf8'), http };
    } else {
      const params = decodeComplex(parsed.params, op.paramsType, op.paramsElement);
      // The element tree is done with: dropped here, it dies young instead of being copied by the
      // collector while the handler awaits its queries (a 300-record body is a tree of 13,000 elements).
      parsed = undefined;
      const ctx: OpContext = {
        store: rt.store,
        schema: rt.state.leadSchema,
        streams: rt.state.streams,
        now: () => rt.clock.now(),
        version: call.version,
        userId: user.userId,
        quotaTimeZone: rt.config.quotaTimeZone,
        imports: rt.imports,
        ...(bridgeCall ? { bridge: bridgeCall } : {}),
      };
      // biome-ignore lint/suspicious/noExplicitAny: the registry maps each name to its own typed handler.
      const result = await (handler as any)(params, ctx);
      response = { status: 200, body: encodeSuccessBytes(op, result, call.version), http };
    }
  } catch (e) {
    const fault = toFault(e);
    faultCode = fault.code;
    response = { status: 500, body: Buffer.from(faultXml(fault.code, fault.detail), 'utf8') };
    if (fault.code === FAULT.INTERNAL_ERROR_BACKEND || fault.code === FAULT.INTERNAL_ERROR) {
      // The contract asks for the full request and response of every unexpected failure.
      // Everything that may carry request text is masked: the error too, if it quoted the request.
      rt.log.error('unexpected failure', {
        code: fault.code,
        operation: op?.name ?? null,
        userId,
        error: rt.mask(e instanceof Error ? (e.stack ?? e.message) : String(e), signature),
        request: rt.mask(call.bytes.toString('utf8'), signature),
        response: rt.mask(response.body.toString('utf8'), signature),
      });
    }
  } finally {
    if (release) await release().catch((err) => rt.log.warn('lease release failed', { error: String(err) }));
  }
  const seconds = (performance.now() - started) / 1000;
  rt.metrics.recordCall('soap', op?.name ?? 'unknown', faultCode, seconds);
  rt.journal.add({
    at: rt.clock.now(),
    userId,
    operation: op?.name ?? null,
    durationMs: Math.round(seconds * 1e6) / 1e3,
    status: response.status,
    faultCode,
    request: call.bytes,
    response: response.body,
    signature,
    ...(bridgeCall ? { upstream: bridgeCall.calls } : {}),
  });
  logAccess(rt, {
    api: 'soap',
    user: userId,
    operation: op?.name ?? null,
    status: response.status,
    faultCode,
    seconds,
    requestBytes: call.bytes.length,
    response: response.body.length,
  });
  return response;
}

/** Maps anything thrown to the fault the client sees: backend failures 10001, bugs 20011. */
function toFault(e: unknown): MktowsFault {
  if (e instanceof MktowsFault) return e;
  if (isBackendFailure(e))
    return new MktowsFault(FAULT.INTERNAL_ERROR_BACKEND, 'The storage or limits backend failed; retry later');
  return new MktowsFault(FAULT.INTERNAL_ERROR, 'The operation failed unexpectedly; retry later');
}
