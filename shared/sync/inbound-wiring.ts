/** The inbound page pipeline bound to the app's services: adapters paced by the rate limiter, storage, queue, limits. */
import type { AppServices } from '../runtime/services';
import { withPacedAdapters } from './adapter-factory';
import type { PagePipeline } from './inbound-job';
import { runInboundPage } from './inbound-pipeline';

export function inboundPipeline(services: AppServices, traceparent?: string): PagePipeline {
  return (integration, job) =>
    withPacedAdapters(services, integration, (adapterFor) =>
      runInboundPage(
        {
          queue: services.queue,
          shards: services.shards,
          syncState: services.syncState,
          conflicts: services.conflicts,
          now: services.now,
          integrationsOf: async (tenantId, provider) => (await services.integrations.list(tenantId)).filter((integration) => integration.provider === provider).map((integration) => integration.id),
          adapterFor,
          limits: { pageSize: services.settings.pipeline.pageSize, maxDeleteShare: services.settings.pipeline.maxDeleteShare },
        },
        integration,
        job,
        traceparent,
      ),
    );
}
