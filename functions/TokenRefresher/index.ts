/** TokenRefresher: every 5 minutes (TOKEN_REFRESH_SCHEDULE), refresh OAuth credentials that expire soon, then announce expiry findings. */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';
import { refreshExpiringTokens } from '../../shared/credentials/jobs/refresh-tokens';
import { announceExpiry } from '../../shared/credentials/jobs/expiry-alerts';

export const tokenRefresher: TimerFunction = {
  name: 'TokenRefresher',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.tokenRefresh,
  async handler(_timer, context, services) {
    const { logger } = invocationScope(services, context);
    const summary = await refreshExpiringTokens({ ...services, logger });
    const alerts = await announceExpiry({ ...services, logger });
    logger.info('token refresh run', { ...summary, expiryAlerts: alerts });
  },
};
