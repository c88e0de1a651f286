/** SyncScheduler: every minute (SYNC_SCHEDULE), start the syncs that are due, each exactly once. */
import type { TimerFunction } from '../definition';
import { continueTrace } from '../../shared/observability/correlation';
import { scheduleDueSyncs } from '../../shared/sync/scheduler';

export const syncScheduler: TimerFunction = {
  name: 'SyncScheduler',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.sync,
  async handler(timer, context, services) {
    const trace = continueTrace(undefined);
    const log = services.logger.child({ function: 'SyncScheduler', invocationId: context.invocationId, traceId: trace.traceId });
    const result = await scheduleDueSyncs({ ...services, logger: log }, services.now(), trace);
    log.info('scheduler run', { due: result.due, started: result.started.length, skipped: result.skipped, failed: result.failed, pastDue: timer.isPastDue });
  },
};
