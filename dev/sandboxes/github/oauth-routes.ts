/**
 * GitHub's OAuth web flow endpoints: GET /login/oauth/authorize redirects back with a code; POST
 * /login/oauth/access_token exchanges a code (PKCE S256 supported) or a refresh token. Failures come back as
 * HTTP 200 with an `error` field, and the answer is form-encoded unless the client asks for JSON.
 */
import { SANDBOX_CLIENT, basicClient, type OAuthAuthority, type OAuthErrorCode } from '../common/oauth';
import type { TokenStore } from '../common/tokens';
import type { RequestContext, Router } from '../common/router';
import type { SandboxResponse } from '../common/types';

const GITHUB_ERROR: Record<OAuthErrorCode, string> = {
  invalid_request: 'invalid_request',
  invalid_client: 'incorrect_client_credentials',
  invalid_grant: 'bad_verification_code',
  unsupported_grant_type: 'unsupported_grant_type',
  unauthorized_client: 'unauthorized_client',
};

function params(ctx: RequestContext): Record<string, string | undefined> {
  const type = String(ctx.headers['content-type'] ?? '');
  if (type.includes('json')) {
    const value = ctx.json();
    return value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === undefined ? undefined : String(v)]))
      : {};
  }
  const form = new URLSearchParams(ctx.rawBody);
  const fromQuery = Object.fromEntries(ctx.query.entries());
  return { ...fromQuery, ...Object.fromEntries(form.entries()) };
}

function answer(ctx: RequestContext, values: Record<string, string | number>): SandboxResponse {
  if (String(ctx.headers.accept ?? '').includes('application/json')) return { status: 200, json: values };
  const text = new URLSearchParams(Object.entries(values).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return { status: 200, text, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } };
}

export function githubOAuthRoutes(router: Router, authority: OAuthAuthority): void {
  router.add(
    'GET',
    '/login/oauth/authorize',
    (ctx): SandboxResponse => {
      const result = authority.authorize(ctx.query);
      if (result.ok) return { status: 302, headers: { location: result.redirectTo } };
      return { status: 400, text: `${result.error}: ${result.description}`, headers: { 'content-type': 'text/plain' } };
    },
    { public: true },
  );
  router.add(
    'POST',
    '/login/oauth/access_token',
    (ctx) => {
      const input = params(ctx);
      const client = input.client_id
        ? { clientId: input.client_id, clientSecret: input.client_secret ?? '' }
        : undefined;
      const result = authority.token(client, input);
      if (!result.ok) {
        const error =
          result.error === 'invalid_grant' && input.grant_type === 'refresh_token'
            ? 'bad_refresh_token'
            : GITHUB_ERROR[result.error];
        return answer(ctx, {
          error,
          error_description: result.description,
          error_uri: 'https://docs.github.com/apps/oauth',
        });
      }
      const { tokens } = result;
      return answer(ctx, {
        access_token: tokens.accessToken,
        expires_in: Math.round(tokens.expiresInMs / 1000),
        refresh_token: tokens.refreshToken,
        refresh_token_expires_in: 15_897_600,
        scope: '',
        token_type: 'bearer',
      });
    },
    { public: true },
  );
}

/**
 * DELETE /applications/{client_id}/grant (https://docs.github.com/en/rest/apps/oauth-applications): the app's
 * client id and secret as Basic auth, the access token in the JSON body; 204, and the grant's token stops working.
 * 404 for a client id that is not the sandbox's (or wrong credentials), 422 without an access token.
 */
export function githubGrantRoutes(router: Router, tokens: TokenStore): void {
  router.add(
    'DELETE',
    '/applications/:client_id/grant',
    (ctx): SandboxResponse => {
      const client = basicClient(ctx.headers.authorization);
      if (
        !client ||
        client.clientId !== ctx.params.client_id ||
        client.clientId !== SANDBOX_CLIENT.clientId ||
        client.clientSecret !== SANDBOX_CLIENT.clientSecret
      )
        return { status: 404, json: { message: 'Not Found' } };
      const token = (ctx.json() as { access_token?: unknown }).access_token;
      if (typeof token !== 'string' || token === '') return { status: 422, json: { message: 'Validation Failed' } };
      tokens.revokeAccessToken(token);
      return { status: 204 };
    },
    { public: true },
  );
}
