/**
 * Notification deliveries (sent, failed) as activity entries: the notification service's repository is handed
 * over wrapped, so every delivery record it writes is also told to the activity log, without code in the service.
 */
import type { DeliveryDoc } from '../notifications/types';
import type { NotificationDoc, NotificationsRepository } from '../stores/documents/notifications-repository';
import type { ActivityRecorder } from './recorder';

const LOGGED = new Set<DeliveryDoc['status']>(['sent', 'failed']);

export function recordingDeliveries(
  repository: NotificationsRepository,
  activity: ActivityRecorder,
): NotificationsRepository {
  return {
    upsert: async <T extends NotificationDoc>(doc: T): Promise<T> => {
      const written = await repository.upsert(doc);
      if (doc.kind === 'delivery' && LOGGED.has(doc.status)) {
        activity.record({
          tenantId: doc.tenantId,
          type: 'notification',
          integrationId: '',
          status: doc.status,
          summary: `${doc.purpose} "${doc.message.title}" ${doc.status}${doc.reason ? ` (${doc.reason})` : ''} (${doc.attempts} ${doc.attempts === 1 ? 'attempt' : 'attempts'})`,
        });
      }
      return written;
    },
    get: (tenantId, kind, id) => repository.get(tenantId, kind, id),
    delete: (tenantId, kind, id) => repository.delete(tenantId, kind, id),
    listChannels: (tenantId) => repository.listChannels(tenantId),
    listRules: (tenantId) => repository.listRules(tenantId),
    listDeliveries: (tenantId, filter) => repository.listDeliveries(tenantId, filter),
    digestChannels: (limit) => repository.digestChannels(limit),
  };
}
