/**
 * Types of the shared provider HTTP client. A provider describes itself once as a `ProviderHttpProfile`
 * (default headers, how to read its rate-limit headers, how to map its error bodies); every adapter
 * request then goes through `providerRequest` with that profile.
 */
import type { AppError } from '../../core/app-error';
import type { RateLimitSignal } from '../../ratelimit/signal';
import type { ProviderId } from '../../core/providers';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a classifier or rate-limit parser may look at: status, headers, the operation, never the token. */
export interface ResponseInfo {
  status: number;
  headers: Headers;
  url: string;
  operation: string;
  provider: ProviderId;
}

export interface ProviderHttpProfile {
  provider: ProviderId;
  /** Headers on every request (API version, Accept, User-Agent). */
  defaultHeaders?: Record<string, string>;
  /** Content-Type of JSON bodies; default application/json (Slack wants the charset named). */
  jsonContentType?: string;
  /** Reads the provider's rate-limit headers; undefined when the response carries none. */
  parseRateLimit?(info: ResponseInfo): RateLimitSignal | undefined;
  /**
   * Provider-specific error mapping, called for EVERY response (some providers report errors in a 200 body).
   * Return an AppError to fail, null to accept the response as success, undefined to use the defaults.
   */
  classify?(info: ResponseInfo, body: unknown, rateLimit: RateLimitSignal | undefined): AppError | null | undefined;
}

export interface ProviderRequest {
  /** Provider operation name for the limiter and errors, e.g. "issues.list". */
  operation: string;
  method?: HttpMethod;
  /** Path below the context's baseUrl, or an absolute URL on the same origin (Link / next URLs). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON body; use `form` for application/x-www-form-urlencoded. */
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** false for requests that carry their own auth (OAuth token endpoints). Default true. */
  auth?: boolean;
  signal?: AbortSignal;
  /** Overrides the context's requestTimeoutMs for this call. */
  timeoutMs?: number;
  /** Largest response body accepted (default DEFAULT_MAX_RESPONSE_BYTES); bigger answers fail as validation. */
  maxResponseBytes?: number;
  /** Non-2xx statuses that are answers, not errors (e.g. 304 Not Modified). */
  acceptStatuses?: number[];
}

export interface ProviderResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: T;
  rateLimit?: RateLimitSignal;
}
