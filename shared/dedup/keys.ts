/**
 * The keys strategies look shards up by, computed the same way when a shard is indexed and when a record is
 * matched: natural keys (normalised, possibly composite) and fuzzy blocking keys. `indexKeysFor` gives a store
 * every key to save with a shard.
 */
import { normaliseCompany, normaliseEmail, normaliseName, normalisePhone, normaliseText } from './normalise';
import type { BlockingKey, DedupStrategy, FuzzyComparison, KeyNormaliser, NaturalKeyPart } from './types';

/** Top-level field or dot path into mapped data. */
export function readField(data: Record<string, unknown>, field: string): unknown {
  if (!field.includes('.')) return Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined;
  let current: unknown = data;
  for (const segment of field.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, segment))
      return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const NORMALISERS: {
  [K in KeyNormaliser['kind']]: (text: string, how: Extract<KeyNormaliser, { kind: K }>) => string | undefined;
} = {
  email: (text, how) => normaliseEmail(text, how.stripPlusTags),
  phone: (text, how) => normalisePhone(text, how.defaultCountryCode),
  text: (text) => normaliseText(text) || undefined,
  exact: (text) => text || undefined,
};

export function normalisePart(part: NaturalKeyPart, data: Record<string, unknown>): string | undefined {
  const text = asText(readField(data, part.field));
  if (text === undefined) return undefined;
  return (NORMALISERS[part.normalise.kind] as (text: string, how: KeyNormaliser) => string | undefined)(
    text,
    part.normalise,
  );
}

/** `${name}:${part1}|${part2}…`, or undefined when any part is missing (a partial key would over-match). */
export function naturalKeyOf(
  strategy: Extract<DedupStrategy, { kind: 'natural_key' }>,
  data: Record<string, unknown>,
): string | undefined {
  const parts: string[] = [];
  for (const part of strategy.parts) {
    const value = normalisePart(part, data);
    if (value === undefined) return undefined;
    parts.push(value.replace(/\|/g, '\\|'));
  }
  return `${strategy.name}:${parts.join('|')}`;
}

const COMPARERS: Record<FuzzyComparison, (text: string) => string> = {
  name: normaliseName,
  company: normaliseCompany,
  text: normaliseText,
  exact: (text) => text,
};

export function comparable(value: unknown, compare: FuzzyComparison): string | undefined {
  const text = asText(value);
  if (text === undefined) return undefined;
  const normalised = COMPARERS[compare](text);
  return normalised.length === 0 ? undefined : normalised;
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
};

/**
 * American Soundex of one normalised word ("robert" → "r163"); digits-only words are kept as they are.
 * Blocking uses a longer code than the classic 4 characters: more distinct keys, smaller blocks.
 */
export function soundex(word: string, length = 4): string {
  const letters = word.replace(/[^a-z]/g, '');
  if (letters.length === 0) return word.slice(0, 4);
  let code = letters[0]!;
  let last = SOUNDEX_CODES[letters[0]!] ?? '';
  for (let i = 1; i < letters.length && code.length < length; i++) {
    const letter = letters[i]!;
    const digit = SOUNDEX_CODES[letter] ?? '';
    if (digit && digit !== last) code += digit;
    // h and w do not separate equal codes; vowels do.
    if (letter !== 'h' && letter !== 'w') last = digit;
  }
  return code.padEnd(length, '0');
}

const BLOCKING_SOUNDEX_LENGTH = 6;

const BLOCKERS: {
  [K in BlockingKey['kind']]: (key: Extract<BlockingKey, { kind: K }>, data: Record<string, unknown>) => string[];
} = {
  prefix: (key, data) => {
    const text = comparable(readField(data, key.field), key.compare ?? 'name');
    return text ? [text.replace(/ /g, '').slice(0, key.length)] : [];
  },
  phonetic: (key, data) => {
    // Two keys, each pairing one word's full sound with the other's initial and first sound: specific enough
    // to keep blocks small as the store grows, and a typo in either word still leaves the other key to meet
    // on (Soundex already shrugs off most vowel slips). The outer words
    // are taken in sorted order, so "Lovelace, Ada" and "Ada Lovelace" share their keys.
    const words = comparable(readField(data, key.field), key.compare ?? 'name')?.split(' ') ?? [];
    if (words.length === 0) return [];
    if (words.length === 1) return [soundex(words[0]!, BLOCKING_SOUNDEX_LENGTH)];
    const [first, last] = [words[0]!, words[words.length - 1]!].sort() as [string, string];
    return [
      ...new Set([
        `${soundex(first, BLOCKING_SOUNDEX_LENGTH)}.${soundex(last, 2)}`,
        `${soundex(first, 2)}.${soundex(last, BLOCKING_SOUNDEX_LENGTH)}`,
      ]),
    ];
  },
  email_domain: (key, data) => {
    const email = asText(readField(data, key.field));
    const normalised = email === undefined ? undefined : normaliseEmail(email);
    return normalised ? [normalised.slice(normalised.lastIndexOf('@') + 1)] : [];
  },
};

/** Every blocking key of a record under one fuzzy strategy, namespaced by strategy, kind and field. */
export function blockingKeysOf(
  strategy: Extract<DedupStrategy, { kind: 'fuzzy' }>,
  data: Record<string, unknown>,
): string[] {
  const keys: string[] = [];
  for (const key of strategy.blocking) {
    const values = (BLOCKERS[key.kind] as (key: BlockingKey, data: Record<string, unknown>) => string[])(key, data);
    for (const value of values) keys.push(`${strategy.name}:${key.kind}:${key.field}:${value}`);
  }
  return keys;
}

/** Natural and blocking keys a store saves with a shard, so the strategies can find it later. */
export function indexKeysFor(
  strategies: readonly DedupStrategy[],
  data: Record<string, unknown>,
): { naturalKeys: string[]; blockingKeys: string[] } {
  const naturalKeys: string[] = [];
  const blockingKeys: string[] = [];
  for (const strategy of strategies) {
    if (strategy.kind === 'natural_key') {
      const key = naturalKeyOf(strategy, data);
      if (key) naturalKeys.push(key);
    } else if (strategy.kind === 'fuzzy') blockingKeys.push(...blockingKeysOf(strategy, data));
  }
  return { naturalKeys, blockingKeys };
}
