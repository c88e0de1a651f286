/**
 * Starting a sync run: write the run document, then enqueue its first page on `sync-inbound` (session = the
 * integration, message id = the run id, so a duplicated start is dropped by duplicate detection).
 * Both steps are idempotent for a given run id, so a crashed start can simply be repeated.
 */
import { randomUUID } from 'node:crypto';
import type { Integration } from '../../core/integration';
import { emptyCounters, type RunTrigger, type SyncJobMessage, type SyncMode, type SyncRun } from '../../core/sync-run';
import type { OutgoingMessage, QueueSender } from '../../stores/queue/queue-port';
import { QUEUES } from '../../stores/queue/queues';
import type { SyncRunsRepository } from '../../stores/documents/sync-runs-repository';
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
  };
  return {
    run,
    message: {
      messageId: `${runId}:0`,
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
