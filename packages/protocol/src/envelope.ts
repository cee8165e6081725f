/**
 * SOAP 1.1 envelope handling: find the one Body element and the headers, matching on namespace URI
 * and local name only (clients use every prefix imaginable, see compat.md §2).
 */
import { echo } from './fault-echo.js';
import { FAULT, MktowsFault } from './faults.js';
import { NAMESPACE, OPERATION_BY_PARAMS_ELEMENT, type OperationDef } from './schema/operations.js';
import { parseXmlBytes, type XmlElement, XmlError, XmlLimitError } from './xml/parse.js';

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENV_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export interface ParsedRequest {
  readonly operation: OperationDef;
  readonly params: XmlElement;
  readonly header: XmlElement | undefined;
}

/** Children in no namespace or in the mktows namespace (soap4r and Axis qualify them). */
export function isLocalChild(el: XmlElement, local: string): boolean {
  return el.local === local && (el.ns === '' || el.ns === NAMESPACE);
}

/**
 * Parses the request bytes. Faults: 20012 (not XML, not UTF-8, DOCTYPE, over an XmlLimits cap, not
 * a SOAP 1.1 envelope, Body count ≠ 1), 20019 (unknown body element), 20017 (empty Body or more than one element).
 */
export function parseRequest(bytes: Uint8Array): ParsedRequest {
  let root: XmlElement;
  try {
    root = parseXmlBytes(bytes);
  } catch (e) {
    if (e instanceof XmlLimitError)
      throw new MktowsFault(FAULT.REQUEST_NOT_UNDERSTOOD, `Request exceeds a parser limit: ${e.message}`);
    if (e instanceof XmlError)
      throw new MktowsFault(FAULT.REQUEST_NOT_UNDERSTOOD, `Request is not well-formed XML: ${e.message}`);
    throw e;
  }
  if (root.local !== 'Envelope' || root.ns !== SOAP_ENV_NS) {
    const what =
      root.ns === SOAP12_ENV_NS
        ? 'a SOAP 1.2 Envelope'
        : `<${echo(`${root.prefix ? `${root.prefix}:` : ''}${root.local}`)}>`;
    throw new MktowsFault(
      FAULT.REQUEST_NOT_UNDERSTOOD,
      `Expected a SOAP 1.1 Envelope (namespace ${SOAP_ENV_NS}), got ${what}`,
    );
  }
  let header: XmlElement | undefined;
  let body: XmlElement | undefined;
  for (const child of root.children) {
    if (child.ns !== SOAP_ENV_NS) continue;
    if (child.local === 'Header') {
      if (header || body)
        throw new MktowsFault(
          FAULT.REQUEST_NOT_UNDERSTOOD,
          'The Envelope must have at most one Header, before the Body',
        );
      header = child;
    } else if (child.local === 'Body') {
      if (body) throw new MktowsFault(FAULT.REQUEST_NOT_UNDERSTOOD, 'The Envelope has more than one Body');
      body = child;
    }
  }
  if (!body) throw new MktowsFault(FAULT.REQUEST_NOT_UNDERSTOOD, 'The Envelope has no Body');
  const elements = body.children;
  if (elements.length === 0)
    throw new MktowsFault(FAULT.INVALID_REQUEST, 'The SOAP Body is empty; expected one params element');
  for (const el of elements) {
    const op = el.ns === NAMESPACE ? OPERATION_BY_PARAMS_ELEMENT.get(el.local) : undefined;
    if (!op) {
      const name = echo(el.ns ? `{${el.ns}}${el.local}` : el.local);
      throw new MktowsFault(FAULT.UNSUPPORTED_OPERATION, `Operation element ${name} is not supported`);
    }
  }
  if (elements.length > 1) {
    throw new MktowsFault(
      FAULT.INVALID_REQUEST,
      `The SOAP Body holds ${elements.length} elements; expected exactly one`,
    );
  }
  const params = elements[0];
  return { operation: OPERATION_BY_PARAMS_ELEMENT.get(params.local) as OperationDef, params, header };
}

/** The header element `{mktows}name`, if present. */
export function findHeader(header: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!header) return undefined;
  for (const el of header.children) if (el.ns === NAMESPACE && el.local === name) return el;
  return undefined;
}

/** Text of the first child with the local name, qualified or not; undefined when absent. */
export function childText(el: XmlElement, local: string): string | undefined {
  for (const c of el.children) if (isLocalChild(c, local)) return c.text;
  return undefined;
}
