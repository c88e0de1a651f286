/**
 * SyncScheduler: every minute (SYNC_SCHEDULE), start the inbound syncs that are due, each exactly once, and
 * enqueue a push for every shard changed locally since the outbound checkpoint, and resume (or fail) runs left
 * queued or running with no progress for SYNC_STALE_RUN_MINUTES (their messages were lost: stale-runs.ts).
 */
import type { TimerFunction } from '../definition';
import { invocationScope } from '../invocation';
import { scheduleDueSyncs } from '../../shared/sync/runs/scheduler';
import { scanChangedShards } from '../../shared/sync/outbound/scan';
import { sweepStaleRuns } from '../../shared/sync/runs/stale-runs';

export const syncScheduler: TimerFunction = {
  name: 'SyncScheduler',
  trigger: 'timer',
  schedule: (settings) => settings.schedules.sync,
  async handler(timer, context, services) {
    const { trace, logger: log } = invocationScope(services, context);
    const result = await scheduleDueSyncs({ ...services, logger: log }, services.now(), trace);
    log.info('scheduler run', {
      due: result.due,
      started: result.started.length,
      skipped: result.skipped,
      failed: result.failed,
      pastDue: timer.isPastDue,
    });
    // The outbound scan runs even when starting inbound syncs failed for some integrations (those are logged).
    const outbound = await scanChangedShards({ ...services, logger: log }, trace);
    log.info('outbound scan', {
      integrations: outbound.integrations,
      enqueued: outbound.enqueued,
      failed: outbound.failed,
    });
    const stale = await sweepStaleRuns({ ...services, logger: log }, services.now(), trace);
    if (stale.stale > 0)
      log.info('stale runs swept', {
        stale: stale.stale,
        resumed: stale.resumed.length,
        failed: stale.failed.length,
        skipped: stale.skipped,
      });
  },
};
