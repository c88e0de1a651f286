/** NotificationDigest: on NOTIFY_DIGEST_SCHEDULE (hourly), send the hourly and daily digests that are due. */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';

export const notificationDigest: TimerFunction = {
  name: 'NotificationDigest',
  trigger: 'timer',
  schedule: (settings) => settings.notifications.digestSchedule,
  async handler(_timer, context, services) {
    const { logger } = invocationScope(services, context);
    // Bounded: a digest run never outlives the next tick's slot by much.
    const results = await services.notifications.runDigests(services.now(), AbortSignal.timeout(5 * 60_000));
    const count = (status: string) => results.filter((result) => result.status === status).length;
    logger.info('notification digests', {
      channels: results.length,
      sent: count('sent'),
      failed: count('failed'),
      notDue: count('not_due'),
      alreadySent: count('already_sent'),
    });
  },
};
