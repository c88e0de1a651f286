/**
 * The key-value port in this process's memory: what a single instance without Redis uses, and what answers
 * while Redis is down (fallback.ts). Bounded: at `maxEntries` an insert first drops expired entries, then the
 * oldest ones (a Map keeps insertion order), so a flood of keys costs memory up to the bound and no more.
 * Time comes from an injected clock so the app's clock (and a test's fake one) decides when windows end.
 */
import type { ClaimAnswer, ClaimRequest, KeyValueStore, WindowCount } from '../kv-store';

export interface MemoryKeyValueStoreOptions {
  /** Milliseconds since the epoch. */
  now?: () => number;
  maxEntries?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export const DEFAULT_MAX_MEMORY_ENTRIES = 100_000;

export class MemoryKeyValueStore implements KeyValueStore {
  readonly backend = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  /**
   * Full of live entries, a sweep for expired ones finds little and costs a pass over all of them: after one,
   * the next inserts at the bound just drop the oldest, and only then is a sweep tried again.
   */
  private insertsBeforeNextSweep = 0;

  constructor(options: MemoryKeyValueStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_MEMORY_ENTRIES);
  }

  available(): boolean {
    return true;
  }

  async claim(key: string, ttlMs: number, value = '1'): Promise<boolean> {
    if (this.live(key)) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async claimMany(claims: readonly ClaimRequest[]): Promise<ClaimAnswer[]> {
    return claims.map(({ key, value, ttlMs }) => {
      const held = this.live(key);
      if (held) return { claimed: false, held: held.value };
      this.put(key, value, ttlMs);
      return { claimed: true };
    });
  }

  async setMany(entries: readonly ClaimRequest[]): Promise<void> {
    for (const { key, value, ttlMs } of entries) this.put(key, value, ttlMs);
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.put(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<number> {
    const entry = this.live(key);
    if (!entry) {
      this.put(key, '1', windowMs);
      return 1;
    }
    const count = Number(entry.value) + 1;
    entry.value = String(count);
    return count;
  }

  async count(key: string): Promise<WindowCount> {
    const entry = this.live(key);
    return entry
      ? { count: Number(entry.value), remainingMs: entry.expiresAt - this.now() }
      : { count: 0, remainingMs: 0 };
  }

  async ping(): Promise<void> {}

  /** How many entries are held, expired ones not yet dropped included (tests check the bound). */
  get size(): number {
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private put(key: string, value: string, ttlMs: number): void {
    // A key set again counts as new: it moves to the end of the eviction order.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(key, { value, expiresAt: this.now() + Math.max(1, ttlMs) });
  }

  private makeRoom(): void {
    if (this.insertsBeforeNextSweep-- <= 0) {
      const now = this.now();
      const before = this.entries.size;
      for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
      const freed = before - this.entries.size;
      this.insertsBeforeNextSweep = freed * 10 >= this.maxEntries ? 0 : Math.ceil(this.maxEntries / 10);
    }
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
