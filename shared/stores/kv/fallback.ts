/**
 * What a user of the key-value port does while Redis is down, as a stated policy instead of a try/catch
 * written into each user: the shared store answers when it can, a local (memory) store when it cannot. Each
 * user picks its policy where the app is put together (app/services.ts) and says why in its own header:
 * - `whileDown`: 'local' skips a Redis that is known to be disconnected, so no call waits for its reconnect;
 *   'try_shared' sends every call to Redis first (commands queued during a short reconnect still land there).
 * - `timeoutMs`: the longest a call waits for Redis before the local store answers (Redis queues commands
 *   while it reconnects, so without a bound a call can wait for the reconnect cycle).
 * - `countsFromBoth`: a counter read answers the larger of the shared and the local count, so what was
 *   counted locally during an outage still counts after it, until its window ends.
 * The local store only ever holds what it answered itself; nothing is copied back to Redis afterwards.
 */
import type { ClaimAnswer, ClaimRequest, KeyValueStore, WindowCount } from './kv-store';

export interface FallbackPolicy {
  whileDown: 'local' | 'try_shared';
  timeoutMs?: number;
  countsFromBoth?: boolean;
  /** Told when the local store answered because the shared one failed or timed out (not when it was skipped). */
  onFallback?: (error: unknown) => void;
}

/** The shared store under `policy`, or the local store alone when there is no shared one. */
export function withFallback(
  shared: KeyValueStore | undefined,
  local: KeyValueStore,
  policy: FallbackPolicy,
): KeyValueStore {
  return shared ? new FallbackKeyValueStore(shared, local, policy) : local;
}

export class FallbackKeyValueStore implements KeyValueStore {
  readonly backend: KeyValueStore['backend'];

  constructor(
    private readonly shared: KeyValueStore,
    private readonly local: KeyValueStore,
    private readonly policy: FallbackPolicy,
  ) {
    this.backend = shared.backend;
  }

  available(): boolean {
    return this.shared.available();
  }

  claim(key: string, ttlMs: number, value?: string): Promise<boolean> {
    return this.either(
      () => this.shared.claim(key, ttlMs, value),
      () => this.local.claim(key, ttlMs, value),
    );
  }

  claimMany(claims: readonly ClaimRequest[]): Promise<ClaimAnswer[]> {
    return this.either(
      () => this.shared.claimMany(claims),
      () => this.local.claimMany(claims),
    );
  }

  setMany(entries: readonly ClaimRequest[]): Promise<void> {
    return this.either(
      () => this.shared.setMany(entries),
      () => this.local.setMany(entries),
    );
  }

  get(key: string): Promise<string | undefined> {
    return this.either(
      () => this.shared.get(key),
      () => this.local.get(key),
    );
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.either(
      () => this.shared.set(key, value, ttlMs),
      () => this.local.set(key, value, ttlMs),
    );
  }

  delete(key: string): Promise<void> {
    return this.either(
      () => this.shared.delete(key),
      () => this.local.delete(key),
    );
  }

  increment(key: string, windowMs: number): Promise<number> {
    return this.either(
      () => this.shared.increment(key, windowMs),
      () => this.local.increment(key, windowMs),
    );
  }

  async count(key: string): Promise<WindowCount> {
    if (!this.policy.countsFromBoth)
      return this.either(
        () => this.shared.count(key),
        () => this.local.count(key),
      );
    const [shared, local] = await Promise.all([
      this.skipShared() ? undefined : this.bounded(this.shared.count(key)).catch(() => undefined),
      this.local.count(key),
    ]);
    return !shared || local.count > shared.count ? local : shared;
  }

  /** Proves the shared store answers: the health probe reports Redis, not the fallback. */
  ping(): Promise<void> {
    return this.shared.ping();
  }

  private skipShared(): boolean {
    return this.policy.whileDown === 'local' && !this.shared.available();
  }

  private async either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.skipShared()) return local();
    try {
      return await this.bounded(shared());
    } catch (error) {
      this.policy.onFallback?.(error);
      return local();
    }
  }

  private bounded<T>(call: Promise<T>): Promise<T> {
    const timeoutMs = this.policy.timeoutMs;
    if (timeoutMs === undefined) return call;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the shared key-value store did not answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }
}
