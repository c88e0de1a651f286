/**
 * Dot paths into provider records ("fields.assignee.login", "labels.0.name", "properties.Due date.date.start").
 * Paths are parsed once when a schema is compiled, so reading a field per record is a plain loop with no parsing.
 * A non-numeric segment applied to an array fans out over its elements (as JSONata paths do), so
 * "labels.name" on [{name:"bug"},{name:"ui"}] reads ["bug","ui"].
 */

export type PathSegments = readonly string[];

const INDEX = /^(0|[1-9]\d*)$/;

/** Splits a path; returns undefined when it is empty or has an empty segment ("a..b", ".a"). */
export function parsePath(path: string): PathSegments | undefined {
  if (path.length === 0) return undefined;
  const segments = path.split('.');
  return segments.every((segment) => segment.length > 0) ? segments : undefined;
}

function isIndex(segment: string): boolean {
  return INDEX.test(segment);
}

function step(current: unknown, segment: string): unknown {
  if (current === null || typeof current !== 'object') return undefined;
  if (Array.isArray(current)) {
    if (isIndex(segment)) return current[Number(segment)];
    const out: unknown[] = [];
    for (const item of current) {
      const value = step(item, segment);
      if (value === undefined) continue;
      // Flatten one level so "a.b.c" over nested arrays yields a flat list, like a JSONata path.
      if (Array.isArray(value)) out.push(...value);
      else out.push(value);
    }
    return out.length === 0 ? undefined : out;
  }
  // Own properties only: a record must not reach Object.prototype through "constructor" or "__proto__".
  return Object.prototype.hasOwnProperty.call(current, segment)
    ? (current as Record<string, unknown>)[segment]
    : undefined;
}

export function getPath(data: unknown, segments: PathSegments): unknown {
  let current = data;
  for (let i = 0; i < segments.length; i++) {
    current = step(current, segments[i]!);
    if (current === undefined) return undefined;
  }
  return current;
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** True when writing along the path cannot touch an object's prototype. */
export function isSafeWritePath(segments: PathSegments): boolean {
  return segments.every((segment) => !FORBIDDEN.has(segment));
}

/** Writes a value at a path, creating objects (or arrays for numeric segments) on the way. */
export function setPath(target: Record<string, unknown>, segments: PathSegments, value: unknown): void {
  if (!isSafeWritePath(segments)) return;
  let current: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    const nextIsIndex = isIndex(segments[i + 1]!);
    const container = current as Record<string, unknown>;
    let next = container[key];
    if (next === null || typeof next !== 'object') {
      next = nextIsIndex ? [] : {};
      container[key] = next;
    }
    current = next as Record<string, unknown> | unknown[];
  }
  (current as Record<string, unknown>)[segments[segments.length - 1]!] = value;
}
