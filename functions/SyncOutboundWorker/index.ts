/** SyncOutboundWorker: push one changed shard to its provider per `sync-outbound` message. */
import type { QueueFunction } from '../definition';
import { AppError, notImplemented } from '../../shared/errors/app-error';
import { outboundJobMessageSchema } from '../../shared/domain/sync-run';
import { deliveryInfoFrom } from '../../shared/messaging/queue-port';
import { QUEUES } from '../../shared/messaging/queues';
import { continueTrace } from '../../shared/observability/correlation';

export const syncOutboundWorker: QueueFunction = {
  name: 'SyncOutboundWorker',
  trigger: 'serviceBusQueue',
  queueName: QUEUES.syncOutbound.name,
  isSessionsEnabled: false,
  async handler(message, context, services) {
    const delivery = deliveryInfoFrom(context.triggerMetadata);
    const trace = continueTrace(String(delivery.applicationProperties.traceparent ?? ''));
    const logger = services.logger.child({ function: 'SyncOutboundWorker', traceId: trace.traceId, messageId: delivery.messageId });
    const parsed = outboundJobMessageSchema.safeParse(message);
    if (!parsed.success) throw new AppError('validation', `malformed sync-outbound message: ${parsed.error.issues[0]?.path.join('.')}`);
    const job = parsed.data;
    const integration = await services.integrations.get(job.tenantId, job.integrationId);
    if (!integration) {
      logger.warn('push for an unknown integration dropped', { integrationId: job.integrationId });
      return;
    }
    throw notImplemented('outbound push (map back, provider version check, conflict resolution, push, ledger)');
  },
};
