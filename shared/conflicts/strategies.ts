/**
 * The six conflict strategies, one small function each, keyed by kind. A strategy only ever sees a conflicting
 * field (changed on both sides to different values); one-sided changes flow across without asking it. Each
 * returns which side it took (or the value it made, or that the field is held) with a reason a person can read.
 */
import { runRule, type CompiledRule } from './custom-rule';
import type { FieldDiff } from './diff';
import { priorityFor, type Strategy, type StrategyKind } from './policy';

export type Timestamp = string | number | Date;

export interface ResolveContext {
  /** When the shard (target) was last modified. */
  localModifiedAt?: Timestamp;
  /** When the provider record (source) was last modified. */
  remoteModifiedAt?: Timestamp;
}

export type Outcome = 'took_local' | 'took_remote' | 'custom_value' | 'held';

export type StrategyPick =
  | { outcome: 'took_local'; reason: string }
  | { outcome: 'took_remote'; reason: string }
  | { outcome: 'custom_value'; value: unknown; reason: string }
  | { outcome: 'held'; reason: string };

export interface StrategyInput {
  conflict: FieldDiff;
  context: ResolveContext;
  rule?: CompiledRule;
}

type StrategyFn<K extends StrategyKind> = (
  strategy: Extract<Strategy, { kind: K }>,
  input: StrategyInput,
) => StrategyPick | Promise<StrategyPick>;

const sourceWins: StrategyFn<'source_wins'> = () => ({
  outcome: 'took_remote',
  reason: 'source_wins: the provider record wins conflicts',
});

const targetWins: StrategyFn<'target_wins'> = () => ({
  outcome: 'took_local',
  reason: 'target_wins: the shard wins conflicts',
});

/**
 * The side modified later wins. A missing or unreadable time counts as older than any known time, and a tie
 * (including both unknown) goes to the source, so the outcome never depends on the order of evaluation.
 */
const latestWins: StrategyFn<'latest_wins'> = (_strategy, { context }) => {
  const local = toMillis(context.localModifiedAt);
  const remote = toMillis(context.remoteModifiedAt);
  if (local !== undefined && (remote === undefined || local > remote)) {
    return {
      outcome: 'took_local',
      reason: `latest_wins: shard modified later (${describe(local)} vs ${describe(remote)})`,
    };
  }
  const why = local === remote ? 'equal or unknown times, source wins ties' : 'provider record modified later';
  return { outcome: 'took_remote', reason: `latest_wins: ${why} (${describe(remote)} vs ${describe(local)})` };
};

const fieldMerge: StrategyFn<'field_merge'> = (strategy, { conflict }) => {
  const { side, listed } = priorityFor(strategy.priority, conflict.field);
  const because = listed
    ? `priority for this field is ${side}`
    : 'no priority listed for this field, source by default';
  return side === 'source'
    ? { outcome: 'took_remote', reason: `field_merge: ${because}` }
    : { outcome: 'took_local', reason: `field_merge: ${because}` };
};

const manual: StrategyFn<'manual'> = () => ({ outcome: 'held', reason: 'manual: held for a person to decide' });

const custom: StrategyFn<'custom'> = async (_strategy, { conflict, context, rule }) => {
  if (!rule) return { outcome: 'held', reason: 'custom: rule not compiled (policy not validated), held for a person' };
  const result = await runRule(rule, {
    field: conflict.field,
    base: conflict.base,
    local: conflict.local,
    remote: conflict.remote,
    localModifiedAt: isoOrUndefined(context.localModifiedAt),
    remoteModifiedAt: isoOrUndefined(context.remoteModifiedAt),
  });
  if (!result.ok) return { outcome: 'held', reason: `custom: ${result.reason}; held for a person` };
  if ('take' in result)
    return {
      outcome: result.take === 'local' ? 'took_local' : 'took_remote',
      reason: `custom: rule took ${result.take}`,
    };
  return { outcome: 'custom_value', value: result.value, reason: 'custom: rule computed the value' };
};

const STRATEGIES: { [K in StrategyKind]: StrategyFn<K> } = {
  source_wins: sourceWins,
  target_wins: targetWins,
  latest_wins: latestWins,
  field_merge: fieldMerge,
  manual,
  custom,
};

export function applyStrategy(strategy: Strategy, input: StrategyInput): StrategyPick | Promise<StrategyPick> {
  const fn = STRATEGIES[strategy.kind] as StrategyFn<typeof strategy.kind>;
  return fn(strategy as never, input);
}

export function toMillis(value: Timestamp | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  // Beyond ±8.64e15 ms a Date is invalid; such a time is as good as unknown.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}

function isoOrUndefined(value: Timestamp | undefined): string | undefined {
  const ms = toMillis(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function describe(ms: number | undefined): string {
  return ms === undefined ? 'unknown' : new Date(ms).toISOString();
}
