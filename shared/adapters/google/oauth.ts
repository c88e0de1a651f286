/**
 * Google's refresh-token exchange (oauth2.googleapis.com/token). Google does not rotate refresh tokens: the answer
 * has a new access token only. invalid_grant (revoked, unused for 6 months, or 7 days old for apps in testing)
 * means a person must reconnect, which the token client reports as auth_revoked.
 */
import { requestToken, type TokenSet } from '../../credentials/oauth/token-client';
import { GOOGLE_FACTS } from './facts';

export interface GoogleRefreshRequest {
  /** Default: Google's production token endpoint. */
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function refreshGoogleToken(request: GoogleRefreshRequest): Promise<TokenSet> {
  return requestToken(
    {
      tokenEndpoint: request.tokenUrl ?? GOOGLE_FACTS.tokenUrl,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      clientAuth: 'body',
      provider: 'google',
      params: { grant_type: 'refresh_token', refresh_token: request.refreshToken },
    },
    { timeoutMs: request.timeoutMs, signal: request.signal },
  );
}
