/**
 * A stable hash of mapped shard data, to tell "unchanged" from "updated" without comparing documents:
 * canonical JSON (keys sorted at every depth, undefined dropped, -0 as 0) hashed with SHA-256.
 * Volatile fields (sync stamps, view counters) are left out, so they alone never count as a change.
 */
import { createHash } from 'node:crypto';

function canonical(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
    return;
  }
  if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? JSON.stringify(value === 0 ? 0 : value) : 'null');
    return;
  }
  if (typeof value === 'string' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
    return;
  }
  if (value instanceof Date) {
    out.push(JSON.stringify(value.toISOString()));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      canonical(item === undefined ? null : item, out);
    });
    out.push(']');
    return;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined && typeof record[key] !== 'function').sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      out.push(JSON.stringify(key), ':');
      canonical(record[key], out);
    });
    out.push('}');
    return;
  }
  out.push(JSON.stringify(String(value)));
}

/** The canonical JSON text of a value: equal data gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  canonical(value, out);
  return out.join('');
}

/** SHA-256 (hex) of the canonical JSON of `data` without its volatile top-level fields. */
export function contentHash(data: Record<string, unknown>, volatileFields?: ReadonlySet<string> | readonly string[]): string {
  const volatile = volatileFields instanceof Set ? volatileFields : new Set(volatileFields ?? []);
  let hashed: Record<string, unknown> = data;
  if (volatile.size > 0) {
    hashed = {};
    for (const key of Object.keys(data)) if (!volatile.has(key)) hashed[key] = data[key];
  }
  return createHash('sha256').update(canonicalJson(hashed)).digest('hex');
}
