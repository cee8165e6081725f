/**
 * Seed documents (docs/seed-format.md): lead fields, owners, leads, lists and programs, merged into what
 * the store holds, in one transaction. A bad document is refused whole with a clear message.
 */
import type { LeadRecord } from '@mktows/protocol';
import { listActivity } from '../domain/activities.js';
import { LEAD_FIELD_TYPES, type LeadFieldDef, type LeadFieldType } from '../domain/lead-fields.js';
import { LeadSchema } from '../domain/lead-schema.js';
import { syncRecord, validateRecord } from '../domain/lead-sync.js';
import type { NewActivity, Store } from '../store/store.js';
import { applyActivitySeed, parseActivitySeed } from './activities-seed.js';
import { applyChannelSeed, parseChannelSeed } from './channels-seed.js';
import { applyObjectSeed, parseObjectSeed } from './mobjects-seed.js';
import { type SeedDocument, SeedError } from './seed-document.js';
import { applyTagTypeSeed, parseTagTypeSeed } from './tags-seed.js';

export type { SeedDocument };
export { SeedError };

export interface SeedSummary {
  leadFields: number;
  owners: number;
  leads: { created: number; updated: number };
  lists: number;
  listMembers: number;
  programs: number;
  campaigns: number;
  opportunities: number;
  customObjectTypes: number;
  /** Historical activities of the `activities` section (not the ones the writes append). */
  activities: number;
  /** The `tagTypes` catalogue (seed/tags-seed.ts). */
  tagTypes: number;
  /** The `channels` section (seed/channels-seed.ts). */
  channels: number;
}

const KNOWN = new Set([
  'leadFields',
  'owners',
  'leads',
  'lists',
  'programs',
  'opportunities',
  'customObjectTypes',
  'opportunityRoles',
  'activities',
  'tagTypes',
  'channels',
]);
const SOURCES = new Set(['MKTOWS', 'SALES']);

function arr<T>(doc: SeedDocument, key: string): T[] {
  const v = doc[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError(`seed: "${key}" must be an array`);
  return v as T[];
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new SeedError(`seed: ${where} must be a non-empty string`);
  return v;
}

/** Validates a document and applies it; nothing is written when any part is bad. */
export async function applySeed(
  store: Store,
  doc: unknown,
  now: number,
  opts: { replaceAll?: boolean } = {},
): Promise<SeedSummary> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new SeedError('seed: the document must be a JSON object');
  const d = doc as SeedDocument;
  for (const k of Object.keys(d)) {
    if (!KNOWN.has(k)) throw new SeedError(`seed: unknown section "${k}"; expected one of ${[...KNOWN].join(', ')}`);
  }

  const fields: LeadFieldDef[] = arr<NonNullable<SeedDocument['leadFields']>[number]>(d, 'leadFields').map((f, i) => {
    const name = str(f?.name, `leadFields[${i}].name`);
    if (!LEAD_FIELD_TYPES.includes(f.dataType as LeadFieldType)) {
      throw new SeedError(
        `seed: leadFields[${i}].dataType "${f.dataType}" must be one of ${LEAD_FIELD_TYPES.join(', ')}`,
      );
    }
    return {
      name,
      displayName: f.displayName ?? name,
      dataType: f.dataType as LeadFieldType,
      ...(f.length !== undefined ? { length: f.length } : {}),
      readOnly: false,
      custom: true,
    };
  });
  const existing = opts.replaceAll ? [] : await store.listCustomLeadFields();
  const schema = new LeadSchema([...existing, ...fields]);
  const customFields = fields.filter((f) => schema.field(f.name)?.custom);

  const owners = arr<NonNullable<SeedDocument['owners']>[number]>(d, 'owners').map((o, i) => ({
    email: str(o?.email, `owners[${i}].email`),
    sfdcId: o.sfdcId ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
  }));

  const leads = arr<Record<string, unknown>>(d, 'leads').map((l, i) => {
    if (!l || typeof l !== 'object') throw new SeedError(`seed: leads[${i}] must be an object`);
    const record: LeadRecord = { leadAttributeList: { attribute: [] } };
    for (const [k, v] of Object.entries(l)) {
      if (v === null || v === undefined) continue;
      const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (text === undefined) throw new SeedError(`seed: leads[${i}].${k} must be a string, number or boolean`);
      if (k === 'Email') record.Email = text;
      else if (k === 'ForeignSysPersonId') record.ForeignSysPersonId = text;
      else if (k === 'ForeignSysType') record.ForeignSysType = text as LeadRecord['ForeignSysType'];
      else if (k === 'Id') throw new SeedError(`seed: leads[${i}].Id cannot be set; ids are assigned in order`);
      else record.leadAttributeList?.attribute?.push({ attrName: k, attrValue: text });
    }
    try {
      return validateRecord(record, schema, `seed leads[${i}]`);
    } catch (e) {
      throw new SeedError(`seed: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  const lists: { name: string; program: string | null; members: (string | number)[] }[] = [];
  for (const [i, l] of arr<NonNullable<SeedDocument['lists']>[number]>(d, 'lists').entries()) {
    lists.push({ name: str(l?.name, `lists[${i}].name`), program: null, members: l.members ?? [] });
  }
  const programs = arr<NonNullable<SeedDocument['programs']>[number]>(d, 'programs').map((p, i) => {
    const name = str(p?.name, `programs[${i}].name`);
    for (const ln of p.lists ?? [])
      lists.push({ name: `${name}.${str(ln, `programs[${i}].lists[]`)}`, program: name, members: [] });
    const tags = (p.tags ?? []).map((t, j) => ({
      type: str(t?.type, `programs[${i}].tags[${j}].type`),
      value: str(t?.value, `programs[${i}].tags[${j}].value`),
    }));
    const campaigns = (p.campaigns ?? []).map((c, j) => {
      const where = `programs[${i}].campaigns[${j}]`;
      const kind = c?.kind ?? 'trigger';
      if (kind !== 'trigger' && kind !== 'batch')
        throw new SeedError(`seed: ${where}.kind must be "trigger" or "batch"`);
      const sources = c.sources ?? (kind === 'trigger' ? ['MKTOWS'] : []);
      for (const src of sources) {
        if (!SOURCES.has(src)) throw new SeedError(`seed: ${where}.sources: "${src}" must be MKTOWS or SALES`);
      }
      return { name: str(c?.name, `${where}.name`), kind, sources, description: c.description ?? '' } as const;
    });
    return { name, channel: p.channel ?? null, workspace: p.workspace ?? 'Default', tags, campaigns };
  });
  const opportunities = arr<NonNullable<SeedDocument['opportunities']>[number]>(d, 'opportunities').map((o, i) => {
    const { name, externalKey, ...fields } = o ?? {};
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        throw new SeedError(`seed: opportunities[${i}].${k} must be a string, number or boolean`);
      }
      attributes[k] = String(v);
    }
    return {
      name: str(name, `opportunities[${i}].name`),
      externalKey: externalKey === undefined ? null : str(externalKey, `opportunities[${i}].externalKey`),
      attributes,
    };
  });
  const objectTypes = arr<NonNullable<SeedDocument['customObjectTypes']>[number]>(d, 'customObjectTypes').map(
    (t, i) => {
      const name = str(t?.name, `customObjectTypes[${i}].name`);
      if (!Array.isArray(t.keys) || t.keys.length === 0)
        throw new SeedError(`seed: customObjectTypes[${i}].keys must name at least one key field`);
      const keys = t.keys.map((k, j) => str(k, `customObjectTypes[${i}].keys[${j}]`));
      const fields = (t.fields ?? []).map((f, j) => ({
        name: str(f?.name, `customObjectTypes[${i}].fields[${j}].name`),
        dataType: str(f?.dataType, `customObjectTypes[${i}].fields[${j}].dataType`),
      }));
      // Marketo allows at most 50 fields on a custom object.
      if (keys.length + fields.length > 50)
        throw new SeedError(`seed: customObjectTypes[${i}] has more than 50 fields`);
      return { name, keys, fields };
    },
  );

  const objectSeed = parseObjectSeed(d);
  const activitySeed = parseActivitySeed(d);
  const tagTypes = parseTagTypeSeed(d);
  const channels = parseChannelSeed(d);

  const summary: SeedSummary = {
    leadFields: customFields.length,
    owners: owners.length,
    leads: { created: 0, updated: 0 },
    lists: lists.length,
    listMembers: 0,
    programs: programs.length,
    campaigns: programs.reduce((n, p) => n + p.campaigns.length, 0),
    opportunities: opportunities.length,
    customObjectTypes: objectTypes.length,
    activities: 0,
    tagTypes: tagTypes.length,
    channels: channels.length,
  };
  await store.transaction(async (tx) => {
    // A reset with a seed empties and refills in one transaction: a bad seed changes nothing.
    if (opts.replaceAll) await tx.clearAll();
    await tx.upsertCustomLeadFields(customFields);
    for (const o of owners) await tx.upsertOwner(o);
    const leadActivities: NewActivity[] = [];
    for (const [i, input] of leads.entries()) {
      try {
        const r = await syncRecord(tx, schema, input, { now, dedup: true, activities: leadActivities });
        summary.leads[r.status === 'CREATED' ? 'created' : 'updated']++;
      } catch (e) {
        throw new SeedError(`seed: leads[${i}]: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await tx.appendActivities(leadActivities);
    for (const l of lists) {
      const list = await tx.upsertList(l.name, l.program);
      const ids: number[] = [];
      for (const m of l.members) {
        const found =
          typeof m === 'number'
            ? await tx.findLeads({ by: 'IDNUM', value: m })
            : await tx.findLeads({ by: 'EMAIL', value: String(m) });
        if (!found.length) throw new SeedError(`seed: list "${l.name}" member ${JSON.stringify(m)} matches no lead`);
        ids.push(found[0].id);
      }
      // New members are added as Marketo would log them: one Add to List each.
      const already = await tx.listMembersAmong(list.id, ids);
      const adding = [...new Set(ids)].filter((id) => !already.has(id));
      await tx.addListMembers(list.id, adding, now);
      await tx.appendActivities(adding.map((id) => listActivity('add', id, list, now)));
      summary.listMembers += ids.length;
    }
    for (const p of programs) {
      const programId = await tx.upsertProgram(p, now);
      for (const c of p.campaigns) await tx.upsertCampaign({ ...c, sources: [...c.sources], programId });
    }
    for (const o of opportunities) await tx.upsertOpportunity(o, now);
    for (const t of objectTypes) await tx.upsertCustomObjectType(t);
    await applyObjectSeed(tx, objectSeed, now);
    summary.activities = await applyActivitySeed(tx, activitySeed);
    await applyTagTypeSeed(tx, tagTypes);
    await applyChannelSeed(tx, channels);
  });
  return summary;
}
