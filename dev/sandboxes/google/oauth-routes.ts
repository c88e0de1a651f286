/**
 * Google's OAuth endpoints in the sandbox, in the shape of accounts.google.com/o/oauth2/v2/auth and
 * oauth2.googleapis.com/token: the authorize request must name scopes, the token answer's `scope` lists the
 * granted ones (see scopes.ts), refresh answers carry no new refresh token (Google does not rotate them), a
 * revoked or expired grant answers 400 {"error": "invalid_grant", "error_description": "Token has been expired
 * or revoked."}, a bad client 401 invalid_client. /revoke ends a token.
 */
import { OAuthAuthority, basicClient } from '../common/oauth';
import type { Router } from '../common/router';
import type { TokenStore } from '../common/tokens';
import type { GrantedScopes } from './scopes';

export function addGoogleOAuth(router: Router, tokens: TokenStore, grants: GrantedScopes): void {
  const authority = new OAuthAuthority(tokens);

  router.add(
    'GET',
    '/o/oauth2/v2/auth',
    (ctx) => {
      const scopes = (ctx.query.get('scope') ?? '').split(' ').filter(Boolean);
      if (scopes.length === 0)
        return {
          status: 400,
          json: { error: 'invalid_request', error_description: 'Missing required parameter: scope' },
        };
      const result = authority.authorize(ctx.query);
      if (!result.ok) return { status: 400, json: { error: result.error, error_description: result.description } };
      // Consent is automatic: everything asked for is granted.
      grants.rememberCode(new URL(result.redirectTo).searchParams.get('code') ?? '', scopes);
      return { status: 302, headers: { location: result.redirectTo } };
    },
    { public: true },
  );

  router.add(
    'POST',
    '/token',
    (ctx) => {
      const form = Object.fromEntries(new URLSearchParams(ctx.rawBody));
      const scopes = grants.forGrant(form);
      const client =
        basicClient(ctx.headers.authorization) ??
        (form.client_id ? { clientId: form.client_id, clientSecret: form.client_secret ?? '' } : undefined);
      const result = authority.token(client, form);
      if (!result.ok) {
        if (result.error === 'invalid_client')
          return { status: 401, json: { error: 'invalid_client', error_description: 'Unauthorized' } };
        const description =
          result.error === 'invalid_grant' ? 'Token has been expired or revoked.' : result.description;
        return { status: 400, json: { error: result.error, error_description: description } };
      }
      const issued = result.tokens;
      grants.issued(scopes, issued.accessToken, issued.refreshToken);
      const json: Record<string, unknown> = {
        access_token: issued.accessToken,
        expires_in: Math.round(issued.expiresInMs / 1000),
        scope: scopes.join(' '),
        token_type: 'Bearer',
      };
      if (form.grant_type !== 'refresh_token') json.refresh_token = issued.refreshToken;
      return { status: 200, json };
    },
    { public: true },
  );

  router.add(
    'POST',
    '/revoke',
    (ctx) => {
      const token = new URLSearchParams(ctx.rawBody).get('token') ?? ctx.query.get('token') ?? '';
      if (!tokens.revokeAccessToken(token))
        return { status: 400, json: { error: 'invalid_token', error_description: 'Token expired or revoked' } };
      return { status: 200, json: {} };
    },
    { public: true },
  );
}
