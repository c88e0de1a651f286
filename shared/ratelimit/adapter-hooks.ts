/**
 * Plugs the limiter into an adapter: builds the `beforeRequest` and `onRateLimitSignal` hooks of
 * `AdapterContext` for one integration. Concurrency leases (Salesforce) are freed when the response is
 * known to be back: by `afterRequest`, or else by the rate-limit signal the response carries (Salesforce
 * sends `Sforce-Limit-Info` on every API response), or at the latest when the lease expires (`leaseMs`).
 */
import type { AdapterContext } from '../adapters/contract';
import type { ProviderId } from '../core/providers';
import type { RateLimiter, Permit } from './limiter';
import type { RateLimitSignal } from './signal';

export interface HookTarget {
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
  /** The integration's limits tier (see CallTarget.tier). */
  tier?: string;
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

export function createAdapterHooks(
  limiter: RateLimiter,
  target: HookTarget,
  options: HookOptions = {},
): AdapterRateLimitHooks {
  // Only permits that hold a lease are kept, oldest first.
  const held: { operation: string; permit: Permit }[] = [];
  let lastOperation: string | undefined;
  const releaseOldest = async (operation?: string): Promise<void> => {
    const index = operation === undefined ? 0 : held.findIndex((entry) => entry.operation === operation);
    if (index < 0 || index >= held.length) return;
    const [entry] = held.splice(index, 1);
    await entry!.permit.release();
  };
  return {
    async beforeRequest(operation: string, signal?: AbortSignal): Promise<void> {
      lastOperation = operation;
      const permit = await limiter.acquire({ ...target, operation }, { maxWaitMs: options.maxWaitMs, signal });
      if (permit.leased) held.push({ operation, permit });
    },
    onRateLimitSignal(signal: RateLimitSignal): void {
      // A signal comes with a response: one request of this integration is over.
      releaseOldest().catch((error: unknown) => options.onError?.(error));
      // Slack names the method in `resource`; other providers name a budget there, so the last operation is used.
      const operation = signal.resource ?? lastOperation;
      limiter.reportSignal({ ...target, operation }, signal).catch((error: unknown) => options.onError?.(error));
    },
    afterRequest(operation: string): Promise<void> {
      return releaseOldest(operation);
    },
    async releaseAll(): Promise<void> {
      const entries = held.splice(0, held.length);
      await Promise.all(entries.map((entry) => entry.permit.release()));
    },
  };
}
