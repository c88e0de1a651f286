/**
 * Turns a three-way diff into what the pipeline writes: the merged shard, the patch to push to the provider,
 * the fields held for a person, one decision per conflict, and the next base snapshot.
 *
 * Nothing is lost silently: every field changed on either side ends in `merged`, or in `held`, or in a decision
 * that names the side whose change was overridden and why. One-sided changes always flow across; strategies
 * only decide conflicts.
 *
 * The next base is what the provider holds after this page: the remote value of every field, except a held field,
 * which keeps its old base so the same conflict is found again (not silently resolved) until a person decides.
 * Storing the merged record instead would make a losing remote value look like a fresh remote edit on the next
 * page and undo the decision. After the remote patch is pushed, store `baseAfterPush(resolution)` instead.
 * With that, resolving the same page again gives the same merged record, no new conflicts and the same push.
 */
import { diffThreeWay, type ChangeKind, type DiffOptions, type FieldDiff, type ThreeWayDiff } from './diff';
import {
  applyPatch,
  canonicalCopy,
  emptyPatch,
  isEmptyPatch,
  unflatten,
  valuesEqual,
  type FieldPatch,
  type FlatRecord,
  type JsonRecord,
} from './field-paths';
import { strategyFor, validatePolicy, type CompiledPolicy, type ConflictPolicy, type StrategyKind } from './policy';
import { applyStrategy, type Outcome, type StrategyPick, type ResolveContext } from './strategies';

export interface Decision {
  field: string;
  strategy: StrategyKind;
  /** "default" or "fields.<key>": which part of the policy chose the strategy. */
  via: string;
  outcome: Outcome;
  /** The sides whose change did not make it into the merged record (empty when held). */
  overridden: Array<'local' | 'remote'>;
  reason: string;
}

/** A field kept at its shard value while a person decides; `undefined` = absent on that side. */
export interface HeldField {
  field: string;
  base: unknown;
  local: unknown;
  remote: unknown;
}

export interface Resolution {
  /** The full record the shard should hold. */
  merged: JsonRecord;
  held: HeldField[];
  decisions: Decision[];
  /** The shard must be written (merged differs from the current shard). */
  changedLocal: boolean;
  localPatch: FieldPatch;
  /** The provider needs a push (bidirectional sync); remotePatch says what. */
  changedRemote: boolean;
  remotePatch: FieldPatch;
  /** The base snapshot to store now (before any push); see the module comment. */
  nextBase: JsonRecord;
  counts: Record<ChangeKind | 'held', number>;
}

export async function resolve(
  diff: ThreeWayDiff,
  policy: ConflictPolicy | CompiledPolicy,
  context: ResolveContext = {},
): Promise<Resolution> {
  const compiled = validatePolicy(policy);
  // Null-prototype maps: a field named "__proto__" is then an ordinary key.
  const merged: FlatRecord = Object.create(null);
  const nextBase: FlatRecord = Object.create(null);
  const localPatch = emptyPatch();
  const remotePatch = emptyPatch();
  const held: HeldField[] = [];
  const decisions: Decision[] = [];
  const counts: Resolution['counts'] = {
    unchanged: 0,
    local_only: 0,
    remote_only: 0,
    both_same: 0,
    conflict: 0,
    held: 0,
  };

  // Sorted by field, so every output list and key order is the same whatever order the inputs had.
  const fields = [...diff.fields].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  for (const fd of fields) {
    counts[fd.kind]++;
    nextBase[fd.field] = fd.remote;
    if (fd.kind !== 'conflict') {
      const value = fd.kind === 'remote_only' ? fd.remote : fd.local;
      settle(fd, value, merged, localPatch, remotePatch);
      continue;
    }
    const choice = strategyFor(compiled, fd.field);
    const pick = await applyStrategy(choice.strategy, { conflict: fd, context, rule: choice.rule });
    if (pick.outcome === 'held') {
      counts.held++;
      held.push({ field: fd.field, base: fd.base, local: fd.local, remote: fd.remote });
      nextBase[fd.field] = fd.base;
      merged[fd.field] = fd.local;
      decisions.push({
        field: fd.field,
        strategy: choice.strategy.kind,
        via: choice.via,
        outcome: 'held',
        overridden: [],
        reason: pick.reason,
      });
      continue;
    }
    const value = valueOf(pick, fd);
    settle(fd, value, merged, localPatch, remotePatch);
    const overridden = (['local', 'remote'] as const).filter((side) => !valuesEqual(fd[side], value));
    decisions.push({
      field: fd.field,
      strategy: choice.strategy.kind,
      via: choice.via,
      outcome: pick.outcome,
      overridden,
      reason: pick.reason,
    });
  }

  return {
    merged: unflatten(merged),
    held,
    decisions,
    changedLocal: !isEmptyPatch(localPatch),
    localPatch,
    changedRemote: !isEmptyPatch(remotePatch),
    remotePatch,
    nextBase: unflatten(nextBase),
    counts,
  };
}

/** Diff and resolve in one call: the usual entry point for a page of records. */
export async function mergeRecord(
  records: {
    base: JsonRecord | null | undefined;
    local: JsonRecord | null | undefined;
    remote: JsonRecord | null | undefined;
  },
  policy: ConflictPolicy | CompiledPolicy,
  context: ResolveContext = {},
  options: DiffOptions = {},
): Promise<Resolution> {
  return resolve(diffThreeWay(records.base, records.local, records.remote, options), policy, context);
}

/** The base to store once `remotePatch` has been pushed: the provider now holds the merged values. */
export function baseAfterPush(resolution: Pick<Resolution, 'nextBase' | 'remotePatch'>): JsonRecord {
  return applyPatch(resolution.nextBase, resolution.remotePatch);
}

function valueOf(pick: Exclude<StrategyPick, { outcome: 'held' }>, fd: FieldDiff): unknown {
  if (pick.outcome === 'custom_value') return pick.value;
  return pick.outcome === 'took_local' ? fd.local : fd.remote;
}

/** Records the final value of a field and what each side must change to reach it. */
function settle(
  fd: FieldDiff,
  value: unknown,
  merged: FlatRecord,
  localPatch: FieldPatch,
  remotePatch: FieldPatch,
): void {
  merged[fd.field] = value;
  if (!valuesEqual(fd.local, value)) addToPatch(localPatch, fd.field, value);
  if (!valuesEqual(fd.remote, value)) addToPatch(remotePatch, fd.field, value);
}

function addToPatch(patch: FieldPatch, field: string, value: unknown): void {
  if (value === undefined) patch.unset.push(field);
  else patch.set[field] = canonicalCopy(value);
}
