/**
 * Deterministic pseudo-random data: (seed, index, salt) → the same values on every run and machine, so a record
 * can be recomputed from its index instead of being stored.
 */

/** A 32-bit hash of three integers (murmur3-style finaliser). */
export function hash32(seed: number, index: number, salt = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const value of [index, salt]) {
    h = Math.imul(h ^ (value >>> 0), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A small PRNG (mulberry32) seeded from hash32; returns floats in [0, 1). */
export function seededRandom(seed: number, index: number, salt = 0): () => number {
  let state = hash32(seed, index, salt);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function intBetween(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const WORDS = [
  'sync',
  'shard',
  'token',
  'webhook',
  'cursor',
  'page',
  'retry',
  'limit',
  'queue',
  'record',
  'field',
  'merge',
  'conflict',
  'schema',
  'refresh',
  'deploy',
  'vault',
  'latency',
  'timeout',
  'backoff',
  'label',
  'review',
  'release',
  'cache',
  'index',
  'report',
  'export',
  'import',
  'mapping',
  'tenant',
  'health',
  'metric',
  'alert',
  'digest',
  'owner',
  'status',
  'update',
] as const;

export function sentence(random: () => number, minWords: number, maxWords: number): string {
  const count = intBetween(random, minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < count; i += 1) words.push(pick(random, WORDS));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A UUID-shaped id whose last group is the index, so the index can be read back from the id. */
export function indexedUuid(seed: number, salt: number, index: number): string {
  const head = hash32(seed, salt, 1).toString(16).padStart(8, '0');
  const mid = hash32(seed, salt, 2).toString(16).padStart(8, '0');
  return `${head}-${mid.slice(0, 4)}-4${mid.slice(5, 8)}-8${head.slice(1, 4)}-${index.toString(16).padStart(12, '0')}`;
}

/** The index of an id made by indexedUuid with the same seed and salt, else undefined. */
export function indexFromUuid(seed: number, salt: number, id: string): number | undefined {
  const prefix = indexedUuid(seed, salt, 0).slice(0, 24);
  const normalised =
    id.length === 32
      ? `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`
      : id;
  if (!normalised.startsWith(prefix)) return undefined;
  const index = Number.parseInt(normalised.slice(24), 16);
  return Number.isSafeInteger(index) ? index : undefined;
}
