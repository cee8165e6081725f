/**
 * The seed's `activities` section: historical activity (Visit Webpage, Open Email, Click Link,
 * Fill Out Form…) so that a store looks lived-in.
 *
 *   activities: [{ lead: email | id, type: 'Visit Webpage', at: ISO date-time, asset?: string,
 *                  campaign?: string, attributes?: { name: value } }]
 *
 * `type` is a display name or an ActivityType token. Validated with the rest of the document and
 * written in its transaction after the leads exist, in time order, so that ids follow time among
 * the seeded activities. Like Marketo's anonymous web activity that joins a lead once it is known,
 * seeded activity may predate the lead's New Lead.
 */
import { parseLenientDateTime } from '@mktows/protocol';
import { activity } from '../domain/activities.js';
import { type ActivityTypeDef, activityByName, activityByToken } from '../domain/activity-types.js';
import type { StoreTx } from '../store/store.js';
import { type SeedDocument, SeedError } from './seed-document.js';

export interface ActivitySeed {
  lead: string | number;
  type: string;
  at: string;
  asset?: string;
  campaign?: string;
  attributes?: Record<string, string | number | boolean>;
}

export interface ParsedActivity {
  index: number;
  lead: string | number;
  type: ActivityTypeDef;
  at: number;
  asset: string | null;
  campaign: string | null;
  attributes: [string, string][];
}

const FIELDS = new Set(['lead', 'type', 'at', 'asset', 'campaign', 'attributes']);

export function parseActivitySeed(doc: SeedDocument): ParsedActivity[] {
  const v = doc.activities;
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError('seed: "activities" must be an array');
  return v.map((a: unknown, i): ParsedActivity => {
    const where = `activities[${i}]`;
    if (!a || typeof a !== 'object' || Array.isArray(a)) throw new SeedError(`seed: ${where} must be an object`);
    const o = a as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!FIELDS.has(k)) throw new SeedError(`seed: ${where}.${k} is not a field; expected ${[...FIELDS].join(', ')}`);
    }
    const lead = o.lead;
    if (!((typeof lead === 'string' && lead.trim() !== '') || (Number.isInteger(lead) && (lead as number) > 0))) {
      throw new SeedError(`seed: ${where}.lead must be a lead's e-mail or a positive integer id`);
    }
    const typeText = typeof o.type === 'string' ? o.type : '';
    const type = activityByName(typeText) ?? activityByToken(typeText);
    if (!type) throw new SeedError(`seed: ${where}.type ${JSON.stringify(o.type)} is not an activity type`);
    const at = typeof o.at === 'string' ? parseLenientDateTime(o.at) : undefined;
    if (!at) throw new SeedError(`seed: ${where}.at ${JSON.stringify(o.at)} is not an ISO date-time`);
    for (const k of ['asset', 'campaign'] as const) {
      if (o[k] !== undefined && typeof o[k] !== 'string') throw new SeedError(`seed: ${where}.${k} must be a string`);
    }
    const attrs = o.attributes ?? {};
    if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
      throw new SeedError(`seed: ${where}.attributes must be an object of name: value`);
    }
    const attributes: [string, string][] = [];
    for (const [name, value] of Object.entries(attrs)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new SeedError(`seed: ${where}.attributes.${name} must be a string, number or boolean`);
      }
      attributes.push([name, String(value)]);
    }
    return {
      index: i,
      lead: lead as string | number,
      type,
      at: at.getTime(),
      asset: (o.asset as string | undefined) ?? null,
      campaign: (o.campaign as string | undefined) ?? null,
      attributes,
    };
  });
}

/** Writes the parsed activities; a lead that does not exist refuses the whole seed. */
export async function applyActivitySeed(tx: StoreTx, parsed: readonly ParsedActivity[]): Promise<number> {
  const byLead = new Map<string | number, number>();
  const rows = [];
  for (const p of [...parsed].sort((a, b) => a.at - b.at || a.index - b.index)) {
    let leadId = byLead.get(p.lead);
    if (leadId === undefined) {
      const [lead] =
        typeof p.lead === 'number'
          ? await tx.findLeads({ by: 'IDNUM', value: p.lead })
          : await tx.findLeads({ by: 'EMAIL', value: p.lead.trim() });
      if (!lead) throw new SeedError(`seed: activities[${p.index}].lead ${JSON.stringify(p.lead)} matches no lead`);
      leadId = lead.id;
      byLead.set(p.lead, leadId);
    }
    rows.push(activity(p.type, leadId, p.at, p.attributes, { asset: p.asset, campaign: p.campaign }));
  }
  await tx.appendActivities(rows);
  return rows.length;
}
