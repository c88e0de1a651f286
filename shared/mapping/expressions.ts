/**
 * JSONata expressions: compiled once and cached by text and limits, evaluated with guards, so a runaway
 * expression fails one record, never the worker. The main guard is a step budget (evaluation steps counted
 * per evaluation): deterministic, so a redelivered page fails the same records, whatever the machine's load.
 * JSONata's own guardrails back it up: a wall-clock timeout (generous: a busy machine must not fail healthy
 * records), a nesting limit and a sequence-length limit.
 */
import jsonata from 'jsonata';
import { AppError } from '../core/app-error';
import { BAIL, compileFast, type FastExpression } from './fast-expressions';

export interface ExpressionLimits {
  /** Evaluation steps (AST nodes visited) one evaluation may take. */
  maxSteps: number;
  timeoutMs: number;
  maxDepth: number;
  maxSequence: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = {
  maxSteps: 20_000,
  timeoutMs: 1_000,
  maxDepth: 200,
  maxSequence: 100_000,
};

// Not a JSONata code, so JSONata never replaces our message with one of its templates.
const STEP_LIMIT_CODE = 'STEP_BUDGET';

/** Counts steps on the per-evaluation base frame JSONata hands every hook. */
function stepCounter(maxSteps: number) {
  return (_node: unknown, _input: unknown, environment: { base: { steps?: number } }) => {
    const base = environment.base;
    base.steps = (base.steps ?? 0) + 1;
    if (base.steps > maxSteps)
      throw { code: STEP_LIMIT_CODE, message: `expression exceeded its budget of ${maxSteps} evaluation steps` };
  };
}

export interface CompiledExpression {
  jsonata: jsonata.Expression;
  /** Closures for the simple subset; undefined when the expression needs JSONata throughout. */
  fast?: FastExpression;
}

export type Evaluated =
  { ok: true; value: unknown } | { ok: false; code: 'expression_failed' | 'expression_limit'; message: string };

const CACHE_LIMIT = 1_000;
const cache = new Map<string, CompiledExpression>();

interface JsonataError {
  code?: string;
  position?: number;
  message?: string;
}

/** Compiles (or takes from the cache); a syntax error is a validation AppError naming the position. */
export function compileExpression(text: string, limits: ExpressionLimits, target?: string): CompiledExpression {
  const key = `${limits.maxSteps}/${limits.timeoutMs}/${limits.maxDepth}/${limits.maxSequence}/${text}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let compiled: CompiledExpression;
  try {
    const expression = jsonata(text, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      sequence: limits.maxSequence,
    });
    // JSONata calls the hook bound under this symbol before every evaluation step; its types only admit strings.
    expression.assign(Symbol.for('jsonata.__evaluate_entry') as unknown as string, stepCounter(limits.maxSteps));
    compiled = { jsonata: expression, fast: compileFast(expression.ast()) };
  } catch (error) {
    const detail = error as JsonataError;
    throw new AppError(
      'validation',
      `JSONata syntax error at ${detail.position ?? 0}: ${detail.message ?? 'invalid expression'}`,
      { target },
    );
  }
  // Bounded: schemas come from operators, and a stream of edits must not grow the cache without end.
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

const GUARD_CODES = new Set(['D1011', 'D1012', 'D2014', 'D2015', STEP_LIMIT_CODE]);

/** Evaluates through the fast path when it can answer, else through JSONata (with its guards). */
export async function evaluateExpression(expression: CompiledExpression, input: unknown): Promise<Evaluated> {
  if (expression.fast) {
    const value = expression.fast(input);
    if (value !== BAIL) return { ok: true, value };
  }
  return evaluateWithJsonata(expression, input);
}

export async function evaluateWithJsonata(expression: CompiledExpression, input: unknown): Promise<Evaluated> {
  try {
    return { ok: true, value: plain(await expression.jsonata.evaluate(input)) };
  } catch (error) {
    const detail = error as JsonataError;
    if (error instanceof RangeError)
      return { ok: false, code: 'expression_limit', message: 'expression exceeded the stack limit' };
    const code = detail.code && GUARD_CODES.has(detail.code) ? 'expression_limit' : 'expression_failed';
    return {
      ok: false,
      code,
      message: `${detail.code ? `${detail.code}: ` : ''}${detail.message ?? 'evaluation failed'}`,
    };
  }
}

/** JSONata sequences are arrays with extra flags: hand back plain arrays so hashing and storage see data only. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'function') return undefined;
  return value;
}
