/**
 * Plugs the limiter into an adapter: builds the `beforeRequest` and `onRateLimitSignal` hooks of
 * `AdapterContext` for one integration. `afterRequest` / `releaseAll` free concurrency leases early
 * (Salesforce's long-request semaphore); without them a lease ends when it expires (`leaseMs`).
 */
import type { AdapterContext, ProviderId } from '../adapters/contract';
import type { RateLimiter, Permit } from './limiter';
import type { RateLimitSignal } from './signal';

export interface HookTarget {
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
}

export interface HookOptions {
  /** Longest in-call wait for a turn before rate_limited is thrown (the page is then rescheduled). */
  maxWaitMs?: number;
  /** Signals are applied in the background; a failure to apply one is reported here, never thrown. */
  onError?: (error: unknown) => void;
}

export type AdapterRateLimitHooks = Required<Pick<AdapterContext, 'beforeRequest' | 'onRateLimitSignal'>> & {
  /** The request for `operation` is done: free its oldest lease. */
  afterRequest(operation: string): Promise<void>;
  /** The page is done: free every lease still held. */
  releaseAll(): Promise<void>;
};

export function createAdapterHooks(limiter: RateLimiter, target: HookTarget, options: HookOptions = {}): AdapterRateLimitHooks {
  const held = new Map<string, Permit[]>();
  let lastOperation: string | undefined;
  const takeOldest = (operation: string): Permit | undefined => {
    const permits = held.get(operation);
    const permit = permits?.shift();
    if (permits && permits.length === 0) held.delete(operation);
    return permit;
  };
  return {
    async beforeRequest(operation: string, signal?: AbortSignal): Promise<void> {
      lastOperation = operation;
      const permit = await limiter.acquire({ ...target, operation }, { maxWaitMs: options.maxWaitMs, signal });
      const permits = held.get(operation) ?? [];
      permits.push(permit);
      held.set(operation, permits);
    },
    onRateLimitSignal(signal: RateLimitSignal): void {
      // Slack names the method in `resource`; other providers name a budget there, so the last operation is used.
      const operation = signal.resource ?? lastOperation;
      limiter.reportSignal({ ...target, operation }, signal).catch((error: unknown) => options.onError?.(error));
    },
    async afterRequest(operation: string): Promise<void> {
      await takeOldest(operation)?.release();
    },
    async releaseAll(): Promise<void> {
      const permits = [...held.values()].flat();
      held.clear();
      await Promise.all(permits.map((permit) => permit.release()));
    },
  };
}
