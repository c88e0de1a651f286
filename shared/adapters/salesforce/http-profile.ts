/**
 * How Salesforce answers, for the shared HTTP client: `Sforce-Limit-Info` becomes a RateLimitSignal on every
 * response, and error arrays `[{message, errorCode, fields}]` map onto the adapter error taxonomy.
 */
import { AppError, type ErrorCode } from '../../core/app-error';
import type { RateLimitSignal } from '../../ratelimit/signal';
import type { ProviderHttpProfile, ResponseInfo } from '../http';
import { parseRetryAfterMs, providerError } from '../http';
import { SALESFORCE_FACTS } from './facts';

export function parseLimitInfo(info: ResponseInfo): RateLimitSignal | undefined {
  const header = info.headers.get(SALESFORCE_FACTS.limitInfoHeader);
  const match = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  // Salesforce sends no Retry-After; honour one anyway if a proxy in front of the org adds it.
  const retryAfterMs = parseRetryAfterMs(info.headers.get('retry-after'));
  if (!match)
    return retryAfterMs === undefined
      ? undefined
      : { provider: 'salesforce', retryAfterMs, status: info.status, observedAt: Date.now() };
  const used = Number(match[1]);
  const limit = Number(match[2]);
  return {
    provider: 'salesforce',
    resource: 'api-usage',
    limit,
    remaining: Math.max(0, limit - used),
    retryAfterMs,
    status: info.status,
    observedAt: Date.now(),
  };
}

/** The first entry of a Salesforce error array, if the body is one. */
export function salesforceError(body: unknown): { errorCode: string; message: string; fields?: string[] } | undefined {
  const first = Array.isArray(body) ? body[0] : undefined;
  if (!first || typeof first !== 'object' || typeof (first as { errorCode?: unknown }).errorCode !== 'string')
    return undefined;
  const entry = first as { errorCode: string; message?: unknown; fields?: unknown };
  return {
    errorCode: entry.errorCode,
    message: typeof entry.message === 'string' ? entry.message : entry.errorCode,
    fields: Array.isArray(entry.fields) ? (entry.fields as string[]) : undefined,
  };
}

const CODE_BY_ERROR: Record<string, ErrorCode> = {
  INVALID_SESSION_ID: 'auth_expired',
  REQUEST_LIMIT_EXCEEDED: 'rate_limited',
  NOT_FOUND: 'not_found',
  ENTITY_IS_DELETED: 'not_found',
  INVALID_CROSS_REFERENCE_KEY: 'validation',
  PRECONDITION_FAILED: 'conflict',
  SERVER_UNAVAILABLE: 'transient',
  UNABLE_TO_LOCK_ROW: 'transient',
};

function classify(
  info: ResponseInfo,
  body: unknown,
  rateLimit: RateLimitSignal | undefined,
): AppError | null | undefined {
  if (info.status < 400) return undefined;
  const error = salesforceError(body);
  if (!error) return undefined;
  const code =
    CODE_BY_ERROR[error.errorCode] ??
    (info.status >= 500
      ? 'transient'
      : info.status === 403
        ? 'forbidden'
        : info.status === 404
          ? 'not_found'
          : 'validation');
  const retryAfterMs =
    code === 'rate_limited' ? (rateLimit?.retryAfterMs ?? SALESFORCE_FACTS.requestLimitBackoffMs) : undefined;
  const appError = providerError(code, info, undefined, {
    message: `${error.errorCode}: ${error.message.slice(0, 300)}`,
    retryAfterMs,
  });
  return new AppError(appError.code, appError.message, {
    target: error.fields?.[0] ?? info.operation,
    retryAfterMs,
    details: { provider: 'salesforce', providerStatus: info.status, providerCode: error.errorCode },
  });
}

export const SALESFORCE_PROFILE: ProviderHttpProfile = {
  provider: 'salesforce',
  parseRateLimit: parseLimitInfo,
  classify,
};
