/**
 * Adaptive throttling: what a provider's rate-limit signal means for our budget, and a short-lived cache of
 * the lowered factors that live in the backend (Redis), so every instance slows down together without an
 * extra round trip per decision. A Retry-After or an exhausted budget is a hard block written into the
 * level itself, so it reaches every instance at once; the lowered rate reaches them within `refreshMs`.
 */
import type { RateLimitSignal } from './signal';
import type { ProviderLimits } from './provider-limits';
import { effectiveFactor, type AdaptiveChange, type AdaptivePolicy, type AdaptiveState, type LimiterBackend, type RateRule } from './types';

export interface SignalEffect {
  /** Lower the level's factor this way (absent: leave it). */
  change?: AdaptiveChange;
  /** Let nothing through the level for this long (0: no block). */
  blockMs: number;
}

/** Below this share of the budget left, the rate is paced down to what is left until the reset. */
export const LOW_WATERMARK = 0.1;

/**
 * The effect of one signal on a level with `rule`. A limit answer (any 4xx/5xx status carried by a
 * rate-limit signal: 429, 529, GitHub's secondary-limit 403, Google's rateLimitExceeded 403) halves the rate
 * and blocks until Retry-After, else until the reset when the budget is spent, else for the provider's
 * default. A success with little budget left paces the rest of it over the time to the reset.
 */
export function interpretSignal(signal: RateLimitSignal, rule: RateRule, limits: ProviderLimits, policy: AdaptivePolicy, nowMs: number): SignalEffect | undefined {
  const untilReset = signal.resetAt !== undefined ? signal.resetAt - nowMs : undefined;
  if (signal.status !== undefined && signal.status >= 400) {
    const blockMs =
      signal.retryAfterMs ?? (signal.remaining === 0 && untilReset !== undefined && untilReset > 0 ? untilReset : limits.noRetryAfterBlockMs);
    return { change: { multiplier: policy.decrease, cap: 1 }, blockMs: Math.max(0, blockMs) };
  }
  if (signal.retryAfterMs !== undefined && signal.retryAfterMs > 0) return { blockMs: signal.retryAfterMs };
  if (signal.remaining === undefined || signal.limit === undefined || signal.limit <= 0) return undefined;
  if (signal.remaining <= 0) return untilReset !== undefined && untilReset > 0 ? { blockMs: untilReset } : { change: { multiplier: policy.decrease, cap: 1 }, blockMs: limits.noRetryAfterBlockMs };
  const share = signal.remaining / signal.limit;
  if (share >= LOW_WATERMARK) return undefined;
  const cap =
    untilReset !== undefined && untilReset > 0
      ? signal.remaining / untilReset / (rule.limit / rule.windowMs)
      : share / LOW_WATERMARK;
  return cap < 1 ? { change: { multiplier: 1, cap }, blockMs: 0 } : undefined;
}

interface Cached {
  state?: AdaptiveState;
  fetchedAt: number;
}

/** Factors by level key, read from the backend at most every `refreshMs` per key. */
export class AdaptiveFactors {
  private readonly cache = new Map<string, Cached>();
  private refreshing: Promise<void> | undefined;
  private readonly pending = new Set<string>();

  constructor(
    private readonly backend: () => LimiterBackend,
    private readonly policy: AdaptivePolicy,
    private readonly refreshMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Current factors for the keys. A key never seen is read before answering (once per key and process);
   * a stale key is answered from the cache and refreshed in the background.
   */
  async factors(keys: readonly string[]): Promise<number[]> {
    const now = this.now();
    const missing = keys.filter((key) => !this.cache.has(key));
    if (missing.length > 0) await this.load(missing).catch(() => undefined);
    for (const key of keys) {
      const cached = this.cache.get(key);
      if (cached && now - cached.fetchedAt >= this.refreshMs) this.pending.add(key);
    }
    if (this.pending.size > 0 && !this.refreshing) {
      const batch = [...this.pending];
      this.pending.clear();
      this.refreshing = this.load(batch)
        .catch(() => undefined)
        .finally(() => (this.refreshing = undefined));
    }
    return keys.map((key) => effectiveFactor(this.cache.get(key)?.state, now, this.policy));
  }

  /** Records a state this process just wrote, so its next decision uses it without a read. */
  remember(key: string, state: AdaptiveState): void {
    this.cache.set(key, { state, fetchedAt: this.now() });
  }

  private async load(keys: string[]): Promise<void> {
    const states = await this.backend().readAdaptive(keys);
    const now = this.now();
    if (this.cache.size > 50_000) this.cache.clear();
    for (const key of keys) this.cache.set(key, { state: states.get(key), fetchedAt: now });
  }
}
