/**
 * What a provider told us about its rate limits on one response, in one shape for every provider.
 * Adapters parse their headers into this; the rate limiter lowers its rates from it.
 */
export interface RateLimitSignal {
  provider: string;
  /** The budget this signal is about, e.g. "core" for GitHub, "api-usage" for Salesforce, a Slack method name. */
  resource?: string;
  limit?: number;
  remaining?: number;
  /** When the budget resets (epoch ms). */
  resetAt?: number;
  /** How long the provider asked us to wait before the next call. */
  retryAfterMs?: number;
  /** The HTTP status that carried the signal (429, 403 secondary limit, 529 overload, 200 with headers). */
  status?: number;
  observedAt: number;
}
