/**
 * WebhookSubscriptionRenewer: every 30 minutes (WEBHOOK_SUBSCRIPTION_SCHEDULE), renew Google push channels before
 * they expire, check GitHub hooks still exist with the current secret, retry failed subscription changes.
 */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';
import { renewDueSubscriptions } from '../../shared/webhooks/subscriptions/renewer';
import { subscriptionDeps } from '../../shared/webhooks/subscriptions/wiring';

export const webhookSubscriptionRenewer: TimerFunction = {
  name: 'WebhookSubscriptionRenewer',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.webhookSubscriptions,
  async handler(_timer, context, services) {
    const { logger } = invocationScope(services, context);
    const report = await renewDueSubscriptions(subscriptionDeps(services, logger));
    if (report.checked + report.failed + report.skipped > 0)
      logger.info('webhook subscriptions checked', { ...report });
  },
};
