/**
 * The port the refresh engine uses for single-flight: a per-credential lock with fencing tokens, a journal of
 * unfinished refreshes and a "fresh" marker. Two adapters: Redis (refresh-lock.ts, across processes, what
 * Azure uses) and in-process (below, for a single local process when REDIS_URL is not set). The engine picks
 * one from a discriminated union.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { sleep } from '../../credentials/backoff';
import { RedisRefreshLock } from './redis/refresh-lock';

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

export type CoordinationOptions = { kind: 'redis'; redis: Redis; keyPrefix: string } | { kind: 'in_process' };

export function createCoordinator(options: CoordinationOptions): RefreshCoordinator {
  return options.kind === 'redis' ? new RedisRefreshLock(options.redis, options.keyPrefix) : new InProcessRefreshLock();
}

/** The fresh marker is a hint; keep it short so a manual re-put is noticed soon. */
export const FRESH_MARKER_MAX_MS = 15 * 60_000;

/**
 * Same semantics inside one process. Its journal dies with the process, so after a crash an interrupted
 * refresh shows up as plain invalid_grant rather than refresh_interrupted.
 */
export class InProcessRefreshLock implements RefreshCoordinator {
  private readonly locks = new Map<string, { value: string; untilMs: number }>();
  private readonly fences = new Map<string, number>();
  private readonly journals = new Map<string, RefreshJournal>();
  private readonly fresh = new Map<string, FreshMarker & { expiresAtMs: number }>();
  private readonly instanceId = randomBytes(6).toString('hex');

  private held(id: string): { value: string; untilMs: number } | undefined {
    const lock = this.locks.get(id);
    if (lock && lock.untilMs <= Date.now()) this.locks.delete(id);
    return this.locks.get(id);
  }

  async acquire(
    id: string,
    ttlMs: number,
    fresh: { beyondMs: number; listedUpdatedAt?: string } = { beyondMs: 0 },
  ): Promise<AcquireResult> {
    const marker = this.fresh.get(id);
    if (
      fresh.beyondMs > 0 &&
      marker &&
      marker.expiresAtMs > Date.now() &&
      marker.untilMs > fresh.beyondMs &&
      marker.storedAt >= (fresh.listedUpdatedAt ?? '')
    )
      return 'fresh';
    if (this.held(id)) return undefined;
    const fence = (this.fences.get(id) ?? 0) + 1;
    this.fences.set(id, fence);
    const handle = { id, value: `${fence}:${randomBytes(12).toString('hex')}`, fence };
    this.locks.set(id, { value: handle.value, untilMs: Date.now() + ttlMs });
    const previous = this.journals.get(id);
    this.journals.set(id, { fence, startedAt: new Date().toISOString(), instanceId: this.instanceId });
    return { handle, previous };
  }

  async finish(handle: LockHandle, options: { clearJournal: boolean; fresh?: FreshMarker }): Promise<void> {
    if (options.clearJournal) this.journals.delete(handle.id);
    if (options.fresh && options.fresh.untilMs > Date.now()) {
      this.fresh.set(handle.id, {
        ...options.fresh,
        expiresAtMs: Date.now() + Math.min(FRESH_MARKER_MAX_MS, options.fresh.untilMs - Date.now()),
      });
    }
    if (this.held(handle.id)?.value === handle.value) this.locks.delete(handle.id);
  }

  async extend(handle: LockHandle, ttlMs: number): Promise<boolean> {
    const lock = this.held(handle.id);
    if (lock?.value !== handle.value) return false;
    lock.untilMs = Date.now() + ttlMs;
    return true;
  }

  async waitUntilFree(id: string, maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    while (this.held(id)) {
      if (Date.now() >= deadline) return false;
      await sleep(10, signal);
    }
    return true;
  }

  async readJournal(id: string): Promise<RefreshJournal | undefined> {
    return this.journals.get(id);
  }
}
