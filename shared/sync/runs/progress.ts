/**
 * A run's progress, written as its pages go: a page started, a page committed (its counters by page number, the
 * checkpoint to resume from, the run done), the run finished, a rescheduled page awaited, a retry started for a
 * failed run. With start-run.ts (new runs) and stale-runs.ts (resumes), the only code that changes sync-run
 * documents. Each change is an ETag-guarded read-modify-write (the runs repository retries it on a concurrent
 * change); a caller that holds the run as it read it passes it along, which saves reading it again.
 */
import {
  emptyCounters,
  runHasEnded,
  type RunCounters,
  type RunWait,
  type SyncJobMessage,
  type SyncRun,
} from '../../core/sync-run';
import type { Stored } from '../../core/stored';
import type { SyncRunsRepository } from '../../stores/documents/sync-runs-repository';

type RunRef = Pick<SyncJobMessage, 'tenantId' | 'integrationId' | 'runId'>;

/** What a committed page reports to its run. */
export interface PageProgress {
  counters: RunCounters;
  recordErrors: ReadonlyArray<{ recordId: string; field?: string; code: string; message: string }>;
  /** The run has no more pages. */
  runFinished: boolean;
  /** The page enqueued after this one: where a stale run resumes. */
  next?: SyncRun['resume'];
  /** When that page is scheduled for, when the provider's pace put it later (ISO-8601). */
  nextDueAt?: string;
  /** The provider's record count of the entity, where the adapter reports one. */
  providerTotal?: number;
}

/** The run's live state without a wait (a page started, the run ended): a paused run shows its wait only while it waits. */
function withoutWait(live: SyncRun['live']): SyncRun['live'] {
  if (!live?.waiting) return live;
  const { waiting, ...rest } = live;
  void waiting;
  return rest;
}

const MAX_RECORD_ERRORS_KEPT = 100;

/** Page results are stored per page number, so a redelivered page replaces its own counts instead of adding. */
function withPage(run: SyncRun, page: number, progress: PageProgress): SyncRun {
  const pageCounters = { ...run.pageCounters, [String(page)]: progress.counters };
  const counters = emptyCounters();
  for (const perPage of Object.values(pageCounters))
    for (const key of Object.keys(counters) as Array<keyof RunCounters>) counters[key] += perPage[key];
  const recordErrors = [
    ...(run.recordErrors ?? []).filter((error) => error.page !== page),
    ...progress.recordErrors.map((error) => ({ ...error, page })),
  ].slice(-MAX_RECORD_ERRORS_KEPT);
  return { ...run, pageCounters, counters, recordErrors };
}

/** A page begins: the run is running, with a fresh sign of life. */
export function pageStarted(
  runs: SyncRunsRepository,
  job: RunRef & Partial<Pick<SyncJobMessage, 'page' | 'entity'>>,
  now: () => Date,
  known?: Stored<SyncRun>,
): Promise<Stored<SyncRun>> {
  return runs.update(
    job.tenantId,
    job.integrationId,
    job.runId,
    (run) => ({
      ...run,
      // A run cancelled meanwhile stays cancelled: the page sees it before it fetches or writes.
      status: run.status === 'cancelled' ? 'cancelled' : 'running',
      startedAt: run.startedAt ?? now().toISOString(),
      heartbeatAt: now().toISOString(),
      // The page in hand, and no wait any more: the live run card shows it working again.
      ...(job.page !== undefined
        ? {
            live: {
              page: job.page,
              ...(job.entity ? { entity: job.entity } : {}),
              pageStartedAt: now().toISOString(),
              ...(run.live?.providerTotal !== undefined && run.live.entity === job.entity
                ? { providerTotal: run.live.providerTotal }
                : {}),
            },
          }
        : {}),
    }),
    { from: known },
  );
}

/** A page is committed: its counters and errors, the checkpoint to resume from, and the run done after the last. */
export function pageCommitted(
  runs: SyncRunsRepository,
  job: RunRef & { page: number },
  progress: PageProgress,
  now: () => Date,
  known?: Stored<SyncRun>,
): Promise<Stored<SyncRun>> {
  return runs.update(
    job.tenantId,
    job.integrationId,
    job.runId,
    (current) =>
      // The page in flight when the run was cancelled keeps its counts; the run stays cancelled, with no resume point.
      current.status === 'cancelled'
        ? { ...withPage(current, job.page, progress), live: withoutWait(current.live) }
        : {
            ...withPage(current, job.page, progress),
            // A next page scheduled later (the provider's pace) is a sign of life until it is due.
            heartbeatAt: progress.nextDueAt ?? now().toISOString(),
            ...(progress.next ? { resume: progress.next } : {}),
            ...(progress.runFinished ? { status: 'succeeded' as const, finishedAt: now().toISOString() } : {}),
            live: liveAfterCommit(current, job.page, progress),
          },
    { from: known },
  );
}

function liveAfterCommit(run: SyncRun, page: number, progress: PageProgress): SyncRun['live'] {
  const live = {
    ...withoutWait(run.live),
    page,
    pageStartedAt: run.live?.pageStartedAt ?? new Date().toISOString(),
    ...(progress.providerTotal !== undefined ? { providerTotal: progress.providerTotal } : {}),
  };
  // The next page is scheduled later by the provider's pace: the run waits, it is not stuck.
  if (progress.nextDueAt && !progress.runFinished)
    return {
      ...live,
      waiting: {
        kind: 'pace',
        reason: `waiting for the provider's pace before page ${page + 1}`,
        until: progress.nextDueAt,
      },
    };
  return live;
}

/** The run ends with `status`, and the error that ended it. */
export function runFinished(
  runs: SyncRunsRepository,
  job: RunRef,
  status: SyncRun['status'],
  now: () => Date,
  error?: { code: string; message: string; target?: string },
): Promise<Stored<SyncRun>> {
  return runs.update(job.tenantId, job.integrationId, job.runId, (run) =>
    // A cancelled run has ended already: what its page in flight ran into afterwards does not change that.
    run.status === 'cancelled'
      ? run
      : {
          ...run,
          status,
          finishedAt: now().toISOString(),
          ...(run.live ? { live: withoutWait(run.live) } : {}),
          ...(error
            ? {
                lastError: {
                  code: error.code,
                  message: error.message,
                  ...(error.target ? { target: error.target } : {}),
                },
              }
            : {}),
        },
  );
}

/**
 * The run waits for a rescheduled page: its heartbeat is due then, so the stale-run sweeper leaves it alone, and
 * the live run card says why it waits and until when.
 */
export function pageRescheduled(
  runs: SyncRunsRepository,
  job: RunRef & Partial<Pick<SyncJobMessage, 'page' | 'entity'>>,
  dueAt: string,
  wait?: Omit<RunWait, 'until'>,
): Promise<Stored<SyncRun>> {
  return runs.update(job.tenantId, job.integrationId, job.runId, (run) => ({
    ...run,
    heartbeatAt: dueAt,
    ...(wait
      ? {
          live: {
            ...withoutWait(run.live),
            page: job.page ?? run.live?.page ?? 0,
            ...(job.entity ? { entity: job.entity } : {}),
            pageStartedAt: run.live?.pageStartedAt ?? dueAt,
            waiting: { ...wait, until: dueAt },
          },
        }
      : {}),
  }));
}

/**
 * An operator cancels a run that has not ended: it ends `cancelled` now. Its page in flight (if any) checks the
 * run before it writes, and every page message still queued for it is completed without work.
 * Answers the run as it was when it had already ended (nothing changed then).
 */
export async function runCancelled(
  runs: SyncRunsRepository,
  run: Stored<SyncRun>,
  by: string,
  now: () => Date,
): Promise<{ run: Stored<SyncRun>; ended?: SyncRun['status'] }> {
  let ended: SyncRun['status'] | undefined;
  const updated = await runs.update(
    run.tenantId,
    run.integrationId,
    run.id,
    (current) => {
      ended = runHasEnded(current.status) ? current.status : undefined;
      if (ended) return current;
      return { ...current, status: 'cancelled', finishedAt: now().toISOString(), cancelledBy: by };
    },
    { from: run },
  );
  return { run: updated, ...(ended ? { ended } : {}) };
}

/** A failed run names the run started to repeat it (an operator's retry). */
export function retryStarted(
  runs: SyncRunsRepository,
  failed: Stored<SyncRun>,
  retryRunId: string,
): Promise<Stored<SyncRun>> {
  return runs.update(
    failed.tenantId,
    failed.integrationId,
    failed.id,
    (current) => ({ ...current, retriedBy: retryRunId }),
    { from: failed },
  );
}
