/** The inbound page pipeline bound to the app's services: adapters paced by the rate limiter, storage, queue, limits. */
import type { AppServices } from '../runtime/services';
import { createAdapterHooks } from '../ratelimit';
import { createAdapterFor } from './adapter-factory';
import type { PagePipeline } from './inbound-job';
import { runInboundPage } from './inbound-pipeline';

export function inboundPipeline(services: AppServices, traceparent?: string): PagePipeline {
  return async (integration, job) => {
    // Every provider request of this page goes through the limiter; leases are given back when the page ends.
    const hooks = createAdapterHooks(services.rateLimiter, { tenantId: integration.tenantId, integrationId: integration.id, provider: integration.provider });
    try {
      return await runInboundPage(
        {
          queue: services.queue,
          shards: services.shards,
          syncState: services.syncState,
          conflicts: services.conflicts,
          now: services.now,
          adapterFor: createAdapterFor(services, () => ({ beforeRequest: hooks.beforeRequest, onRateLimitSignal: hooks.onRateLimitSignal })),
          limits: { pageSize: services.settings.pipeline.pageSize, maxDeleteShare: services.settings.pipeline.maxDeleteShare },
        },
        integration,
        job,
        traceparent,
      );
    } finally {
      await hooks.releaseAll();
    }
  };
}
