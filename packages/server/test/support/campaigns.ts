/**
 * Test support for the campaign, import, channel and tag operations: request bodies from plain
 * values, results read back into plain values (nil kept apart from empty), the recorded Adobe
 * samples, and a structural "shape" of an element for golden comparisons.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attr, escapeText, parseXml, type XmlElement, XSI_NS } from '@mktows/protocol';
import { find, findAll, type SoapResult, type TestServer } from './harness.js';

export const esc = (v: string | number) => escapeText(String(v));

export const SHARED_DIR = process.env.MKTOWS_SHARED_DIR || undefined;
export const SKIP_NO_SHARED = SHARED_DIR ? false : 'skipped: ../shared absent';

const tokensXml = (tokens: [string, string][] | undefined) =>
  tokens === undefined
    ? ''
    : `<programTokenList>${tokens
        .map(([n, v]) => `<attrib><name>${esc(n)}</name><value>${esc(v)}</value></attrib>`)
        .join('')}</programTokenList>`;

export function campaignsForSourceBody(source: string | undefined, name?: string, exactName?: boolean): string {
  return `<ns1:paramsGetCampaignsForSource>${source === undefined ? '' : `<source>${source}</source>`}${
    name === undefined ? '' : `<name>${esc(name)}</name>`
  }${exactName === undefined ? '' : `<exactName>${exactName}</exactName>`}</ns1:paramsGetCampaignsForSource>`;
}

export interface RequestCampaignInput {
  source?: string;
  campaignId?: number | string;
  /** [keyType, keyValue] pairs; undefined omits leadList. */
  leads?: [string, string | number][];
  programName?: string;
  campaignName?: string;
  tokens?: [string, string][];
}

export function requestCampaignBody(p: RequestCampaignInput): string {
  let x = '<ns1:paramsRequestCampaign>';
  if (p.source !== undefined) x += `<source>${p.source}</source>`;
  if (p.campaignId !== undefined) x += `<campaignId>${p.campaignId}</campaignId>`;
  if (p.leads !== undefined) {
    x += `<leadList>${p.leads
      .map(([t, v]) => `<leadKey><keyType>${t}</keyType><keyValue>${esc(v)}</keyValue></leadKey>`)
      .join('')}</leadList>`;
  }
  if (p.programName !== undefined) x += `<programName>${esc(p.programName)}</programName>`;
  if (p.campaignName !== undefined) x += `<campaignName>${esc(p.campaignName)}</campaignName>`;
  return `${x}${tokensXml(p.tokens)}</ns1:paramsRequestCampaign>`;
}

export interface ScheduleCampaignInput {
  programName?: string;
  cloneToProgramName?: string;
  campaignName?: string;
  campaignRunAt?: string;
  tokens?: [string, string][];
}

export function scheduleCampaignBody(p: ScheduleCampaignInput): string {
  let x = '<ns1:paramsScheduleCampaign>';
  if (p.programName !== undefined) x += `<programName>${esc(p.programName)}</programName>`;
  if (p.campaignName !== undefined) x += `<campaignName>${esc(p.campaignName)}</campaignName>`;
  if (p.campaignRunAt !== undefined) x += `<campaignRunAt>${p.campaignRunAt}</campaignRunAt>`;
  if (p.cloneToProgramName !== undefined) x += `<cloneToProgramName>${esc(p.cloneToProgramName)}</cloneToProgramName>`;
  return `${x}${tokensXml(p.tokens)}</ns1:paramsScheduleCampaign>`;
}

export interface ImportInput {
  programName?: string;
  header?: string;
  rows?: string[];
  mode?: string;
  listName?: string;
  clearList?: boolean | string;
  /** null sends xsi:nil, undefined leaves the element out. */
  campaignName?: string | null;
}

/** importToList with the demo's program list by default, campaignName nil. */
export function importBody(p: ImportInput): string {
  const v = {
    programName: 'Demo Program',
    header: 'First Name,Last Name,Email Address',
    rows: [] as string[],
    mode: 'UPSERTLEADS',
    listName: 'Imports',
    clearList: false as boolean | string,
    ...p,
  };
  let x = '<ns1:paramsImportToList>';
  if (p.programName !== undefined || !('programName' in p)) x += `<programName>${esc(v.programName)}</programName>`;
  if (v.header !== undefined) x += `<importFileHeader>${esc(v.header)}</importFileHeader>`;
  x += `<importFileRows>${v.rows.map((r) => `<stringItem>${esc(r)}</stringItem>`).join('')}</importFileRows>`;
  if (v.mode !== undefined) x += `<importListMode>${v.mode}</importListMode>`;
  if (v.listName !== undefined) x += `<listName>${esc(v.listName)}</listName>`;
  if (v.clearList !== undefined) x += `<clearList>${v.clearList}</clearList>`;
  if (!('campaignName' in p) || p.campaignName === null) x += '<campaignName xsi:nil="true"/>';
  else if (p.campaignName !== undefined) x += `<campaignName>${esc(p.campaignName)}</campaignName>`;
  return `${x}</ns1:paramsImportToList>`;
}

export function importStatusBody(programName: string | undefined = 'Demo Program', listName = 'Imports'): string {
  return `<ns1:paramsGetImportToListStatus>${
    programName === undefined ? '' : `<programName>${esc(programName)}</programName>`
  }${listName === undefined ? '' : `<listName>${esc(listName)}</listName>`}</ns1:paramsGetImportToListStatus>`;
}

export function isNil(el: XmlElement | undefined): boolean {
  return !!el && attr(el, XSI_NS, 'nil') === 'true';
}

export function resultOf(r: SoapResult): XmlElement {
  assert.equal(r.status, 200, `expected success, got ${r.status}: ${r.text}`);
  const res = find(r.doc, 'result');
  assert.ok(res, 'no result element');
  return res;
}

export interface ImportStatus {
  status: string;
  startedTime: string | null;
  endedTime: string | null;
  estimatedTime: string | null;
  estimatedRows: number | null;
  rowsImported: number | null;
  rowsFailed: number | null;
  rowsIgnored: number | null;
  importSummary: string | null;
}

export function parseImportStatus(r: SoapResult): ImportStatus {
  const res = resultOf(r);
  const names = res.children.map((c) => c.local);
  assert.deepEqual(names, [
    'status',
    'startedTime',
    'endedTime',
    'estimatedTime',
    'estimatedRows',
    'rowsImported',
    'rowsFailed',
    'rowsIgnored',
    'importSummary',
  ]);
  const get = (n: string) => {
    const el = res.children.find((c) => c.local === n);
    return !el || isNil(el) ? null : el.text;
  };
  const num = (n: string) => {
    const t = get(n);
    return t === null ? null : Number(t);
  };
  return {
    status: get('status') ?? '',
    startedTime: get('startedTime'),
    endedTime: get('endedTime'),
    estimatedTime: get('estimatedTime'),
    estimatedRows: num('estimatedRows'),
    rowsImported: num('rowsImported'),
    rowsFailed: num('rowsFailed'),
    rowsIgnored: num('rowsIgnored'),
    importSummary: get('importSummary'),
  };
}

export async function importStatus(s: TestServer, programName = 'Demo Program', listName = 'Imports') {
  return parseImportStatus(await s.soap(importStatusBody(programName, listName)));
}

/** Campaign records of a getCampaignsForSource answer as [id, name, description]. */
export function campaignRecords(r: SoapResult): [number, string, string][] {
  return findAll(resultOf(r), 'campaignRecord').map((c) => {
    const [id, name, description] = c.children;
    assert.deepEqual(
      c.children.map((x) => x.local),
      ['id', 'name', 'description'],
    );
    return [Number(id.text), name.text, description.text];
  });
}

// ---------------------------------------------------------------------------------------------
// Golden shapes

/** Repeated elements whose items are compared as one list. */
const LIST_ITEMS = new Set(['campaignRecord', 'tagStatus', 'progressionStatusItem', 'attrib', 'tag', 'stringItem']);

/**
 * The structure of an element as lines: local names in order, list items folded (`name*`), nil
 * marked. Values, prefixes, comments and list lengths are ignored.
 */
export function shapeOf(el: XmlElement, depth = 0): string[] {
  const out: string[] = [];
  const pad = '  '.repeat(depth);
  let prev: string | undefined;
  for (const c of el.children) {
    const list = LIST_ITEMS.has(c.local);
    if (list && c.local === prev) continue;
    prev = c.local;
    out.push(`${pad}${c.local}${list ? '*' : ''}${isNil(c) ? ' (nil)' : ''}`);
    out.push(...shapeOf(c, depth + 1));
  }
  return out;
}

/** A recorded Adobe sample (parsed), or undefined when ../shared is absent. */
export function recordedXml(file: string): XmlElement | undefined {
  if (!SHARED_DIR) return undefined;
  const p = join(SHARED_DIR, 'reference', 'recorded', 'adobe-docs', file);
  if (!existsSync(p)) return undefined;
  return parseXml(readFileSync(p, 'utf8'));
}

export function recordedText(file: string): string | undefined {
  if (!SHARED_DIR) return undefined;
  const p = join(SHARED_DIR, 'reference', 'recorded', 'adobe-docs', file);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** The `result` of an answer, or of a recorded sample. */
export function resultElement(doc: XmlElement): XmlElement {
  const r = find(doc, 'result');
  assert.ok(r, 'no result');
  return r;
}
