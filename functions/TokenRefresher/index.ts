/** TokenRefresher: every 5 minutes (TOKEN_REFRESH_SCHEDULE), refresh OAuth credentials that expire soon, then announce expiry findings. */
import type { TimerFunction } from '../definition';
import { continueTrace } from '../../shared/observability/correlation';
import { refreshExpiringTokens } from '../../shared/runtime/refresh-tokens';
import { announceExpiry } from '../../shared/runtime/expiry-alerts';

export const tokenRefresher: TimerFunction = {
  name: 'TokenRefresher',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.tokenRefresh,
  async handler(_timer, context, services) {
    const trace = continueTrace(undefined);
    const logger = services.logger.child({ function: 'TokenRefresher', invocationId: context.invocationId, traceId: trace.traceId });
    const summary = await refreshExpiringTokens({ ...services, logger });
    const alerts = await announceExpiry({ ...services, logger });
    logger.info('token refresh run', { ...summary, expiryAlerts: alerts });
  },
};
