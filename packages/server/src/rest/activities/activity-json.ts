/**
 * An activity as REST writes it: `{id, marketoGUID, leadId, activityDate, activityTypeId,
 * [campaignId], primaryAttributeValueId?, primaryAttributeValue?, attributes: [{name, value}]}`.
 * The stored record is the one SOAP getLeadActivity reads: its asset is the primary attribute's
 * value, and the attribute the type names as primary gives `primaryAttributeValueId` (the list id
 * of Add to List, the campaign id of Request Campaign); it is not repeated in `attributes` (the
 * field name of a Change Data Value is its primaryAttributeValue).
 * `marketoGUID` is the one SOAP records carry. Integer attributes are numbers, as Marketo's (`"Lead ID": 775`).
 * `campaignId` is the id of the smart campaign the store names (`Program.Campaign`), as Marketo
 * sends it; an activity whose campaign name matches no campaign has none.
 */
import { type ActivityTypeDef, activityById } from '../../domain/activity-types.js';
import type { Activity } from '../../store/store.js';

export function restDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function typed(type: ActivityTypeDef | undefined, name: string, value: string): string | number {
  const def = type?.primary?.name === name ? type.primary : type?.attributes?.find((a) => a.name === name);
  const isInt = def?.dataType === 'integer' || name === 'Lead ID';
  return isInt && /^-?\d+$/.test(value) ? Number(value) : value;
}

export function activityJson(a: Activity, campaignId?: number): Record<string, unknown> {
  const type = activityById(a.typeId);
  const primaryName = type?.primary?.name;
  const primary = primaryName === undefined ? undefined : a.attributes.find(([n]) => n === primaryName);
  const primaryId = primary && /^\d+$/.test(primary[1]) ? Number(primary[1]) : undefined;
  return {
    id: a.id,
    marketoGUID: a.guid,
    leadId: a.leadId,
    activityDate: restDate(a.occurredAt),
    activityTypeId: a.typeId,
    ...(campaignId !== undefined ? { campaignId } : {}),
    ...(primaryId !== undefined ? { primaryAttributeValueId: primaryId } : {}),
    ...(a.assetName !== null ? { primaryAttributeValue: a.assetName } : {}),
    attributes: a.attributes
      .filter(([n]) => n !== primaryName)
      .map(([name, value]) => ({ name, value: typed(type, name, value) })),
  };
}

/** `activities/types.json`: every type with an id, ascending. */
export function activityTypeJson(t: ActivityTypeDef): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    ...(t.description ? { description: t.description } : {}),
    ...(t.primary ? { primaryAttribute: { name: t.primary.name, dataType: t.primary.dataType } } : {}),
    attributes: (t.attributes ?? []).map((a) => ({ name: a.name, dataType: a.dataType })),
  };
}
