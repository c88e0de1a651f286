/**
 * Each provider's OAuth 2.0 authorization-code facts: where people consent, where codes become tokens, how
 * the client authenticates there, the scopes the adapters need, and extra authorize parameters.
 */
import type { ProviderId } from '../adapters/contract';

export interface ProviderOAuthFacts {
  authorizeUrl: string;
  tokenUrl: string;
  clientAuth: 'basic' | 'body';
  scopes: string[];
  /** Scope separator in the authorize URL (Slack and GitHub use commas or spaces alike; Google needs spaces). */
  scopeSeparator: ' ' | ',';
  extraAuthorizeParams: Record<string, string>;
}

export const OAUTH_PROVIDERS: Record<ProviderId, ProviderOAuthFacts> = {
  github: { authorizeUrl: 'https://github.com/login/oauth/authorize', tokenUrl: 'https://github.com/login/oauth/access_token', clientAuth: 'body', scopes: ['repo'], scopeSeparator: ' ', extraAuthorizeParams: {} },
  slack: { authorizeUrl: 'https://slack.com/oauth/v2/authorize', tokenUrl: 'https://slack.com/api/oauth.v2.access', clientAuth: 'body', scopes: ['channels:history', 'chat:write', 'users:read'], scopeSeparator: ',', extraAuthorizeParams: {} },
  notion: { authorizeUrl: 'https://api.notion.com/v1/oauth/authorize', tokenUrl: 'https://api.notion.com/v1/oauth/token', clientAuth: 'basic', scopes: [], scopeSeparator: ' ', extraAuthorizeParams: { owner: 'user' } },
  google: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    clientAuth: 'body',
    scopes: ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/drive.readonly'],
    scopeSeparator: ' ',
    // Without offline access and consent Google returns no refresh token.
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
  },
  salesforce: { authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientAuth: 'body', scopes: ['api', 'refresh_token'], scopeSeparator: ' ', extraAuthorizeParams: {} },
};

/** Sandbox paths of the same endpoints (demo mode points an app's URLs at a sandbox). */
export const SANDBOX_OAUTH_PATHS: Record<ProviderId, { authorize: string; token: string }> = {
  github: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' },
  slack: { authorize: '/oauth/v2/authorize', token: '/api/oauth.v2.access' },
  notion: { authorize: '/v1/oauth/authorize', token: '/v1/oauth/token' },
  google: { authorize: '/o/oauth2/v2/auth', token: '/token' },
  salesforce: { authorize: '/services/oauth2/authorize', token: '/services/oauth2/token' },
};
