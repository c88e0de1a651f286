/**
 * The Redis client factory (rate limits, delivery dedupe, locks): every Redis client of the app is made here.
 * One connection per process, auto-pipelined; commands fail fast while disconnected so callers can apply their
 * documented fallback instead of hanging. With `entra`, the client signs in to Azure Managed Redis with Entra ID
 * access tokens instead of a password (entra-redis.ts).
 */
import Redis, { type RedisOptions } from 'ioredis';
import type { Settings } from '../../../config/settings';
import { managedIdentity } from '../../../platform/azure/managed-identity';
import { EntraTokenKeeper, type EntraTokenOptions } from './entra-token';
import { EntraRedis, type EntraRedisOptions } from './entra-redis';

export interface RedisClientOptions {
  connectTimeoutMs?: number;
  /** Sign in with Entra ID tokens (user = the identity's object id); the URL then carries no password. */
  entra?: EntraTokenOptions & EntraRedisOptions;
}

export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const redisOptions = {
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  } satisfies RedisOptions;
  if (!options.entra) return new Redis(url, redisOptions);
  return new EntraRedis(url, redisOptions, new EntraTokenKeeper(options.entra), options.entra);
}

/** The app's client from validated settings; in entra mode with the managed identity (AZURE_CLIENT_ID). */
export async function openRedisClient(
  redis: Settings['redis'],
  azureClientId: string | undefined,
): Promise<Redis | undefined> {
  if (!redis.url) return undefined;
  if (redis.auth.mode !== 'entra') return createRedisClient(redis.url);
  return createRedisClient(redis.url, {
    entra: { credential: await managedIdentity(azureClientId), user: redis.auth.user },
  });
}

export type RedisClient = Redis;
