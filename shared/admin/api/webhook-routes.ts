/**
 * Admin routes for an integration's webhooks:
 *   GET  …/integrations/{integrationId}/webhooks/deliveries?from=&to=&verdict=&eventType=&order=&limit=
 *        the receipt log (verdicts, archive names); one delivery in detail: delivery-viewer.ts
 *   GET  …/integrations/{integrationId}/webhooks/health?since=          endpoint health
 *   POST …/integrations/{integrationId}/webhooks/{deliveryId}/replay    replay one archived delivery
 *   POST …/integrations/{integrationId}/webhooks/replay                 {"from", "to"}: replay accepted deliveries in a range
 *   GET  …/integrations/{integrationId}/webhooks/endpoint               the URL to give the provider, the secret's state
 */
import { z } from 'zod';
import { AppError, toAppError } from '../../core/app-error';
import { json, parseBody } from '../../platform/http/responses';
import { endpointHealth } from '../../webhooks/health/endpoint-health';
import { replayDelivery } from '../../webhooks/intake/replay';
import type { AdminRouter } from './context';
import { loadIntegration } from './integration-routes';
import { webhookSecretStatus } from './credential-routes';
import { credentialRef } from '../../app/integration-credentials';
import type { WebhookEndpointView } from '../contracts/operations';
import { parseDeliveryFilter } from './delivery-viewer';

const BASE = 'tenants/:tenantId/integrations/:integrationId/webhooks';
const MAX_BULK_REPLAY = 500;
const rangeSchema = z.object({ from: z.iso.datetime(), to: z.iso.datetime() }).strict();

function isoParam(value: string | null, name: string): string | undefined {
  if (value === null) return undefined;
  if (Number.isNaN(Date.parse(value)))
    throw new AppError('bad_request', `${name}: must be an ISO-8601 date-time`, { target: name });
  return new Date(value).toISOString();
}

export function registerWebhookRoutes(router: AdminRouter): void {
  // The UI cannot know the app's public address (behind a proxy, or in Azure), so the API says it.
  router.add('GET', `${BASE}/endpoint`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const provider = (integration.webhook ?? { provider: integration.provider }).provider;
    const base = ctx.services.settings.publicBaseUrl.replace(/\/+$/, '');
    const pending = await ctx.services.credentials.service.metadata(credentialRef(integration, 'webhook-pending'));
    const view: WebhookEndpointView = {
      provider,
      url: `${base}/api/webhooks/${encodeURIComponent(provider)}/${encodeURIComponent(integration.id)}`,
      secret: await webhookSecretStatus(ctx, integration),
      pendingVerificationToken: pending !== undefined,
    };
    return json(200, view);
  });

  router.add('GET', `${BASE}/deliveries`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const { filter, limit } = parseDeliveryFilter(ctx.request.query);
    const range = {
      ...filter,
      from: isoParam(ctx.request.query.get('from'), 'from'),
      to: isoParam(ctx.request.query.get('to'), 'to'),
    };
    return json(200, {
      items: await ctx.services.deliveryLog.list(integration.tenantId, integration.id, range, limit),
    });
  });

  router.add('GET', `${BASE}/health`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const now = ctx.services.now();
    const since = new Date(isoParam(ctx.request.query.get('since'), 'since') ?? now.getTime() - 24 * 3600_000);
    const receipts = await ctx.services.deliveryLog.list(
      integration.tenantId,
      integration.id,
      { from: since.toISOString() },
      10_000,
    );
    return json(200, endpointHealth(receipts, since, now));
  });

  router.add('POST', `${BASE}/replay`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const range = parseBody(rangeSchema, await ctx.request.body());
    const receipts = (
      await ctx.services.deliveryLog.list(integration.tenantId, integration.id, range, MAX_BULK_REPLAY)
    ).filter((receipt) => receipt.verdict === 'accepted');
    const replayed: Array<{ deliveryId: string; runIds: string[] }> = [];
    // One bad archive must not stop the rest of the range; each failure is reported by delivery.
    const failed: Array<{ deliveryId: string; error: { code: string; message: string } }> = [];
    for (const receipt of receipts) {
      try {
        replayed.push({
          deliveryId: receipt.deliveryId,
          runIds: await replayDelivery(ctx.services, integration, receipt, ctx.principal.id, ctx.trace),
        });
      } catch (error) {
        const { code, message } = toAppError(error);
        failed.push({ deliveryId: receipt.deliveryId, error: { code, message } });
      }
    }
    ctx.logger.info('webhook deliveries replayed', {
      integrationId: integration.id,
      count: replayed.length,
      failed: failed.length,
      by: ctx.principal.id,
    });
    return json(202, { replayed, failed });
  });

  router.add('POST', `${BASE}/:deliveryId/replay`, async (ctx, params) => {
    const integration = await loadIntegration(ctx, params);
    const receipt = await ctx.services.deliveryLog.get(integration.id, params.deliveryId!);
    if (!receipt || receipt.tenantId !== integration.tenantId) throw new AppError('not_found', 'delivery not found');
    const runIds = await replayDelivery(ctx.services, integration, receipt, ctx.principal.id, ctx.trace);
    ctx.logger.info('webhook delivery replayed', {
      integrationId: integration.id,
      deliveryId: receipt.deliveryId,
      by: ctx.principal.id,
    });
    return json(202, { deliveryId: receipt.deliveryId, runIds });
  });
}
