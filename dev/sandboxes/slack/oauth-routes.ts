/**
 * Slack's oauth.v2.access in the sandbox, with token rotation: 12-hour access tokens, and each refresh revokes
 * the refresh token it used. Like every Slack method it answers HTTP 200, with {"ok": false, "error": …} on
 * failure (invalid_refresh_token, invalid_code, invalid_client_id, bad_client_secret, invalid_grant_type).
 */
import { OAuthAuthority, SANDBOX_CLIENT, basicClient } from '../common/oauth';
import type { Router } from '../common/router';
import type { TokenStore } from '../common/tokens';
import { slackArgs } from './methods';
import { BOT_USER_ID, TEAM_ID } from './workspace';

export function addSlackOAuth(router: Router, tokens: TokenStore): void {
  const authority = new OAuthAuthority(tokens);

  // auth.revoke: the calling token stops working (https://api.slack.com/methods/auth.revoke).
  router.add('POST', '/api/auth.revoke', (ctx) => {
    const token = String(ctx.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    return { status: 200, json: { ok: true, revoked: tokens.revokeAccessToken(token) } };
  });

  router.add(
    'GET',
    '/oauth/v2/authorize',
    (ctx) => {
      const result = authority.authorize(ctx.query);
      if (!result.ok) return { status: 400, json: { ok: false, error: result.error } };
      return { status: 302, headers: { location: result.redirectTo } };
    },
    { public: true },
  );

  router.add(
    'POST',
    '/api/oauth.v2.access',
    (ctx) => {
      const args = Object.fromEntries(Object.entries(slackArgs(ctx)).map(([key, value]) => [key, String(value)]));
      const client =
        basicClient(ctx.headers.authorization) ??
        (args.client_id ? { clientId: args.client_id, clientSecret: args.client_secret ?? '' } : undefined);
      if (!client) return { status: 200, json: { ok: false, error: 'invalid_client_id' } };
      if (client.clientId !== SANDBOX_CLIENT.clientId)
        return { status: 200, json: { ok: false, error: 'invalid_client_id' } };
      const result = authority.token(client, args);
      if (!result.ok) {
        const error =
          result.error === 'invalid_client'
            ? 'bad_client_secret'
            : result.error === 'unsupported_grant_type'
              ? 'invalid_grant_type'
              : args.grant_type === 'refresh_token'
                ? 'invalid_refresh_token'
                : 'invalid_code';
        return { status: 200, json: { ok: false, error } };
      }
      const issued = result.tokens;
      return {
        status: 200,
        json: {
          ok: true,
          app_id: 'A0SANDBOX',
          authed_user: { id: 'U00000000' },
          scope: 'channels:history,chat:write,users:read',
          token_type: 'bot',
          access_token: issued.accessToken,
          bot_user_id: BOT_USER_ID,
          refresh_token: issued.refreshToken,
          expires_in: Math.round(issued.expiresInMs / 1000),
          team: { id: TEAM_ID, name: 'Sandbox Workspace' },
          enterprise: null,
          is_enterprise_install: false,
        },
      };
    },
    { public: true },
  );
}
