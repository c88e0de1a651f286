/**
 * Admin routes for the webhook subscription of an integration:
 *   GET    …/integrations/{integrationId}/webhooks/subscription   mode, status, expiry, last error, instructions
 *   POST   …/integrations/{integrationId}/webhooks/subscription   turn webhooks on: create, or renew now → 202
 *   DELETE …/integrations/{integrationId}/webhooks/subscription   turn webhooks off (removed at the provider) → 204
 * Another tenant's id answers exactly like an unknown id (404); malformed ids are 400 (loadIntegration).
 */
import { json } from '../../platform/http/responses';
import { subscriptionView, turnOff, turnOn } from '../../webhooks/subscriptions/manager';
import { subscriptionDeps } from '../../webhooks/subscriptions/wiring';
import type { WebhookSubscriptionView } from '../contracts/webhook-subscriptions';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';

const PATH = 'tenants/:tenantId/integrations/:integrationId/webhooks/subscription';

export function registerWebhookSubscriptionRoutes(router: AdminRouter): void {
  router.add('GET', PATH, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const view: WebhookSubscriptionView = await subscriptionView(
      subscriptionDeps(ctx.services, ctx.logger),
      integration,
      ctx.services.settings.publicBaseUrl,
    );
    return json(200, view);
  });

  router.add('POST', PATH, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const view: WebhookSubscriptionView = await turnOn(
      subscriptionDeps(ctx.services, ctx.logger),
      integration,
      ctx.services.settings.publicBaseUrl,
    );
    ctx.logger.info('webhook subscription requested', {
      integrationId: integration.id,
      status: view.status,
      by: ctx.principal.id,
    });
    return json(202, view);
  });

  router.add('DELETE', PATH, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    await turnOff(subscriptionDeps(ctx.services, ctx.logger), integration);
    ctx.logger.info('webhook subscription turned off', { integrationId: integration.id, by: ctx.principal.id });
    return { status: 204 };
  });
}
