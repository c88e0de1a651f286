/**
 * SyncScheduler's work: find integrations whose sync is due, start each run exactly once even when several
 * scheduler instances fire together, and move each integration's next sync time forward.
 *
 * Order matters for "nothing lost, nothing twice": the run id is derived from the integration and the due
 * slot, so creating the run and enqueueing its first page are idempotent; the ETag-guarded claim comes last.
 * Two instances may both enqueue, but the message id collapses them; a crash before the claim is repaired
 * by the next tick, which repeats the same idempotent steps.
 */
import type { AppServices } from '../../app/services';
import type { TraceContext } from '../../platform/observability/correlation';
import { isAppError } from '../../core/app-error';
import { startRun } from './start-run';
import { trackHealth } from './health';

export interface SchedulerResult {
  due: number;
  started: string[];
  /** Claimed by another instance first. */
  skipped: number;
  failed: number;
}

type SchedulerDeps = Pick<
  AppServices,
  'integrations' | 'runs' | 'queue' | 'logger' | 'metrics' | 'settings' | 'syncState' | 'events'
>;

export async function scheduleDueSyncs(deps: SchedulerDeps, now: Date, trace: TraceContext): Promise<SchedulerResult> {
  const due = await deps.integrations.findDueAcrossTenants(now, deps.settings.sync.maxClaimsPerTick);
  const result: SchedulerResult = { due: due.length, started: [], skipped: 0, failed: 0 };
  for (const integration of due) {
    // Runs that never end (a stuck queue, a provider that never answers) make no run-end to notice them: the
    // scheduler pass looks at each due integration's health, so "stale" is announced too.
    await trackHealth(deps, integration, now);
    const slot = Date.parse(integration.nextSyncAt);
    const runId = `sched-${integration.id}-${slot}`;
    try {
      await startRun(deps, { integration, mode: 'incremental', trigger: 'schedule', trace, runId, now });
      const intervalMs = integration.schedule.intervalMinutes * 60_000;
      // Skip missed slots instead of replaying them all after downtime.
      const next = Math.max(slot + intervalMs, now.getTime() + intervalMs);
      await deps.integrations.replace({
        ...integration,
        nextSyncAt: new Date(next).toISOString(),
        lastScheduledAt: now.toISOString(),
      });
      result.started.push(runId);
      deps.metrics.increment('scheduler_claims');
    } catch (error) {
      if (isAppError(error) && error.code === 'precondition_failed') {
        result.skipped++;
        continue;
      }
      result.failed++;
      deps.logger.error('could not start a scheduled sync', {
        integrationId: integration.id,
        tenantId: integration.tenantId,
        error,
      });
    }
  }
  return result;
}
