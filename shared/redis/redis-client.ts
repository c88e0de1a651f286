/**
 * The Redis client factory (rate limits, delivery dedupe, locks). One connection per process, auto-pipelined;
 * commands fail fast while disconnected so callers can apply their documented fallback instead of hanging.
 */
import Redis from 'ioredis';

export function createRedisClient(url: string, options: { connectTimeoutMs?: number } = {}): Redis {
  return new Redis(url, {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

export type RedisClient = Redis;
