/**
 * The key-value store's public surface and its factory. The composition root (app/services.ts) opens it once
 * from the app's Redis client (none when REDIS_URL is not set) and hands each user the capability it needs:
 * - `withFallback(policy)`: claims, values and counters on Redis, with a memory store of the user's own
 *   answering under the user's stated policy (fallback.ts); memory alone without Redis.
 * - `shared`: Redis alone, for a user whose fallback is not memory (webhook delivery claims fall back to the
 *   receipt in Cosmos).
 * - `refreshCoordinator()`: the credential refresh lock, across processes on Redis, in-process otherwise.
 * Each user gets a memory store of its own, so a flood of one user's keys never evicts another's.
 */
import type { KeyValueStore } from './kv-store';
import { withFallback, type FallbackPolicy } from './fallback';
import { MemoryKeyValueStore } from './memory/memory-kv-store';
import { InProcessRefreshLock } from './memory/refresh-lock';
import type { RefreshCoordinator } from './refresh-coordination';
import type { RedisClient } from './redis/redis-client';
import { RedisKeyValueStore } from './redis/redis-kv-store';
import { RedisRefreshLock } from './redis/refresh-lock';

export type { ClaimAnswer, ClaimRequest, KeyValueStore, WindowCount } from './kv-store';
export type { FallbackPolicy } from './fallback';
export type { RefreshCoordinator } from './refresh-coordination';

export interface KeyValueStores {
  /** Redis, shared by every instance; undefined when each instance keeps its own state. */
  readonly shared?: KeyValueStore;
  withFallback(policy: FallbackPolicy): KeyValueStore;
  refreshCoordinator(): RefreshCoordinator;
}

export interface KeyValueStoresOptions {
  redis?: RedisClient;
  /** REDIS_KEY_PREFIX: every key of the app starts with it. */
  keyPrefix: string;
  /** The app's clock (ms since the epoch): memory windows end by it. */
  now?: () => number;
}

export function openKeyValueStores(options: KeyValueStoresOptions): KeyValueStores {
  const { redis, keyPrefix, now } = options;
  const shared = redis ? new RedisKeyValueStore(redis, keyPrefix) : undefined;
  return {
    shared,
    withFallback: (policy) => withFallback(shared, new MemoryKeyValueStore({ now }), policy),
    refreshCoordinator: () => (redis ? new RedisRefreshLock(redis, keyPrefix) : new InProcessRefreshLock()),
  };
}
