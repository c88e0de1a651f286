/**
 * The stale-run sweeper (run by SyncScheduler's tick): a run that is queued or running with no sign of life
 * (page started or committed, retry due) for SYNC_STALE_RUN_MINUTES lost its messages, typically to a crash
 * of the local host (an in-memory queue) or a message that expired or dead-lettered without its handler.
 *
 * It is resumed from its checkpoint: the page after the last committed one (the cursor moves only after a
 * committed page), enqueued under an id of its own (run id + page + resume number). The pipeline's own id
 * (run id + page) would be dropped by duplicate detection whenever the lost original is still inside the
 * window (a message dead-lettered within seconds of an outage, or a bound shorter than the window), and the
 * run would never resume. When the messages are not gone after all (a long backlog), the two copies of the
 * page are delivered one after the other (one session per integration), and SyncInboundWorker drops the one
 * that arrives after the other was committed (page below the run's checkpoint, or the run succeeded), so a
 * page is never written twice; the next page's id is the pipeline's again, so the copies converge there;
 * and the claim on the run is ETag-guarded, so two scheduler instances resume a run once. After
 * SYNC_STALE_RUN_MAX_RESUMES resumes without progress the run is marked failed with the reason.
 */
import { pageMessageId, type SyncJobMessage, type SyncRun } from '../../core/sync-run';
import { QUEUES } from '../../stores/queue/queues';
import type { AppServices } from '../../app/services';
import type { TraceContext } from '../../platform/observability/correlation';
import type { Stored } from '../../core/stored';

export interface StaleRunSweep {
  stale: number;
  resumed: string[];
  failed: string[];
  /** Changed by someone else between the query and the claim: left alone. */
  skipped: number;
}

type SweepDeps = Pick<AppServices, 'runs' | 'queue' | 'logger' | 'metrics' | 'settings'>;

const SWEEP_LIMIT = 200;

/** The message of the run's next page: the one enqueued after its last committed page (page 0 before any). */
export function resumeMessageOf(run: SyncRun, traceparent: string) {
  const first = run.entity ?? run.entities?.[0];
  const checkpoint = run.resume ?? { page: 0, ...(first ? { entity: first } : {}) };
  const body: SyncJobMessage = {
    kind: 'sync-page',
    runId: run.id,
    tenantId: run.tenantId,
    integrationId: run.integrationId,
    mode: run.mode,
    page: checkpoint.page,
    ...(checkpoint.entity ? { entity: checkpoint.entity } : {}),
    ...(checkpoint.cursor !== undefined ? { cursor: checkpoint.cursor } : {}),
    ...(run.ids ? { ids: run.ids } : {}),
    ...(run.since ? { since: run.since } : {}),
    ...(run.entities ? { entities: run.entities } : {}),
  };
  return {
    messageId: pageMessageId(run.id, checkpoint.page, { kind: 'resume', resumes: run.resumes ?? 0 }),
    sessionId: run.integrationId,
    body,
    applicationProperties: { traceparent },
  };
}

const stillStale = (run: SyncRun, cutoff: string) =>
  (run.status === 'queued' || run.status === 'running') && (run.heartbeatAt ?? run.queuedAt) < cutoff;

export async function sweepStaleRuns(deps: SweepDeps, now: Date, trace: TraceContext): Promise<StaleRunSweep> {
  const boundMs = (deps.settings.sync.staleRunMinutes ?? 10) * 60_000;
  const maxResumes = deps.settings.sync.staleRunMaxResumes ?? 3;
  const cutoff = new Date(now.getTime() - boundMs).toISOString();
  const stale: Stored<SyncRun>[] = await deps.runs.findStale(cutoff, SWEEP_LIMIT);
  const result: StaleRunSweep = { stale: stale.length, resumed: [], failed: [], skipped: 0 };
  const minutes = Math.round(boundMs / 60_000);
  for (const found of stale) {
    const resumes = found.resumes ?? 0;
    const giveUp = resumes >= maxResumes;
    try {
      const claimed = await deps.runs.replaceIfUnchanged(found, (run) => {
        if (!stillStale(run, cutoff)) return undefined;
        if (giveUp) {
          const message = `no progress for ${minutes} minutes after ${resumes} resumes from page ${run.resume?.page ?? 0}; its page messages were lost`;
          return {
            ...run,
            status: 'failed',
            finishedAt: now.toISOString(),
            lastError: { code: 'transient', message, target: 'SYNC_STALE_RUN_MINUTES' },
          };
        }
        return { ...run, resumes: resumes + 1, heartbeatAt: now.toISOString() };
      });
      if (!claimed) {
        result.skipped++;
        continue;
      }
      if (giveUp) {
        result.failed.push(found.id);
        deps.metrics.increment('sync_runs_failed', 1, { code: 'stale' });
        deps.logger.warn('stale run marked failed', {
          runId: found.id,
          integrationId: found.integrationId,
          tenantId: found.tenantId,
          resumes,
        });
        continue;
      }
      // Claimed first, sent second: a crash in between costs one more bound, never a second copy.
      await deps.queue.send(QUEUES.syncInbound.name, [resumeMessageOf(claimed, trace.traceparent)]);
      result.resumed.push(found.id);
      deps.metrics.increment('sync_runs_resumed');
      deps.logger.warn('stale run resumed from its checkpoint', {
        runId: found.id,
        integrationId: found.integrationId,
        tenantId: found.tenantId,
        page: claimed.resume?.page ?? 0,
        resume: resumes + 1,
      });
    } catch (error) {
      deps.logger.error('could not sweep a stale run', { runId: found.id, integrationId: found.integrationId, error });
    }
  }
  return result;
}
