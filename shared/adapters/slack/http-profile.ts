/**
 * How Slack answers, for the shared HTTP client: errors arrive as HTTP 200 with {"ok": false, "error": "…"}, a
 * rate limit as 429 with Retry-After (seconds). Successful answers carry no rate-limit headers. JSON bodies name
 * their charset.
 */
import { AppError } from '../../core/app-error';
import type { RateLimitSignal } from '../../ratelimit/signal';
import { parseRetryAfterMs, type ProviderHttpProfile, type ResponseInfo } from '../http';
import { SLACK_ERROR_CODES } from './facts';

function classify(
  info: ResponseInfo,
  body: unknown,
  rateLimit: RateLimitSignal | undefined,
): AppError | null | undefined {
  const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
  const slackCode = typeof record?.error === 'string' ? record.error : undefined;
  if (info.status === 429) {
    const retryAfterMs = rateLimit?.retryAfterMs ?? parseRetryAfterMs(info.headers.get('retry-after'));
    return new AppError('rate_limited', `slack ${info.operation}: ratelimited`, {
      target: info.operation,
      retryAfterMs,
      details: { provider: 'slack', providerStatus: 429, providerCode: slackCode },
    });
  }
  if (info.status !== 200 || record?.ok !== false) return undefined;
  const code = SLACK_ERROR_CODES[slackCode ?? ''] ?? 'validation';
  return new AppError(code, `slack ${info.operation}: ${slackCode ?? 'unknown error'}`, {
    target: info.operation,
    details: { provider: 'slack', providerStatus: 200, providerCode: slackCode },
  });
}

/** Slack's only signal is Retry-After on a 429; the method name is the budget it is about. */
function parseRateLimit(info: ResponseInfo): RateLimitSignal | undefined {
  if (info.status !== 429) return undefined;
  return {
    provider: 'slack',
    resource: info.operation,
    retryAfterMs: parseRetryAfterMs(info.headers.get('retry-after')),
    status: 429,
    observedAt: Date.now(),
  };
}

// Slack warns missing_charset on a JSON body whose Content-Type names no charset.
export const SLACK_PROFILE: ProviderHttpProfile = {
  provider: 'slack',
  jsonContentType: 'application/json; charset=utf-8',
  classify,
  parseRateLimit,
};
