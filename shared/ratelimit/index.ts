/** The rate limiter's public surface (see docs/ratelimit.md). */
export { createRateLimiter, type CreateRateLimiterOptions } from './factory';
export {
  RateLimiter,
  DEFAULT_INBOUND,
  type AcquireOptions,
  type InboundDecision,
  type InboundKind,
  type Permit,
  type RateLimiterConfig,
} from './limiter';
export { createAdapterHooks, type AdapterRateLimitHooks, type HookOptions, type HookTarget } from './adapter-hooks';
export { parseOverride, overrideSchema, type LimitOverride, type OverrideScope, type OverrideStore } from './overrides';
export {
  PROVIDER_LIMITS,
  DEFAULT_TENANT_RULE,
  limitsTierOf,
  type ProviderLimits,
  type OperationRule,
} from './provider-limits';
export { DEFAULT_FAILOVER, type FailoverOptions, type LimiterHealth } from './failover-backend';
export type { CallTarget } from './levels';
export type { LimitRule, RateRule, ConcurrencyRule, AdaptivePolicy } from './types';
export type { RateLimitSignal } from './signal';
export {
  THROTTLE_RETENTION_DAYS,
  type ThrottleEvent,
  type ThrottleHistory,
  type ThrottleMinute,
} from './throttle-history';
