/**
 * Custom objects (Lead Database API): list, describe, query, sync and delete over the store SOAP's
 * getCustomObjects/syncCustomObjects/deleteCustomObjects use, with the same write rules
 * (domain/custom-objects.ts). Decision: REST field names are the type's own key and field names
 * (custom names are the same in both APIs); the key fields are the dedupe fields, and the link
 * field (MKTOID on the demo RoadShow) is a parent relationship to the lead id.
 */
import { RestError } from '@mktows/protocol';
import { fieldValues, RecordError, type RecordProblem, writeCustomObject } from '../../domain/custom-objects.js';
import type { CustomObject, CustomObjectReader, CustomObjectType } from '../../store/custom-object-store.js';
import { listParam } from '../request.js';
import type { RestRoute } from '../route.js';
import { idOfGuid, marketoGuid } from './guid.js';
import {
  checkRecordFields,
  deleteBody,
  describeObject,
  filterTexts,
  guidField,
  keyOfRecord,
  keyTexts,
  type ObjectField,
  type ObjectMeta,
  objectQuery,
  pageOf,
  perRecord,
  SkipRecord,
  textOf,
  timestampFields,
  typedValue,
  typeSummary,
  unique,
  unsearchable,
  type WriteAction,
  writeBody,
} from './lead-db-object.js';

function fieldType(type: CustomObjectType, name: string): string {
  if (name === type.linkField) return 'integer';
  return (type.fields.find((f) => f.name === name)?.dataType ?? 'string').toLowerCase();
}

function meta(type: CustomObjectType): ObjectMeta<CustomObject> {
  const own = (name: string, index: number | undefined): ObjectField<CustomObject> => {
    const dataType = fieldType(type, name);
    return {
      name,
      displayName: name,
      dataType,
      // Keys are set when a record is created and never changed (dedupe fields are not updateable).
      updateable: index === undefined,
      get: (o) => typedValue(dataType, index === undefined ? o.attributes[name] : o.keyValues[index]),
    };
  };
  return {
    name: type.name,
    displayName: type.name,
    dedupeFields: [...type.keys],
    searchableFields: [
      [...type.keys],
      ['marketoGUID'],
      ...(type.linkField && type.keys.length > 1 ? [[type.linkField]] : []),
    ],
    relationships: type.linkField
      ? [{ field: type.linkField, type: 'parent', related: { name: 'Lead', field: 'id' } }]
      : [],
    fields: [
      guidField((o) => marketoGuid('customObject', o.id)),
      ...timestampFields<CustomObject>(
        (o) => o.createdAt,
        (o) => o.updatedAt,
      ),
      ...type.keys.map((k, i) => own(k, i)),
      ...type.fields.map((f) => own(f.name, undefined)),
    ],
  };
}

/** The type a path names (case-insensitive, as SOAP); 1013 when there is none. */
async function typeOf(reader: CustomObjectReader, name: string): Promise<CustomObjectType> {
  const t = name.trim() ? await reader.getCustomObjectType(name) : undefined;
  if (!t) throw new RestError(1013, `Custom object type '${name}' not found`);
  return t;
}

const SCAN_CHUNK = 500;

/** Records of a type passing `keep`, in id order (the store is scanned; types are small here). */
async function scan(reader: CustomObjectReader, type: CustomObjectType, keep: (o: CustomObject) => boolean) {
  const out: CustomObject[] = [];
  for (let after = 0; ; ) {
    const chunk = await reader.scanCustomObjects(type.name, after, SCAN_CHUNK);
    out.push(...chunk.filter(keep));
    if (chunk.length < SCAN_CHUNK) return out;
    after = chunk[chunk.length - 1].id;
  }
}

async function byGuid(reader: CustomObjectReader, type: CustomObjectType, guid: string) {
  const id = idOfGuid('customObject', guid);
  if (id === undefined) return undefined;
  const [o] = await reader.scanCustomObjects(type.name, id - 1, 1);
  return o?.id === id ? o : undefined;
}

async function find(reader: CustomObjectReader, type: CustomObjectType, q: ReturnType<typeof objectQuery>) {
  const found: (CustomObject | undefined)[] = [];
  const ft = q.filterType;
  if (ft === 'marketoGUID' || ft === 'idField') {
    for (const v of filterTexts(q, 'marketoGUID')) found.push(await byGuid(reader, type, v));
  } else if (ft === 'dedupeFields') {
    if (q.input) {
      for (const r of q.input) {
        const keys = type.keys.map((k) => (r[k] === undefined || r[k] === null ? '' : String(r[k]).trim()));
        found.push(await reader.findCustomObject(type.name, keys));
      }
    } else if (type.keys.length === 1) {
      for (const v of q.values ?? []) found.push(await reader.findCustomObject(type.name, [v]));
    } else {
      throw new RestError(1003, `dedupeFields of ${type.name} are compound; send input records (POST ?_method=GET)`);
    }
  } else if (type.keys.includes(ft)) {
    const at = type.keys.indexOf(ft);
    const values = new Set(filterTexts(q, ft));
    found.push(...(await scan(reader, type, (o) => values.has(o.keyValues[at]))));
  } else {
    throw unsearchable(meta(type), ft);
  }
  return unique(
    found.filter((o): o is CustomObject => o !== undefined),
    (o) => o.id,
  );
}

const CODE: Record<RecordProblem, 1003 | 1004 | 1013 | 1017> = {
  invalid: 1003,
  'no-lead': 1004,
  exists: 1017,
  missing: 1013,
};

const MODE = { createOnly: 'INSERT', updateOnly: 'UPDATE', createOrUpdate: 'UPSERT' } as const;

/** Domain record errors as REST reasons: the problem picks the code, the message stays. */
async function recordStep<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RecordError) throw new SkipRecord(CODE[e.problem], e.message);
    throw e;
  }
}

export const CUSTOM_OBJECT_ROUTES: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/rest/v1/customobjects.json',
    operationId: 'listCustomObjectsUsingGET',
    handler: async (req, { rt }) => {
      const names = listParam(req.query, 'names')?.map((n) => n.toLowerCase());
      const types = await rt.store.customObjects.listCustomObjectTypes();
      return {
        result: types.filter((t) => !names || names.includes(t.name.toLowerCase())).map((t) => typeSummary(meta(t))),
      };
    },
  },
  {
    method: 'GET',
    path: '/rest/v1/customobjects/{customObjectName}/describe.json',
    operationId: 'describeUsingGET_1',
    handler: async (req, { rt }) => ({
      result: [describeObject(meta(await typeOf(rt.store.customObjects, req.params.customObjectName)))],
    }),
  },
  {
    method: 'GET',
    path: '/rest/v1/customobjects/{customObjectName}.json',
    operationId: 'getCustomObjectsUsingGET',
    handler: async (req, { rt }) => {
      const type = await typeOf(rt.store.customObjects, req.params.customObjectName);
      const q = objectQuery(req);
      return pageOf(meta(type), q, await find(rt.store.customObjects, type, q));
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/customobjects/{customObjectName}.json',
    operationId: 'syncCustomObjectsUsingPOST',
    handler: async (req, { rt, now }) => {
      const type = await typeOf(rt.store.customObjects, req.params.customObjectName);
      const m = meta(type);
      const b = writeBody(req);
      const byId = b.dedupeBy === 'idField';
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord(byId ? ['marketoGUID'] : type.keys), async (rec) => {
          checkRecordFields(m, rec, byId ? [] : type.keys);
          let keys: string[];
          if (byId) {
            const o = await byGuid(tx.customObjects, type, keyTexts(rec, ['marketoGUID'])[0]);
            if (!o) throw new SkipRecord(1013);
            keys = o.keyValues;
          } else keys = keyTexts(rec, type.keys);
          const attrs = Object.entries(rec)
            .filter(([k]) => type.fields.some((f) => f.name === k))
            .map(([attrName, v]) => ({ attrName, attrValue: textOf(attrName, v) }));
          const w = await recordStep(async () =>
            writeCustomObject(tx, type, keys, fieldValues(type, attrs), MODE[b.action as WriteAction], now),
          );
          return {
            status: w.status === 'CREATED' ? 'created' : 'updated',
            marketoGUID: marketoGuid('customObject', w.id),
          };
        }),
      );
      return { result };
    },
  },
  {
    method: 'POST',
    path: '/rest/v1/customobjects/{customObjectName}/delete.json',
    operationId: 'deleteCustomObjectsUsingPOST',
    handler: async (req, { rt }) => {
      const type = await typeOf(rt.store.customObjects, req.params.customObjectName);
      const b = deleteBody(req);
      const byId = b.deleteBy === 'idField';
      const keyNames = byId ? ['marketoGUID'] : type.keys;
      const result = await rt.store.transaction((tx) =>
        perRecord(b.input, keyOfRecord(keyNames), async (rec) => {
          const keys = keyTexts(rec, keyNames);
          const o = byId
            ? await byGuid(tx.customObjects, type, keys[0])
            : await tx.customObjects.findCustomObject(type.name, keys);
          if (!o) throw new SkipRecord(1013);
          await tx.customObjects.deleteCustomObject(o.id);
          return { marketoGUID: marketoGuid('customObject', o.id), status: 'deleted' };
        }),
      );
      return { result };
    },
  },
];
