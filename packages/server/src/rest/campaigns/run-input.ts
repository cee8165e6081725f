/**
 * The bodies of trigger.json and schedule.json: `{input: {leads, tokens}}` and
 * `{input: {runAt, tokens, cloneToProgramName}}`. Bad input is refused before anything is written.
 */
import { RestError } from '@mktows/protocol';
import { MAX_CAMPAIGN_LEADS } from '../../domain/campaign-runs.js';
import { MY_TOKEN } from '../../domain/campaigns.js';
import type { TokenPairs } from '../../store/campaign-store.js';
import { parseDateTime } from '../params.js';

/** Marketo's limit of My Tokens per trigger or schedule call. */
export const MAX_RUN_TOKENS = 100;
/** schedule.json: a run is never sooner than this after the call, nor later than two years. */
export const MIN_SCHEDULE_DELAY_MS = 5 * 60_000;
export const MAX_SCHEDULE_AHEAD_MS = 2 * 365 * 86_400_000;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `input` object; an absent body is an empty input (schedule.json's body is optional). */
export function runInput(body: unknown, required: boolean): Obj {
  if (body === undefined && !required) return {};
  if (!isObject(body)) throw new RestError(1003, 'The request body must be a JSON object with an input object');
  const input = body.input;
  if (input === undefined && !required) return {};
  if (input === undefined) throw new RestError(1002, "Missing value for the required parameter 'input'");
  if (!isObject(input)) throw new RestError(1003, 'input must be a JSON object');
  return input;
}

/** `input.leads` as ids in order, each once: 1003 when absent, empty or above 100, 1001 for a bad id. */
export function leadIds(input: Obj): number[] {
  const leads = input.leads;
  if (!Array.isArray(leads) || leads.length === 0) throw new RestError(1003, 'Lead ids not specified');
  if (leads.length > MAX_CAMPAIGN_LEADS)
    throw new RestError(1003, `Too many leads: ${leads.length}; the maximum is ${MAX_CAMPAIGN_LEADS}`);
  const ids: number[] = [];
  for (const l of leads) {
    const id = isObject(l) ? l.id : undefined;
    const ok =
      (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) ||
      (typeof id === 'string' && /^\d{1,15}$/.test(id));
    if (!ok)
      throw new RestError(
        1001,
        `Invalid value '${JSON.stringify(isObject(l) ? (l.id ?? null) : l)}'. Required of type 'Integer'`,
      );
    const n = Number(id);
    if (!ids.includes(n)) ids.push(n);
  }
  return ids;
}

/** `input.tokens` as pairs, later values winning: 1003 for a name that is not `{{my.name}}` or above 100. */
export function runTokens(input: Obj): TokenPairs {
  const tokens = input.tokens;
  if (tokens === undefined || tokens === null) return [];
  if (!Array.isArray(tokens)) throw new RestError(1003, 'tokens must be an array of {name, value}');
  if (tokens.length > MAX_RUN_TOKENS)
    throw new RestError(1003, `Too many tokens: ${tokens.length}; the maximum is ${MAX_RUN_TOKENS}`);
  const out = new Map<string, string>();
  for (const t of tokens) {
    const name = isObject(t) && typeof t.name === 'string' ? t.name.trim() : '';
    if (!MY_TOKEN.test(name))
      throw new RestError(
        1003,
        `Invalid token name '${isObject(t) ? String(t.name ?? '') : ''}': a My Token is written {{my.name}}`,
      );
    const value = isObject(t) ? t.value : undefined;
    if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number')
      throw new RestError(1003, `Token ${name}: the value must be text`);
    out.set(name, value === undefined || value === null ? '' : String(value));
  }
  return [...out];
}

/**
 * When a scheduled run starts: `runAt`, but never sooner than five minutes after the call (absent:
 * five minutes after it), as Marketo's REST schedules; 1042 beyond two years.
 */
export function runAt(input: Obj, now: number): number {
  const earliest = now + MIN_SCHEDULE_DELAY_MS;
  const v = input.runAt;
  if (v === undefined || v === null || v === '') return earliest;
  if (typeof v !== 'string') throw new RestError(1001, `Invalid value '${JSON.stringify(v)}'. Required of type 'Date'`);
  const at = parseDateTime(v);
  if (at > now + MAX_SCHEDULE_AHEAD_MS) throw new RestError(1042);
  return Math.max(at, earliest);
}

/** `input.cloneToProgramName` (the Adobe page also spells it `cloneToProgram`). */
export function cloneTo(input: Obj): string | null {
  const v = input.cloneToProgramName ?? input.cloneToProgram;
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new RestError(1003, 'cloneToProgramName must be text');
  return v.trim() || null;
}
