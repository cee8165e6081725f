/** HTTP routing: SOAP endpoint and WSDL, admin API, metrics. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { escapeText, FAULT, faultXml, generateWsdl, isVersion } from '@mktows/protocol';
import { handleAdmin } from '../admin/routes.js';
import { handleSoap } from '../pipeline/soap.js';
import { handleRest, isRestPath } from '../rest/pipeline.js';
import type { Runtime } from '../runtime.js';
import { adminRefusal } from './admin-guard.js';
import { BodyTooLargeError, ClientAbortedError, readBody } from './body.js';
import { CONSOLE_PATH, consoleAsset } from './console-assets.js';
import { sendFaulty } from './http-faults.js';
import { requestBase } from './public-url.js';

const SOAP_PATH = /^\/soap\/mktows\/([0-9]+_[0-9]+)\/?$/;
const XML = 'text/xml; charset=utf-8';
const REST_JSON = 'application/json;charset=UTF-8';

/** What mktows's REST API answers on a bridge: Marketo's envelope with 610, and why. */
export const BRIDGE_REST_REFUSAL = {
  requestId: 'bridge#0',
  success: false,
  errors: [
    {
      code: '610',
      message:
        "This mktows is a bridge (--store marketo+…): it serves the SOAP API only; call the Marketo instance's REST API directly",
    },
  ],
};

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

/** The Date header for an instant: one string per second, as Node's own header cache does. */
let dateSecond = Number.NaN;
let dateText = '';
function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/** A SOAP response: headers as a flat list, which Node writes without building an object per call. */
function sendXml(res: ServerResponse, status: number, body: Buffer, date: string): void {
  res.writeHead(status, ['Content-Type', XML, 'Content-Length', String(body.length), 'Date', date]);
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body, null, 2)}\n`, extra);
}

function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

export interface HttpServer {
  server: Server;
  /** Calls being handled right now (graceful shutdown waits for them). */
  inFlight(): number;
}

export function createHttpServer(rt: Runtime): HttpServer {
  let active = 0;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    active++;
    const call: Pending = { aborted: undefined };
    res.on('close', () => {
      active--;
      if (!res.writableFinished) call.aborted?.();
    });
    route(rt, req, res, call).catch((e) => {
      if (e instanceof ClientAbortedError) {
        // A client that gives up mid-upload is no fault of the server's: no stack, no error line.
        rt.log.debug('client closed the connection during its request', { method: req.method, url: req.url });
        res.destroy();
        return;
      }
      rt.log.error('request failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e), url: req.url });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  return { server, inFlight: () => active };
}

/** What a request's close listener calls when the client goes away before its response. */
interface Pending {
  aborted: (() => void) | undefined;
}

async function route(rt: Runtime, req: IncomingMessage, res: ServerResponse, pending: Pending): Promise<void> {
  const raw = req.url ?? '/';
  // The SOAP path is matched without building a URL: it is most of the traffic.
  const q = raw.indexOf('?');
  const fast = SOAP_PATH.exec(q < 0 ? raw : raw.slice(0, q));
  if (fast && req.method === 'POST') {
    await soapPost(rt, req, res, fast[1], pending);
    return;
  }
  const url = new URL(raw, 'http://x');
  const path = url.pathname;
  // An absolute-form or percent-encoded target reaches the SOAP path only once normalised.
  const soap = fast ?? SOAP_PATH.exec(path);
  if (soap && req.method === 'POST') {
    await soapPost(rt, req, res, soap[1], pending);
    return;
  }
  if (soap) {
    const version = soap[1];
    if (!isVersion(version)) {
      sendJson(res, 404, { error: `API version ${version} is not served; use 1_0 to 3_1` });
      return;
    }
    if (req.method === 'GET') {
      if (url.searchParams.has('WSDL') || url.searchParams.has('wsdl')) {
        const base = requestBase(req, rt.config.publicUrl);
        send(res, 200, XML, generateWsdl(version, `${base}/soap/mktows/${version}`));
      } else {
        send(
          res,
          200,
          'text/plain; charset=utf-8',
          `mktows SOAP endpoint for API ${version}. POST SOAP 1.1 requests here; the WSDL is at ?WSDL.\n`,
        );
      }
      return;
    }
    send(res, 405, 'text/plain; charset=utf-8', 'POST SOAP requests or GET ?WSDL\n', { Allow: 'GET, POST' });
    return;
  }
  if (isRestPath(path)) {
    if (rt.bridge) {
      // A bridge's data is the instance's: its REST API is the instance's own, not mktows's.
      req.resume();
      send(res, 404, REST_JSON, JSON.stringify(BRIDGE_REST_REFUSAL));
      return;
    }
    await restCall(rt, req, res, url, raw, pending);
    return;
  }
  if (path === '/metrics' && req.method === 'GET') {
    // A scraper holds its own token (--metrics-token) or the admin token; with neither, /metrics is open.
    const token = rt.config.metricsToken ?? rt.config.adminToken;
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, { error: 'metrics: send Authorization: Bearer <metrics token, or admin token>' });
      return;
    }
    send(res, 200, rt.metrics.contentType, await rt.metrics.render());
    return;
  }
  if (path.startsWith(CONSOLE_PATH) || path === '/_mktows/console') {
    if (path === '/_mktows/console') {
      send(res, 308, 'text/plain; charset=utf-8', `${CONSOLE_PATH}\n`, { Location: CONSOLE_PATH });
      return;
    }
    const asset = consoleAsset(req, path, rt.config, isLoopback(req.socket.remoteAddress));
    if (asset) {
      send(res, asset.status, asset.type, req.method === 'HEAD' ? '' : asset.body, asset.headers);
      return;
    }
  }
  if (path.startsWith('/_mktows/')) {
    if (!authorizedAdmin(rt, req)) {
      sendJson(res, rt.config.adminToken ? 401 : 403, {
        error: rt.config.adminToken
          ? 'admin API: send Authorization: Bearer <admin token>'
          : 'admin API answers loopback clients only (set --admin-token to allow others)',
      });
      return;
    }
    const refusal = adminRefusal(req, rt.config);
    if (refusal) {
      sendJson(res, refusal.status, { error: refusal.error });
      return;
    }
    let body: unknown;
    let raw: Buffer;
    try {
      raw =
        req.method === 'GET' || req.method === 'DELETE' ? Buffer.alloc(0) : await readBody(req, rt.config.maxBodyBytes);
    } catch (e) {
      if (!(e instanceof BodyTooLargeError)) throw e;
      // Closing the connection stops the client from sending the rest of the oversized body.
      const error = `the body exceeds the limit of ${e.limit} bytes (--max-body)`;
      sendJson(res, 413, { error }, { Connection: 'close' });
      req.resume();
      return;
    }
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        sendJson(res, 400, { error: `the body is not valid JSON: ${(e as Error).message}` });
        return;
      }
    }
    const r = await handleAdmin(rt, { method: req.method ?? 'GET', path, query: url.searchParams, body });
    sendJson(res, r.status, r.body);
    return;
  }
  if (path === '/' && req.method === 'GET') {
    const base = requestBase(req, rt.config.publicUrl);
    if ((req.headers.accept ?? '').includes('text/html')) {
      // A browser gets the same lines with the console as a link.
      send(res, 200, 'text/html; charset=utf-8', homePage(base));
      return;
    }
    send(
      res,
      200,
      'text/plain; charset=utf-8',
      `mktows: Marketo SOAP API\nSOAP endpoint: ${base}/soap/mktows/3_1\nWSDL: ${base}/soap/mktows/3_1?WSDL\nAdmin API: ${base}/_mktows/health\nWeb console: ${base}${CONSOLE_PATH}\n`,
    );
    return;
  }
  sendJson(res, 404, { error: `nothing at ${req.method} ${path}` });
}

function homePage(base: string): string {
  const e = escapeText(base);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mktows</title></head><body><main><h1>mktows: Marketo SOAP API</h1><ul><li>SOAP endpoint: ${e}/soap/mktows/3_1</li><li>WSDL: <a href="${e}/soap/mktows/3_1?WSDL">${e}/soap/mktows/3_1?WSDL</a></li><li>Admin API: ${e}/_mktows/health</li><li><a href="${CONSOLE_PATH}">Web console</a></li></ul></main></body></html>\n`;
}

async function soapPost(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  version: string,
  pending: Pending,
): Promise<void> {
  if (!isVersion(version)) {
    sendJson(res, 404, { error: `API version ${version} is not served; use 1_0 to 3_1` });
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readBody(req, rt.config.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      const body = faultXml(
        FAULT.REQUEST_NOT_UNDERSTOOD,
        `Request body exceeds the limit of ${rt.config.maxBodyBytes} bytes`,
      );
      rt.metrics.recordCall('soap', 'unknown', FAULT.REQUEST_NOT_UNDERSTOOD, 0);
      rt.journal.add({
        at: rt.clock.now(),
        userId: null,
        operation: null,
        durationMs: 0,
        status: 500,
        faultCode: FAULT.REQUEST_NOT_UNDERSTOOD,
        request: `[request body over the limit of ${rt.config.maxBodyBytes} bytes; not kept]`,
        response: body,
      });
      // Closing the connection stops the client from sending the rest of the oversized body.
      send(res, 500, XML, body, { Connection: 'close' });
      req.resume();
      return;
    }
    throw e;
  }
  const r = await handleSoap(rt, {
    bytes,
    version,
    onAbort: (l) => {
      pending.aborted = l;
    },
  });
  if (r.http) return sendFaulty(res, r.http, r.status, XML, r.body);
  // Date follows the server's (movable) clock, so a client can correct its skew from it.
  if (!res.destroyed) sendXml(res, r.status, r.body, httpDate(rt.clock.now()));
}

/** A REST call: its body read (any type: multipart is left to the endpoint), answered as JSON. */
async function restCall(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: string,
  pending: Pending,
): Promise<void> {
  let raw: Buffer;
  try {
    raw = await readBody(req, rt.config.maxBodyBytes);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    // Marketo's only HTTP-level errors besides identity's 401: 413 for a body over the limit.
    send(res, 413, 'text/plain; charset=utf-8', 'Request Entity Too Large\n', { Connection: 'close' });
    req.resume();
    return;
  }
  const r = await handleRest(rt, {
    method: req.method ?? 'GET',
    url,
    target,
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'] ?? '',
    raw,
    onAbort: (l) => {
      pending.aborted = l;
    },
  });
  const type = r.contentType ?? REST_JSON;
  if (r.http) return sendFaulty(res, r.http, r.status, type, Buffer.from(r.body, 'utf8'));
  if (!res.destroyed) send(res, r.status, type, r.body);
}

function authorizedAdmin(rt: Runtime, req: IncomingMessage): boolean {
  const token = rt.config.adminToken;
  if (token) return req.headers.authorization === `Bearer ${token}`;
  return isLoopback(req.socket.remoteAddress);
}
