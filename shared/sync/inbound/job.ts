/**
 * SyncInboundWorker's work for one `sync-inbound` message: one page of one run. It loads the integration,
 * marks the run running, runs the page pipeline, and records the outcome on the run document.
 *
 * Errors steer the message: a retryable error is thrown so the queue delivers the page again (and dead-letters
 * it after maxDeliveryCount, the run marked failed on that last attempt); a permanent error fails the run and
 * completes the message, because delivering it again cannot help.
 */
import { AppError, notImplemented, toAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import { pageMessageId, type RunWait, type SyncJobMessage, type SyncRun } from '../../core/sync-run';
import type { PageOutcome } from './pipeline';
import { QUEUES } from '../../stores/queue/queues';
import type { DeliveryInfo } from '../../stores/queue/queue-port';
import type { AppServices } from '../../app/services';
import type { Logger } from '../../platform/observability/logger';
import type { Stored } from '../../core/stored';
import { budgetExhausted, conflictsWaiting, runFinishedEvent } from '../../stores/events/run-events';
import type { AppEvent } from '../../stores/events/events';
import { markNeedsReauth } from '../../credentials/jobs/refresh-tokens';
import { pageCommitted, pageRescheduled, pageStarted, runFinished } from '../runs/progress';
import { trackHealth } from '../runs/health';
import type { ProviderCallObserver } from '../../adapters/contract';
import { RunLogPage } from '../../activity/run-log-page';

type InboundDeps = Pick<
  AppServices,
  'integrations' | 'runs' | 'metrics' | 'settings' | 'events' | 'queue' | 'syncState'
> &
  Partial<Pick<AppServices, 'documents'>> & {
    logger: Logger;
    now(): Date;
    /** Where a page rescheduled by a provider's 429 is counted as a throttle wait (the admin charts). */
    rateLimiter?: Pick<AppServices['rateLimiter'], 'throttleHistory'>;
  };

/**
 * The page pipeline (fetch → transform → dedupe → shard → conflicts → save → checkpoint). `observer` hears of
 * the page's provider calls and limiter waits (the run log).
 */
export type PagePipeline = (
  integration: Stored<Integration>,
  job: SyncJobMessage,
  observer?: ProviderCallObserver,
) => Promise<PageOutcome>;

/** Where no pipeline is configured, a page fails visibly instead of reporting a sync that did not happen. */
export const pipelineNotBuilt: PagePipeline = async () => {
  throw notImplemented('the inbound page pipeline (fetch, transform, dedupe, shard, conflicts, save, checkpoint)');
};

export type InboundOutcome = 'completed' | 'failed' | 'retry';

const RETRY_BASE_MS = 1000;
const RETRY_CAP_MS = 5 * 60_000;

/**
 * Capped exponential backoff with jitter, never sooner than the provider asked (Retry-After). `attempt` counts
 * the failures of one page (one message), so the delay grows within a page and starts over on the next.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs = 0,
  random: () => number = Math.random,
  baseMs = RETRY_BASE_MS,
): number {
  const exponential = Math.min(RETRY_CAP_MS, baseMs * 2 ** (attempt - 1));
  return Math.max(retryAfterMs, Math.round(exponential * (0.5 + random() / 2)));
}

/** Why a rescheduled page waits, as the live run card says it. */
export function waitFor(error: AppError, page: number, provider: string): Omit<RunWait, 'until'> {
  if (error.code === 'rate_limited') return { kind: 'rate_limited', reason: `rate-limited by ${provider}` };
  const status = error.details?.providerStatus;
  const cause =
    typeof status === 'number' ? `a provider error (HTTP ${status})` : `a ${error.code.replace('_', ' ')} error`;
  return { kind: 'retry', reason: `retrying page ${page} after ${cause}` };
}

export async function handleInboundJob(
  deps: InboundDeps,
  job: SyncJobMessage,
  delivery: DeliveryInfo,
  pipeline: PagePipeline = pipelineNotBuilt,
): Promise<InboundOutcome> {
  const log = deps.logger.child({
    runId: job.runId,
    integrationId: job.integrationId,
    tenantId: job.tenantId,
    page: job.page,
    deliveryCount: delivery.deliveryCount,
  });
  const now = () => deps.now();
  const finish = (status: SyncRun['status'], error?: AppError) => runFinished(deps.runs, job, status, now, error);

  const maxAttempts = deps.settings.queueLimits.maxDeliveryCount;
  // The page's last attempt already failed the run: its redeliveries only carry it to the dead-letter queue.
  if ((job.attempt ?? 0) + 1 >= maxAttempts && delivery.deliveryCount > 1) {
    throw new AppError(
      'transient',
      `page ${job.page} of run ${job.runId} failed ${maxAttempts} times; kept for the dead-letter queue`,
    );
  }

  // A scheduled copy of the page (with backoff, never sooner than the error's Retry-After) instead of holding
  // the function or letting the queue redeliver at once.
  const reschedule = async (error: AppError, attempt: number): Promise<number> => {
    const delayMs = retryDelayMs(attempt, error.retryAfterMs, Math.random, deps.settings.pipeline.retryBaseMs);
    await deps.queue.send(QUEUES.syncInbound.name, [
      {
        // Deterministic for the delivered message (a redelivery of it sends the same copy, which duplicate
        // detection drops), and new after a redrive (see pageMessageId).
        messageId: pageMessageId(job.runId, job.page, {
          kind: 'retry',
          attempt,
          deliveredMessageId: delivery.messageId,
        }),
        sessionId: job.integrationId,
        body: { ...job, attempt },
        scheduledEnqueueTimeUtc: new Date(deps.now().getTime() + delayMs),
        applicationProperties: delivery.applicationProperties,
      },
    ]);
    deps.metrics.increment('page_retries');
    return delayMs;
  };

  // The document store is down (an outage, a restart) before the page could start: without a scheduled copy
  // the queue would redeliver at once and spend every delivery of the page within seconds, dead-lettering it
  // while its run stays queued.
  const storeUnavailable = async (thrown: unknown): Promise<InboundOutcome> => {
    const error = toAppError(thrown);
    const attempt = (job.attempt ?? 0) + 1;
    if (!error.retryable || attempt >= maxAttempts || delivery.deliveryCount >= maxAttempts) throw thrown;
    const delayMs = await reschedule(error, attempt);
    log.warn('run state unavailable; page rescheduled', { error, attempt, delayMs });
    return 'retry';
  };

  let integration: Awaited<ReturnType<InboundDeps['integrations']['get']>>;
  let known: Awaited<ReturnType<InboundDeps['runs']['get']>>;
  try {
    integration = await deps.integrations.get(job.tenantId, job.integrationId);
    known = integration ? await deps.runs.get(job.tenantId, job.integrationId, job.runId) : undefined;
  } catch (thrown) {
    return storeUnavailable(thrown);
  }
  if (!integration) {
    log.warn('sync job for an unknown integration; failing the run');
    await finish('failed', new AppError('not_found', `integration ${job.integrationId} not found`)).catch(
      () => undefined,
    );
    return 'failed';
  }

  // A page message of a cancelled run (queued before the cancel, or the successor its page in flight enqueued)
  // is completed without work: nothing more is fetched or written for the run.
  if (known?.status === 'cancelled') {
    log.info('run cancelled; page message completed without work');
    return 'completed';
  }

  // A copy of a page the run has already committed (a stale-run resume racing a message that was only slow,
  // outside the duplicate-detection window) is dropped: its successor was enqueued before it was committed.
  if (known && (known.status === 'succeeded' || (known.resume && job.page < known.resume.page))) {
    log.info('page already committed; copy dropped', { status: known.status, resumePage: known.resume?.page });
    return 'completed';
  }

  // The run as read above is where the writes start: one read of the run per page (a stale copy costs a retry).
  let started: Stored<SyncRun>;
  try {
    started = await pageStarted(deps.runs, job, now, known);
  } catch (thrown) {
    return storeUnavailable(thrown);
  }
  deps.metrics.increment('sync_runs_started', 1, { provider: integration.provider });

  // Events are best effort: a failed publish is logged and never turns a committed page into a retry.
  const publishQuietly = (events: AppEvent[]) =>
    deps.events.publish(events).catch((error: unknown) => log.warn('could not publish events', { error }));
  const announce = (run: SyncRun, deadLettered: boolean) =>
    publishQuietly(runFinishedEvent(run, integration.provider, deps.now(), deadLettered));

  // The page's log is gathered while it runs and written once when it ends, whatever the outcome.
  const runLog = new RunLogPage(
    {
      tenantId: job.tenantId,
      integrationId: job.integrationId,
      runId: job.runId,
      page: job.page,
      attempt: (job.attempt ?? 0) + 1,
    },
    now,
  );
  try {
    const outcome = await pipeline(integration, job, runLog);
    const run = await pageCommitted(deps.runs, job, outcome, now, started);
    if (run.status === 'cancelled') {
      log.info('run cancelled during the page; nothing more is fetched for it', { written: !outcome.cancelled });
      runLog.log('info', 'run cancelled; nothing more is fetched for it');
      return 'completed';
    }
    if (outcome.nextDueAt)
      runLog.log(
        'info',
        `next page ${outcome.next?.page ?? job.page + 1} scheduled for ${outcome.nextDueAt} (the provider's pace)`,
      );
    deps.metrics.increment(
      'records_synced',
      outcome.counters.created + outcome.counters.updated + outcome.counters.deleted,
      { provider: integration.provider },
    );
    if (outcome.counters.errors)
      deps.metrics.increment('record_errors', outcome.counters.errors, { provider: integration.provider });
    if (outcome.counters.conflicts > 0)
      await publishQuietly(conflictsWaiting(run, integration.provider, outcome.counters.conflicts, deps.now()));
    if (outcome.runFinished) {
      runLog.log('info', 'run finished');
      await announce(run, false);
      // The run's end may move the integration's health (back to ok, or out of failing): recorded, announced once.
      await trackHealth({ ...deps, logger: log }, integration, deps.now());
    }
    return 'completed';
  } catch (thrown) {
    const error = toAppError(thrown);
    const attempt = (job.attempt ?? 0) + 1;
    const lastDelivery = attempt >= maxAttempts || delivery.deliveryCount >= maxAttempts;
    if (error.retryable && !lastDelivery) {
      const delayMs = await reschedule(error, attempt);
      // The run waits for the rescheduled copy: its heartbeat is due then, so the stale-run sweeper leaves it alone.
      const dueAt = new Date(deps.now().getTime() + delayMs).toISOString();
      await pageRescheduled(deps.runs, job, dueAt, waitFor(error, job.page, integration.provider)).catch(
        (failure: unknown) => log.warn('could not record the retry on the run', { error: failure }),
      );
      log.warn('page failed; rescheduled', { error, attempt, delayMs });
      runLog.log(
        'warn',
        `page ${job.page} failed (${error.code}: ${error.message}); retrying in ${delayMs} ms (attempt ${attempt + 1} of ${maxAttempts})`,
      );
      // The provider said "slow down" (our own limiter names its level and has counted the wait already).
      if (error.code === 'rate_limited' && error.details?.level === undefined)
        deps.rateLimiter?.throttleHistory.record({
          tenantId: job.tenantId,
          provider: integration.provider,
          at: deps.now().getTime(),
          kind: 'wait',
          waitMs: delayMs,
        });
      if (error.code === 'rate_limited' && attempt === 1)
        await publishQuietly(budgetExhausted(job, integration.provider, error.message, delayMs, deps.now()));
      return 'retry';
    }
    log.error('sync run failed', { error, code: error.code });
    // The provider refused the credential for good: stop this integration's syncs until a person reconnects it.
    if (error.code === 'auth_revoked')
      await markNeedsReauth({ ...deps, logger: log }, job.tenantId, job.integrationId, error.message, deps.now());
    deps.metrics.increment('sync_runs_failed', 1, { code: error.code });
    if (lastDelivery && error.retryable) deps.metrics.increment('dead_letters');
    runLog.log('error', `run failed on page ${job.page} (${error.code}: ${error.message})`);
    await announce(await finish('failed', error), lastDelivery && error.retryable);
    await trackHealth(
      { ...deps, logger: log },
      error.code === 'auth_revoked' ? { ...integration, status: 'needs_reauth' } : integration,
      deps.now(),
    );
    // A retryable error on the last delivery is thrown so the queue dead-letters the page with its reason.
    if (error.retryable) throw error;
    return 'failed';
  } finally {
    if (deps.documents)
      await runLog
        .write(deps.documents.activity, deps.settings.activity.runLogRetentionDays)
        .catch((error: unknown) => log.warn('could not write the run log', { error }));
  }
}
