/**
 * Fault injection: rules by operation and user, with a count, a probability and a delay. Rules
 * apply after authentication and admission, so a delayed call holds its concurrency lease.
 */
import { isFaultCode } from '@mktows/protocol';

export interface FaultRuleInput {
  operation: string;
  code?: number;
  count?: number;
  probability?: number;
  delayMs?: number;
  userId?: string;
}

export interface FaultRule extends FaultRuleInput {
  id: number;
  /** Matching calls left for a `count` rule. */
  remaining?: number;
}

export class FaultRuleError extends Error {}

export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(input: FaultRuleInput, knownOperations: ReadonlySet<string>): FaultRule {
    if (typeof input.operation !== 'string' || (input.operation !== '*' && !knownOperations.has(input.operation))) {
      throw new FaultRuleError(
        `operation must be "*" or one of the 23 operation names; got ${JSON.stringify(input.operation)}`,
      );
    }
    if (input.code !== undefined && !(Number.isInteger(input.code) && isFaultCode(input.code))) {
      throw new FaultRuleError(`code ${JSON.stringify(input.code)} is not in the error catalogue`);
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
    if (input.code === undefined && input.delayMs === undefined) {
      throw new FaultRuleError('a fault rule needs a code, a delayMs, or both');
    }
    if (input.userId !== undefined && typeof input.userId !== 'string')
      throw new FaultRuleError('userId must be a string');
    const rule: FaultRule = {
      id: this.nextId++,
      operation: input.operation,
      ...(input.code !== undefined ? { code: input.code } : {}),
      ...(input.count !== undefined ? { count: input.count, remaining: input.count } : {}),
      ...(input.probability !== undefined ? { probability: input.probability } : {}),
      ...(input.delayMs !== undefined ? { delayMs: input.delayMs } : {}),
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
    };
    this.rules.push(rule);
    return rule;
  }

  /** The first rule that fires for this call (a count rule is used up as it fires). */
  match(operation: string, userId: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.operation !== '*' && r.operation !== operation) continue;
      if (r.userId !== undefined && r.userId !== userId) continue;
      if (r.remaining !== undefined && r.remaining <= 0) continue;
      if (r.probability !== undefined && this.random() >= r.probability) continue;
      if (r.remaining !== undefined) r.remaining--;
      return r;
    }
    return undefined;
  }

  list(): FaultRule[] {
    return this.rules.filter((r) => r.remaining === undefined || r.remaining > 0);
  }

  clear(): void {
    this.rules = [];
  }
}
