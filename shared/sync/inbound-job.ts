/**
 * SyncInboundWorker's work for one `sync-inbound` message: one page of one run. It loads the integration,
 * marks the run running, runs the page pipeline, and records the outcome on the run document.
 *
 * Errors steer the message: a retryable error is thrown so the queue delivers the page again (and dead-letters
 * it after maxDeliveryCount, the run marked failed on that last attempt); a permanent error fails the run and
 * completes the message, because delivering it again cannot help.
 */
import { AppError, notImplemented, toAppError } from '../errors/app-error';
import type { Integration } from '../domain/integration';
import type { SyncJobMessage, SyncRun } from '../domain/sync-run';
import type { DeliveryInfo } from '../messaging/queue-port';
import type { AppServices } from '../runtime/services';
import type { Logger } from '../observability/logger';
import type { Stored } from '../storage/integrations-repository';
import { runFinishedEvent } from '../events/run-events';

type InboundDeps = Pick<AppServices, 'integrations' | 'runs' | 'metrics' | 'settings' | 'events'> & { logger: Logger; now(): Date };

/** The page pipeline (fetch → transform → dedupe → shard → conflicts → save → checkpoint). */
export type PagePipeline = (integration: Stored<Integration>, job: SyncJobMessage) => Promise<void>;

/** Until the sync engine lands, a page fails visibly instead of reporting a sync that did not happen. */
export const pipelineNotBuilt: PagePipeline = async () => {
  throw notImplemented('the inbound page pipeline (fetch, transform, dedupe, shard, conflicts, save, checkpoint)');
};

export type InboundOutcome = 'completed' | 'failed' | 'retry';

export async function handleInboundJob(deps: InboundDeps, job: SyncJobMessage, delivery: DeliveryInfo, pipeline: PagePipeline = pipelineNotBuilt): Promise<InboundOutcome> {
  const log = deps.logger.child({ runId: job.runId, integrationId: job.integrationId, tenantId: job.tenantId, page: job.page, deliveryCount: delivery.deliveryCount });
  const finish = (status: SyncRun['status'], error?: AppError) =>
    deps.runs.update(job.tenantId, job.integrationId, job.runId, (run) => ({
      ...run,
      status,
      finishedAt: deps.now().toISOString(),
      ...(error ? { lastError: { code: error.code, message: error.message, ...(error.target ? { target: error.target } : {}) } } : {}),
    }));

  const integration = await deps.integrations.get(job.tenantId, job.integrationId);
  if (!integration) {
    log.warn('sync job for an unknown integration; failing the run');
    await finish('failed', new AppError('not_found', `integration ${job.integrationId} not found`)).catch(() => undefined);
    return 'failed';
  }

  await deps.runs.update(job.tenantId, job.integrationId, job.runId, (run) => ({
    ...run,
    status: 'running',
    startedAt: run.startedAt ?? deps.now().toISOString(),
  }));
  deps.metrics.increment('sync_runs_started', 1, { provider: integration.provider });

  // Events are best effort: a failed publish is logged and never turns a committed page into a retry.
  const announce = (run: SyncRun, deadLettered: boolean) =>
    deps.events.publish(runFinishedEvent(run, integration.provider, deps.now(), deadLettered)).catch((error: unknown) => log.warn('could not publish run events', { error }));

  try {
    await pipeline(integration, job);
    await announce(await finish('succeeded'), false);
    return 'completed';
  } catch (thrown) {
    const error = toAppError(thrown);
    const lastDelivery = delivery.deliveryCount >= deps.settings.queueLimits.maxDeliveryCount;
    if (error.retryable && !lastDelivery) {
      deps.metrics.increment('page_retries');
      log.warn('page failed; it will be delivered again', { error });
      throw error;
    }
    log.error('sync run failed', { error, code: error.code });
    deps.metrics.increment('sync_runs_failed', 1, { code: error.code });
    if (lastDelivery && error.retryable) deps.metrics.increment('dead_letters');
    await announce(await finish('failed', error), lastDelivery && error.retryable);
    // A retryable error on the last delivery is thrown so the queue dead-letters the page with its reason.
    if (error.retryable) throw error;
    return 'failed';
  }
}

