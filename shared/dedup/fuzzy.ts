/**
 * Fuzzy record similarity: a weighted mean of per-field similarities over the fields both records have.
 * Fields missing on either side do not count for or against; no comparable field at all scores 0.
 */
import { comparable, readField } from './keys';
import { jaroWinkler, sortTokens, trigramDice } from './similarity';
import type { FuzzyField } from './types';

interface Prepared {
  text: string;
  /** Words in sorted order, so "smith john" meets "john smith". */
  sorted: string;
}

function prepare(value: unknown, field: FuzzyField): Prepared | undefined {
  const text = comparable(value, field.compare);
  return text === undefined ? undefined : { text, sorted: text.includes(' ') ? sortTokens(text) : text };
}

// Prepared values per data object and field: a stored shard is compared with many records, and folding
// accents and sorting words costs more than the comparison itself.
const preparedCache = new WeakMap<object, Map<FuzzyField, Prepared | undefined>>();

function preparedOf(data: Record<string, unknown>, field: FuzzyField): Prepared | undefined {
  let fields = preparedCache.get(data);
  if (!fields) preparedCache.set(data, (fields = new Map()));
  if (fields.has(field)) return fields.get(field);
  const value = prepare(readField(data, field.field), field);
  fields.set(field, value);
  return value;
}

function similarityOf(field: FuzzyField, left: Prepared | undefined, right: Prepared | undefined): number | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (field.compare === 'exact') return left.text === right.text ? 1 : 0;
  const score = field.algorithm === 'trigram' ? trigramDice : jaroWinkler;
  const plain = score(left.text, right.text);
  if (plain === 1 || (left.sorted === left.text && right.sorted === right.text)) return plain;
  return Math.max(plain, score(left.sorted, right.sorted));
}

/** Similarity of two plain values under one field's comparison. */
export function fieldSimilarity(field: FuzzyField, a: unknown, b: unknown): number | undefined {
  return similarityOf(field, prepare(a, field), prepare(b, field));
}

export function recordSimilarity(
  fields: readonly FuzzyField[],
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): number {
  let weighted = 0;
  let weights = 0;
  for (const field of fields) {
    const similarity = similarityOf(field, preparedOf(a, field), preparedOf(b, field));
    if (similarity === undefined) continue;
    const weight = field.weight ?? 1;
    weighted += similarity * weight;
    weights += weight;
  }
  return weights === 0 ? 0 : weighted / weights;
}
