/** WebhookHealthMonitor: every 15 minutes (WEBHOOK_HEALTH_SCHEDULE), announce webhook endpoints that look unhealthy. */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';
import { monitorWebhookEndpoints } from '../../shared/webhooks/health/health-monitor';

export const webhookHealthMonitor: TimerFunction = {
  name: 'WebhookHealthMonitor',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.webhookHealth,
  async handler(_timer, context, services) {
    const { logger } = invocationScope(services, context);
    const announced = await monitorWebhookEndpoints({ ...services, logger });
    if (announced) logger.warn('unhealthy webhook endpoints announced', { announced });
  },
};
