/** `leads/describe.json` and `leads/describe2.json`: the lead fields with REST and SOAP names, from the one field table. */
import type { LeadSchema } from '../../domain/lead-schema.js';
import { type RestField, restFields } from './lead-fields.js';
import { FILTER_TYPES } from './query.js';

/** describe.json: one entry per field, `rest` and (where the field has one) `soap` names, as the recordings. */
export function describe(schema: LeadSchema): Record<string, unknown>[] {
  return [...restFields(schema).values()].map((f, i) => ({
    id: i + 1,
    displayName: f.displayName,
    dataType: f.dataType,
    ...(f.length !== undefined ? { length: f.length } : {}),
    rest: { name: f.rest, readOnly: f.readOnly },
    ...(f.def ? { soap: { name: f.def.name, readOnly: f.def.readOnly } } : {}),
  }));
}

function field2(f: RestField): Record<string, unknown> {
  return {
    name: f.rest,
    displayName: f.displayName,
    dataType: f.dataType,
    ...(f.length !== undefined ? { length: f.length } : {}),
    updateable: !f.readOnly,
    crmManaged: false,
  };
}

/** describe2.json: `{name, searchableFields, fields}` (swagger LeadAttribute2). */
export function describe2(schema: LeadSchema): Record<string, unknown>[] {
  return [
    {
      name: 'API Lead',
      searchableFields: Object.keys(FILTER_TYPES).map((k) => [k]),
      fields: [...restFields(schema).values()].map(field2),
    },
  ];
}
