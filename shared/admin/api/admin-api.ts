/**
 * The admin API under /api/admin: authentication, routing and error mapping. Routes live in their own modules
 * and register on the router; later work (credentials, webhooks, rate limits…) adds routes the same way.
 */
import type { HttpResponseInit } from '@azure/functions';
import { Router } from '../../platform/http/router';
import { errorResponse } from '../../platform/http/responses';
import { AppError } from '../../core/app-error';
import type { AppServices } from '../../app/services';
import { assertAdminAccess } from '../../platform/http/admin-authorization';
import { authenticateThrottled } from '../../platform/http/login-throttle';
import type { TraceContext } from '../../platform/observability/correlation';
import type { AdminRequest, AdminRouter } from './context';
import { registerIntegrationRoutes } from './integration-routes';
import { registerDeadLetterRoutes } from './dead-letter-routes';
import { registerWebhookRoutes } from './webhook-routes';
import { registerWebhookSubscriptionRoutes } from './webhook-subscription-routes';
import { registerCredentialRoutes } from './credential-routes';
import { registerRateLimitRoutes } from './rate-limit-routes';
import { registerNotificationRoutes } from './notification-routes';
import { registerOAuthRoutes } from './oauth-routes';
import { registerMappingRoutes } from './mapping-routes';
import { registerConflictRoutes } from './conflict-routes';
import { registerShardRoutes } from './shard-routes';
import { registerShardBrowseRoutes } from './shard-browse-routes';
import { registerRunRoutes } from './run-routes';
import { registerMetricsRoutes } from './metrics-routes';
import { registerActivityRoutes } from './activity-routes';
import { auditEntry, integrationIdOf, isAuditable, withMemoizedBody } from './audit';
import { registerSeriesRoutes } from './series-routes';
import { registerDeliveryViewerRoutes } from './delivery-viewer';
import { registerRunControlRoutes } from './run-control-routes';

export function createAdminRouter(): AdminRouter {
  const router: AdminRouter = new Router();
  registerIntegrationRoutes(router);
  registerDeadLetterRoutes(router);
  registerWebhookRoutes(router);
  registerWebhookSubscriptionRoutes(router);
  registerCredentialRoutes(router);
  registerRateLimitRoutes(router);
  registerNotificationRoutes(router);
  registerOAuthRoutes(router);
  registerMappingRoutes(router);
  registerConflictRoutes(router);
  registerShardRoutes(router);
  registerShardBrowseRoutes(router);
  registerRunRoutes(router);
  registerMetricsRoutes(router);
  registerActivityRoutes(router);
  registerSeriesRoutes(router);
  registerDeliveryViewerRoutes(router);
  registerRunControlRoutes(router);
  return router;
}

const defaultRouter = createAdminRouter();

export async function handleAdminRequest(
  services: AppServices,
  request: AdminRequest,
  trace: TraceContext,
  router: AdminRouter = defaultRouter,
): Promise<HttpResponseInit> {
  const logger = services.logger.child({ traceId: trace.traceId, route: `${request.method} admin/${request.path}` });
  try {
    // Failed sign-ins are throttled per client address before any tenant routing (login-throttle.ts).
    const principal = await authenticateThrottled(services.adminLoginThrottle, services.adminAuth, request.header);
    // Authorization before the tenant's rate budget: a principal cannot spend another tenant's budget.
    assertAdminAccess(principal.access, request.path);
    const tenantId = /^tenants\/([^/]+)/.exec(request.path)?.[1];
    if (tenantId) {
      // The host has decoded the path once; decoding again would turn "%2F" into "/" and throw on "%ZZ".
      const inbound = await services.rateLimiter.checkInbound('admin', tenantId);
      if (!inbound.allowed)
        throw new AppError('rate_limited', 'too many admin requests for this tenant', {
          retryAfterMs: inbound.retryAfterMs,
        });
    }
    if (!tenantId || !isAuditable(request))
      return await router.dispatch(request.method, request.path, { services, request, principal, trace, logger });
    // The audit trail (audit.ts): the change is recorded once it has succeeded, with the integration's name as
    // it was before (a deleted integration has none after).
    const audited = withMemoizedBody(request);
    const integrationId = integrationIdOf(request.path);
    const before = integrationId
      ? await services.integrations.get(tenantId, integrationId).catch(() => undefined)
      : undefined;
    const response = await router.dispatch(request.method, request.path, {
      services,
      request: audited,
      principal,
      trace,
      logger,
    });
    if ((response.status ?? 200) < 400) {
      const entry = await auditEntry({ request: audited, principal }, tenantId, response, before?.name).catch(
        (error: unknown) => logger.warn('could not describe the admin change for the audit trail', { error }),
      );
      if (entry) services.activity.record(entry);
    }
    return response;
  } catch (error) {
    return errorResponse(error, logger);
  }
}
