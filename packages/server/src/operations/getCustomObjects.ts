import { echo, echoList, FAULT, MktowsFault } from '@mktows/protocol';
import { customObjectType, MAX_CUSTOM_OBJECTS, toCustomObj } from '../domain/custom-objects.js';
import { matchName } from '../domain/mobjects.js';
import { selectorHash } from '../domain/stream-position.js';
import type { CustomObject } from '../store/custom-object-store.js';
import type { Handler } from './context.js';

const SCAN_CHUNK = 500;

/**
 * Records of a type, optionally filtered by key values (usually the link field, MKTOID), in the
 * order they were created, batchSize (≤ 100) at a time. The normal end is remainingCount 0 with an
 * empty newStreamPosition; a position is signed and bound to the type, filter and attributes.
 */
export const getCustomObjects: Handler<'getCustomObjects'> = async (params, ctx) => {
  const type = await customObjectType(ctx.store.customObjects, params.objTypeName);
  const batchSize = params.batchSize ?? MAX_CUSTOM_OBJECTS;
  if (batchSize < 1) throw new MktowsFault(FAULT.BAD_PARAMETER, `batchSize ${batchSize} must be at least 1`);
  const limit = Math.min(batchSize, MAX_CUSTOM_OBJECTS);

  const filter: [number, string][] = [];
  for (const a of params.customObjKeyList?.attribute ?? []) {
    const k = matchName(type.keys, a.attrName ?? '');
    if (!k) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `customObjKeyList names "${echo(a.attrName)}", which is not a key of ${type.name} (keys: ${type.keys.join(', ')})`,
      );
    }
    filter.push([type.keys.indexOf(k), (a.attrValue ?? '').trim()]);
  }
  const items = params.includeAttributes?.stringItem ?? [];
  let include: Set<string> | undefined;
  if (items.length) {
    include = new Set();
    const unknown: string[] = [];
    for (const n of items) {
      const f = matchName(
        type.fields.map((x) => x.name),
        n,
      );
      if (f) include.add(f);
      else if (!matchName(type.keys, n)) unknown.push(n);
    }
    if (unknown.length) {
      throw new MktowsFault(
        FAULT.BAD_PARAMETER,
        `includeAttributes names unknown fields of ${type.name}: ${echoList(unknown)}`,
      );
    }
  }

  const sel = selectorHash({
    op: 'getCustomObjects',
    type: type.name,
    filter,
    include: include && [...include].sort(),
  });
  const { after, os } = ctx.streams.cursor(params.streamPosition, sel);
  const matching: CustomObject[] = [];
  for (let cursor = after; ; ) {
    const chunk = await ctx.store.customObjects.scanCustomObjects(type.name, cursor, SCAN_CHUNK);
    for (const o of chunk) if (filter.every(([i, v]) => o.keyValues[i] === v)) matching.push(o);
    if (chunk.length < SCAN_CHUNK) break;
    cursor = chunk[chunk.length - 1].id;
  }
  const page = matching.slice(0, limit);
  if (params.streamPosition && page.length === 0) {
    throw new MktowsFault(
      FAULT.STREAM_AT_END,
      `Stream position is at the end of the stream: no more ${type.name} objects`,
    );
  }
  const remaining = matching.length - page.length;
  const newStreamPosition =
    remaining > 0 ? ctx.streams.encode({ sel, after: page[page.length - 1].id, os: os + page.length }) : '';
  return {
    objTypeName: type.name,
    returnCount: page.length,
    remainingCount: remaining,
    newStreamPosition,
    customObjList: { customObj: page.map((o) => toCustomObj(type, o, include)) },
  };
};
