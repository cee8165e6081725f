/**
 * Fault injection: rules by operation and user, with a count, a probability and a delay. Rules
 * apply after authentication and admission, so a delayed call holds its concurrency lease.
 * Checking a rule (`parseFaultRule`) is apart from keeping rules (`FaultRules`), so every
 * operator-state backend refuses the same input with the same message.
 */
import { type FaultCode, isFaultCode, isRestErrorCode, type RestErrorCode } from '@mktows/protocol';

/**
 * What an HTTP-level rule does to the exchange, for client suites that test their own resilience:
 * `503` answers 503 with a short body; `reset` destroys the connection with no response; `truncate`
 * sends half the real response under its full Content-Length; `malformed` answers 200 with a body
 * that is neither XML nor JSON; `slow-first-byte` holds the real response delayMs before any byte.
 */
export const HTTP_FAULTS = ['503', 'reset', 'truncate', 'malformed', 'slow-first-byte'] as const;
export type HttpFault = (typeof HTTP_FAULTS)[number];

/** True for the kinds that stand in for the handler: the call does nothing in the store. */
export function replacesResponse(kind: HttpFault): boolean {
  return kind === '503' || kind === 'reset' || kind === 'malformed';
}

/** A rule as the admin API receives it, unchecked. */
export interface FaultRuleInput {
  operation: string;
  code?: number;
  http?: string;
  count?: number;
  probability?: number;
  delayMs?: number;
  userId?: string;
}

/** A checked rule, before it is given an id. */
export interface FaultRuleSpec {
  operation: string;
  code?: FaultCode | RestErrorCode;
  /** An HTTP-level fault instead of a code; with operation `*` it applies to SOAP and REST calls. */
  http?: HttpFault;
  /** Set for a rule on REST calls (a REST operationId or a REST code); absent: SOAP calls. */
  api?: 'rest';
  count?: number;
  probability?: number;
  delayMs?: number;
  userId?: string;
}

export interface FaultRule extends FaultRuleSpec {
  id: number;
  /** Matching calls left for a `count` rule. */
  remaining?: number;
}

export class FaultRuleError extends Error {}

/**
 * Checks an admin-API rule; throws FaultRuleError (answered 400) naming the first bad field. A rule
 * is for one API: a REST code goes with a REST operationId or `*` (then REST calls only), a SOAP
 * code with a SOAP operation or `*` (SOAP calls only).
 */
export function parseFaultRule(
  input: FaultRuleInput,
  knownOperations: ReadonlySet<string>,
  restOperations: ReadonlySet<string> = new Set(),
): FaultRuleSpec {
  const op = input.operation;
  const restOp = typeof op === 'string' && restOperations.has(op);
  if (typeof op !== 'string' || (op !== '*' && !knownOperations.has(op) && !restOp)) {
    throw new FaultRuleError(
      `operation must be "*", one of the 23 SOAP operation names or a REST operationId; got ${JSON.stringify(op)}`,
    );
  }
  const code = input.code;
  if (code !== undefined && !(Number.isInteger(code) && (isFaultCode(code) || isRestErrorCode(code)))) {
    throw new FaultRuleError(`code ${JSON.stringify(code)} is not in the error catalogue`);
  }
  const restCode = code !== undefined && isRestErrorCode(code);
  if (code !== undefined && op !== '*' && restCode !== restOp) {
    throw new FaultRuleError(
      restCode
        ? `code ${code} is a REST error code; it needs a REST operationId or "*", not the SOAP operation ${op}`
        : `code ${code} is a SOAP fault code; it needs a SOAP operation or "*", not the REST operation ${op}`,
    );
  }
  if (input.count !== undefined && !(Number.isInteger(input.count) && input.count > 0)) {
    throw new FaultRuleError('count must be a positive integer');
  }
  if (
    input.probability !== undefined &&
    !(typeof input.probability === 'number' && input.probability >= 0 && input.probability <= 1)
  ) {
    throw new FaultRuleError('probability must be a number from 0 to 1');
  }
  if (
    input.delayMs !== undefined &&
    !(Number.isInteger(input.delayMs) && input.delayMs >= 0 && input.delayMs <= 600_000)
  ) {
    throw new FaultRuleError('delayMs must be an integer from 0 to 600000');
  }
  const http = input.http;
  if (http !== undefined && !(HTTP_FAULTS as readonly unknown[]).includes(http)) {
    throw new FaultRuleError(
      `http must be one of ${HTTP_FAULTS.map((k) => `"${k}"`).join(', ')}; got ${JSON.stringify(http)}`,
    );
  }
  if (http !== undefined && code !== undefined) {
    throw new FaultRuleError('a fault rule has a code or an http fault, not both');
  }
  if (http === 'slow-first-byte' && input.delayMs === undefined) {
    throw new FaultRuleError('an http "slow-first-byte" rule needs delayMs: the wait before the first byte');
  }
  if (code === undefined && http === undefined && input.delayMs === undefined) {
    throw new FaultRuleError(
      'a fault rule needs a code, an http fault or a delayMs (code or http may go with delayMs)',
    );
  }
  if (input.userId !== undefined && typeof input.userId !== 'string')
    throw new FaultRuleError('userId must be a string');
  return {
    operation: op,
    ...(code !== undefined ? { code } : {}),
    ...(http !== undefined ? { http: http as HttpFault } : {}),
    ...(restOp || restCode ? { api: 'rest' as const } : {}),
    ...(input.count !== undefined ? { count: input.count } : {}),
    ...(input.probability !== undefined ? { probability: input.probability } : {}),
    ...(input.delayMs !== undefined ? { delayMs: input.delayMs } : {}),
    ...(input.userId !== undefined ? { userId: input.userId } : {}),
  };
}

/** The first of `rules` (in order) that fires for this call; count rules used up are skipped. */
export function matchRule(
  rules: readonly FaultRule[],
  operation: string,
  userId: string,
  random: () => number,
  api: 'soap' | 'rest' = 'soap',
): FaultRule | undefined {
  for (const r of rules) {
    if ((r.api ?? 'soap') !== api && !(r.http !== undefined && r.operation === '*')) continue;
    if (r.operation !== '*' && r.operation !== operation) continue;
    if (r.userId !== undefined && r.userId !== userId) continue;
    if (r.remaining !== undefined && r.remaining <= 0) continue;
    if (r.probability !== undefined && random() >= r.probability) continue;
    return r;
  }
  return undefined;
}

/** The rules of one process, in the order they were added. */
export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultRuleSpec): FaultRule {
    const rule: FaultRule = {
      id: this.nextId++,
      ...spec,
      ...(spec.count !== undefined ? { remaining: spec.count } : {}),
    };
    this.rules.push(rule);
    return rule;
  }

  /** The first rule that fires for this call; a count rule fires only once `claim` confirms it. */
  match(operation: string, userId: string, api: 'soap' | 'rest' = 'soap'): FaultRule | undefined {
    return matchRule(this.rules, operation, userId, this.random, api);
  }

  /** Uses up one firing of a count rule: false when none is left. */
  claim(id: number): boolean {
    const r = this.rules.find((x) => x.id === id);
    // A rule removed since it matched does not fire.
    if (!r) return false;
    if (r.remaining === undefined) return true;
    if (r.remaining <= 0) return false;
    r.remaining--;
    return true;
  }

  /** Removes one rule; false when no rule has this id. */
  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  list(): FaultRule[] {
    return this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
  }

  clear(): void {
    this.rules = [];
  }
}
