/** SyncOutboundWorker: push one changed shard to its provider per `sync-outbound` message. */
import type { QueueFunction } from '../definition';
import { AppError } from '../../shared/core/app-error';
import { outboundJobMessageSchema } from '../../shared/core/sync-run';
import { deliveryInfoFrom } from '../../shared/stores/queue/queue-port';
import { QUEUES } from '../../shared/stores/queue/queues';
import { invocationScope } from '../invocation';
import { handleOutboundJob } from '../../shared/sync/outbound/job';
import { outboundJobDeps, outboundPush } from '../../shared/sync/outbound/wiring';

export const syncOutboundWorker: QueueFunction = {
  name: 'SyncOutboundWorker',
  trigger: 'serviceBusQueue',
  queueName: QUEUES.syncOutbound.name,
  isSessionsEnabled: false,
  async handler(message, context, services) {
    const delivery = deliveryInfoFrom(context.triggerMetadata);
    const { logger } = invocationScope(services, context, String(delivery.applicationProperties.traceparent ?? ''), {
      messageId: delivery.messageId,
    });
    const parsed = outboundJobMessageSchema.safeParse(message);
    // A malformed message can never succeed; throwing keeps it (it ends in the dead-letter queue with this reason).
    if (!parsed.success)
      throw new AppError('validation', `malformed sync-outbound message: ${parsed.error.issues[0]?.path.join('.')}`);
    const job = parsed.data;
    const integration = await services.integrations.get(job.tenantId, job.integrationId);
    await handleOutboundJob(outboundJobDeps(services, logger), integration, job, delivery, outboundPush(services));
  },
};
