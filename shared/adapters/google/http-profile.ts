/**
 * How Google APIs answer, for the shared HTTP client: {"error": {"code", "message", "errors": [{"reason"}]}}.
 * 403 rateLimitExceeded / userRateLimitExceeded and 429 are rate limits (usually without Retry-After: callers back
 * off exponentially), 410 carries fullSyncRequired or deleted, 412 conditionNotMet is a conflict.
 */
import { AppError, type ErrorCode } from '../../core/app-error';
import type { RateLimitSignal } from '../../ratelimit/signal';
import { parseRetryAfterMs, type ProviderHttpProfile, type ResponseInfo } from '../http';
import { GOOGLE_FACTS } from './facts';

export function googleReason(body: unknown): { reason?: string; message?: string } {
  const error = body && typeof body === 'object' ? (body as { error?: unknown }).error : undefined;
  if (!error || typeof error !== 'object') return {};
  const record = error as { message?: unknown; errors?: unknown };
  const first = Array.isArray(record.errors) ? (record.errors[0] as { reason?: unknown } | undefined) : undefined;
  return {
    reason: typeof first?.reason === 'string' ? first.reason : undefined,
    message: typeof record.message === 'string' ? record.message.slice(0, 300) : undefined,
  };
}

function isRateLimit(status: number, reason: string | undefined): boolean {
  return status === 429 || (status === 403 && reason !== undefined && GOOGLE_FACTS.rateLimitReasons.includes(reason));
}

function classify(
  info: ResponseInfo,
  body: unknown,
  rateLimit: RateLimitSignal | undefined,
): AppError | null | undefined {
  if (info.status < 400) return undefined;
  const { reason, message } = googleReason(body);
  let code: ErrorCode;
  if (isRateLimit(info.status, reason)) code = 'rate_limited';
  else if (info.status === 401) code = 'auth_expired';
  else if (info.status === 403) code = 'forbidden';
  else if (info.status === 404 || info.status === 410) code = 'not_found';
  else if (info.status === 409 || info.status === 412) code = 'conflict';
  else if (info.status >= 500 || info.status === 408) code = 'transient';
  else if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string')
    return undefined; // OAuth bodies: defaults
  else code = 'validation';
  const retryAfterMs =
    code === 'rate_limited' || code === 'transient'
      ? (rateLimit?.retryAfterMs ?? parseRetryAfterMs(info.headers.get('retry-after')))
      : undefined;
  return new AppError(code, `google ${info.operation}: ${reason ?? 'error'}${message ? `: ${message}` : ''}`, {
    target: info.operation,
    retryAfterMs,
    details: { provider: 'google', providerStatus: info.status, providerCode: reason },
  });
}

/** Google sends no quota headers on success; only a rate-limit answer is a signal. */
function parseRateLimit(info: ResponseInfo): RateLimitSignal | undefined {
  if (info.status !== 429 && info.status !== 403) return undefined;
  const retryAfterMs = parseRetryAfterMs(info.headers.get('retry-after'));
  if (info.status === 403 && retryAfterMs === undefined) return undefined;
  return { provider: 'google', resource: info.operation, retryAfterMs, status: info.status, observedAt: Date.now() };
}

export const GOOGLE_PROFILE: ProviderHttpProfile = { provider: 'google', classify, parseRateLimit };
