/**
 * OAuth admin routes:
 *   GET  oauth-apps                                              which providers have an OAuth client (client id shown, never the secret)
 *   PUT  oauth-apps/{provider}                                   register the platform's OAuth client for a provider
 *   POST tenants/{tenantId}/integrations/{integrationId}/oauth/start   → {"authorizeUrl"} for a person to open
 * Starting is admin-authenticated, so nobody can bind their own provider account to someone else's integration.
 * The provider sends the person back to GET /api/oauth/callback (functions/OAuthCallback).
 */
import { AppError } from '../../core/app-error';
import { isProviderId, PROVIDER_IDS } from '../../core/providers';
import { json, parseBody } from '../../platform/http/responses';
import { describeOAuthApp, oauthAppSchema, saveOAuthApp } from '../../credentials/connect/oauth-apps';
import type { OAuthAppListResponse } from '../contracts/config';
import { startOAuth } from '../../credentials/connect/connect';
import { connectDeps, oauthRedirectUri } from '../../credentials/connect/wiring';
import type { AdminRouter } from './context';
import { checkOAuthAppUrls } from './outbound-targets';
import { loadIntegration } from './integration-routes';

export function registerOAuthRoutes(router: AdminRouter): void {
  router.add('GET', 'oauth-apps', async (ctx) => {
    const items = await Promise.all(
      PROVIDER_IDS.map(async (provider) => {
        const app = await describeOAuthApp(ctx.services.credentials, provider);
        return app ? { provider, configured: app.clientId !== '', ...app } : { provider, configured: false };
      }),
    );
    return json(200, { items } satisfies OAuthAppListResponse);
  });

  router.add('PUT', 'oauth-apps/:provider', async (ctx, params) => {
    const provider = params.provider ?? '';
    if (!isProviderId(provider)) throw new AppError('not_found', `unknown provider "${provider}"`);
    const app = parseBody(oauthAppSchema, await ctx.request.body());
    await checkOAuthAppUrls(provider, app);
    await saveOAuthApp(ctx.services.credentials, provider, app);
    ctx.logger.info('OAuth app registered', { provider, by: ctx.principal.id });
    return { status: 204 };
  });

  router.add('POST', 'tenants/:tenantId/integrations/:integrationId/oauth/start', async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const started = await startOAuth(connectDeps(ctx.services), integration, oauthRedirectUri(ctx.services.settings));
    ctx.logger.info('OAuth connect started', { integrationId: integration.id, by: ctx.principal.id });
    return json(200, started);
  });
}
