/** The inbound page pipeline bound to the app's services: adapters paced by the rate limiter, storage, queue, limits. */
import type { ProviderId } from '../../core/providers';
import type { AppServices } from '../../app/services';
import { withPacedAdapters } from '../adapter-factory';
import type { PagePipeline } from './job';
import { runInboundPage } from './pipeline';

export function inboundPipeline(services: AppServices, traceparent?: string): PagePipeline {
  return (integration, job) => {
    // The tenant's integrations, listed once per page however many providers its references name.
    let listed: ReturnType<AppServices['integrations']['list']> | undefined;
    const integrationsOf = async (tenantId: string, provider: ProviderId) =>
      (await (listed ??= services.integrations.list(tenantId)))
        .filter((candidate) => candidate.tenantId === tenantId && candidate.provider === provider)
        .map((candidate) => candidate.id);
    return withPacedAdapters(services, integration, (adapterFor) =>
      runInboundPage(
        {
          queue: services.queue,
          shards: services.shards,
          syncState: services.syncState,
          conflicts: services.conflicts,
          now: services.now,
          integrationsOf,
          adapterFor,
          limits: {
            pageSize: services.settings.pipeline.pageSize,
            maxDeleteShare: services.settings.pipeline.maxDeleteShare,
          },
        },
        integration,
        job,
        traceparent,
      ),
    );
  };
}
