/** Parsing helpers that never throw: a bad payload becomes `undefined`, which callers turn into `malformed`. */
import { exceedsJsonDepth, MAX_JSON_DEPTH } from '../../platform/http/body-limits';

export type JsonRecord = Record<string, unknown>;

/**
 * Parsed request bodies by their bytes: verification and event parsing of one delivery read the same Buffer, and
 * parsing it once is enough. Entries go with the Buffer. Parsed values are read, never changed, by every caller.
 */
const parsedBodies = new WeakMap<Buffer, unknown>();

export function parseJson(raw: Buffer | string): unknown {
  if (typeof raw === 'string') return parseJsonText(raw);
  if (parsedBodies.has(raw)) return parsedBodies.get(raw);
  const value = parseJsonText(raw.toString('utf8'));
  parsedBodies.set(raw, value);
  return value;
}

function parseJsonText(text: string): unknown {
  // Deeper than any provider sends: malformed, before anything recursive walks it (http/body-limits.ts).
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(raw: Buffer | string): JsonRecord | undefined {
  const value = parseJson(raw);
  return isRecord(value) ? value : undefined;
}

/** A string or number field as a non-empty string id; anything else is undefined. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
