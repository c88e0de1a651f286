/**
 * Adaptive throttling: what a provider's rate-limit signal means for a level. A Retry-After or an exhausted
 * budget is a hard block written into the level itself, so it reaches every instance at once; a lowered
 * rate is stored in the backend and reaches every instance within `adaptiveRefreshMs` (adaptive-factors.ts).
 */
import type { RateLimitSignal } from './signal';
import type { ProviderLimits } from './provider-limits';
import type { AdaptiveChange, AdaptivePolicy, RateRule } from './types';

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
export function interpretSignal(
  signal: RateLimitSignal,
  rule: RateRule,
  limits: ProviderLimits,
  policy: AdaptivePolicy,
  nowMs: number,
): SignalEffect | undefined {
  const untilReset = signal.resetAt !== undefined ? signal.resetAt - nowMs : undefined;
  // Only answers that say "slow down" block: 429, 529 and 403 (GitHub's primary and secondary limits, Google's
  // rateLimitExceeded). A 404 or 410 carrying budget headers is an ordinary answer: only its headers count.
  const throttled = signal.status === 429 || signal.status === 529 || signal.status === 403;
  if (throttled) {
    const blockMs =
      signal.retryAfterMs ??
      (signal.remaining === 0 && untilReset !== undefined && untilReset > 0 ? untilReset : limits.noRetryAfterBlockMs);
    return { change: { multiplier: policy.decrease, cap: 1 }, blockMs: Math.max(0, blockMs) };
  }
  if (signal.retryAfterMs !== undefined && signal.retryAfterMs > 0) return { blockMs: signal.retryAfterMs };
  if (signal.remaining === undefined || signal.limit === undefined || signal.limit <= 0) return undefined;
  if (signal.remaining <= 0)
    return untilReset !== undefined && untilReset > 0
      ? { blockMs: untilReset }
      : { change: { multiplier: policy.decrease, cap: 1 }, blockMs: limits.noRetryAfterBlockMs };
  const share = signal.remaining / signal.limit;
  if (share >= LOW_WATERMARK) return undefined;
  const cap =
    untilReset !== undefined && untilReset > 0
      ? signal.remaining / untilReset / (rule.limit / rule.windowMs)
      : share / LOW_WATERMARK;
  return cap < 1 ? { change: { multiplier: 1, cap }, blockMs: 0 } : undefined;
}
