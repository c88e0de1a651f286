/**
 * The key-value port: short-lived state that features keep outside their documents. Claims (set once, the
 * first caller wins: a dedupe marker, a once-per-window alert), plain values with a time to live (a claim's
 * state), and counters over a window that opens with the first increment (repeat counts, failed sign-ins).
 * Every entry expires: nothing here is a record, each user keeps its durable truth elsewhere.
 *
 * Implementations: Redis (redis/redis-kv-store.ts, shared by every instance of the app), bounded memory
 * (memory/memory-kv-store.ts, this process only), and a fallback wrapper (fallback.ts) that lets memory answer
 * while Redis is down, under a policy each user states. One conformance suite holds all of them to the same
 * behaviour (tests/stores/kv-conformance.test.ts).
 */

/** A counter's value and the time left in its window; both 0 when no window is open. */
export interface WindowCount {
  count: number;
  remainingMs: number;
}

/** One claim of a `claimMany`: set `key` to `value` for `ttlMs` unless it holds a live value. */
export interface ClaimRequest {
  key: string;
  value: string;
  ttlMs: number;
}

/** What a claim found: `claimed` when this call set the key, else the live value the key holds. */
export type ClaimAnswer = { claimed: true } | { claimed: false; held: string };

export interface KeyValueStore {
  /** `redis`: shared by every instance. `memory`: this process only. */
  readonly backend: 'redis' | 'memory';
  /**
   * False while the store is known to be unreachable (Redis not connected): a call now would wait for a
   * reconnect or fail. Memory is always available.
   */
  available(): boolean;
  /** Sets `key` to `value` for `ttlMs` unless it holds a live value; true when this call set it. */
  claim(key: string, ttlMs: number, value?: string): Promise<boolean>;
  /**
   * Several claims in one round trip, each answered as `claim` would, with the value a lost claim found (read
   * in the same atomic step, so it cannot expire in between). For hot paths that claim many keys at once.
   */
  claimMany(claims: readonly ClaimRequest[]): Promise<ClaimAnswer[]>;
  /** The live value, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Sets `key` to `value` for `ttlMs`, whatever it held. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Several `set`s in one round trip. */
  setMany(entries: readonly ClaimRequest[]): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds one to a counter whose window of `windowMs` opens with its first increment; the new count. */
  increment(key: string, windowMs: number): Promise<number>;
  /** A counter's value and the time left in its window. */
  count(key: string): Promise<WindowCount>;
  /** Proves the store answers (for /api/health). */
  ping(): Promise<void>;
}
