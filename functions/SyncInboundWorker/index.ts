/** SyncInboundWorker: one page of one sync run per `sync-inbound` message (sessions keyed by integration). */
import type { QueueFunction } from '../definition';
import { AppError } from '../../shared/core/app-error';
import { syncJobMessageSchema } from '../../shared/core/sync-run';
import { deliveryInfoFrom } from '../../shared/stores/queue/queue-port';
import { QUEUES } from '../../shared/stores/queue/queues';
import { invocationScope } from '../invocation';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { inboundPipeline } from '../../shared/sync/inbound/wiring';

export const syncInboundWorker: QueueFunction = {
  name: 'SyncInboundWorker',
  trigger: 'serviceBusQueue',
  queueName: QUEUES.syncInbound.name,
  isSessionsEnabled: true,
  async handler(message, context, services) {
    const delivery = deliveryInfoFrom(context.triggerMetadata);
    const { trace, logger } = invocationScope(
      services,
      context,
      String(delivery.applicationProperties.traceparent ?? ''),
      { messageId: delivery.messageId },
    );
    const parsed = syncJobMessageSchema.safeParse(message);
    if (!parsed.success) {
      // A malformed message can never succeed; throwing keeps it (it ends in the dead-letter queue with this reason).
      logger.error('malformed sync-inbound message dropped', { issue: parsed.error.issues[0]?.message });
      services.metrics.increment('record_errors', 1, { kind: 'malformed_message' });
      throw new AppError('validation', `malformed sync-inbound message: ${parsed.error.issues[0]?.path.join('.')}`);
    }
    await handleInboundJob(
      { ...services, logger },
      parsed.data,
      delivery,
      inboundPipeline(services, trace.traceparent),
    );
  },
};
