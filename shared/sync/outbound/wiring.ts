/** The outbound push bound to the app's services: adapters paced by the rate limiter, storage, limits. */
import type { AppServices } from '../../app/services';
import { withPacedAdapters } from '../adapter-factory';
import type { OutboundJobDeps, OutboundPush } from './job';
import { pushShard } from './push';
import { historyOf } from '../shard-history-writer';

export function outboundPush(services: AppServices): OutboundPush {
  return (integration, job) =>
    withPacedAdapters(services, integration, (adapterFor) =>
      pushShard(
        {
          shards: services.shards,
          syncState: services.syncState,
          conflicts: services.conflicts,
          now: services.now,
          adapterFor,
          // The same conversion schema the inbound pipeline maps with (none: provider fields as they are).
          schemaFor: (integration, entity) => integration.mappings?.[entity],
          leaseMs: services.settings.queueLimits.lockDurationMs,
          pageSize: services.settings.pipeline.pageSize,
          history: historyOf(services),
        },
        integration,
        job,
      ),
    );
}

export function outboundJobDeps(services: AppServices, logger = services.logger): OutboundJobDeps {
  return {
    queue: services.queue,
    shards: services.shards,
    syncState: services.syncState,
    logger,
    now: services.now,
    maxAttempts: services.settings.queueLimits.maxDeliveryCount,
  };
}
