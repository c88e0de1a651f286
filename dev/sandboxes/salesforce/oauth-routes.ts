/**
 * Salesforce's OAuth endpoints in the sandbox: /services/oauth2/authorize (PKCE), /token (authorization_code and
 * refresh_token grants, form-encoded) and /revoke. Token answers (code exchange and refresh alike) carry
 * instance_url and no expires_in, as the real ones do; errors are HTTP 400 with {error, error_description}.
 */
import { OAuthAuthority, basicClient, type OAuthClient } from '../common/oauth';
import type { RequestContext, Router } from '../common/router';
import type { TokenStore } from '../common/tokens';

/**
 * `instanceUrl` is the org's instance as token answers name it: the answering server's own URL (ctx.baseUrl)
 * unless the org moved (see SalesforceSandbox.moveInstance).
 */
export function addOAuthRoutes(
  router: Router,
  tokens: TokenStore,
  organizationId: string,
  instanceUrl: (ctx: RequestContext) => string = (ctx) => ctx.baseUrl,
): void {
  const authority = new OAuthAuthority(tokens);

  router.add(
    'GET',
    '/services/oauth2/authorize',
    (ctx) => {
      const result = authority.authorize(ctx.query);
      if (!result.ok) return { status: 400, json: { error: result.error, error_description: result.description } };
      return { status: 302, headers: { location: result.redirectTo } };
    },
    { public: true },
  );

  router.add(
    'POST',
    '/services/oauth2/token',
    (ctx) => {
      const form = Object.fromEntries(new URLSearchParams(ctx.rawBody));
      const client: OAuthClient | undefined =
        basicClient(ctx.headers.authorization) ??
        (form.client_id ? { clientId: form.client_id, clientSecret: form.client_secret ?? '' } : undefined);
      const result = authority.token(client, form);
      if (!result.ok) {
        // Salesforce spells a bad client "invalid_client_id" and a bad grant "expired access/refresh token".
        const error = result.error === 'invalid_client' ? 'invalid_client_id' : result.error;
        const description = result.error === 'invalid_grant' ? 'expired access/refresh token' : result.description;
        return { status: 400, json: { error, error_description: description } };
      }
      const issued = result.tokens;
      const json: Record<string, unknown> = {
        access_token: issued.accessToken,
        instance_url: instanceUrl(ctx),
        id: `${ctx.baseUrl}/id/${organizationId}/0055g00000SandUAAQ`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: 'sandbox',
        scope: 'api refresh_token',
      };
      // Without rotation (the org default) a refresh answer carries no refresh_token.
      if (form.grant_type !== 'refresh_token' || issued.refreshToken !== form.refresh_token)
        json.refresh_token = issued.refreshToken;
      return { status: 200, json };
    },
    { public: true },
  );

  router.add(
    'POST',
    '/services/oauth2/revoke',
    (ctx) => {
      const token = new URLSearchParams(ctx.rawBody).get('token') ?? ctx.query.get('token') ?? '';
      if (!tokens.revokeAccessToken(token))
        return {
          status: 400,
          json: { error: 'unsupported_token_type', error_description: 'this token type is not supported' },
        };
      return { status: 200 };
    },
    { public: true },
  );
}
