/**
 * POST /rest/asset/v1/program/{id}.json, minimal: `description`, `tags` and `costs` (form fields,
 * or a JSON body). A tag sets its type's value and keeps the program's other tags; the type must be
 * in the tag catalogue (domain/tags.ts) and, when the catalogue lists values, the value one of them.
 * Costs (`[{startDate, cost, note}]`) are added to the program's, or with `costsDestructiveUpdate`
 * replace them in order; a replacement with fewer costs than the program has is refused with 1003
 * (the store keeps costs once added). The other fields of Marketo's update (name, dates) are
 * refused with 1003: renaming would change what SOAP campaign calls name.
 */
import { RestError } from '@mktows/protocol';
import { tagCatalogue } from '../../domain/tags.js';
import type { Tag } from '../../store/mobject-store.js';
import type { Store } from '../../store/store.js';
import type { RestRequest } from '../route.js';

/** Marketo's limit on asset descriptions. */
export const MAX_DESCRIPTION = 2000;
const UNSUPPORTED = ['name', 'startDate', 'endDate'];

function field(req: RestRequest, name: string): unknown {
  if (req.body && typeof req.body === 'object' && !Array.isArray(req.body))
    return (req.body as Record<string, unknown>)[name];
  return req.query.get(name) ?? undefined;
}

/** A JSON array given as a JSON text (a form field) or already parsed (a JSON body); undefined when unreadable. */
function jsonValue(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function parseTags(raw: unknown): { tagType: string; tagValue: string }[] {
  const v = jsonValue(raw);
  const bad = () => new RestError(1003, 'tags must be a JSON array of {"tagType": …, "tagValue": …}');
  if (!Array.isArray(v)) throw bad();
  return v.map((t) => {
    if (typeof t?.tagType !== 'string' || typeof t?.tagValue !== 'string' || !t.tagType.trim()) throw bad();
    return { tagType: t.tagType.trim(), tagValue: t.tagValue.trim() };
  });
}

interface CostInput {
  month: string;
  amount: string;
  note: string | null;
}

function parseCosts(raw: unknown): CostInput[] {
  const v = jsonValue(raw);
  const bad = () =>
    new RestError(1003, 'costs must be a JSON array of {"startDate": "yyyy-MM-dd", "cost": <integer>, "note": …}');
  if (!Array.isArray(v)) throw bad();
  return v.map((c) => {
    const start = typeof c?.startDate === 'string' ? c.startDate.trim() : '';
    if (!/^\d{4}-(0[1-9]|1[0-2])-\d{2}$/.test(start) || typeof c?.cost !== 'number' || !Number.isFinite(c.cost))
      throw bad();
    if (c.note !== undefined && c.note !== null && typeof c.note !== 'string') throw bad();
    return { month: start.slice(0, 7), amount: String(c.cost), note: c.note ? c.note : null };
  });
}

export async function updateProgram(store: Store, id: number, req: RestRequest, now: number): Promise<void> {
  for (const name of UNSUPPORTED)
    if (field(req, name) !== undefined)
      throw new RestError(1003, `${name} cannot be updated through this endpoint here`);
  const description = field(req, 'description');
  const rawTags = field(req, 'tags');
  const rawCosts = field(req, 'costs');
  if (description === undefined && rawTags === undefined && rawCosts === undefined)
    throw new RestError(1003, 'Nothing to update: send description, tags or costs');
  const costs = rawCosts === undefined ? undefined : parseCosts(rawCosts);
  const destructive = String(field(req, 'costsDestructiveUpdate') ?? 'false').toLowerCase() === 'true';
  if (description !== undefined && typeof description !== 'string')
    throw new RestError(1003, 'description must be text');
  if (typeof description === 'string' && description.length > MAX_DESCRIPTION)
    throw new RestError(1003, `description is ${description.length} characters; the maximum is ${MAX_DESCRIPTION}`);
  const tags = rawTags === undefined ? undefined : parseTags(rawTags);
  const catalogue = tags ? await tagCatalogue(store.campaigns) : undefined;
  await store.transaction(async (tx) => {
    const program = await tx.mobjects.getProgram(id);
    if (!program) throw new RestError(1013, `Program '${id}' not found`);
    if (typeof description === 'string') await tx.mobjects.setProgramDetails(id, { description }, now);
    if (tags && catalogue) {
      const next: Tag[] = [...program.tags];
      for (const t of tags) {
        const known = catalogue.get(t.tagType.toLowerCase());
        if (!known) throw new RestError(1003, `Tag type '${t.tagType}' not found`);
        if (known.values.length && !known.values.some((v) => v.toLowerCase() === t.tagValue.toLowerCase()))
          throw new RestError(1003, `'${t.tagValue}' is not a value of tag type '${known.type}'`);
        const value = known.values.find((v) => v.toLowerCase() === t.tagValue.toLowerCase()) ?? t.tagValue;
        const at = next.findIndex((x) => x.type.toLowerCase() === known.type.toLowerCase());
        if (at >= 0) next[at] = { type: known.type, value };
        else next.push({ type: known.type, value });
      }
      await tx.mobjects.setProgramTags(id, program.channel, next, now);
    }
    if (costs) {
      const replaced = destructive ? program.costs : [];
      if (costs.length < replaced.length)
        throw new RestError(1003, `costsDestructiveUpdate with ${costs.length} costs cannot remove costs here`);
      for (const [i, c] of costs.entries()) {
        if (i < replaced.length) await tx.mobjects.updateProgramCost(id, { id: replaced[i].id, ...c }, now);
        else await tx.mobjects.addProgramCost(id, c, now);
      }
    }
  });
}
