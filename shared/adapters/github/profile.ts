/**
 * GitHub wire facts as data, and how its answers map to the error taxonomy: x-ratelimit-* headers, 403/429
 * rate limits (retry-after, or remaining 0 until reset, or the secondary-limit message with a 60 s floor),
 * 410 Gone for deleted issues, 422 validation errors.
 */
import type { RateLimitSignal } from '../../ratelimit/signal';
import { defaultClassify, providerError } from '../http/classify';
import { parseRetryAfterMs } from '../http/retry-after';
import type { ProviderHttpProfile, ResponseInfo } from '../http/types';
import { endpointPath, GITHUB_PROVIDER } from '../../core/providers';

const REAUTH_ERRORS: readonly string[] = GITHUB_PROVIDER.oauth.tokenWire.reauthErrors;

export const GITHUB = {
  apiVersion: '2022-11-28',
  maxPerPage: 100,
  /** GitHub's advice when a secondary limit gives no retry-after: wait at least a minute. */
  secondaryLimitWaitMs: 60_000,
  tokenPath: endpointPath(GITHUB_PROVIDER.oauth.tokenUrl),
} as const;

export function parseGithubRateLimit(info: ResponseInfo): RateLimitSignal | undefined {
  const { headers, status } = info;
  const limit = headers.get('x-ratelimit-limit');
  const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'));
  if (limit === null && retryAfterMs === undefined) return undefined;
  const number = (name: string) => {
    const value = headers.get(name);
    return value === null || value === '' || Number.isNaN(Number(value)) ? undefined : Number(value);
  };
  const reset = number('x-ratelimit-reset');
  return {
    provider: 'github',
    resource: headers.get('x-ratelimit-resource') ?? undefined,
    limit: number('x-ratelimit-limit'),
    remaining: number('x-ratelimit-remaining'),
    resetAt: reset === undefined ? undefined : reset * 1000,
    retryAfterMs,
    status,
    observedAt: Date.now(),
  };
}

function isRateLimited(
  info: ResponseInfo,
  body: unknown,
  signal: RateLimitSignal | undefined,
): { retryAfterMs: number } | undefined {
  if (info.status !== 403 && info.status !== 429) return undefined;
  if (signal?.retryAfterMs !== undefined) return { retryAfterMs: signal.retryAfterMs };
  if (signal?.remaining === 0 && signal.resetAt !== undefined)
    return { retryAfterMs: Math.max(0, signal.resetAt - Date.now()) };
  const message = body && typeof body === 'object' ? String((body as Record<string, unknown>).message ?? '') : '';
  if (info.status === 429 || /rate limit/i.test(message)) return { retryAfterMs: GITHUB.secondaryLimitWaitMs };
  return undefined;
}

export const githubProfile: ProviderHttpProfile = {
  provider: 'github',
  defaultHeaders: {
    accept: 'application/vnd.github+json',
    'x-github-api-version': GITHUB.apiVersion,
    'user-agent': 'integration-sync-engine',
  },
  parseRateLimit: parseGithubRateLimit,
  classify(info, body, signal) {
    const limited = isRateLimited(info, body, signal);
    if (limited) return providerError('rate_limited', info, body, limited);
    // The OAuth endpoint reports failures as HTTP 200 with an `error` field.
    if (
      info.status === 200 &&
      body &&
      typeof body === 'object' &&
      typeof (body as Record<string, unknown>).error === 'string'
    ) {
      const code = String((body as Record<string, unknown>).error);
      // The token endpoint's "grant is gone" codes (bad_refresh_token, bad_verification_code): reconnect.
      if (REAUTH_ERRORS.includes(code)) return providerError('auth_revoked', info, body);
      // A wrong client id/secret is the operator's app registration, not the user's grant.
      return providerError(code === 'incorrect_client_credentials' ? 'configuration' : 'validation', info, body);
    }
    if (info.status === 403)
      return providerError('validation', info, body, {
        message: `forbidden: ${String((body as Record<string, unknown> | undefined)?.message ?? 'no access')}`,
      });
    return defaultClassify(info, body, signal);
  },
};
