/**
 * Default mapping of provider responses to the adapter error taxonomy. Providers override parts of it through
 * their profile's `classify`; anything they leave alone lands here so every adapter fails the same way.
 */
import { AppError, type ErrorCode } from '../../core/app-error';
import type { RateLimitSignal } from '../../ratelimit/signal';
import { parseRetryAfterMs } from './retry-after';
import type { ResponseInfo } from './types';

/** OAuth error codes (standard and provider spellings) that mean a person must reconnect. */
export const REVOKED_GRANT_ERRORS: ReadonlySet<string> = new Set([
  'invalid_grant',
  'bad_refresh_token',
  'token_revoked',
  'app_uninstalled',
]);

/** The provider's human message from the usual error body shapes; never the whole body. */
export function providerMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error_description', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value) return value.slice(0, 300);
    if (value && typeof value === 'object' && typeof (value as Record<string, unknown>).message === 'string') {
      return String((value as Record<string, unknown>).message).slice(0, 300);
    }
  }
  return undefined;
}

/** The machine-readable code of an error body (`code` or OAuth `error`), when there is one. */
export function providerCode(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.code === 'string') return record.code;
  if (typeof record.error === 'string') return record.error;
  return undefined;
}

/** Builds an adapter error with the provider status and code kept as details for operators. */
export function providerError(
  code: ErrorCode,
  info: ResponseInfo,
  body: unknown,
  extra: { retryAfterMs?: number; message?: string } = {},
): AppError {
  const message = extra.message ?? providerMessage(body) ?? `HTTP ${info.status}`;
  return new AppError(code, `${info.provider} ${info.operation}: ${message}`, {
    target: info.operation,
    retryAfterMs: extra.retryAfterMs,
    details: { provider: info.provider, providerStatus: info.status, providerCode: providerCode(body) },
  });
}

/** The shared taxonomy: null for a successful answer, otherwise the AppError to throw. */
export function defaultClassify(
  info: ResponseInfo,
  body: unknown,
  rateLimit: RateLimitSignal | undefined,
): AppError | null {
  const { status } = info;
  const oauthError = body && typeof body === 'object' ? (body as Record<string, unknown>).error : undefined;
  if (typeof oauthError === 'string' && REVOKED_GRANT_ERRORS.has(oauthError))
    return providerError('auth_revoked', info, body);
  if (status >= 200 && status < 300) return null;
  const retryAfterMs = rateLimit?.retryAfterMs ?? parseRetryAfterMs(info.headers.get('retry-after'));
  if (status === 401) return providerError('auth_expired', info, body);
  if (status === 429) return providerError('rate_limited', info, body, { retryAfterMs });
  if (status === 404 || status === 410) return providerError('not_found', info, body);
  if (status === 409 || status === 412) return providerError('conflict', info, body);
  if (status === 408 || status >= 500) return providerError('transient', info, body, { retryAfterMs });
  return providerError('validation', info, body);
}
