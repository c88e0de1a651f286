/**
 * SyncScheduler's outbound half: for every enabled integration that pushes (direction outbound or
 * bidirectional), find the shards changed by a local edit since the integration's outbound checkpoint and
 * enqueue one `push-shard` message each on `sync-outbound`, then move the checkpoint forward.
 *
 * The scan re-reads an overlap window behind the checkpoint (Cosmos `_ts` has second resolution and a write
 * can commit late), so a shard may be found twice: the message id `${shardId}:${etag}` lets duplicate
 * detection drop the second copy, and the worker's ledger makes a copy that slips through a no-op.
 * The checkpoint is stored only after the messages are sent, so a crash re-enqueues instead of losing.
 */
import type { AppServices } from '../../app/services';
import type { TraceContext } from '../../platform/observability/correlation';
import type { Integration } from '../../core/integration';
import type { OutboundJobMessage } from '../../core/sync-run';
import { QUEUES } from '../../stores/queue/queues';
import type { OutgoingMessage } from '../../stores/queue/queue-port';
import type { Stored } from '../../core/stored';
import type { ChangedShard } from '../../stores/documents/shards-repository';
import type { OutboundCheckpoint } from '../../stores/documents/sync-state-repository';

export interface OutboundScanResult {
  integrations: number;
  enqueued: number;
  failed: number;
}

type ScanDeps = Pick<AppServices, 'integrations' | 'shards' | 'syncState' | 'queue' | 'logger' | 'settings'> & {
  now(): Date;
};

/** The shard type an integration's entity maps to: its conversion schema's, else `${provider}.${entity}`. */
export function shardTypeOf(integration: Pick<Integration, 'provider' | 'mappings'>, entity: string): string {
  return integration.mappings?.[entity]?.shardType ?? `${integration.provider}.${entity}`;
}

/** The push message of one shard for one integration. */
export function pushMessage(
  integration: Pick<Integration, 'id' | 'tenantId'>,
  shard: Pick<ChangedShard, 'id' | 'etag' | 'externalRefs'>,
  traceparent: string,
): OutgoingMessage<OutboundJobMessage> {
  const etag = shard.etag.replace(/"/g, '');
  // A shard linked to several pushing integrations gets one message per integration.
  const shared = new Set(shard.externalRefs.map((ref) => ref.integrationId)).size > 1;
  return {
    messageId: shared ? `${shard.id}:${etag}:${integration.id}` : `${shard.id}:${etag}`,
    body: {
      kind: 'push-shard',
      tenantId: integration.tenantId,
      integrationId: integration.id,
      shardId: shard.id,
      etag: shard.etag,
    },
    applicationProperties: { traceparent },
  };
}

/** A shard is pushed to an integration it is linked to, or, when created locally, to the one it names. */
function isFor(integration: Stored<Integration>, shard: ChangedShard): boolean {
  if (shard.externalRefs.some((ref) => ref.integrationId === integration.id)) return true;
  return shard.targetIntegrationId === integration.id;
}

/**
 * Which shards to read next and where the checkpoint goes after them. Normally: everything after the checkpoint
 * minus the overlap. After a full batch: on from the batch's newest second (inclusive, no overlap), so a backlog
 * larger than one batch drains over several ticks. A second that alone fills a batch is paged by shard id.
 */
function plan(
  checkpoint: OutboundCheckpoint | undefined,
  overlapS: number,
): { window: { sinceTs: number } | { ts: number; afterId: string } } {
  if (checkpoint?.afterId !== undefined) return { window: { ts: checkpoint.sinceTs, afterId: checkpoint.afterId } };
  if (!checkpoint) return { window: { sinceTs: 0 } };
  return { window: { sinceTs: checkpoint.catchUp ? checkpoint.sinceTs - 1 : checkpoint.sinceTs - overlapS } };
}

function nextCheckpoint(
  checkpoint: OutboundCheckpoint | undefined,
  window: { sinceTs: number } | { ts: number; afterId: string },
  changed: ChangedShard[],
  budget: number,
): Pick<OutboundCheckpoint, 'sinceTs' | 'catchUp' | 'afterId'> | undefined {
  const full = changed.length >= budget;
  const last = changed[changed.length - 1];
  if ('afterId' in window)
    return full ? { sinceTs: window.ts, catchUp: true, afterId: last!.id } : { sinceTs: window.ts + 1, catchUp: true };
  if (!last) return checkpoint?.catchUp ? { sinceTs: checkpoint.sinceTs, catchUp: false } : undefined;
  if (full && changed[0]!.ts === last.ts) return { sinceTs: last.ts, catchUp: true, afterId: '' };
  return full
    ? { sinceTs: last.ts, catchUp: true }
    : { sinceTs: Math.max(last.ts, checkpoint?.sinceTs ?? 0), catchUp: false };
}

async function scanOne(
  deps: ScanDeps,
  integration: Stored<Integration>,
  budget: number,
  trace: TraceContext,
): Promise<{ enqueued: number; read: number }> {
  const checkpoint = await deps.syncState.outboundCheckpoint(integration.id);
  const { window } = plan(checkpoint, Math.ceil(deps.settings.outbound.scanOverlapMs / 1000));
  const types = integration.entities.map((entity) => shardTypeOf(integration, entity));
  const changed = await deps.shards.changedLocally(integration.tenantId, types, window, budget);
  const mine = changed.filter((shard) => isFor(integration, shard));
  if (mine.length > 0)
    await deps.queue.send(
      QUEUES.syncOutbound.name,
      mine.map((shard) => pushMessage(integration, shard, trace.traceparent)),
    );
  const next = nextCheckpoint(checkpoint, window, changed, budget);
  if (next) {
    const { afterId, ...rest } = next;
    await deps.syncState.saveOutboundCheckpoint({
      integrationId: integration.id,
      tenantId: integration.tenantId,
      ...rest,
      ...(afterId !== undefined ? { afterId } : {}),
      updatedAt: deps.now().toISOString(),
    });
  }
  return { enqueued: mine.length, read: changed.length };
}

export async function scanChangedShards(deps: ScanDeps, trace: TraceContext): Promise<OutboundScanResult> {
  const integrations = await deps.integrations.findPushingAcrossTenants(deps.settings.sync.maxClaimsPerTick);
  const result: OutboundScanResult = { integrations: integrations.length, enqueued: 0, failed: 0 };
  let budget = deps.settings.outbound.scanMaxPerTick;
  for (const integration of integrations) {
    if (budget <= 0) break;
    try {
      const { enqueued, read } = await scanOne(deps, integration, budget, trace);
      budget -= read;
      result.enqueued += enqueued;
    } catch (error) {
      result.failed++;
      deps.logger.error('outbound scan failed for an integration', {
        integrationId: integration.id,
        tenantId: integration.tenantId,
        error,
      });
    }
  }
  return result;
}
