/**
 * Fuzzy record similarity: a weighted mean of per-field similarities over the fields both records have.
 * Fields missing on either side do not count for or against; no comparable field at all scores 0.
 */
import { comparable, readField } from './keys';
import { nameSimilarity } from './similarity';
import type { FuzzyField } from './types';

export function fieldSimilarity(field: FuzzyField, a: unknown, b: unknown): number | undefined {
  const left = comparable(a, field.compare);
  const right = comparable(b, field.compare);
  if (left === undefined || right === undefined) return undefined;
  if (field.compare === 'exact') return left === right ? 1 : 0;
  return nameSimilarity(left, right, field.algorithm);
}

export function recordSimilarity(fields: readonly FuzzyField[], a: Record<string, unknown>, b: Record<string, unknown>): number {
  let weighted = 0;
  let weights = 0;
  for (const field of fields) {
    const similarity = fieldSimilarity(field, readField(a, field.field), readField(b, field.field));
    if (similarity === undefined) continue;
    const weight = field.weight ?? 1;
    weighted += similarity * weight;
    weights += weight;
  }
  return weights === 0 ? 0 : weighted / weights;
}
