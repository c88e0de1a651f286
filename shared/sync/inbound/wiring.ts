/**
 * The inbound page pipeline bound to the app's services: its dependencies (storage, queue, limits) built once per
 * services and passed down unchanged to the page writer; per page only what the page brings (adapters paced by
 * the rate limiter for this unit of work, the tenant's integrations, the trace).
 */
import type { ProviderId } from '../../core/providers';
import type { AppServices } from '../../app/services';
import { withPacedAdapters } from '../adapter-factory';
import { historyOf } from '../shard-history-writer';
import type { PagePipeline } from './job';
import { runInboundPage, type PipelineDeps } from './pipeline';

const built = new WeakMap<AppServices, PipelineDeps>();

function pipelineDeps(services: AppServices): PipelineDeps {
  let deps = built.get(services);
  if (!deps) {
    deps = {
      queue: services.queue,
      shards: services.shards,
      syncState: services.syncState,
      conflicts: services.conflicts,
      history: historyOf(services),
      now: services.now,
      limits: {
        pageSize: services.settings.pipeline.pageSize,
        maxDeleteShare: services.settings.pipeline.maxDeleteShare,
      },
    };
    built.set(services, deps);
  }
  return deps;
}

export function inboundPipeline(services: AppServices, traceparent?: string): PagePipeline {
  const deps = pipelineDeps(services);
  return (integration, job, observer) => {
    // The tenant's integrations, listed once per page however many providers its references name.
    let listed: ReturnType<AppServices['integrations']['list']> | undefined;
    const integrationsOf = async (tenantId: string, provider: ProviderId) =>
      (await (listed ??= services.integrations.list(tenantId)))
        .filter((candidate) => candidate.tenantId === tenantId && candidate.provider === provider)
        .map((candidate) => candidate.id);
    return withPacedAdapters(
      services,
      integration,
      (adapterFor) =>
        runInboundPage(deps, integration, job, {
          adapterFor,
          integrationsOf,
          traceparent,
          // One point read of the run between the fetch and the writes: an operator's cancel stops the page there.
          runCancelled: async () =>
            (await services.runs.get(job.tenantId, job.integrationId, job.runId))?.status === 'cancelled',
        }),
      observer,
    );
  };
}
