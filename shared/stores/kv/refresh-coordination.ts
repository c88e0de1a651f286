/**
 * The port the credential refresh engine uses for single-flight: a per-credential lock with fencing tokens, a
 * journal of unfinished refreshes and a "fresh" marker. Two adapters: Redis (redis/refresh-lock.ts, across
 * processes, what Azure uses) and in-process (memory/refresh-lock.ts, for a single local process when
 * REDIS_URL is not set); the key-value factory (index.ts) picks one. The port lives with the stores, not with
 * the engine, so that neither adapter imports the credentials library and the engine never sees Redis.
 */

export interface LockHandle {
  id: string;
  value: string;
  /** Grows with every acquisition of this credential's lock. */
  fence: number;
}

export interface RefreshJournal {
  fence: number;
  startedAt: string;
  instanceId: string;
}

export interface FreshMarker {
  untilMs: number;
  storedAt: string;
}

export type AcquireResult = { handle: LockHandle; previous?: RefreshJournal } | 'fresh' | undefined;

export interface RefreshCoordinator {
  /**
   * Takes the lock and, in the same step, reads the journal an earlier holder may have left and writes ours.
   * With fresh.beyondMs, a credential whose last refresh (stored no earlier than the caller's listing saw it)
   * already reaches past that time is reported 'fresh' without taking the lock. undefined: someone holds it.
   */
  acquire(id: string, ttlMs: number, fresh?: { beyondMs: number; listedUpdatedAt?: string }): Promise<AcquireResult>;
  /** Releases; clears the journal when the outcome is settled; records the fresh marker. */
  finish(handle: LockHandle, options: { clearJournal: boolean; fresh?: FreshMarker }): Promise<void>;
  /** Extends the lock if still held; false means another holder may be at work now. */
  extend(handle: LockHandle, ttlMs: number): Promise<boolean>;
  /** Waits until nobody holds the lock; false when maxWaitMs passed first. */
  waitUntilFree(id: string, maxWaitMs: number, signal?: AbortSignal): Promise<boolean>;
  readJournal(id: string): Promise<RefreshJournal | undefined>;
}

/** The fresh marker is a hint; keep it short so a manual re-put is noticed soon. */
export const FRESH_MARKER_MAX_MS = 15 * 60_000;
