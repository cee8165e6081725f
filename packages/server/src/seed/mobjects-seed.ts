/**
 * The seed's MObject and custom-object parts beyond what seed.ts writes itself: program details
 * (type, folder, archive flag, CRM id, My Tokens, period costs), opportunity person roles, and the
 * link field of custom object types. Validated with the rest of the document, applied in its
 * transaction after programs, opportunities and types exist.
 */
import type { StoreTx } from '../store/store.js';
import { type OpportunityRoleSeed, type ProgramSeedExtras, type SeedDocument, SeedError } from './seed-document.js';

interface ParsedProgram {
  name: string;
  details: {
    type?: string;
    treePath?: string;
    archived?: boolean;
    crmId?: string;
    tokens?: ProgramSeedExtras['tokens'];
  };
  costs: { month: string; amount: string; note: string | null }[];
}

export interface ObjectSeed {
  programs: ParsedProgram[];
  roles: OpportunityRoleSeed[];
  linkFields: { type: string; linkField: string | null }[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

function text(v: unknown, where: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new SeedError(`seed: ${where} must be a non-empty string`);
  return v;
}

function key(v: unknown, where: string): string | number {
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  if (typeof v === 'string' && v.trim() !== '') return v;
  throw new SeedError(`seed: ${where} must be a non-empty string or a positive integer id`);
}

/** Validates the parts of a document this module applies; throws SeedError naming the bad value. */
export function parseObjectSeed(d: SeedDocument): ObjectSeed {
  const programs: ParsedProgram[] = [];
  for (const [i, p] of (Array.isArray(d.programs) ? d.programs : []).entries()) {
    const x = p as ProgramSeedExtras & { name: string };
    const where = `programs[${i}]`;
    const details: ParsedProgram['details'] = {};
    if (x.type !== undefined) details.type = text(x.type, `${where}.type`);
    if (x.treePath !== undefined) details.treePath = text(x.treePath, `${where}.treePath`);
    if (x.crmId !== undefined) details.crmId = text(x.crmId, `${where}.crmId`);
    if (x.archived !== undefined) {
      if (typeof x.archived !== 'boolean') throw new SeedError(`seed: ${where}.archived must be a boolean`);
      details.archived = x.archived;
    }
    if (x.tokens !== undefined) {
      if (!Array.isArray(x.tokens)) throw new SeedError(`seed: ${where}.tokens must be an array`);
      details.tokens = x.tokens.map((t, j) => ({
        name: text(t?.name, `${where}.tokens[${j}].name`),
        value: typeof t?.value === 'string' ? t.value : text(undefined, `${where}.tokens[${j}].value`),
      }));
    }
    const costs = (x.costs ?? []).map((c, j) => {
      const month = text(c?.month, `${where}.costs[${j}].month`);
      if (!MONTH.test(month)) throw new SeedError(`seed: ${where}.costs[${j}].month "${month}" must be YYYY-MM`);
      const amount = String(c.amount ?? '').trim();
      if (!NUMBER.test(amount)) throw new SeedError(`seed: ${where}.costs[${j}].amount must be a number`);
      return { month, amount: String(Number(amount)), note: c.note ?? null };
    });
    programs.push({ name: String(x.name), details, costs });
  }

  const rawRoles = d.opportunityRoles;
  if (rawRoles !== undefined && !Array.isArray(rawRoles))
    throw new SeedError('seed: "opportunityRoles" must be an array');
  const roles = ((rawRoles ?? []) as OpportunityRoleSeed[]).map((r, i) => {
    const where = `opportunityRoles[${i}]`;
    if (!r || typeof r !== 'object') throw new SeedError(`seed: ${where} must be an object`);
    if (r.isPrimary !== undefined && typeof r.isPrimary !== 'boolean')
      throw new SeedError(`seed: ${where}.isPrimary must be a boolean`);
    return {
      opportunity: key(r.opportunity, `${where}.opportunity`),
      lead: key(r.lead, `${where}.lead`),
      role: r.role === undefined ? '' : String(r.role),
      isPrimary: r.isPrimary ?? false,
      ...(r.externalKey !== undefined ? { externalKey: text(r.externalKey, `${where}.externalKey`) } : {}),
    };
  });

  const linkFields = (Array.isArray(d.customObjectTypes) ? d.customObjectTypes : []).map((t, i) => {
    const x = t as { name: string; keys: string[]; linkField?: string | null };
    const keys = Array.isArray(x.keys) ? x.keys : [];
    if (x.linkField === undefined) {
      // By convention a key named MKTOID holds the id of a lead.
      return { type: x.name, linkField: keys.find((k) => k.toUpperCase() === 'MKTOID') ?? null };
    }
    if (x.linkField !== null && !keys.includes(x.linkField))
      throw new SeedError(`seed: customObjectTypes[${i}].linkField "${x.linkField}" must be one of its keys`);
    return { type: x.name, linkField: x.linkField };
  });
  return { programs, roles, linkFields };
}

/** Writes the parsed parts; programs, opportunities, leads and types must already be written. */
export async function applyObjectSeed(tx: StoreTx, seed: ObjectSeed, now: number): Promise<number> {
  for (const p of seed.programs) {
    if (Object.keys(p.details).length === 0 && p.costs.length === 0) continue;
    const found = await findProgramByName(tx, p.name);
    if (found === undefined) throw new SeedError(`seed: program "${p.name}" was not written`);
    if (Object.keys(p.details).length) await tx.mobjects.setProgramDetails(found, p.details, now);
    for (const c of p.costs) await tx.mobjects.addProgramCost(found, c, now);
  }
  for (const t of seed.linkFields) await tx.customObjects.setCustomObjectLinkField(t.type, t.linkField);
  for (const [i, r] of seed.roles.entries()) {
    const where = `opportunityRoles[${i}]`;
    const opp =
      typeof r.opportunity === 'number'
        ? await tx.mobjects.getOpportunity(r.opportunity)
        : await tx.mobjects.findOpportunityByKey(r.opportunity);
    if (!opp) throw new SeedError(`seed: ${where}.opportunity ${JSON.stringify(r.opportunity)} matches no opportunity`);
    const [lead] =
      typeof r.lead === 'number'
        ? await tx.findLeads({ by: 'IDNUM', value: r.lead })
        : await tx.findLeads({ by: 'EMAIL', value: r.lead });
    if (!lead) throw new SeedError(`seed: ${where}.lead ${JSON.stringify(r.lead)} matches no lead`);
    const role = r.role ?? '';
    const existing = await tx.mobjects.findOpportunityRoleFor(opp.id, lead.id, role);
    const values = {
      externalKey: r.externalKey ? { name: 'externalKey', value: r.externalKey } : (existing?.externalKey ?? null),
      opportunityId: opp.id,
      leadId: lead.id,
      role,
      isPrimary: r.isPrimary ?? false,
      externalCreatedDate: existing?.externalCreatedDate ?? null,
      updatedAt: now,
    };
    if (existing) await tx.mobjects.updateOpportunityRole({ ...existing, ...values });
    else await tx.mobjects.insertOpportunityRole({ ...values, createdAt: now });
  }
  return seed.roles.length;
}

async function findProgramByName(tx: StoreTx, name: string): Promise<number | undefined> {
  for (let after = 0; ; ) {
    const page = await tx.mobjects.scanPrograms(after, 500);
    if (page.length === 0) return undefined;
    const p = page.find((x) => x.name === name);
    if (p) return p.id;
    after = page[page.length - 1].id;
  }
}
