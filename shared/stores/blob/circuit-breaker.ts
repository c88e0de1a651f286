/**
 * A small circuit breaker for a dependency that can go away (the blob archive): after `failureThreshold`
 * consecutive failures it opens for `openMs`, and calls fail at once with dependency_unavailable and the time
 * left as retryAfterMs, instead of each caller waiting for its own timeout. When the time is up one call goes
 * through (half-open): its success closes the breaker, its failure opens it again.
 */
import { AppError } from '../../core/app-error';

export interface CircuitBreakerOptions {
  name: string;
  failureThreshold: number;
  openMs: number;
  /** Which failures count (a 404 of a missing blob is an answer, not an outage). */
  isOutage(error: unknown): boolean;
  now?: () => number;
}

export interface CircuitBreaker {
  run<T>(operation: () => Promise<T>): Promise<T>;
  readonly state: 'closed' | 'open' | 'half-open';
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;
  let probing = false;

  const unavailable = () =>
    new AppError('dependency_unavailable', `${options.name} is unavailable; retry shortly`, {
      retryAfterMs: Math.max(1000, openUntil - now()),
    });

  return {
    get state() {
      if (openUntil === 0) return 'closed';
      return now() < openUntil || probing ? 'open' : 'half-open';
    },
    async run(operation) {
      if (openUntil !== 0) {
        // Open, or half-open with its one probe already out: fail fast.
        if (now() < openUntil || probing) throw unavailable();
        probing = true;
      }
      try {
        const result = await operation();
        failures = 0;
        openUntil = 0;
        return result;
      } catch (error) {
        if (options.isOutage(error)) {
          failures++;
          if (failures >= options.failureThreshold || openUntil !== 0) openUntil = now() + options.openMs;
        } else {
          // An answer (a missing blob, a refused name) shows the dependency is there.
          failures = 0;
          openUntil = 0;
        }
        throw error;
      } finally {
        probing = false;
      }
    },
  };
}
