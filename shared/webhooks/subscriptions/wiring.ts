/** The subscription logic's dependencies, taken from the app's services (admin routes, the renewer, demo mode). */
import type { AppServices } from '../../app/services';
import type { Logger } from '../../platform/observability/logger';
import type { SubscriptionDeps } from './manager';

export function subscriptionDeps(services: AppServices, logger: Logger = services.logger): SubscriptionDeps {
  return {
    store: services.documents.webhookSubscriptions,
    integrations: services.integrations,
    secrets: services.credentials.service,
    credentials: services.credentials,
    rateLimiter: services.rateLimiter,
    requestTimeoutMs: services.settings.pipeline.requestTimeoutMs,
    deliveryLog: services.deliveryLog,
    events: services.events,
    logger,
    now: services.now,
  };
}
