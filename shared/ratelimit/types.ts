/**
 * The vocabulary of the rate limiter: limit rules (rate or concurrency), the levels one call is checked
 * against, and the backend port that decides over all levels at once. Redis and in-memory backends both
 * implement `LimiterBackend` and pass one conformance suite (tests/ratelimit/conformance.test.ts).
 */

import type { LimitRule, RateRule } from '../core/providers';

// Limit rules are provider facts first (each descriptor's default limits), so they are declared beside them.
export type { ConcurrencyRule, LimitRule, RateRule } from '../core/providers';

/** Which part of the budget a level stands for; used for keys, diagnostics and adaptive targeting. */
export type LevelName = 'tenant' | 'integration' | 'operation' | 'app' | 'concurrency' | 'inbound';

/** One level a call is checked against: a full backend key, its rule and the adaptive multiplier. */
export interface LevelSpec {
  name: LevelName;
  key: string;
  rule: LimitRule;
  /** Multiplier (0 < factor ≤ 1) on the rule's rate; lowered by provider signals. Ignored for concurrency. */
  factor?: number;
}

export interface DecideOptions {
  /**
   * How long the caller is willing to wait for its turn. When every level can serve the call within this
   * time, the turn is reserved at once (FIFO in arrival order) and `waitMs` says how long to sleep before
   * sending; otherwise nothing is consumed.
   */
  maxWaitMs: number;
  /** Lease id for concurrency levels (unique per acquisition). */
  leaseId: string;
  /**
   * Calls decided at once (default 1; rate levels only): every rate level must admit all of them now, or none
   * is consumed. `cost` calls arriving together are decided in one step exactly as one by one when all pass.
   */
  cost?: number;
}

export type Decision =
  | {
      allowed: true;
      waitMs: number;
      /** When the turn starts, on the deciding backend's clock (epoch ms): the instant the limits count. */
      turnAt: number;
    }
  | {
      allowed: false;
      /** When a retry may succeed (for concurrency: when the oldest lease expires at the latest). */
      retryAfterMs: number;
      /** Index into the levels of the first level that refused. */
      deniedLevel: number;
      reason: 'rate' | 'concurrency';
    };

export interface LimiterBackend {
  readonly kind: 'redis' | 'local';
  /** All-or-nothing over every level: when one refuses, none is consumed. */
  decide(levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision>;
  /** Frees the lease `leaseId` on the given concurrency keys. */
  release(keys: readonly string[], leaseId: string): Promise<void>;
  /** No call passes `level` before `blockMs` from now (a provider's Retry-After or reset). */
  block(level: LevelSpec, blockMs: number): Promise<void>;
  /** Every throttled level's adaptive state by level key (absent: not throttled); drops recovered ones. */
  readAdaptive(policy: AdaptivePolicy): Promise<Map<string, AdaptiveState>>;
  /** Lowers the factor of `key` atomically: new = max(minFactor, min(factor in force × multiplier, cap)). */
  lowerAdaptive(key: string, change: AdaptiveChange, policy: AdaptivePolicy): Promise<AdaptiveState>;
}

/** The stored adaptive state of one key: the factor set at the last penalty and when that was. */
export interface AdaptiveState {
  factor: number;
  penalizedAt: number;
}

export interface AdaptiveChange {
  multiplier: number;
  cap: number;
}

/** How fast a lowered rate comes back: nothing for `quietMs`, then `step` every `stepMs` up to 1. */
export interface AdaptivePolicy {
  quietMs: number;
  stepMs: number;
  step: number;
  /** The rate never drops below this multiple of the configured rate. */
  minFactor: number;
  /** Multiplier applied on each 429 / 529 / secondary-limit answer. */
  decrease: number;
}

export const DEFAULT_ADAPTIVE_POLICY: AdaptivePolicy = {
  quietMs: 30_000,
  stepMs: 5_000,
  step: 0.1,
  minFactor: 0.05,
  decrease: 0.5,
};

/** GCRA parameters of a rate rule under a factor: emission interval and burst tolerance, in ms. */
export function gcraParams(rule: RateRule, factor = 1): { emissionMs: number; toleranceMs: number } {
  const f = Math.min(1, Math.max(factor, 1e-6));
  const emissionMs = rule.windowMs / rule.limit / f;
  const burst = Math.max(1, Math.floor(rule.burst ?? 1));
  return { emissionMs, toleranceMs: (burst - 1) * emissionMs };
}

/**
 * GCRA for `cost` calls taken together: each advances the level by one emission interval, and the last of them
 * must fit within the tolerance, so the tolerance left for the first is reduced by the others' intervals (below
 * zero when `cost` exceeds the burst: never admitted at once).
 */
export function gcraParamsForCost(
  rule: RateRule,
  factor: number | undefined,
  cost: number,
): { emissionMs: number; toleranceMs: number } {
  const { emissionMs, toleranceMs } = gcraParams(rule, factor);
  if (cost === 1) return { emissionMs, toleranceMs };
  return { emissionMs: emissionMs * cost, toleranceMs: toleranceMs - (cost - 1) * emissionMs };
}

/** The factor in force at `nowMs` after recovery since the last penalty. */
export function effectiveFactor(state: AdaptiveState | undefined, nowMs: number, policy: AdaptivePolicy): number {
  if (!state) return 1;
  const quietFor = nowMs - state.penalizedAt - policy.quietMs;
  if (quietFor < 0) return state.factor;
  const steps = Math.floor(quietFor / policy.stepMs) + 1;
  return Math.min(1, state.factor + steps * policy.step);
}
