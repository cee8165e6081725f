/**
 * Test support for the activity and list operations: request bodies built from plain values, and
 * activity records, change records, stream positions and list statuses read back into plain values
 * (nil kept apart from empty and absent).
 */
import assert from 'node:assert/strict';
import { attr, escapeText, type XmlElement, XSI_NS } from '@mktows/protocol';
import { find, findAll, type SoapResult } from './harness.js';

const esc = (v: string | number) => escapeText(String(v));

export interface PositionInput {
  latestCreatedAt?: string;
  oldestCreatedAt?: string;
  activityCreatedAt?: string;
  offset?: string;
}

export function positionXml(p: PositionInput, tag = 'startPosition'): string {
  let x = `<${tag}>`;
  for (const k of ['latestCreatedAt', 'oldestCreatedAt', 'activityCreatedAt', 'offset'] as const) {
    if (p[k] !== undefined) x += `<${k}>${esc(p[k] as string)}</${k}>`;
  }
  return `${x}</${tag}>`;
}

export interface TypeFilterInput {
  include?: string[];
  exclude?: string[];
}

export function activityFilterXml(f: TypeFilterInput): string {
  const list = (tag: string, tokens: string[] | undefined) =>
    tokens === undefined
      ? ''
      : `<${tag}>${tokens.map((t) => `<activityType>${esc(t)}</activityType>`).join('')}</${tag}>`;
  return `<activityFilter>${list('includeTypes', f.include)}${list('excludeTypes', f.exclude)}</activityFilter>`;
}

export interface LeadActivityInput {
  /** [keyType, keyValue]; omitted: no leadKey element. */
  key?: [string, string | number];
  filter?: TypeFilterInput;
  position?: PositionInput;
  batchSize?: number | string;
}

export function getLeadActivityBody(p: LeadActivityInput): string {
  let x = '<ns1:paramsGetLeadActivity>';
  if (p.key) x += `<leadKey><keyType>${p.key[0]}</keyType><keyValue>${esc(p.key[1])}</keyValue></leadKey>`;
  if (p.filter) x += activityFilterXml(p.filter);
  if (p.position) x += positionXml(p.position);
  if (p.batchSize !== undefined) x += `<batchSize>${p.batchSize}</batchSize>`;
  return `${x}</ns1:paramsGetLeadActivity>`;
}

export interface LeadChangesInput {
  /** Omitted: no startPosition element at all. */
  position?: PositionInput;
  filter?: TypeFilterInput;
  names?: string[];
  batchSize?: number;
  /** A complete leadSelector element (support/leads.ts builders). */
  selector?: string;
}

export function getLeadChangesBody(p: LeadChangesInput): string {
  let x = '<ns1:paramsGetLeadChanges>';
  if (p.position) x += positionXml(p.position);
  if (p.filter) x += activityFilterXml(p.filter);
  if (p.names)
    x += `<activityNameFilter>${p.names.map((n) => `<stringItem>${esc(n)}</stringItem>`).join('')}</activityNameFilter>`;
  if (p.batchSize !== undefined) x += `<batchSize>${p.batchSize}</batchSize>`;
  if (p.selector) x += p.selector;
  return `${x}</ns1:paramsGetLeadChanges>`;
}

export interface ListOperationInput {
  op: string;
  list: string;
  listKeyType?: string;
  leads: [string, string | number][];
  strict?: boolean;
  skipActivityLog?: boolean;
}

export function listOperationBody(p: ListOperationInput): string {
  const keys = p.leads
    .map(([t, v]) => `<leadKey><keyType>${t}</keyType><keyValue>${esc(v)}</keyValue></leadKey>`)
    .join('');
  return (
    `<ns1:paramsListOperation><listOperation>${p.op}</listOperation>` +
    `<listKey><keyType>${p.listKeyType ?? 'MKTOLISTNAME'}</keyType><keyValue>${esc(p.list)}</keyValue></listKey>` +
    `<listMemberList>${keys}</listMemberList>` +
    (p.strict === undefined ? '' : `<strict>${p.strict}</strict>`) +
    (p.skipActivityLog === undefined ? '' : `<skipActivityLog>${p.skipActivityLog}</skipActivityLog>`) +
    '</ns1:paramsListOperation>'
  );
}

function isNil(el: XmlElement | undefined): boolean {
  return el !== undefined && attr(el, XSI_NS, 'nil') === 'true';
}

function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

/** null when nil, undefined when absent. */
function nilOrText(el: XmlElement | undefined): string | null | undefined {
  if (!el) return undefined;
  return isNil(el) ? null : el.text;
}

export interface Position {
  latestCreatedAt: string | null | undefined;
  oldestCreatedAt: string | null | undefined;
  activityCreatedAt: string | null | undefined;
  offset: string | null | undefined;
}

function parsePosition(el: XmlElement | undefined): Position {
  assert.ok(el, 'newStartPosition is present');
  assert.deepEqual(
    el.children.map((c) => c.local),
    ['latestCreatedAt', 'oldestCreatedAt', 'activityCreatedAt', 'offset'],
  );
  return {
    latestCreatedAt: nilOrText(child(el, 'latestCreatedAt')),
    oldestCreatedAt: nilOrText(child(el, 'oldestCreatedAt')),
    activityCreatedAt: nilOrText(child(el, 'activityCreatedAt')),
    offset: nilOrText(child(el, 'offset')),
  };
}

/** The position as the next request's startPosition (nil fields left out). */
export function nextPosition(p: Position): PositionInput {
  const out: PositionInput = {};
  for (const k of ['latestCreatedAt', 'oldestCreatedAt', 'activityCreatedAt', 'offset'] as const) {
    const v = p[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export interface ParsedActivity {
  id: number | undefined;
  marketoGUID: string | undefined;
  activityDateTime: string;
  activityType: string;
  mktgAssetName: string | null | undefined;
  campaign: string | null | undefined;
  mktPersonId: string;
  attributes: Record<string, string>;
  /** Child element names in document order. */
  elements: string[];
}

function parseActivity(el: XmlElement): ParsedActivity {
  const attrs = child(el, 'activityAttributes');
  const attributes: Record<string, string> = {};
  for (const a of attrs ? findAll(attrs, 'attribute') : []) {
    assert.ok(isNil(child(a, 'attrType')), 'attrType is nil');
    attributes[child(a, 'attrName')?.text ?? ''] = child(a, 'attrValue')?.text ?? '';
  }
  const id = child(el, 'id')?.text;
  return {
    id: id === undefined ? undefined : Number(id),
    marketoGUID: child(el, 'marketoGUID')?.text,
    activityDateTime: child(el, 'activityDateTime')?.text ?? '',
    activityType: child(el, 'activityType')?.text ?? '',
    mktgAssetName: nilOrText(child(el, 'mktgAssetName')),
    campaign: nilOrText(child(el, 'campaign')),
    mktPersonId: child(el, 'mktPersonId')?.text ?? '',
    attributes,
    elements: el.children.map((c) => c.local),
  };
}

export interface ActivityPage {
  returnCount: number;
  remainingCount: number;
  position: Position;
  records: ParsedActivity[];
  /** The record list element (absent, nil or a list). */
  list: XmlElement | undefined;
}

function okOrFail(r: SoapResult, element: string): XmlElement {
  assert.equal(r.status, 200, r.fault ? `${r.fault.faultstring}: ${r.fault.message}` : r.text);
  const el = find(r.doc, element);
  assert.ok(el, `the response has ${element}`);
  return el;
}

/** successGetLeadActivity/leadActivityList. */
export function parseLeadActivity(r: SoapResult): ActivityPage {
  const el = okOrFail(r, 'leadActivityList');
  const list = child(el, 'activityRecordList');
  return {
    returnCount: Number(child(el, 'returnCount')?.text),
    remainingCount: Number(child(el, 'remainingCount')?.text),
    position: parsePosition(child(el, 'newStartPosition')),
    records: list ? findAll(list, 'activityRecord').map(parseActivity) : [],
    list,
  };
}

/** successGetLeadChanges/result. */
export function parseLeadChanges(r: SoapResult): ActivityPage {
  const el = okOrFail(r, 'result');
  const list = child(el, 'leadChangeRecordList');
  return {
    returnCount: Number(child(el, 'returnCount')?.text),
    remainingCount: Number(child(el, 'remainingCount')?.text),
    position: parsePosition(child(el, 'newStartPosition')),
    records: list ? findAll(list, 'leadChangeRecord').map(parseActivity) : [],
    list,
  };
}

export interface ListResult {
  success: boolean;
  /** null when statusList is nil; else [keyType, keyValue, status] per lead. */
  statuses: [string, string, boolean][] | null;
}

export function parseListOperation(r: SoapResult): ListResult {
  const result = okOrFail(r, 'result');
  assert.deepEqual(
    result.children.map((c) => c.local),
    ['success', 'statusList'],
  );
  const list = child(result, 'statusList');
  return {
    success: child(result, 'success')?.text === 'true',
    statuses:
      list === undefined || isNil(list)
        ? null
        : findAll(list, 'leadStatus').map((s) => [
            find(s, 'keyType')?.text ?? '',
            find(s, 'keyValue')?.text ?? '',
            child(s, 'status')?.text === 'true',
          ]),
  };
}
