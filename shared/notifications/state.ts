/**
 * Short-lived notification state: dedupe claims, repeat counters for escalation, digest slot claims. Redis
 * when configured (shared by every instance, so one alert is sent once across the app), memory otherwise.
 * When Redis fails, the memory store answers for that call: a duplicate alert is better than a lost one.
 */
import type { RedisClient } from '../stores/kv/redis/redis-client';

export interface NotifyState {
  /** True for the first caller within ttlMs, false for the rest. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Counts calls within a window that starts with the first one. */
  increment(key: string, ttlMs: number): Promise<number>;
}

export class MemoryNotifyState implements NotifyState {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>();

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.set(key, 1, ttlMs);
    return true;
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    const entry = this.live(key);
    if (entry) return ++entry.value;
    this.set(key, 1, ttlMs);
    return 1;
  }

  private live(key: string) {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.nowMs()) return entry;
    if (entry) this.entries.delete(key);
    return undefined;
  }

  private set(key: string, value: number, ttlMs: number): void {
    // Bounded: the oldest key goes first (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: this.nowMs() + ttlMs });
  }
}

const INCREMENT =
  "local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n";

export class RedisNotifyState implements NotifyState {
  private readonly fallback = new MemoryNotifyState();

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    try {
      return (await this.redis.set(`${this.prefix}notify:${key}`, '1', 'PX', Math.max(1, ttlMs), 'NX')) === 'OK';
    } catch (error) {
      this.onError(error);
      return this.fallback.claim(key, ttlMs);
    }
  }

  async increment(key: string, ttlMs: number): Promise<number> {
    try {
      return Number(await this.redis.eval(INCREMENT, 1, `${this.prefix}notify:${key}`, String(Math.max(1, ttlMs))));
    } catch (error) {
      this.onError(error);
      return this.fallback.increment(key, ttlMs);
    }
  }
}
