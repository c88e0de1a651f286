/**
 * SyncScheduler: every minute (SYNC_SCHEDULE), start the inbound syncs that are due, each exactly once, and
 * enqueue a push for every shard changed locally since the outbound checkpoint.
 */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';
import { scheduleDueSyncs } from '../../shared/sync/scheduler';
import { scanChangedShards } from '../../shared/sync/outbound-scan';

export const syncScheduler: TimerFunction = {
  name: 'SyncScheduler',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.sync,
  async handler(timer, context, services) {
    const { trace, logger: log } = invocationScope(services, context);
    const result = await scheduleDueSyncs({ ...services, logger: log }, services.now(), trace);
    log.info('scheduler run', { due: result.due, started: result.started.length, skipped: result.skipped, failed: result.failed, pastDue: timer.isPastDue });
    // The outbound scan runs even when starting inbound syncs failed for some integrations (those are logged).
    const outbound = await scanChangedShards({ ...services, logger: log }, trace);
    log.info('outbound scan', { integrations: outbound.integrations, enqueued: outbound.enqueued, failed: outbound.failed });
  },
};
