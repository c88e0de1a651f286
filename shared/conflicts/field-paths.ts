/**
 * Field paths and value equality for the three-way diff. Records are JSON-like nested objects; the diff works on
 * flat maps keyed by dot paths ("address.city"). A key that itself holds "." or "\" is escaped with "\" so every
 * path splits back into exactly the keys it came from. `undefined` means "the field is absent": JSON values never
 * hold it, so it cannot collide with a real value (null is a real value unless a caller opts out, see diff.ts).
 */

export type FlatRecord = Record<string, unknown>;
export type JsonRecord = Record<string, unknown>;

/** What to do to a record: paths to set and paths to remove. Both lists are in sorted path order. */
export interface FieldPatch {
  set: FlatRecord;
  unset: string[];
}

export function isPlainObject(value: unknown): value is JsonRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function escapeKey(key: string): string {
  return key.replace(/[\\.]/g, (c) => `\\${c}`);
}

export function joinPath(prefix: string, key: string): string {
  return prefix === '' ? escapeKey(key) : `${prefix}.${escapeKey(key)}`;
}

export function splitPath(path: string): string[] {
  const keys: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '\\' && i + 1 < path.length) current += path[++i];
    else if (c === '.') {
      keys.push(current);
      current = '';
    } else current += c;
  }
  keys.push(current);
  return keys;
}

/** True when `path` is `prefix` itself or lies below it ("a.b" is under "a", "ab" is not). */
export function isUnder(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  const keys = splitPath(path);
  const prefixKeys = splitPath(prefix);
  return prefixKeys.length < keys.length && prefixKeys.every((k, i) => k === keys[i]);
}

/**
 * A canonical text for a value: object keys sorted, absent object members dropped, anything with toJSON (Date)
 * compared by its JSON form. Two values are equal exactly when their canonical texts are equal, so equality does
 * not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  return JSON.stringify(value) ?? 'null';
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

/** A JSON-safe deep copy in canonical key order, so results never share structure with the caller's inputs. */
export function canonicalCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(canonicalJson(value)) as unknown;
}

/** Builds a nested record from flat paths; absent (undefined) values are left out. Paths are applied sorted. */
export function unflatten(flat: FlatRecord): JsonRecord {
  const out: JsonRecord = {};
  // setPath defines own properties, so "__proto__" paths land as data.
  for (const path of Object.keys(flat).sort()) setPath(out, path, flat[path]);
  return out;
}

/** Applies a patch to a nested record and returns a new record (the input is not changed). */
export function applyPatch(record: JsonRecord | undefined, patch: FieldPatch): JsonRecord {
  const out = (canonicalCopy(record ?? {}) ?? {}) as JsonRecord;
  for (const path of patch.unset) setPath(out, path, undefined);
  for (const path of Object.keys(patch.set).sort()) setPath(out, path, patch.set[path]);
  return out;
}

export function emptyPatch(): FieldPatch {
  return { set: {}, unset: [] };
}

export function isEmptyPatch(patch: FieldPatch): boolean {
  return patch.unset.length === 0 && Object.keys(patch.set).length === 0;
}

/** The value at a path, or undefined when the path (or anything on the way) is absent. */
export function getPath(record: JsonRecord | undefined, path: string): unknown {
  let node: unknown = record;
  for (const key of splitPath(path)) {
    if (!isPlainObject(node) || !hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

const hasOwn = (node: object, key: string) => Object.prototype.hasOwnProperty.call(node, key);

/**
 * Provider data can carry keys such as "__proto__" (JSON.parse makes them own properties). Plain assignment
 * would then reach an object's prototype, even Object.prototype; defining the property keeps it data.
 */
function defineOwn(node: JsonRecord, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Sets (or, for undefined, removes) one path. A non-object met on the way is replaced by an object. An object
 * emptied by a removal goes too, matching the diff, where an object with no members holds no fields.
 */
function setPath(target: JsonRecord, path: string, value: unknown): void {
  const keys = splitPath(path);
  const chain: JsonRecord[] = [target];
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = hasOwn(node, key) ? node[key] : undefined;
    if (!isPlainObject(next)) {
      if (value === undefined) return;
      defineOwn(node, key, {});
    }
    node = node[key] as JsonRecord;
    chain.push(node);
  }
  const last = keys[keys.length - 1] as string;
  if (value !== undefined) {
    defineOwn(node, last, canonicalCopy(value));
    return;
  }
  delete node[last];
  for (let depth = chain.length - 1; depth > 0 && Object.keys(chain[depth] as JsonRecord).length === 0; depth--) {
    delete (chain[depth - 1] as JsonRecord)[keys[depth - 1] as string];
  }
}
