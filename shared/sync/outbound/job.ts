/**
 * SyncOutboundWorker's handling of one `sync-outbound` message around the push itself (outbound-push.ts):
 * which integrations push at all, and how errors steer the message.
 *
 * A retryable failure (rate limit, provider down, the record changed during the push) releases the shard's
 * lease and schedules a later copy with capped exponential backoff (never sooner than Retry-After), so the
 * function is not held and the provider not hammered. A permanent failure, or a retryable one that used all
 * attempts, is recorded on the outbound ledger and on the shard (`pushError`) and the message completes:
 * delivering it again cannot help; the next local edit of the shard tries again.
 */
import { AppError, isAppError, toAppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { OutboundJobMessage } from '../../core/sync-run';
import { QUEUES } from '../../stores/queue/queues';
import type { DeliveryInfo, QueueSender } from '../../stores/queue/queue-port';
import type { Logger } from '../../platform/observability/logger';
import type { Stored } from '../../core/stored';
import type { ShardsRepository } from '../../stores/documents/shards-repository';
import { outboundLedgerId, type SyncStateRepository } from '../../stores/documents/sync-state-repository';
import { retryDelayMs } from '../inbound/job';
import type { OutboundResult } from './push';

export interface OutboundJobDeps {
  queue: QueueSender;
  shards: ShardsRepository;
  syncState: SyncStateRepository;
  logger: Logger;
  now(): Date;
  maxAttempts: number;
}

export type OutboundPush = (integration: Stored<Integration>, job: OutboundJobMessage) => Promise<OutboundResult>;

export type OutboundJobOutcome = OutboundResult['outcome'] | 'dropped' | 'retry' | 'failed';

async function reschedule(
  deps: OutboundJobDeps,
  job: OutboundJobMessage,
  delivery: DeliveryInfo,
  attempt: number,
  at: Date,
): Promise<void> {
  const baseId = delivery.messageId.split('#')[0] || `${job.shardId}:${job.etag ?? ''}`;
  await deps.queue.send(QUEUES.syncOutbound.name, [
    {
      messageId: `${baseId}#${attempt}@${at.getTime()}`,
      body: { ...job, attempt },
      scheduledEnqueueTimeUtc: at,
      applicationProperties: delivery.applicationProperties,
    },
  ]);
}

/** Lets a retry take over at once (best effort: an expired lease does the same, later). */
async function releaseLease(deps: OutboundJobDeps, job: OutboundJobMessage, error: AppError): Promise<void> {
  const ledger = await deps.syncState.outboundLedger(job.integrationId, job.shardId);
  if (ledger?.status !== 'pushing') return;
  await deps.syncState
    .saveOutboundLedger(
      {
        ...ledger,
        leaseUntil: deps.now().toISOString(),
        lastError: { code: error.code, message: error.message },
        updatedAt: deps.now().toISOString(),
      },
      ledger._etag,
    )
    .catch(() => undefined);
}

/**
 * Records a push that cannot succeed on the shard and the ledger, so operators (and the platform) see it. The
 * ledger settles the shard version that carries the error mark, so the scan does not push it again; the next
 * local edit of the shard gets a new attempt.
 */
async function recordFailure(deps: OutboundJobDeps, job: OutboundJobMessage, error: AppError): Promise<void> {
  const at = deps.now().toISOString();
  const lastError = { code: error.code, message: error.message };
  const shard = await deps.shards.get(job.tenantId, job.shardId);
  let shardEtag = job.etag;
  if (shard && (job.etag === undefined || shard._etag === job.etag)) {
    shardEtag = await deps.shards
      .replace({ ...shard, pushError: { integrationId: job.integrationId, ...lastError, at } })
      .then(
        (stored) => stored._etag,
        (thrown: unknown) => {
          if (isAppError(thrown) && thrown.code === 'precondition_failed') return job.etag;
          throw thrown;
        },
      );
  }
  const ledger = await deps.syncState.outboundLedger(job.integrationId, job.shardId);
  const entry = ledger ?? {
    id: outboundLedgerId(job.shardId),
    kind: 'outbound' as const,
    integrationId: job.integrationId,
    tenantId: job.tenantId,
    shardId: job.shardId,
    entity: '',
  };
  await deps.syncState
    .saveOutboundLedger(
      { ...entry, status: 'failed', shardEtag, leaseUntil: undefined, lastError, updatedAt: at },
      ledger?._etag,
    )
    .catch(() => undefined);
}

export async function handleOutboundJob(
  deps: OutboundJobDeps,
  integration: Stored<Integration> | undefined,
  job: OutboundJobMessage,
  delivery: DeliveryInfo,
  push: OutboundPush,
): Promise<OutboundJobOutcome> {
  const log = deps.logger.child({
    integrationId: job.integrationId,
    tenantId: job.tenantId,
    shardId: job.shardId,
    attempt: job.attempt ?? 0,
  });
  if (!integration || !integration.enabled || integration.direction === 'inbound') {
    log.warn('push for an unknown, disabled or inbound-only integration dropped');
    return 'dropped';
  }
  try {
    const result = await push(integration, job);
    if (result.outcome === 'busy') {
      await reschedule(
        deps,
        job,
        delivery,
        job.attempt ?? 0,
        new Date(Math.max(result.retryAt.getTime(), deps.now().getTime()) + 100),
      );
      log.info('shard is being pushed by another delivery; looking again later', {
        retryAt: result.retryAt.toISOString(),
      });
      return 'busy';
    }
    log.info('outbound push done', {
      outcome: result.outcome,
      ...('reason' in result ? { reason: result.reason } : { externalId: result.externalId }),
    });
    return result.outcome;
  } catch (thrown) {
    const error = toAppError(thrown);
    const attempt = (job.attempt ?? 0) + 1;
    if (error.retryable && attempt < deps.maxAttempts) {
      await releaseLease(deps, job, error);
      const delayMs = retryDelayMs(attempt, error.retryAfterMs);
      await reschedule(deps, job, delivery, attempt, new Date(deps.now().getTime() + delayMs));
      log.warn('outbound push failed; rescheduled', { error, delayMs });
      return 'retry';
    }
    log.error('outbound push failed', { error, code: error.code });
    await recordFailure(deps, job, error);
    return 'failed';
  }
}
