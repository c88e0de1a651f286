/**
 * The key-value port on Redis, shared by every instance of the app. One command per call (a counter's
 * increment is one small script, so its window opens atomically with the first increment); calls issued
 * together leave in one write through the client's auto-pipelining. Keys are the app's prefix
 * (REDIS_KEY_PREFIX) followed by the caller's key, so operators find each user's keys under the names they
 * always had (`<prefix>wh:…`, `<prefix>notify:…`, `<prefix>login-fail:…`).
 */
import type { KeyValueStore, WindowCount } from '../kv-store';
import type { RedisClient } from './redis-client';

/** The first increment opens the window; later ones keep its expiry. */
const INCREMENT =
  "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n";

/** Redis refuses an expiry of 0. */
function ttlOf(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

export class RedisKeyValueStore implements KeyValueStore {
  readonly backend = 'redis';

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
  ) {}

  available(): boolean {
    return this.redis.status === 'ready';
  }

  async claim(key: string, ttlMs: number, value = '1'): Promise<boolean> {
    return (await this.redis.set(this.keyPrefix + key, value, 'PX', ttlOf(ttlMs), 'NX')) === 'OK';
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.keyPrefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keyPrefix + key, value, 'PX', ttlOf(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.keyPrefix + key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    return Number(await this.redis.eval(INCREMENT, 1, this.keyPrefix + key, String(ttlOf(windowMs))));
  }

  async count(key: string): Promise<WindowCount> {
    const name = this.keyPrefix + key;
    const [count, ttl] = await Promise.all([this.redis.get(name), this.redis.pttl(name)]);
    // A window that ended between the two commands reads as its count with no time left.
    return { count: Number(count ?? 0), remainingMs: Math.max(0, ttl) };
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
