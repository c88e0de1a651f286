/**
 * Picks the limiter's backend: Redis (with the local fallback while Redis is down) when a client is given,
 * in-memory otherwise. Give it a client made with `enableAutoPipelining: true` for throughput.
 */
import type Redis from 'ioredis';
import { DEFAULT_FAILOVER, FailoverLimiterBackend, type FailoverOptions } from './failover-backend';
import { RateLimiter, type RateLimiterConfig } from './limiter';
import { LocalLimiterBackend } from './local-backend';
import { DocumentOverrideStore, DurableOverrideStore, type OverrideDocuments } from './durable-overrides';
import { MemoryOverrideStore, RedisOverrideStore } from './overrides';
import { MemoryThrottleHistory, RedisThrottleHistory } from './throttle-history';
import { FailoverUsageReader, LocalUsageReader, RedisUsageReader } from './usage';

export interface CreateRateLimiterOptions extends RateLimiterConfig {
  /** Absent: every decision is local to this process (development, tests, single instance). */
  redis?: Redis;
  /** What to do while Redis is configured but down (see failover-backend.ts). */
  failover?: Partial<FailoverOptions>;
  /** Where overrides are kept durably (Cosmos); Redis, when given, is their cache. Absent: Redis or memory only. */
  overrideDocuments?: OverrideDocuments;
}

export function createRateLimiter(options: CreateRateLimiterOptions): RateLimiter {
  const { redis, failover, overrideDocuments, ...config } = options;
  if (!redis) {
    const local = new LocalLimiterBackend();
    return new RateLimiter(
      local,
      overrideDocuments ? new DocumentOverrideStore(overrideDocuments) : new MemoryOverrideStore(),
      config,
      new LocalUsageReader(local),
      new MemoryThrottleHistory(),
    );
  }
  const backend = new FailoverLimiterBackend(redis, { ...DEFAULT_FAILOVER, ...failover }, config.keyPrefix);
  const usage = new FailoverUsageReader(
    new RedisUsageReader(redis, config.keyPrefix),
    new LocalUsageReader(backend.local),
    () => backend.kind,
  );
  const overrides = overrideDocuments
    ? new DurableOverrideStore(redis, config.keyPrefix, overrideDocuments)
    : new RedisOverrideStore(redis, config.keyPrefix);
  return new RateLimiter(backend, overrides, config, usage, new RedisThrottleHistory(redis, config.keyPrefix));
}
