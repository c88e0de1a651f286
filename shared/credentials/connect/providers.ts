/**
 * Each provider's OAuth 2.0 authorization-code facts: where people consent, where codes become tokens, how
 * the client authenticates there, the scopes the adapters need, and extra authorize parameters.
 */
import type { ProviderId } from '../../adapters/contract';

export interface ProviderOAuthFacts {
  authorizeUrl: string;
  tokenUrl: string;
  clientAuth: 'basic' | 'body';
  scopes: string[];
  /** Scope separator in the authorize URL (Slack and GitHub use commas or spaces alike; Google needs spaces). */
  scopeSeparator: ' ' | ',';
  extraAuthorizeParams: Record<string, string>;
}

/**
 * How a provider's token endpoint wants a grant (connect and refresh alike), from its published reference:
 * the body encoding, and the error codes that mean the grant is gone so a person must connect again
 * (beside the RFC 6749 codes every provider may use). Slack and GitHub answer those as HTTP 200.
 */
export interface TokenEndpointWire {
  body: 'form' | 'json';
  reauthErrors: string[];
}

export const TOKEN_ENDPOINT_WIRE: Record<ProviderId, TokenEndpointWire> = {
  // Form body, Accept: application/json; a bad or spent refresh token is HTTP 200 {"error":"bad_refresh_token"}.
  github: { body: 'form', reauthErrors: ['bad_refresh_token', 'bad_verification_code'] },
  // oauth.v2.access takes a form; failures are HTTP 200 {"ok":false,"error":…}.
  slack: { body: 'form', reauthErrors: ['invalid_refresh_token', 'token_revoked', 'invalid_grant', 'invalid_code'] },
  // HTTP Basic client authentication and a JSON body; a form body is refused.
  notion: { body: 'json', reauthErrors: ['invalid_grant'] },
  google: { body: 'form', reauthErrors: ['invalid_grant'] },
  // invalid_grant also says "expired access/refresh token" when the org's refresh-token policy ended it.
  salesforce: { body: 'form', reauthErrors: ['invalid_grant', 'inactive_user', 'inactive_org'] },
};

/** The wire of a provider id; credentials labelled otherwise get the RFC 6749 default (a form). */
export function tokenEndpointWire(provider: string | undefined): TokenEndpointWire {
  return (
    (provider && Object.hasOwn(TOKEN_ENDPOINT_WIRE, provider)
      ? TOKEN_ENDPOINT_WIRE[provider as ProviderId]
      : undefined) ?? { body: 'form', reauthErrors: [] }
  );
}

export const OAUTH_PROVIDERS: Record<ProviderId, ProviderOAuthFacts> = {
  github: {
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    clientAuth: 'body',
    scopes: ['repo'],
    scopeSeparator: ' ',
    extraAuthorizeParams: {},
  },
  slack: {
    authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    tokenUrl: 'https://slack.com/api/oauth.v2.access',
    clientAuth: 'body',
    scopes: ['channels:history', 'chat:write', 'users:read'],
    scopeSeparator: ',',
    extraAuthorizeParams: {},
  },
  notion: {
    authorizeUrl: 'https://api.notion.com/v1/oauth/authorize',
    tokenUrl: 'https://api.notion.com/v1/oauth/token',
    clientAuth: 'basic',
    scopes: [],
    scopeSeparator: ' ',
    extraAuthorizeParams: { owner: 'user' },
  },
  google: {
    authorizeUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    clientAuth: 'body',
    scopes: ['https://www.googleapis.com/auth/calendar', 'https://www.googleapis.com/auth/drive.readonly'],
    scopeSeparator: ' ',
    // Without offline access and consent Google returns no refresh token.
    extraAuthorizeParams: { access_type: 'offline', prompt: 'consent' },
  },
  salesforce: {
    authorizeUrl: 'https://login.salesforce.com/services/oauth2/authorize',
    tokenUrl: 'https://login.salesforce.com/services/oauth2/token',
    clientAuth: 'body',
    scopes: ['api', 'refresh_token'],
    scopeSeparator: ' ',
    extraAuthorizeParams: {},
  },
};

/** Sandbox paths of the same endpoints (demo mode points an app's URLs at a sandbox). */
export const SANDBOX_OAUTH_PATHS: Record<ProviderId, { authorize: string; token: string }> = {
  github: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' },
  slack: { authorize: '/oauth/v2/authorize', token: '/api/oauth.v2.access' },
  notion: { authorize: '/v1/oauth/authorize', token: '/v1/oauth/token' },
  google: { authorize: '/o/oauth2/v2/auth', token: '/token' },
  salesforce: { authorize: '/services/oauth2/authorize', token: '/services/oauth2/token' },
};
