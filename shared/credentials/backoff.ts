/**
 * Retry with capped exponential backoff and jitter, for retryable AppErrors only. Strategies are a
 * discriminated union with one small delay function each. A provider's retryAfterMs wins when it is longer.
 */
import { isAppError, toAppError } from '../core/app-error';
import { sleep } from '../platform/sleep';

/** The abortable pause the retries wait with (callers import it from here). */
export { sleep };

export type BackoffStrategy =
  | { kind: 'exponential'; baseDelayMs: number; maxDelayMs: number; jitter: 'full' | 'equal' | 'none' }
  | { kind: 'fixed'; delayMs: number };

export interface RetryPolicy {
  maxAttempts: number;
  backoff: BackoffStrategy;
}

export const DEFAULT_REFRESH_RETRY: RetryPolicy = {
  maxAttempts: 4,
  backoff: { kind: 'exponential', baseDelayMs: 250, maxDelayMs: 8_000, jitter: 'full' },
};

const DELAY: {
  [K in BackoffStrategy['kind']]: (
    s: Extract<BackoffStrategy, { kind: K }>,
    attempt: number,
    random: () => number,
  ) => number;
} = {
  exponential: (s, attempt, random) => {
    const capped = Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** Math.max(0, attempt - 1));
    if (s.jitter === 'full') return Math.floor(random() * capped);
    if (s.jitter === 'equal') return Math.floor(capped / 2 + random() * (capped / 2));
    return capped;
  },
  fixed: (s) => s.delayMs,
};

/** Delay before retry number `attempt` (1 = the first retry). */
export function backoffDelayMs(strategy: BackoffStrategy, attempt: number, random: () => number = Math.random): number {
  return (DELAY[strategy.kind] as (s: BackoffStrategy, a: number, r: () => number) => number)(
    strategy,
    attempt,
    random,
  );
}

export interface RetryOptions {
  signal?: AbortSignal;
  /** Longest wait honoured for a provider's Retry-After; longer ones end the retries. */
  maxRetryAfterMs?: number;
  onRetry?(attempt: number, delayMs: number, error: unknown): void;
  random?: () => number;
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const appError = isAppError(error) ? error : toAppError(error);
      if (!appError.retryable || attempt >= policy.maxAttempts || options.signal?.aborted) throw appError;
      const backoff = backoffDelayMs(policy.backoff, attempt, options.random);
      const retryAfter = appError.retryAfterMs ?? 0;
      if (retryAfter > (options.maxRetryAfterMs ?? 30_000)) throw appError;
      const delayMs = Math.max(backoff, retryAfter);
      options.onRetry?.(attempt, delayMs, appError);
      await sleep(delayMs, options.signal);
    }
  }
}
