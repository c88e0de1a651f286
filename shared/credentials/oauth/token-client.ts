/**
 * A small OAuth 2.0 token-endpoint client (RFC 6749 §3.2, §5): posts a grant as a form (or as JSON where the
 * provider wants it: Notion), authenticates the client by HTTP Basic or body fields, and turns the answer into
 * a TokenSet or a classified AppError. Providers differ on failure: GitHub and Slack answer HTTP 200 with an
 * error field, so the body decides, not only the status; each provider's codes for a gone grant come from
 * TOKEN_ENDPOINT_WIRE. Error texts carry the OAuth error code only, never the body.
 */
import { AppError, isAppError } from '../../core/app-error';
import { TOKEN_ENDPOINT_HOSTS } from '../../adapters/http/allowed-hosts';
import { outboundFetch } from '../../platform/http/outbound-fetch';
import { registerSecrets } from '../../platform/observability/secret-registry';
import { tokenEndpointWire } from '../connect/providers';

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  expiresInMs?: number;
  refreshTokenExpiresInMs?: number;
  scopes?: string[];
  /** `instance_url` as the answer gave it (Salesforce): unchecked here, see instance-url.ts. */
  instanceUrl?: string;
}

export interface TokenRequest {
  tokenEndpoint: string;
  clientId?: string;
  clientSecret?: string;
  /** none: the grant authenticates itself (JWT bearer assertion). */
  clientAuth: 'basic' | 'body' | 'none';
  /** grant_type and its fields. */
  params: Record<string, string>;
  /** Provider id: picks the body encoding and the provider's "grant is gone" codes (TOKEN_ENDPOINT_WIRE). */
  provider?: string;
}

export interface TokenCallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Errors that mean a person must authorise again (the grant or the client is no longer accepted). */
const REAUTH_ERRORS = new Set([
  'invalid_grant',
  'bad_refresh_token',
  'invalid_client',
  'unauthorized_client',
  'incorrect_client_credentials',
  'access_denied',
  'invalid_token',
  'token_revoked',
  'expired_token',
]);
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);
const SLOW_DOWN_ERRORS = new Set(['slow_down', 'ratelimited', 'rate_limited']);

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function classify(
  status: number,
  oauthError: string | undefined,
  retryAfter: string | null,
  providerReauth: readonly string[],
): AppError {
  const label = `token endpoint answered HTTP ${status}${oauthError ? ` with error ${oauthError}` : ''}`;
  const details = { httpStatus: status, oauthError };
  if (oauthError && (REAUTH_ERRORS.has(oauthError) || providerReauth.includes(oauthError)))
    return new AppError('auth_revoked', label, { details });
  if (status === 429 || (oauthError && SLOW_DOWN_ERRORS.has(oauthError)))
    return new AppError('rate_limited', label, { details, retryAfterMs: retryAfterMs(retryAfter) });
  if (status >= 500 || (oauthError && TRANSIENT_ERRORS.has(oauthError)))
    return new AppError('transient', label, { details, retryAfterMs: retryAfterMs(retryAfter) });
  if (status === 401) return new AppError('auth_revoked', label, { details });
  return new AppError('validation', label, { details, httpStatus: 502 });
}

function parseBody(text: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
    const json: unknown = JSON.parse(text);
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

export async function requestToken(request: TokenRequest, options: TokenCallOptions): Promise<TokenSet> {
  const wire = tokenEndpointWire(request.provider);
  const fields: Record<string, string> = { ...request.params };
  const headers: Record<string, string> = {
    'content-type': wire.body === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (request.clientAuth === 'basic') {
    // RFC 6749 §2.3.1: form-encode the id and secret before base64.
    const id = encodeURIComponent(request.clientId ?? '');
    const secret = encodeURIComponent(request.clientSecret ?? '');
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  } else if (request.clientAuth === 'body' && request.clientId) {
    fields.client_id = request.clientId;
    if (request.clientSecret) fields.client_secret = request.clientSecret;
  }
  const payload = wire.body === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  let text: string;
  try {
    // Through the outbound rule, redirects not followed: a 307 would re-send the client secret elsewhere.
    response = await outboundFetch(
      request.tokenEndpoint,
      { method: 'POST', headers, body: payload, signal },
      { allowedHosts: TOKEN_ENDPOINT_HOSTS, field: 'tokenEndpoint' },
    );
    text = await response.text();
  } catch (error) {
    if (isAppError(error)) throw error;
    const reason = timeout.aborted
      ? `timed out after ${options.timeoutMs} ms`
      : options.signal?.aborted
        ? 'was aborted'
        : 'could not be reached';
    // The request may have reached the provider: callers treat this like any transient failure.
    throw new AppError('transient', `token endpoint ${reason}`, {
      cause: error instanceof Error ? new Error(error.name) : undefined,
    });
  }
  const body = parseBody(text, response.headers.get('content-type') ?? '');
  const oauthError = typeof body?.error === 'string' ? body.error : undefined;
  if (!response.ok || oauthError)
    throw classify(response.status, oauthError, response.headers.get('retry-after'), wire.reauthErrors);
  if (!body || typeof body.access_token !== 'string' || body.access_token.length === 0) {
    // Not retried: the refresh token may already be spent, and a retry would only turn this into invalid_grant.
    throw new AppError('validation', `token endpoint answered HTTP ${response.status} without an access_token`, {
      httpStatus: 502,
    });
  }
  // Granted and refreshed tokens are scrubbed from log lines from now on (an adapter error may echo them).
  registerSecrets(body.access_token, typeof body.refresh_token === 'string' ? body.refresh_token : undefined);
  return {
    accessToken: body.access_token,
    tokenType: typeof body.token_type === 'string' ? body.token_type : 'Bearer',
    refreshToken:
      typeof body.refresh_token === 'string' && body.refresh_token.length > 0 ? body.refresh_token : undefined,
    expiresInMs: seconds(body.expires_in),
    refreshTokenExpiresInMs: seconds(body.refresh_token_expires_in),
    scopes: typeof body.scope === 'string' ? body.scope.split(/[\s,]+/).filter(Boolean) : undefined,
    instanceUrl: typeof body.instance_url === 'string' && body.instance_url ? body.instance_url : undefined,
  };
}
