/**
 * `leads/schema/fields.json` and `leads/schema/fields/{fieldApiName}.json`: the lead fields as
 * Swagger's LeadField, from the one field table. Nothing is hidden and no field is API-created
 * (custom fields come from the admin API or the seed); isHtmlEncodingInEmail is true for the text
 * types, as in Adobe's sample, where dates and booleans answer false.
 */
import { RestError, restMessage } from '@mktows/protocol';
import type { LeadSchema } from '../../domain/lead-schema.js';
import { type RestField, restFields } from './lead-fields.js';

const TEXT_TYPES: ReadonlySet<string> = new Set(['string', 'text', 'email', 'phone', 'url', 'textarea']);

export function leadFieldJson(f: RestField): Record<string, unknown> {
  return {
    displayName: f.displayName,
    name: f.rest,
    description: null,
    dataType: f.dataType,
    ...(f.length !== undefined ? { length: f.length } : {}),
    isHidden: false,
    isHtmlEncodingInEmail: TEXT_TYPES.has(f.dataType),
    isSensitive: true,
    isCustom: f.def?.custom === true,
    isApiCreated: false,
  };
}

export function allLeadFields(schema: LeadSchema): Record<string, unknown>[] {
  return [...restFields(schema).values()].map(leadFieldJson);
}

/** Decision: an unknown API name answers 1006 "Field '…' not found", as a read of that field does. */
export function leadFieldByName(schema: LeadSchema, name: string): Record<string, unknown> {
  const f = restFields(schema).get(name);
  if (!f) throw new RestError(1006, restMessage(1006, name));
  return leadFieldJson(f);
}
