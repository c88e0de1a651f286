/**
 * The in-memory backend: the same GCRA and lease semantics as the Lua scripts, for runs without Redis and
 * as the fallback while Redis is down. One process only: each instance keeps its own budget.
 */
import {
  effectiveFactor,
  gcraParams,
  gcraParamsForCost,
  type AdaptiveChange,
  type AdaptivePolicy,
  type AdaptiveState,
  type DecideOptions,
  type Decision,
  type LevelSpec,
  type LimiterBackend,
} from './types';

/** Millisecond clock with sub-millisecond resolution; injectable for tests. */
export type Clock = () => number;
export const systemClock: Clock = () => performance.timeOrigin + performance.now();

/** Above this many keys, expired entries are swept so idle keys do not pile up. */
const SWEEP_THRESHOLD = 10_000;

export class LocalLimiterBackend implements LimiterBackend {
  readonly kind = 'local' as const;
  private readonly tats = new Map<string, number>();
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly adaptive = new Map<string, AdaptiveState>();

  constructor(private readonly clock: Clock = systemClock) {}

  async decide(levels: readonly LevelSpec[], options: DecideOptions): Promise<Decision> {
    const now = this.clock();
    const cost = options.cost ?? 1;
    let wait = 0;
    let denied = -1;
    const bases: number[] = [];
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i]!;
      if (level.rule.kind === 'rate') {
        const tat = Math.max(this.tats.get(level.key) ?? now, now);
        bases[i] = tat;
        const w = tat - gcraParamsForCost(level.rule, level.factor, cost).toleranceMs - now;
        if (w > wait) [wait, denied] = [w, i];
      } else {
        const holders = this.liveLeases(level.key, now);
        if (holders.size >= level.rule.limit) {
          const earliest = Math.min(...holders.values());
          return {
            allowed: false,
            retryAfterMs: Math.max(1, Math.ceil(earliest - now)),
            deniedLevel: i,
            reason: 'concurrency',
          };
        }
      }
    }
    if (wait > options.maxWaitMs)
      return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(wait)), deniedLevel: denied, reason: 'rate' };
    const at = now + wait;
    levels.forEach((level, i) => {
      if (level.rule.kind === 'rate')
        this.tats.set(
          level.key,
          Math.max(bases[i]!, at) + gcraParamsForCost(level.rule, level.factor, cost).emissionMs,
        );
      else this.liveLeases(level.key, now).set(options.leaseId, now + level.rule.leaseMs);
    });
    if (this.tats.size > SWEEP_THRESHOLD) this.sweep(now);
    return { allowed: true, waitMs: Math.ceil(wait), turnAt: at };
  }

  async release(keys: readonly string[], leaseId: string): Promise<void> {
    for (const key of keys) this.leases.get(key)?.delete(leaseId);
  }

  async block(level: LevelSpec, blockMs: number): Promise<void> {
    if (level.rule.kind !== 'rate' || blockMs <= 0) return;
    const target = this.clock() + blockMs + gcraParams(level.rule, level.factor).toleranceMs;
    if ((this.tats.get(level.key) ?? 0) < target) this.tats.set(level.key, target);
  }

  async readAdaptive(policy: AdaptivePolicy): Promise<Map<string, AdaptiveState>> {
    const now = this.clock();
    for (const [key, state] of this.adaptive) if (effectiveFactor(state, now, policy) >= 1) this.adaptive.delete(key);
    return new Map(this.adaptive);
  }

  async lowerAdaptive(key: string, change: AdaptiveChange, policy: AdaptivePolicy): Promise<AdaptiveState> {
    const now = this.clock();
    const current = effectiveFactor(this.adaptive.get(key), now, policy);
    const state = {
      factor: Math.max(policy.minFactor, Math.min(current * change.multiplier, change.cap)),
      penalizedAt: now,
    };
    this.adaptive.set(key, state);
    return state;
  }

  /** The stored state of some keys, for the read-only usage view (usage.ts); changes nothing. */
  peek(keys: readonly string[]): { nowMs: number; tats: Map<string, number>; leases: Map<string, number> } {
    const nowMs = this.clock();
    const tats = new Map<string, number>();
    const leases = new Map<string, number>();
    for (const key of keys) {
      const tat = this.tats.get(key);
      if (tat !== undefined) tats.set(key, tat);
      let live = 0;
      for (const expiresAt of this.leases.get(key)?.values() ?? []) if (expiresAt > nowMs) live++;
      leases.set(key, live);
    }
    return { nowMs, tats, leases };
  }

  private liveLeases(key: string, now: number): Map<string, number> {
    let holders = this.leases.get(key);
    if (!holders) this.leases.set(key, (holders = new Map()));
    for (const [id, expiresAt] of holders) if (expiresAt <= now) holders.delete(id);
    return holders;
  }

  private sweep(now: number): void {
    for (const [key, tat] of this.tats) if (tat < now) this.tats.delete(key);
    for (const [key, holders] of this.leases)
      if (this.liveLeases(key, now).size === 0 && holders.size === 0) this.leases.delete(key);
  }
}
