/**
 * A stable hash of mapped shard data, to tell "unchanged" from "updated" without comparing documents:
 * canonical JSON (keys sorted at every depth, undefined dropped, -0 as 0) hashed with SHA-256.
 * Volatile fields (sync stamps, view counters) are left out, so they alone never count as a change.
 */
import { sha256Hex } from '../core/sha256';

const PLAIN_KEY = /^[A-Za-z0-9_$-]*$/;

function quoteKey(key: string): string {
  // Most keys need no escaping: skipping JSON.stringify for them is a large part of the hash's cost.
  return PLAIN_KEY.test(key) ? `"${key}"` : JSON.stringify(key);
}

/** An object shape: its own keys as listed, sorted, and quoted for the output. */
interface Shape {
  keys: string[];
  sorted: string[];
  quoted: string[];
}

/**
 * Recently seen shapes by their first key. The records of a page share a handful of shapes, so sorting and
 * quoting each record's keys again (a third of the hash's cost) is mostly a lookup and a key-by-key check.
 */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 256;

function shapeOf(keys: string[]): Shape {
  const first = keys[0] ?? '';
  const known = shapes.get(first);
  if (known && known.keys.length === keys.length && known.keys.every((key, i) => key === keys[i])) return known;
  const sorted = [...keys].sort();
  const shape = { keys, sorted, quoted: sorted.map(quoteKey) };
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(first, shape);
  return shape;
}

/** What JSON.stringify escapes in a string: quote, backslash, control characters, (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- matching the control characters JSON escapes is the point
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quoteString(value: string): string {
  // Most values need no escaping, and a regular-expression test is cheaper than JSON.stringify's call.
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return Number.isFinite(value) ? String(value === 0 ? 0 : value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return typeof value === 'function' ? 'null' : JSON.stringify(String(value));
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonical(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const { sorted, quoted } = shapeOf(Object.keys(record));
  let out = '{';
  let first = true;
  for (let i = 0; i < sorted.length; i++) {
    const item = record[sorted[i]!];
    if (item === undefined || typeof item === 'function') continue;
    out += `${first ? '' : ','}${quoted[i]!}:${canonical(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** The canonical JSON text of a value: equal data gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return canonical(value);
}

/** SHA-256 (hex) of the canonical JSON of `data` without its volatile top-level fields. */
export function contentHash(
  data: Record<string, unknown>,
  volatileFields?: ReadonlySet<string> | readonly string[],
): string {
  const volatile =
    volatileFields === undefined || volatileFields instanceof Set ? volatileFields : new Set(volatileFields);
  let hashed: Record<string, unknown> = data;
  if (volatile && volatile.size > 0) {
    hashed = {};
    for (const key of Object.keys(data)) if (!volatile.has(key)) hashed[key] = data[key];
  }
  return sha256Hex(canonical(hashed));
}
