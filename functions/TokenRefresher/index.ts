/** TokenRefresher: every 5 minutes (TOKEN_REFRESH_SCHEDULE), refresh OAuth credentials that expire soon. */
import type { TimerFunction } from '../definition';
import { notImplemented } from '../../shared/errors/app-error';

export const tokenRefresher: TimerFunction = {
  name: 'TokenRefresher',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.tokenRefresh,
  async handler(_timer, _context, _services) {
    throw notImplemented('credential refresh (single-flight OAuth refresh of credentials expiring soon)');
  },
};
