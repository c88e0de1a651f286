/**
 * Starting a sync run: write the run document, then enqueue its first page on `sync-inbound` (session = the
 * integration, message id = the run id and page 0, so a duplicated start is dropped by duplicate detection).
 * Both steps are idempotent for a given run id, so a crashed start can simply be repeated. Callers that start
 * many runs at once (the webhook intake's group commit) write their documents in bulk here too, and close the
 * ones they could not enqueue.
 */
import { randomUUID } from 'node:crypto';
import type { Integration } from '../../core/integration';
import {
  emptyCounters,
  pageMessageId,
  type RunTrigger,
  type SyncJobMessage,
  type SyncMode,
  type SyncRun,
} from '../../core/sync-run';
import type { OutgoingMessage, QueueSender } from '../../stores/queue/queue-port';
import { QUEUES } from '../../stores/queue/queues';
import type { RunCreateOutcome, SyncRunsRepository } from '../../stores/documents/sync-runs-repository';
import type { TraceContext } from '../../platform/observability/correlation';

export interface StartRunRequest {
  integration: Pick<Integration, 'id' | 'tenantId'>;
  mode: SyncMode;
  trigger: RunTrigger;
  trace: TraceContext;
  /** A deterministic id makes repeated starts of the same run collapse into one. */
  runId?: string;
  ids?: string[];
  entity?: string;
  /** The failed run this one repeats (admin retry). */
  retryOf?: string;
  /** A backfill from this time (ISO-8601) instead of each entity's checkpoint. */
  since?: string;
  /** Only these of the integration's entities. */
  entities?: string[];
  now: Date;
}

/** The run document and its first page's message, for callers that write many starts in one batch. */
export function runStartOf(request: StartRunRequest): { run: SyncRun; message: OutgoingMessage<SyncJobMessage> } {
  const runId = request.runId ?? randomUUID();
  const { integration } = request;
  const run: SyncRun = {
    id: runId,
    integrationId: integration.id,
    tenantId: integration.tenantId,
    mode: request.mode,
    trigger: request.trigger,
    status: 'queued',
    counters: emptyCounters(),
    queuedAt: request.now.toISOString(),
    traceId: request.trace.traceId,
    // Kept on the run so that an operator's retry repeats exactly this run.
    ...(request.entity ? { entity: request.entity } : {}),
    ...(request.ids ? { ids: request.ids } : {}),
    ...(request.retryOf ? { retryOf: request.retryOf } : {}),
    ...(request.since ? { since: request.since } : {}),
    ...(request.entities ? { entities: request.entities } : {}),
  };
  const body: SyncJobMessage = {
    kind: 'sync-page',
    runId,
    tenantId: integration.tenantId,
    integrationId: integration.id,
    mode: request.mode,
    page: 0,
    ...(request.entity ? { entity: request.entity } : {}),
    ...(request.ids ? { ids: request.ids } : {}),
    ...(request.since ? { since: request.since } : {}),
    ...(request.entities ? { entities: request.entities, entity: request.entities[0] } : {}),
  };
  return {
    run,
    message: {
      messageId: pageMessageId(runId, 0),
      sessionId: integration.id,
      body,
      applicationProperties: { traceparent: request.trace.traceparent },
    },
  };
}

export async function startRun(
  deps: { runs: SyncRunsRepository; queue: QueueSender },
  request: StartRunRequest,
): Promise<SyncRun> {
  const start = runStartOf(request);
  const { run } = await deps.runs.createOrGet(start.run);
  await deps.queue.send(QUEUES.syncInbound.name, [start.message]);
  const { _etag, ...plain } = run;
  void _etag;
  return plain;
}

/**
 * The run documents of many starts in bulk. Create, never upsert: a run that exists already (a retried
 * delivery) may be running, and must stay as it is. One outcome per run, in order.
 */
export function createRunDocuments(runs: SyncRunsRepository, starts: SyncRun[]): Promise<RunCreateOutcome[]> {
  return runs.createMany(starts);
}

/**
 * Runs whose documents were created but whose first page never reached the queue would stay "queued" for
 * ever: they are closed as failed, saying why. Best effort: answers the ids of runs that could not be closed.
 */
export async function failRunsNeverEnqueued(runs: SyncRunsRepository, unsent: SyncRun[], now: Date): Promise<string[]> {
  if (unsent.length === 0) return [];
  const finishedAt = now.toISOString();
  const lastError = {
    code: 'dependency_unavailable',
    message:
      'the webhook deliveries of this run could not be committed; their providers retry them, which starts the sync again',
  };
  const failed = await runs.upsertMany(unsent.map((run) => ({ ...run, status: 'failed', finishedAt, lastError })));
  return failed.map((failure) => failure.runId);
}
