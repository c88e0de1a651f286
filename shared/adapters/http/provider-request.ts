/**
 * The one way adapters talk to providers: fetch through the outbound address rule, with a per-request timeout joined to the caller's
 * AbortSignal, the rate limiter's `beforeRequest` hook, rate-limit signals reported on every response,
 * one retry after a 401 when the auth provider could refresh, and every failure turned into an AppError.
 */
import { AppError } from '../../core/app-error';
import { outboundFetch } from '../../platform/http/outbound-fetch';
import { PROVIDER_API_HOSTS } from './allowed-hosts';
import type { RateLimitSignal } from '../../ratelimit/signal';
import type { AdapterContext } from '../contract';
import { defaultClassify } from './classify';
import { retryAfterSignal } from './retry-after';
import { redactUrl } from './redact-url';
import type { ProviderHttpProfile, ProviderRequest, ProviderResponse, ResponseInfo } from './types';

/** Joins baseUrl and path; absolute URLs (from Link headers) must stay on the provider's origin. */
export function buildUrl(baseUrl: string, path: string, query?: ProviderRequest['query']): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    url = new URL(path);
    // A next-page URL on another host would receive our bearer token: refuse it.
    if (url.origin !== new URL(baseUrl).origin)
      throw new AppError('validation', `refusing to follow a URL outside the provider origin`, { target: 'url' });
  } else {
    url = new URL(baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** Provider answers are pages of at most a few MB; anything far bigger is a mistake we should not buffer. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function tooLarge(request: ProviderRequest, limit: number): AppError {
  return new AppError('validation', `${request.operation}: response larger than ${limit} bytes`, {
    target: request.operation,
    details: { maxResponseBytes: limit },
  });
}

function abortError(request: ProviderRequest, timeoutMs: number, timedOut: boolean, cause: unknown): AppError {
  if (request.signal?.aborted) {
    return new AppError('transient', `${request.operation}: request aborted by caller`, {
      target: request.operation,
      details: { aborted: true },
      cause,
    });
  }
  if (timedOut)
    return new AppError('transient', `${request.operation}: no answer within ${timeoutMs} ms`, {
      target: request.operation,
      details: { timeoutMs },
      cause,
    });
  return new AppError('transient', `${request.operation}: network error`, { target: request.operation, cause });
}

async function sendOnce(
  context: AdapterContext,
  profile: ProviderHttpProfile,
  request: ProviderRequest,
  attempt: number,
): Promise<{ response: Response; text: string; durationMs: number; url: URL }> {
  const timeoutMs = request.timeoutMs ?? context.requestTimeoutMs;
  await context.beforeRequest?.(request.operation, request.signal);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...profile.defaultHeaders, ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = profile.jsonContentType ?? 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  if (request.auth !== false) Object.assign(headers, await context.auth.headers(request.signal));
  // Asked per request: after a refresh that moved the account, the next request goes to the new instance.
  const baseUrl = context.resolveBaseUrl ? await context.resolveBaseUrl(request.signal) : context.baseUrl;
  const url = buildUrl(baseUrl, request.path, request.query);
  const started = performance.now();
  try {
    // The outbound rule (provider hosts, addresses checked at connect); redirects are answers, never followed.
    const response = await outboundFetch(
      url,
      { method: request.method ?? 'GET', headers, body, signal },
      { allowedHosts: PROVIDER_API_HOSTS[profile.provider], field: 'baseUrl' },
    );
    // The body is read under the same signal: a stalled body is a timeout, a cut one a transient error.
    const limit = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > limit) {
      await response.body?.cancel();
      throw tooLarge(request, limit);
    }
    const text = await response.text();
    if (text.length > limit) throw tooLarge(request, limit);
    return { response, text, durationMs: Math.round(performance.now() - started), url };
  } catch (error) {
    const failure = error instanceof AppError ? error : abortError(request, timeoutMs, timeout.aborted, error);
    context.onRequest?.({
      operation: request.operation,
      method: request.method ?? 'GET',
      url: redactUrl(url),
      status: 0,
      durationMs: Math.round(performance.now() - started),
      attempt,
      failure: failure.message,
    });
    throw failure;
  }
}

function parseBody(text: string, contentType: string | null): { ok: true; value: unknown } | { ok: false } {
  if (text === '') return { ok: true, value: undefined };
  const looksJson = (contentType ?? '').includes('json') || /^\s*[[{]/.test(text);
  if (!looksJson) return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Sends one provider request; resolves with the parsed answer or throws an AppError from the taxonomy. */
export async function providerRequest<T = unknown>(
  context: AdapterContext,
  profile: ProviderHttpProfile,
  request: ProviderRequest,
): Promise<ProviderResponse<T>> {
  let triedRefresh = false;
  for (let attempt = 1; ; attempt++) {
    const { response, text, durationMs, url } = await sendOnce(context, profile, request, attempt);
    const info: ResponseInfo = {
      status: response.status,
      headers: response.headers,
      url: response.url,
      operation: request.operation,
      provider: profile.provider,
    };
    const rateLimit: RateLimitSignal | undefined =
      profile.parseRateLimit?.(info) ??
      (response.status === 429 || response.status >= 500
        ? retryAfterSignal(profile.provider, response.status, response.headers)
        : undefined);
    if (rateLimit) context.onRateLimitSignal?.(rateLimit);
    context.onRequest?.({
      operation: request.operation,
      method: request.method ?? 'GET',
      url: redactUrl(url),
      status: response.status,
      durationMs,
      attempt,
      ...(rateLimit?.remaining !== undefined ? { rateLimitRemaining: rateLimit.remaining } : {}),
    });

    if (response.status === 401 && request.auth !== false && !triedRefresh && context.auth.onUnauthorized) {
      triedRefresh = true;
      if (await context.auth.onUnauthorized(request.signal)) continue;
    }
    const parsed = parseBody(text, response.headers.get('content-type'));
    const accepted =
      (response.status >= 200 && response.status < 300) || (request.acceptStatuses ?? []).includes(response.status);
    if (!parsed.ok) {
      // Truncated or garbled JSON: the provider (or the path to it) broke mid-answer; trying again can help.
      throw new AppError(
        'transient',
        `${profile.provider} ${request.operation}: malformed or truncated response body`,
        {
          target: request.operation,
          details: { provider: profile.provider, providerStatus: response.status },
        },
      );
    }
    // Statuses the caller declared as answers (304 Not Modified …) skip classification altogether.
    const declared = !(response.status >= 200 && response.status < 300) && accepted;
    if (!declared) {
      const custom = profile.classify?.(info, parsed.value, rateLimit);
      const error = custom === undefined ? defaultClassify(info, parsed.value, rateLimit) : custom;
      if (error) throw error;
    }
    return { status: response.status, headers: response.headers, body: parsed.value as T, rateLimit };
  }
}

/** A client bound to one context and profile, so adapters write `http.request({...})`. */
export interface ProviderHttpClient {
  request<T = unknown>(request: ProviderRequest): Promise<ProviderResponse<T>>;
}

export function createProviderHttpClient(context: AdapterContext, profile: ProviderHttpProfile): ProviderHttpClient {
  return { request: (request) => providerRequest(context, profile, request) };
}
