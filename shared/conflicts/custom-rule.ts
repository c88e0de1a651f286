/**
 * The `custom` strategy's rule expressions: JSONata, compiled once when the policy is validated and evaluated
 * per conflicting field. A rule sees `{ base, local, remote, field, localModifiedAt, remoteModifiedAt }` and
 * returns either the value to keep or `{ "take": "local" | "remote" }`.
 *
 * Rules must be pure: `$now()`, `$millis()` and `$random()` are refused when the policy is validated.
 * Evaluation runs under JSONata's own guardrails (time and stack limits), because a rule is operator input and
 * a runaway rule must not stall a page. A rule that fails at run time, or returns nothing, does not throw: the
 * caller holds the field for a person instead (see strategies.ts), since failing the page would redeliver it
 * forever and silently deleting the field would lose data.
 */
import jsonata from 'jsonata';
import { AppError } from '../core/app-error';
import { canonicalCopy, isPlainObject } from './field-paths';

export const RULE_TIMEOUT_MS = 100;
const RULE_MAX_STACK = 200;

export interface CompiledRule {
  source: string;
  expression: jsonata.Expression;
}

export interface RuleInput {
  field: string;
  base: unknown;
  local: unknown;
  remote: unknown;
  localModifiedAt?: string;
  remoteModifiedAt?: string;
}

export type RuleResult =
  { ok: true; take: 'local' | 'remote' } | { ok: true; value: unknown } | { ok: false; reason: string };

/** Compiles a rule; a syntax error becomes a validation error that names where the rule is configured. */
export function compileRule(source: string, target: string): CompiledRule {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, { timeout: RULE_TIMEOUT_MS, stack: RULE_MAX_STACK });
  } catch (error) {
    const detail = describeJsonataError(error);
    throw new AppError('validation', `conflict policy: the custom rule at ${target} does not compile: ${detail}`, {
      target,
      details: { rule: source },
    });
  }
  const impure = impureCall(expression.ast());
  if (impure) {
    // A rule that reads the clock or dice would merge the same page differently on redelivery.
    throw new AppError(
      'validation',
      `conflict policy: the custom rule at ${target} calls $${impure}, which makes merging non-deterministic`,
      { target, details: { rule: source } },
    );
  }
  return { source, expression };
}

const IMPURE_FUNCTIONS = new Set(['now', 'millis', 'random']);

function impureCall(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = impureCall(child);
      if (found) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  const n = node as { type?: unknown; value?: unknown; procedure?: { type?: unknown; value?: unknown } };
  if (
    n.type === 'function' &&
    n.procedure?.type === 'variable' &&
    typeof n.procedure.value === 'string' &&
    IMPURE_FUNCTIONS.has(n.procedure.value)
  ) {
    return n.procedure.value;
  }
  for (const child of Object.values(node)) {
    const found = impureCall(child);
    if (found) return found;
  }
  return undefined;
}

export async function runRule(rule: CompiledRule, input: RuleInput): Promise<RuleResult> {
  let result: unknown;
  try {
    // JSON in, JSON out: the rule never sees (or returns) objects shared with the engine.
    result = await rule.expression.evaluate(canonicalCopy(withoutAbsent(input)));
  } catch (error) {
    return { ok: false, reason: `rule failed: ${describeJsonataError(error)}` };
  }
  if (result === undefined) return { ok: false, reason: 'rule returned no value' };
  if (typeof result === 'function') return { ok: false, reason: 'rule returned a function, not a value' };
  const value = canonicalCopy(result);
  if (isPlainObject(value) && Object.keys(value).length === 1 && (value.take === 'local' || value.take === 'remote')) {
    return { ok: true, take: value.take };
  }
  return { ok: true, value };
}

function withoutAbsent(input: RuleInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

function describeJsonataError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; code?: unknown; position?: unknown };
    const message = typeof e.message === 'string' ? e.message : 'unknown error';
    const code = typeof e.code === 'string' ? ` [${e.code}]` : '';
    const position = typeof e.position === 'number' ? ` at position ${e.position}` : '';
    return `${message}${code}${position}`;
  }
  return String(error);
}
