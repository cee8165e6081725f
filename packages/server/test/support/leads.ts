/**
 * Test support for the lead operations: request bodies built from plain values, and leadRecord /
 * syncStatus elements read back into plain values (nil kept apart from empty).
 */
import assert from 'node:assert/strict';
import { attr, escapeText, type XmlElement, XSI_NS } from '@mktows/protocol';
import { find, findAll, type SoapResult, type TestServer } from './harness.js';

export interface RecordInput {
  Id?: number;
  Email?: string;
  ForeignSysPersonId?: string;
  ForeignSysType?: string;
  /** attrName → attrValue, in order. */
  attrs?: Record<string, string | number>;
}

const esc = (v: string | number) => escapeText(String(v));

export function leadRecordXml(r: RecordInput, tag = 'leadRecord'): string {
  let x = `<${tag}>`;
  if (r.Id !== undefined) x += `<Id>${r.Id}</Id>`;
  if (r.Email !== undefined) x += `<Email>${esc(r.Email)}</Email>`;
  if (r.ForeignSysPersonId !== undefined) x += `<ForeignSysPersonId>${esc(r.ForeignSysPersonId)}</ForeignSysPersonId>`;
  if (r.ForeignSysType !== undefined) x += `<ForeignSysType>${r.ForeignSysType}</ForeignSysType>`;
  if (r.attrs) {
    x += '<leadAttributeList>';
    for (const [k, v] of Object.entries(r.attrs)) {
      x += `<attribute><attrName>${esc(k)}</attrName><attrValue>${esc(v)}</attrValue></attribute>`;
    }
    x += '</leadAttributeList>';
  }
  return `${x}</${tag}>`;
}

export function syncLeadBody(r: RecordInput, opts: { returnLead?: boolean; cookie?: string } = {}): string {
  const cookie = opts.cookie === undefined ? '' : `<marketoCookie>${esc(opts.cookie)}</marketoCookie>`;
  return `<ns1:paramsSyncLead>${leadRecordXml(r)}<returnLead>${opts.returnLead ?? true}</returnLead>${cookie}</ns1:paramsSyncLead>`;
}

export function syncMultipleBody(records: RecordInput[], dedupEnabled?: boolean): string {
  const dedup = dedupEnabled === undefined ? '' : `<dedupEnabled>${dedupEnabled}</dedupEnabled>`;
  return `<ns1:paramsSyncMultipleLeads><leadRecordList>${records.map((r) => leadRecordXml(r)).join('')}</leadRecordList>${dedup}</ns1:paramsSyncMultipleLeads>`;
}

export interface MultipleInput {
  /** The selector element, complete (use the builders below). */
  selector?: string;
  lastUpdatedAt?: string;
  streamPosition?: string;
  batchSize?: number;
  include?: string[];
}

export function getMultipleBody(p: MultipleInput): string {
  let x = '<ns1:paramsGetMultipleLeads>';
  if (p.selector) x += p.selector;
  if (p.lastUpdatedAt) x += `<lastUpdatedAt>${p.lastUpdatedAt}</lastUpdatedAt>`;
  if (p.streamPosition !== undefined) x += `<streamPosition>${esc(p.streamPosition)}</streamPosition>`;
  if (p.batchSize !== undefined) x += `<batchSize>${p.batchSize}</batchSize>`;
  if (p.include) {
    x += `<includeAttributes>${p.include.map((n) => `<stringItem>${esc(n)}</stringItem>`).join('')}</includeAttributes>`;
  }
  return `${x}</ns1:paramsGetMultipleLeads>`;
}

export const keySelector = (keyType: string, values: readonly (string | number)[]) =>
  `<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>${keyType}</keyType><keyValues>${values
    .map((v) => `<stringItem>${esc(v)}</stringItem>`)
    .join('')}</keyValues></leadSelector>`;

export const listSelector = (by: { name?: string; id?: number }) =>
  `<leadSelector xsi:type="ns1:StaticListSelector">${by.name !== undefined ? `<staticListName>${esc(by.name)}</staticListName>` : ''}${
    by.id !== undefined ? `<staticListId>${by.id}</staticListId>` : ''
  }</leadSelector>`;

export const updatedSelector = (oldest: string, latest?: string) =>
  `<leadSelector xsi:type="ns1:LastUpdateAtSelector">${latest ? `<latestUpdatedAt>${latest}</latestUpdatedAt>` : ''}<oldestUpdatedAt>${oldest}</oldestUpdatedAt></leadSelector>`;

export function mergeBody(
  winner: [string, string | number],
  losers: [string, string | number][],
  mergeInSales?: boolean,
): string {
  const attr = ([k, v]: [string, string | number]) =>
    `<attribute><attrName>${k}</attrName><attrValue>${esc(v)}</attrValue></attribute>`;
  return `<ns1:paramsMergeLeads><winningLeadKeyList>${attr(winner)}</winningLeadKeyList><losingLeadKeyLists>${losers
    .map((l) => `<keyList>${attr(l)}</keyList>`)
    .join(
      '',
    )}</losingLeadKeyLists>${mergeInSales === undefined ? '' : `<mergeInSales>${mergeInSales}</mergeInSales>`}</ns1:paramsMergeLeads>`;
}

export function isNil(el: XmlElement | undefined): boolean {
  return el !== undefined && attr(el, XSI_NS, 'nil') === 'true';
}

/** The direct child with this local name. */
export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

export interface Attr {
  attrName: string;
  attrType: string | null;
  attrValue: string;
}

export interface ParsedLead {
  Id: number;
  /** null when sent as xsi:nil, undefined when absent. */
  Email: string | null | undefined;
  ForeignSysPersonId: string | null | undefined;
  ForeignSysType: string | null | undefined;
  /** null when leadAttributeList is nil, undefined when absent. */
  attributes: Attr[] | null | undefined;
  /** Child element names in document order. */
  elements: string[];
}

function nilOrText(el: XmlElement | undefined): string | null | undefined {
  if (!el) return undefined;
  return isNil(el) ? null : el.text;
}

export function parseLead(el: XmlElement): ParsedLead {
  const list = child(el, 'leadAttributeList');
  return {
    Id: Number(child(el, 'Id')?.text),
    Email: nilOrText(child(el, 'Email')),
    ForeignSysPersonId: nilOrText(child(el, 'ForeignSysPersonId')),
    ForeignSysType: nilOrText(child(el, 'ForeignSysType')),
    attributes:
      list === undefined
        ? undefined
        : isNil(list)
          ? null
          : list.children.map((a) => {
              assert.deepEqual(
                a.children.map((c) => c.local),
                ['attrName', 'attrType', 'attrValue'],
              );
              return {
                attrName: child(a, 'attrName')?.text ?? '',
                attrType: nilOrText(child(a, 'attrType')) ?? null,
                attrValue: child(a, 'attrValue')?.text ?? '',
              };
            }),
    elements: el.children.map((c) => c.local),
  };
}

/** Attributes as a name → value map. */
export function attrMap(l: ParsedLead): Record<string, string> {
  return Object.fromEntries((l.attributes ?? []).map((a) => [a.attrName, a.attrValue]));
}

export function leadsOf(r: SoapResult): ParsedLead[] {
  return findAll(r.doc, 'leadRecord').map(parseLead);
}

/** Asserts a 200 and returns the `result` element. */
export function ok(r: SoapResult): XmlElement {
  assert.equal(r.status, 200, r.fault ? `${r.fault.faultstring}: ${r.fault.message}` : r.text);
  const result = find(r.doc, 'result');
  assert.ok(result, 'the response has a result');
  return result;
}

/** Asserts a fault with this code and returns its detail message. */
export function faultCode(r: SoapResult, code: number): string {
  assert.equal(r.status, 500, `expected fault ${code}, got ${r.status}: ${r.text.slice(0, 400)}`);
  assert.equal(r.fault?.code, code, `expected ${code}, got ${r.fault?.code}: ${r.fault?.message}`);
  return r.fault?.message ?? '';
}

export interface MultiplePage {
  returnCount: number;
  remainingCount: number;
  newStreamPosition: string;
  leads: ParsedLead[];
  /** The leadRecordList element (absent, nil or a list). */
  list: XmlElement | undefined;
}

export function parseMultiple(r: SoapResult): MultiplePage {
  const result = ok(r);
  const list = child(result, 'leadRecordList');
  return {
    returnCount: Number(child(result, 'returnCount')?.text),
    remainingCount: Number(child(result, 'remainingCount')?.text),
    newStreamPosition: child(result, 'newStreamPosition')?.text ?? '(absent)',
    leads: list ? findAll(list, 'leadRecord').map(parseLead) : [],
    list,
  };
}

export async function getLeadByKey(s: TestServer, keyType: string, keyValue: string | number): Promise<ParsedLead[]> {
  const r = await s.soap(
    `<ns1:paramsGetLead><leadKey><keyType>${keyType}</keyType><keyValue>${esc(keyValue)}</keyValue></leadKey></ns1:paramsGetLead>`,
  );
  const result = ok(r);
  const leads = leadsOf(r);
  assert.equal(Number(child(result, 'count')?.text), leads.length, 'count equals the records returned');
  return leads;
}

export interface SyncStatusValue {
  leadId: number;
  status: string;
  /** null when nil. */
  error: string | null | undefined;
}

export function parseStatuses(r: SoapResult): SyncStatusValue[] {
  ok(r);
  return findAll(r.doc, 'syncStatus').map((s) => ({
    leadId: Number(child(s, 'leadId')?.text),
    status: child(s, 'status')?.text ?? '',
    error: nilOrText(child(s, 'error')),
  }));
}

/** Seeds a document through the admin API and asserts it was accepted. */
export async function seed(s: TestServer, doc: unknown): Promise<Record<string, unknown>> {
  const r = await s.admin('POST', '/_mktows/seed', doc);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
