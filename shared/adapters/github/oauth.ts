/**
 * GitHub App user-token refresh: POST {oauthBaseUrl}/login/oauth/access_token with grant_type=refresh_token.
 * Every refresh invalidates the used refresh token and the old access token, so callers must single-flight it.
 * A bad or used refresh token comes back as HTTP 200 {"error":"bad_refresh_token"} → auth_revoked.
 */
import type { AdapterContext } from '../contract';
import { providerRequest } from '../http/provider-request';
import { GITHUB, githubProfile } from './profile';

export interface GithubRefreshRequest {
  /** https://github.com in production; the sandbox URL locally. */
  oauthBaseUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface GithubTokens {
  accessToken: string;
  refreshToken?: string;
  expiresInMs?: number;
  refreshTokenExpiresInMs?: number;
}

export async function refreshGithubToken(request: GithubRefreshRequest): Promise<GithubTokens> {
  const context: AdapterContext = {
    baseUrl: request.oauthBaseUrl,
    options: {},
    requestTimeoutMs: request.timeoutMs,
    auth: { headers: async () => ({}) },
  };
  const response = await providerRequest<Record<string, unknown>>(context, githubProfile, {
    operation: 'oauth.refresh',
    method: 'POST',
    path: GITHUB.tokenPath,
    auth: false,
    headers: { accept: 'application/json' },
    form: {
      client_id: request.clientId,
      client_secret: request.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: request.refreshToken,
    },
    signal: request.signal,
  });
  const body = response.body;
  const seconds = (value: unknown) => (typeof value === 'number' ? value * 1000 : undefined);
  return {
    accessToken: String(body.access_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresInMs: seconds(body.expires_in),
    refreshTokenExpiresInMs: seconds(body.refresh_token_expires_in),
  };
}
