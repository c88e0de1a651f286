/**
 * Salesforce's refresh-token exchange at {instance or login URL}/services/oauth2/token. The answer names the
 * instance_url to call next and has no expires_in (session lifetime is an org setting); a refresh_token comes
 * back only when the org rotates them. invalid_grant means a person must reconnect (auth_revoked).
 */
import { requestToken, type TokenSet } from '../../credentials/oauth/token-client';
import { endpointPath, SALESFORCE_PROVIDER } from '../../core/providers';

export const SALESFORCE_TOKEN_PATH = endpointPath(SALESFORCE_PROVIDER.oauth.tokenUrl);

export interface SalesforceRefreshRequest {
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain URL or a sandbox's URL. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export async function refreshSalesforceToken(request: SalesforceRefreshRequest): Promise<TokenSet> {
  return requestToken(
    {
      tokenEndpoint: new URL(SALESFORCE_TOKEN_PATH, request.loginUrl).toString(),
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      clientAuth: 'body',
      provider: 'salesforce',
      params: { grant_type: 'refresh_token', refresh_token: request.refreshToken },
    },
    { timeoutMs: request.timeoutMs, signal: request.signal },
  );
}
