/**
 * Fuzzy record similarity: a weighted mean of per-field similarities over the fields both records have.
 * Fields missing on either side do not count for or against; no comparable field at all scores 0.
 */
import { comparable, readField } from './keys';
import { nameSimilarity } from './similarity';
import type { FuzzyField } from './types';

// Normalised values per data object and field: a stored shard is compared with many records, and folding
// accents costs more than the comparison itself.
const normalised = new WeakMap<object, Map<string, string | undefined>>();

function comparableOf(data: Record<string, unknown>, field: FuzzyField): string | undefined {
  let fields = normalised.get(data);
  if (!fields) normalised.set(data, (fields = new Map()));
  const key = `${field.compare}:${field.field}`;
  if (fields.has(key)) return fields.get(key);
  const value = comparable(readField(data, field.field), field.compare);
  fields.set(key, value);
  return value;
}

function similarityOf(field: FuzzyField, left: string | undefined, right: string | undefined): number | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (field.compare === 'exact') return left === right ? 1 : 0;
  return nameSimilarity(left, right, field.algorithm);
}

/** Similarity of two plain values under one field's comparison. */
export function fieldSimilarity(field: FuzzyField, a: unknown, b: unknown): number | undefined {
  return similarityOf(field, comparable(a, field.compare), comparable(b, field.compare));
}

export function recordSimilarity(fields: readonly FuzzyField[], a: Record<string, unknown>, b: Record<string, unknown>): number {
  let weighted = 0;
  let weights = 0;
  for (const field of fields) {
    const similarity = similarityOf(field, comparableOf(a, field), comparableOf(b, field));
    if (similarity === undefined) continue;
    const weight = field.weight ?? 1;
    weighted += similarity * weight;
    weights += weight;
  }
  return weights === 0 ? 0 : weighted / weights;
}
