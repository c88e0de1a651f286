/**
 * The refresh coordination port (../refresh-coordination.ts) inside one process: the same semantics as the
 * Redis adapter for a single local process without Redis. Its journal dies with the process, so after a crash
 * an interrupted refresh shows up as plain invalid_grant rather than refresh_interrupted. Per-credential
 * fences, journals and fresh markers are kept for at most MAX_CREDENTIALS credentials (the oldest go first).
 */
import { randomBytes } from 'node:crypto';
import {
  FRESH_MARKER_MAX_MS,
  type AcquireResult,
  type FreshMarker,
  type LockHandle,
  type RefreshCoordinator,
  type RefreshJournal,
} from '../refresh-coordination';
import { sleep } from '../../../platform/sleep';

const MAX_CREDENTIALS = 100_000;

/** Sets a key as the newest entry of a bounded map. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MAX_CREDENTIALS) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

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
    remember(this.fences, id, fence);
    const handle = { id, value: `${fence}:${randomBytes(12).toString('hex')}`, fence };
    this.locks.set(id, { value: handle.value, untilMs: Date.now() + ttlMs });
    const previous = this.journals.get(id);
    remember(this.journals, id, { fence, startedAt: new Date().toISOString(), instanceId: this.instanceId });
    return { handle, previous };
  }

  async finish(handle: LockHandle, options: { clearJournal: boolean; fresh?: FreshMarker }): Promise<void> {
    if (options.clearJournal) this.journals.delete(handle.id);
    if (options.fresh && options.fresh.untilMs > Date.now()) {
      remember(this.fresh, handle.id, {
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
