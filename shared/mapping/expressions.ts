/**
 * JSONata expressions: compiled once and cached by text and limits, evaluated with guards. JSONata's own
 * guardrails stop an evaluation that runs past its time budget, nests too deep or builds too long a sequence;
 * a runaway expression therefore fails one record, never the worker.
 */
import jsonata from 'jsonata';
import { AppError } from '../errors/app-error';

export interface ExpressionLimits {
  timeoutMs: number;
  maxDepth: number;
  maxSequence: number;
}

export const DEFAULT_EXPRESSION_LIMITS: ExpressionLimits = { timeoutMs: 50, maxDepth: 200, maxSequence: 100_000 };

export type CompiledExpression = jsonata.Expression;

export type Evaluated = { ok: true; value: unknown } | { ok: false; code: 'expression_failed' | 'expression_timeout'; message: string };

const CACHE_LIMIT = 1_000;
const cache = new Map<string, CompiledExpression>();

interface JsonataError {
  code?: string;
  position?: number;
  message?: string;
}

/** Compiles (or takes from the cache); a syntax error is a validation AppError naming the position. */
export function compileExpression(text: string, limits: ExpressionLimits, target?: string): CompiledExpression {
  const key = `${limits.timeoutMs}/${limits.maxDepth}/${limits.maxSequence}/${text}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let compiled: CompiledExpression;
  try {
    compiled = jsonata(text, { timeout: limits.timeoutMs, stack: limits.maxDepth, sequence: limits.maxSequence });
  } catch (error) {
    const detail = error as JsonataError;
    throw new AppError('validation', `JSONata syntax error at ${detail.position ?? 0}: ${detail.message ?? 'invalid expression'}`, { target });
  }
  // Bounded: schemas come from operators, and a stream of edits must not grow the cache without end.
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, compiled);
  return compiled;
}

const GUARD_CODES = new Set(['D1011', 'D1012', 'D2015', 'U1001']);

export async function evaluateExpression(expression: CompiledExpression, input: unknown): Promise<Evaluated> {
  try {
    return { ok: true, value: plain(await expression.evaluate(input)) };
  } catch (error) {
    const detail = error as JsonataError;
    if (error instanceof RangeError) return { ok: false, code: 'expression_timeout', message: 'expression exceeded the stack limit' };
    const code = detail.code && GUARD_CODES.has(detail.code) ? 'expression_timeout' : 'expression_failed';
    return { ok: false, code, message: `${detail.code ? `${detail.code}: ` : ''}${detail.message ?? 'evaluation failed'}` };
  }
}

/** JSONata sequences are arrays with extra flags: hand back plain arrays so hashing and storage see data only. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'function') return undefined;
  return value;
}
