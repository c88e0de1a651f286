/**
 * The inbound page pipeline behind SyncInboundWorker: for one `sync-inbound` message, fetch one page from the
 * provider (incremental from the entity's checkpoint, a full read, or the ids a webhook named), write it
 * (page-writer), then either enqueue the next page or, at the end of an entity, sweep deletions (full
 * refresh), store the checkpoint, and move on to the next entity. The cursor reaches the checkpoint only
 * after every page before it is committed.
 */
import type { FetchPage, ProviderAdapter } from '../../adapters/contract';
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { RunCounters, SyncJobMessage } from '../../core/sync-run';
import { emptyCounters, pageMessageId } from '../../core/sync-run';
import { QUEUES } from '../../stores/queue/queues';
import type { QueueSender } from '../../stores/queue/queue-port';
import type { Stored } from '../../core/stored';
import { policyForIntegration } from '../../conflicts';
import type { RecordError } from '../../mapping';
import { writePage, type PageContext, type PageWriterDeps } from '../page/writer';
import { withoutSource } from '../page/shard-changes';
import { derivedTombstones } from '../page/derived';
import { withFreshRetryBudget } from '../../stores/queue/retry-budget';

/** What the pipeline needs for as long as the app runs: built once (inbound/wiring.ts) and passed down as it is. */
export interface PipelineDeps extends PageWriterDeps {
  queue: QueueSender;
  limits: { pageSize: number; maxDeleteShare: number };
}

/** What one page brings along: its unit of provider work and its trace. */
export interface PageScope {
  /** Builds the provider adapter of an integration (auth, limiter hooks, base URL), paced for this page. */
  adapterFor(integration: Stored<Integration>): ProviderAdapter;
  /** The tenant's integrations of a provider, for references to another provider's records. */
  integrationsOf?: PageContext['integrationsOf'];
  traceparent?: string;
  signal?: AbortSignal;
  /** Whether an operator cancelled the run meanwhile: asked after the fetch, before anything is written. */
  runCancelled?(): Promise<boolean>;
}

export interface PageOutcome {
  /** The run has no more pages: the worker marks it succeeded. */
  runFinished: boolean;
  counters: RunCounters;
  recordErrors: RecordError[];
  /** The page enqueued after this one: the run's checkpoint, from which a stale run is resumed. */
  next?: { page: number; entity?: string; cursor?: string };
  /** When the next page is scheduled for, when the provider's pace put it later (ISO-8601). */
  nextDueAt?: string;
  /** The provider's record count of the page's entity, where the adapter reports one. */
  providerTotal?: number;
  /** The run was cancelled while the page was fetched: nothing of it was written, no next page enqueued. */
  cancelled?: boolean;
}

/** Longest pause the pipeline grants an adapter's pace between two pages. */
const MAX_PAGE_DELAY_MS = 15 * 60_000;

/**
 * Next message of the same run (message id = run id + page number, so a redelivered page enqueues it once).
 * The next page starts with a fresh retry budget: the failures of this page are not its failures.
 */
async function enqueueNext(
  deps: PipelineDeps,
  job: SyncJobMessage,
  next: Partial<SyncJobMessage>,
  traceparent: string | undefined,
  dueAt?: Date,
): Promise<NonNullable<PageOutcome['next']>> {
  const body: SyncJobMessage = withFreshRetryBudget({ ...job, ...next, page: job.page + 1 });
  if (body.cursor === undefined) delete body.cursor;
  await deps.queue.send(QUEUES.syncInbound.name, [
    {
      messageId: pageMessageId(job.runId, body.page),
      sessionId: job.integrationId,
      body,
      ...(dueAt ? { scheduledEnqueueTimeUtc: dueAt } : {}),
      applicationProperties: traceparent ? { traceparent } : {},
    },
  ]);
  return {
    page: body.page,
    ...(body.entity ? { entity: body.entity } : {}),
    ...(body.cursor !== undefined ? { cursor: body.cursor } : {}),
  };
}

async function fetchPage(
  deps: PipelineDeps,
  adapter: ProviderAdapter,
  integration: Stored<Integration>,
  job: SyncJobMessage,
  entity: string,
  signal?: AbortSignal,
): Promise<FetchPage & { missingIds?: string[] }> {
  if (job.mode === 'targeted') {
    const result = await adapter.fetchByIds({ entity, ids: job.ids ?? [], signal });
    // Ids the provider no longer has are deletions.
    const gone = result.missingIds.map((id) => ({ id, entity, deleted: true, data: {} }));
    return { records: [...result.records, ...gone], done: true };
  }
  // A backfill's first page of an entity reads from its date, not from the checkpoint.
  if (job.since && job.cursor === undefined)
    return adapter.fetchChanges({ entity, since: job.since, pageSize: deps.limits.pageSize, signal });
  // The first page of an entity in an incremental run starts from the committed checkpoint.
  const startCursor =
    job.cursor ??
    (job.mode === 'incremental' ? (await deps.syncState.checkpoint(integration.id, entity))?.cursor : undefined);
  return adapter.fetchChanges({ entity, cursor: startCursor, pageSize: deps.limits.pageSize, signal });
}

/** Mark and sweep after a full read: live records the run did not see were deleted at the provider. */
async function sweepDeletions(
  deps: PipelineDeps,
  integration: Stored<Integration>,
  entity: string,
  runId: string,
  counters: RunCounters,
): Promise<void> {
  const { unseen, live } = await deps.syncState.unseenSince(integration.id, entity, runId, 10_000);
  if (unseen.length === 0) return;
  const share = unseen.length / Math.max(1, live);
  if (share > deps.limits.maxDeleteShare) {
    throw new AppError(
      'validation',
      `full refresh would delete ${unseen.length} of ${live} ${entity} records (${(share * 100).toFixed(1)}%), above the allowed ${(deps.limits.maxDeleteShare * 100).toFixed(0)}%; nothing was deleted`,
      { target: 'SYNC_MAX_DELETE_SHARE' },
    );
  }
  const shards = await deps.shards.getMany(
    integration.tenantId,
    unseen.map((state) => state.shardId),
  );
  const now = deps.now().toISOString();
  // A shard other sources were merged into stays for them; only this source's reference leaves it.
  const derivedGone = await derivedTombstones(
    deps.shards,
    integration.tenantId,
    unseen.flatMap((state) => state.derivedShardIds ?? []),
    now,
  );
  await deps.shards.upsertMany([
    ...unseen.flatMap((state) => {
      const shard = shards.get(state.shardId);
      return shard ? [withoutSource(shard, integration.id, entity, state.externalId, now)] : [];
    }),
    ...derivedGone,
  ]);
  await deps.syncState.saveRecords(
    unseen.map(({ derivedShardIds: _gone, ...state }) => ({
      ...state,
      deleted: true,
      lastSeenRunId: runId,
      updatedAt: now,
    })),
  );
  counters.deleted += unseen.length;
}

export async function runInboundPage(
  deps: PipelineDeps,
  integration: Stored<Integration>,
  job: SyncJobMessage,
  scope: PageScope,
): Promise<PageOutcome> {
  const { traceparent, signal } = scope;
  const entities = job.mode === 'targeted' && job.entity ? [job.entity] : (job.entities ?? integration.entities);
  const entity = job.entity ?? entities[0];
  if (!entity) return { runFinished: true, counters: emptyCounters(), recordErrors: [] };
  const adapter = scope.adapterFor(integration);
  const page = await fetchPage(deps, adapter, integration, job, entity, signal);
  if (await scope.runCancelled?.())
    return { runFinished: false, counters: emptyCounters(), recordErrors: [], cancelled: true };
  const written = await writePage(
    deps,
    {
      integration,
      entity,
      runId: job.runId,
      policy: policyForIntegration(integration),
      schema: integration.mappings?.[entity],
      markSeen: job.mode === 'full',
      dedup: integration.dedup?.[entity],
      ...(scope.integrationsOf ? { integrationsOf: scope.integrationsOf } : {}),
    },
    page.records,
  );

  const total = 'total' in page && page.total !== undefined ? { providerTotal: page.total } : {};
  if (!page.done) {
    // The provider allows its calls only a few times a minute (Slack outside the Marketplace): the next page is
    // scheduled when its call is allowed, instead of waiting on the limiter or being answered 429.
    const delayMs = Math.min(page.nextPageDelayMs ?? 0, MAX_PAGE_DELAY_MS);
    const dueAt = delayMs > 0 ? new Date(deps.now().getTime() + delayMs) : undefined;
    const next = await enqueueNext(deps, job, { entity, cursor: page.nextCursor }, traceparent, dueAt);
    return { runFinished: false, ...written, ...total, next, ...(dueAt ? { nextDueAt: dueAt.toISOString() } : {}) };
  }
  if (job.mode === 'full') await sweepDeletions(deps, integration, entity, job.runId, written.counters);
  // A backfill leaves the checkpoint where it is (see docs/run-controls.md): it read from an older date, and
  // the stored checkpoint stands for data the incremental runs have already read up to a later point. Only an
  // entity with no checkpoint at all gets the backfill's end as its first one.
  const keepCheckpoint =
    job.since !== undefined && (await deps.syncState.checkpoint(integration.id, entity)) !== undefined;
  if (job.mode !== 'targeted' && !keepCheckpoint) {
    await deps.syncState.saveCheckpoint({
      integrationId: integration.id,
      tenantId: integration.tenantId,
      entity,
      cursor: page.nextCursor,
      lastRunId: job.runId,
      updatedAt: deps.now().toISOString(),
    });
  }
  const nextEntity = entities[entities.indexOf(entity) + 1];
  if (nextEntity && job.mode !== 'targeted') {
    const next = await enqueueNext(deps, job, { entity: nextEntity, cursor: undefined }, traceparent);
    return { runFinished: false, ...written, ...total, next };
  }
  return { runFinished: true, ...written, ...total };
}
