/** getCustomObjects on the bridge (MAPPING.md row 21). */
import { type Attribute, echo, echoList, FAULT, MktowsFault } from '@mktows/protocol';
import { wireAttributes } from '../../domain/custom-objects.js';
import { selectorHash } from '../../domain/stream-position.js';
import {
  type BridgeCustomObjectType,
  type CustomObjectField,
  customObjectPath,
  customObjectRest,
  customObjectText,
  customObjectType,
} from '../custom-object-type.js';
import type { UpstreamRequest } from '../upstream.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

/** Records per SOAP batch (the emulator's limit, within REST's 300). */
const MAX_BATCH = 100;

const bad = (message: string) => new MktowsFault(FAULT.BAD_PARAMETER, message);

/** The REST query for the key values given: all dedupe fields, or one searchable key. */
function queryOf(
  type: BridgeCustomObjectType,
  filter: readonly [CustomObjectField, string][],
  fields: readonly string[],
  batchSize: number,
): { req: UpstreamRequest; local: [CustomObjectField, string][] } {
  const path = `${customObjectPath(type.name)}.json`;
  const full = type.keys.length > 0 && type.keys.every((k) => filter.some(([f]) => f.rest === k.rest));
  if (full && type.keys.length > 1) {
    // A compound key goes as JSON input records: POST …?_method=GET (REST's only form for it).
    const input = Object.fromEntries(type.keys.map((k) => [k.rest, filter.find(([f]) => f.rest === k.rest)?.[1]]));
    return {
      req: {
        method: 'POST',
        path,
        query: { _method: 'GET' },
        json: { filterType: 'dedupeFields', fields, input: [input], batchSize },
        idempotent: true,
      },
      local: [],
    };
  }
  // One key filters in REST (a searchable one if there is); the others are checked here.
  const [first] = [...filter].sort(
    (a, b) => Number(type.searchable.has(b[0].rest)) - Number(type.searchable.has(a[0].rest)),
  );
  const filterType = full ? 'dedupeFields' : first[0].rest;
  return {
    req: { method: 'GET', path, query: { filterType, filterValues: first[1], fields, batchSize } },
    local: filter.filter((f) => f !== first),
  };
}

export const getCustomObjects: BridgeOperation<'getCustomObjects'> = {
  rest: [
    'GET /rest/v1/customobjects/<objTypeName>/describe.json (cached)',
    'all keys of a compound key: POST /rest/v1/customobjects/<objTypeName>.json?_method=GET {filterType:"dedupeFields", fields, input:[keys], batchSize}',
    'otherwise: GET /rest/v1/customobjects/<objTypeName>.json?filterType=<a key>&filterValues=<value>&fields=<every field, or includeAttributes>&batchSize&nextPageToken',
  ],
  differences: [
    'No customObjKeyList (every record of the type): 20109, REST reads custom objects only by a filter.',
    'remainingCount is 0 at the end, else 1 (REST gives no count: a flag, as B5 decides).',
    'A key REST cannot filter on (1011/1006) is 20110.',
    'The lead link field shows as MKTOID whatever REST calls it (leadId on most instances).',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const type = await customObjectType(call, params.objTypeName);
    const batchSize = params.batchSize ?? MAX_BATCH;
    if (batchSize < 1) throw bad(`batchSize ${batchSize} must be at least 1`);
    const limit = Math.min(batchSize, MAX_BATCH);

    const filter: [CustomObjectField, string][] = [];
    for (const a of params.customObjKeyList?.attribute ?? []) {
      const k = type.key(a.attrName ?? '');
      if (!k) {
        throw bad(
          `customObjKeyList names "${echo(a.attrName)}", which is not a key of ${type.name} (keys: ${type.keys.map((x) => x.soap).join(', ')})`,
        );
      }
      filter.push([k, (a.attrValue ?? '').trim()]);
    }
    const items = params.includeAttributes?.stringItem ?? [];
    let include: CustomObjectField[] = [...type.fields];
    if (items.length) {
      include = [];
      const unknown: string[] = [];
      for (const n of items) {
        const f = type.field(n);
        if (f) include.push(f);
        else if (!type.key(n)) unknown.push(n);
      }
      if (unknown.length) throw bad(`includeAttributes names unknown fields of ${type.name}: ${echoList(unknown)}`);
    }
    // Checked after the parameters the emulator checks: their faults come first, as there.
    if (filter.length === 0) {
      throw new MktowsFault(
        FAULT.PARAMETER_REQUIRED,
        `getCustomObjects needs a customObjKeyList: Marketo's REST API reads ${type.name} records only by key`,
      );
    }
    const fields = [...new Set([...type.keys, ...include].map((f) => f.rest))];

    const sel = selectorHash({
      op: 'getCustomObjects',
      type: type.name,
      filter: filter.map(([f, v]) => [f.rest, v]),
      include: [...new Set(include.map((f) => f.rest))].sort(),
    });
    let os = 0;
    let token: string | undefined;
    if (params.streamPosition) {
      const state = ctx.streams.decode(params.streamPosition, sel);
      os = state.os;
      token = typeof state.tk === 'string' ? state.tk : undefined;
      if (!token) {
        throw new MktowsFault(
          FAULT.STREAM_AT_END,
          `Stream position is at the end of the stream: no more ${type.name} objects`,
        );
      }
    }
    const { req, local } = queryOf(type, filter, fields, limit);
    if (token) {
      if (req.json) (req.json as Record<string, unknown>).nextPageToken = token;
      else req.query = { ...req.query, nextPageToken: token };
    }
    const body = await (async () => {
      try {
        return await customObjectRest(call, type.name, req);
      } catch (e) {
        const code = (e as { restCode?: number }).restCode;
        if (code === 1011 || code === 1006)
          throw bad(`Marketo cannot look ${type.name} records up by this key: ${(e as Error).message}`);
        throw e;
      }
    })();
    const records = ((body.result ?? []) as Record<string, unknown>[]).filter((r) =>
      local.every(([f, v]) => customObjectText(r[f.rest]) === v),
    );
    if (params.streamPosition && records.length === 0) {
      throw new MktowsFault(
        FAULT.STREAM_AT_END,
        `Stream position is at the end of the stream: no more ${type.name} objects`,
      );
    }
    const more = body.moreResult === true && typeof body.nextPageToken === 'string' && body.nextPageToken !== '';
    const shown = new Set(include.map((f) => f.rest));
    const customObj = records.map((r) => {
      const keys: [string, string][] = type.keys.map((k) => [k.soap, customObjectText(r[k.rest])]);
      const attrs: [string, string][] = type.fields
        .filter((f) => shown.has(f.rest))
        .map((f): [string, string] => [f.soap, customObjectText(r[f.rest])])
        .filter(([, v]) => v !== '');
      return {
        customObjKeyList: { attribute: wireAttributes(keys) },
        customObjAttributeList: attrs.length ? { attribute: wireAttributes(attrs) as Attribute[] } : null,
      };
    });
    return {
      objTypeName: type.name,
      returnCount: customObj.length,
      remainingCount: more ? 1 : 0,
      newStreamPosition: more
        ? ctx.streams.encode({ sel, after: 0, os: os + customObj.length, tk: body.nextPageToken })
        : '',
      customObjList: { customObj },
    };
  },
};
