/**
 * Test support for the MObject and custom-object operations: request bodies from plain values, and
 * mObject / mObjStatus / customObj elements read back into plain values.
 */
import assert from 'node:assert/strict';
import { attr, escapeText, type XmlElement, XSI_NS } from '@mktows/protocol';
import { find, findAll, type SoapResult } from './harness.js';

const esc = (v: string | number) => escapeText(String(v));

export type Pairs = Record<string, string | number | boolean>;

export interface MObjectInput {
  type: string;
  id?: number;
  externalKey?: [string, string];
  attribs?: Pairs;
  typeAttribs?: [string, Pairs][];
  associations?: { type: string; id?: number; externalKey?: [string, string] }[];
}

const attribs = (p: Pairs) =>
  Object.entries(p)
    .map(([n, v]) => `<attrib><name>${esc(n)}</name><value>${esc(String(v))}</value></attrib>`)
    .join('');

const key = (k: [string, string]) => `<externalKey><name>${esc(k[0])}</name><value>${esc(k[1])}</value></externalKey>`;

export function mObjectXml(o: MObjectInput): string {
  let x = `<mObject><type>${esc(o.type)}</type>`;
  if (o.id !== undefined) x += `<id>${o.id}</id>`;
  if (o.externalKey) x += key(o.externalKey);
  if (o.attribs) x += `<attribList>${attribs(o.attribs)}</attribList>`;
  if (o.typeAttribs) {
    x += `<typeAttribList>${o.typeAttribs
      .map(([t, p]) => `<typeAttrib><attrType>${esc(t)}</attrType><attrList>${attribs(p)}</attrList></typeAttrib>`)
      .join('')}</typeAttribList>`;
  }
  if (o.associations) {
    x += `<associationList>${o.associations
      .map(
        (a) =>
          `<mObjAssociation><mObjType>${esc(a.type)}</mObjType>${a.id !== undefined ? `<id>${a.id}</id>` : ''}${
            a.externalKey ? key(a.externalKey) : ''
          }</mObjAssociation>`,
      )
      .join('')}</associationList>`;
  }
  return `${x}</mObject>`;
}

export const syncMObjectsBody = (objects: MObjectInput[], operation = 'UPSERT') =>
  `<ns1:paramsSyncMObjects><mObjectList>${objects.map(mObjectXml).join('')}</mObjectList><operation>${operation}</operation></ns1:paramsSyncMObjects>`;

export const deleteMObjectsBody = (objects: MObjectInput[]) =>
  `<ns1:paramsDeleteMObjects><mObjectList>${objects.map(mObjectXml).join('')}</mObjectList></ns1:paramsDeleteMObjects>`;

export interface GetMObjectsInput {
  type: string;
  id?: number;
  externalKey?: [string, string];
  criteria?: [string, string, string | number][];
  associations?: { type: string; id?: number; externalKey?: [string, string] }[];
  includeDetails?: boolean;
  streamPosition?: string;
}

export function getMObjectsBody(q: GetMObjectsInput): string {
  let x = `<ns1:paramsGetMObjects><type>${esc(q.type)}</type>`;
  if (q.id !== undefined) x += `<id>${q.id}</id>`;
  if (q.externalKey) x += key(q.externalKey);
  if (q.criteria) {
    x += `<mObjCriteriaList>${q.criteria
      .map(
        ([n, c, v]) =>
          `<mObjCriteria><attrName>${esc(n)}</attrName><comparison>${c}</comparison><attrValue>${esc(v)}</attrValue></mObjCriteria>`,
      )
      .join('')}</mObjCriteriaList>`;
  }
  if (q.associations) {
    x += `<mObjAssociationList>${q.associations
      .map(
        (a) =>
          `<mObjAssociation><mObjType>${esc(a.type)}</mObjType>${a.id !== undefined ? `<id>${a.id}</id>` : ''}${
            a.externalKey ? key(a.externalKey) : ''
          }</mObjAssociation>`,
      )
      .join('')}</mObjAssociationList>`;
  }
  if (q.includeDetails !== undefined) x += `<includeDetails>${q.includeDetails}</includeDetails>`;
  if (q.streamPosition !== undefined) x += `<streamPosition>${esc(q.streamPosition)}</streamPosition>`;
  return `${x}</ns1:paramsGetMObjects>`;
}

export function isNil(el: XmlElement | undefined): boolean {
  return el !== undefined && attr(el, XSI_NS, 'nil') === 'true';
}

export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

/** The `result` element of a success, after checking the status. */
export function ok(r: SoapResult): XmlElement {
  assert.equal(r.status, 200, r.text);
  const result = find(r.doc, 'result');
  assert.ok(result, 'a result element');
  return result;
}

export interface ParsedMObject {
  type: string;
  id: number;
  externalKey?: [string, string];
  createdAt?: string;
  updatedAt?: string;
  attribs: Record<string, string>;
  typeAttribs: [string, Record<string, string>][];
  associations: { type: string; id?: number; externalKey?: string }[];
}

const pairsOf = (el: XmlElement | undefined): Record<string, string> =>
  Object.fromEntries(
    (el ? findAll(el, 'attrib') : []).map((a) => [child(a, 'name')?.text ?? '', child(a, 'value')?.text ?? '']),
  );

export function parseMObject(el: XmlElement): ParsedMObject {
  const ek = child(el, 'externalKey');
  const tal = child(el, 'typeAttribList');
  const al = child(el, 'associationList');
  return {
    type: child(el, 'type')?.text ?? '',
    id: Number(child(el, 'id')?.text),
    ...(ek ? { externalKey: [child(ek, 'name')?.text ?? '', child(ek, 'value')?.text ?? ''] as [string, string] } : {}),
    ...(child(el, 'createdAt') ? { createdAt: child(el, 'createdAt')?.text } : {}),
    ...(child(el, 'updatedAt') ? { updatedAt: child(el, 'updatedAt')?.text } : {}),
    attribs: pairsOf(child(el, 'attribList')),
    typeAttribs: (tal ? tal.children : []).map((t) => [
      child(t, 'attrType')?.text ?? '',
      pairsOf(child(t, 'attrList')),
    ]),
    associations: (al ? al.children : []).map((a) => {
      const k = child(a, 'externalKey');
      return {
        type: child(a, 'mObjType')?.text ?? '',
        ...(child(a, 'id') ? { id: Number(child(a, 'id')?.text) } : {}),
        ...(k ? { externalKey: child(k, 'value')?.text } : {}),
      };
    }),
  };
}

export interface GetMObjectsResult {
  returnCount: number;
  hasMore: boolean;
  newStreamPosition: string;
  objects: ParsedMObject[];
}

export function parseGetMObjects(r: SoapResult): GetMObjectsResult {
  const result = ok(r);
  return {
    returnCount: Number(child(result, 'returnCount')?.text),
    hasMore: child(result, 'hasMore')?.text === 'true',
    newStreamPosition: child(result, 'newStreamPosition')?.text ?? '',
    objects: findAll(result, 'mObject').map(parseMObject),
  };
}

export interface ParsedStatus {
  id: number | null;
  externalKey?: string;
  status: string;
  error?: string;
}

export function parseMObjStatuses(r: SoapResult): ParsedStatus[] {
  return findAll(ok(r), 'mObjStatus').map((st) => {
    const idEl = child(st, 'id');
    const ek = child(st, 'externalKey');
    const err = child(st, 'error');
    return {
      id: !idEl || isNil(idEl) ? null : Number(idEl.text),
      ...(ek ? { externalKey: child(ek, 'value')?.text } : {}),
      status: child(st, 'status')?.text ?? '',
      ...(err ? { error: err.text } : {}),
    };
  });
}

// -- custom objects -------------------------------------------------------------------------------

export interface CustomObjInput {
  keys?: Pairs;
  attrs?: Pairs;
}

const attributes = (p: Pairs) =>
  Object.entries(p)
    .map(([n, v]) => `<attribute><attrName>${esc(n)}</attrName><attrValue>${esc(String(v))}</attrValue></attribute>`)
    .join('');

export function syncCustomObjectsBody(type: string, objects: CustomObjInput[], operation?: string): string {
  const list = objects
    .map(
      (o) =>
        `<customObj>${o.keys ? `<customObjKeyList>${attributes(o.keys)}</customObjKeyList>` : ''}${
          o.attrs ? `<customObjAttributeList>${attributes(o.attrs)}</customObjAttributeList>` : ''
        }</customObj>`,
    )
    .join('');
  return `<ns1:paramsSyncCustomObjects><objTypeName>${esc(type)}</objTypeName><customObjList>${list}</customObjList>${
    operation ? `<operation>${operation}</operation>` : ''
  }</ns1:paramsSyncCustomObjects>`;
}

export const deleteCustomObjectsBody = (type: string, keyLists: Pairs[]) =>
  `<ns1:paramsDeleteCustomObjects><objTypeName>${esc(type)}</objTypeName><customObjKeyLists>${keyLists
    .map((k) => `<keyList>${attributes(k)}</keyList>`)
    .join('')}</customObjKeyLists></ns1:paramsDeleteCustomObjects>`;

export function getCustomObjectsBody(
  type: string,
  opts: { keys?: Pairs; include?: string[]; batchSize?: number; streamPosition?: string } = {},
): string {
  let x = `<ns1:paramsGetCustomObjects><objTypeName>${esc(type)}</objTypeName>`;
  if (opts.streamPosition !== undefined) x += `<streamPosition>${esc(opts.streamPosition)}</streamPosition>`;
  if (opts.batchSize !== undefined) x += `<batchSize>${opts.batchSize}</batchSize>`;
  if (opts.keys) x += `<customObjKeyList>${attributes(opts.keys)}</customObjKeyList>`;
  x += `<includeAttributes>${(opts.include ?? []).map((n) => `<stringItem>${esc(n)}</stringItem>`).join('')}</includeAttributes>`;
  return `${x}</ns1:paramsGetCustomObjects>`;
}

const attributePairs = (el: XmlElement | undefined): Record<string, string> =>
  Object.fromEntries(
    (el ? findAll(el, 'attribute') : []).map((a) => [
      child(a, 'attrName')?.text ?? '',
      child(a, 'attrValue')?.text ?? '',
    ]),
  );

export interface ParsedCustomStatus {
  objTypeName: string;
  keys: Record<string, string> | null;
  status: string;
  error: string | null;
}

export function parseCustomStatuses(r: SoapResult): ParsedCustomStatus[] {
  return findAll(ok(r), 'syncCustomObjStatus').map((st) => {
    const keys = child(st, 'customObjKeyList');
    const err = child(st, 'error');
    return {
      objTypeName: child(st, 'objTypeName')?.text ?? '',
      keys: !keys || isNil(keys) ? null : attributePairs(keys),
      status: child(st, 'status')?.text ?? '',
      error: !err || isNil(err) ? null : err.text,
    };
  });
}

export interface ParsedCustomObjects {
  objTypeName: string;
  returnCount: number;
  remainingCount: number;
  newStreamPosition: string;
  objects: { keys: Record<string, string>; attrs: Record<string, string> | null }[];
}

export function parseGetCustomObjects(r: SoapResult): ParsedCustomObjects {
  const result = ok(r);
  return {
    objTypeName: child(result, 'objTypeName')?.text ?? '',
    returnCount: Number(child(result, 'returnCount')?.text),
    remainingCount: Number(child(result, 'remainingCount')?.text),
    newStreamPosition: child(result, 'newStreamPosition')?.text ?? '',
    objects: findAll(result, 'customObj').map((o) => {
      const attrs = child(o, 'customObjAttributeList');
      return {
        keys: attributePairs(child(o, 'customObjKeyList')),
        attrs: !attrs || isNil(attrs) ? null : attributePairs(attrs),
      };
    }),
  };
}
