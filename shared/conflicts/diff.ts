/**
 * The three-way, field-level diff: the incoming provider record (remote) and the current shard (local) are each
 * compared with the last-synced base snapshot. A conflict is a field changed on both sides to different values.
 *
 * Rules (each is tested in diff.test.ts):
 * - Nested plain objects are walked into dot paths, but only where every side that has the key holds a non-empty
 *   plain object there. Anywhere else the key is ONE field compared by deep value, so a field never turns into an
 *   object on one side and a scalar on another (the merged paths can always be rebuilt into one record), and an
 *   empty object is a value, not nothing.
 * - Arrays are values: compared whole, element order matters.
 * - Absent and null are different by default (null = "cleared", absent = "no such field", and providers send
 *   both). `nullIsAbsent: true` treats them alike for providers that send null for every unset field.
 * - `partialRemote: true` is for payloads that carry only some fields (webhook deltas): a field missing from the
 *   remote means "not mentioned", not "deleted", so it counts as unchanged on the remote side.
 * - No base (first sync) means an empty base: a field only one side has is that side's addition, and a field both
 *   sides have with different values is a conflict the policy decides (not a silent overwrite).
 */
import { canonicalCopy, isPlainObject, joinPath, valuesEqual, type FlatRecord, type JsonRecord } from './field-paths';

export const CHANGE_KINDS = ['unchanged', 'local_only', 'remote_only', 'both_same', 'conflict'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One field's three values; `undefined` = absent on that side. */
export interface FieldDiff {
  field: string;
  kind: ChangeKind;
  base: unknown;
  local: unknown;
  remote: unknown;
}

export interface DiffOptions {
  nullIsAbsent?: boolean;
  partialRemote?: boolean;
}

export interface ThreeWayDiff {
  /** Every field any side has, sorted by path. */
  fields: FieldDiff[];
  /** True when there was no base snapshot (the record's first sync). */
  firstSync: boolean;
}

type Record3 = [JsonRecord | undefined, JsonRecord | undefined, JsonRecord | undefined];

export function diffThreeWay(
  base: JsonRecord | null | undefined,
  local: JsonRecord | null | undefined,
  remote: JsonRecord | null | undefined,
  options: DiffOptions = {},
): ThreeWayDiff {
  const roots: Record3 = [base ?? {}, local ?? {}, remote ?? {}];
  // Null-prototype maps: a field named "__proto__" is then an ordinary key.
  const flat: [FlatRecord, FlatRecord, FlatRecord] = [Object.create(null), Object.create(null), Object.create(null)];
  walk('', roots, flat, options.nullIsAbsent === true);
  const [b, l, r] = flat;
  const paths = [...new Set([...Object.keys(b), ...Object.keys(l), ...Object.keys(r)])].sort();
  const fields = paths.map((field) => {
    const remoteValue = options.partialRemote && r[field] === undefined ? b[field] : r[field];
    return classify(field, b[field], l[field], remoteValue);
  });
  return { fields, firstSync: base === undefined || base === null };
}

export function classify(field: string, base: unknown, local: unknown, remote: unknown): FieldDiff {
  const localChanged = !valuesEqual(base, local);
  const remoteChanged = !valuesEqual(base, remote);
  let kind: ChangeKind;
  if (!localChanged && !remoteChanged) kind = 'unchanged';
  else if (!remoteChanged) kind = 'local_only';
  else if (!localChanged) kind = 'remote_only';
  else kind = valuesEqual(local, remote) ? 'both_same' : 'conflict';
  return { field, kind, base, local, remote };
}

/** Fields that need a strategy: the ones changed on both sides to different values. */
export function conflictsOf(diff: ThreeWayDiff): FieldDiff[] {
  return diff.fields.filter((f) => f.kind === 'conflict');
}

function walk(prefix: string, nodes: Record3, out: [FlatRecord, FlatRecord, FlatRecord], nullIsAbsent: boolean): void {
  const keys = new Set<string>();
  for (const node of nodes) if (node) for (const key of Object.keys(node)) keys.add(key);
  for (const key of [...keys].sort()) {
    const values = nodes.map((node) => normalise(node?.[key], nullIsAbsent));
    const path = joinPath(prefix, key);
    const present = values.filter((v) => v !== undefined);
    if (present.length === 0) continue;
    if (present.every(hasMembers)) {
      walk(path, values as Record3, out, nullIsAbsent);
      continue;
    }
    values.forEach((v, side) => {
      if (v !== undefined) (out[side] as FlatRecord)[path] = canonicalCopy(v);
    });
  }
}

function hasMembers(value: unknown): value is JsonRecord {
  return isPlainObject(value) && Object.values(value).some((v) => v !== undefined);
}

function normalise(value: unknown, nullIsAbsent: boolean): unknown {
  return nullIsAbsent && value === null ? undefined : value;
}
