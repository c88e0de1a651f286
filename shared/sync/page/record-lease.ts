/**
 * Per-record serialisation of the two writers of a locally edited shard: the inbound page writer (a webhook's
 * targeted run, a scheduled run) and SyncOutboundWorker's push. The outbound queue has no sessions, so without
 * this a push could read the shard before an inbound page wrote it and the record state after, and push a
 * local value the conflict strategy had already overruled (source_wins).
 *
 * Both take a lease on the shard's outbound ledger entry with an ETag-guarded write: the push its `pushing`
 * lease (outbound-push.ts), the page writer an `inboundLeaseUntil`. Whoever comes second backs off (a page is
 * rescheduled, a push is retried as busy) and re-reads everything when it runs again. Only shards last
 * written by a local edit are contested (nothing else is ever pushed), so a page pays one batched ledger
 * read only when it holds such shards, and nothing at all otherwise.
 */
import { AppError, isAppError } from '../../core/app-error';
import type { Stored } from '../../core/stored';
import type { Shard } from '../../core/shard';
import {
  outboundLedgerId,
  type OutboundLedger,
  type SyncStateRepository,
} from '../../stores/documents/sync-state-repository';

/** How long a page's lease lasts when its holder crashes before releasing it. */
export const INBOUND_LEASE_MS = 30_000;
/** A page meeting a push waits at most this long before it is tried again (the push is usually quicker). */
const PAGE_RETRY_CAP_MS = 2_000;

type LedgerStore = Pick<SyncStateRepository, 'outboundLedgers' | 'saveOutboundLedger'>;

export interface HeldLeases {
  entries: Stored<OutboundLedger>[];
}

/** Shards a push may be working on: live, last written by a local edit. */
export function contestedShards(shards: Iterable<Shard>): string[] {
  const ids: string[] = [];
  for (const shard of shards) if (shard.lastWrittenBy === 'local' && !shard.deleted) ids.push(shard.id);
  return ids;
}

function busy(shardId: string, until: number, now: number): AppError {
  return new AppError(
    'transient',
    `shard ${shardId} is being pushed to the provider; the page is written after the push`,
    {
      target: shardId,
      retryAfterMs: Math.max(100, Math.min(PAGE_RETRY_CAP_MS, until - now)),
    },
  );
}

/** Takes the inbound lease of every contested shard, or throws a retryable error when a push holds one. */
export async function holdInboundLeases(
  syncState: LedgerStore,
  ids: { integrationId: string; tenantId: string; entity: string },
  shardIds: string[],
  now: Date,
): Promise<HeldLeases> {
  if (shardIds.length === 0) return { entries: [] };
  const save = syncState.saveOutboundLedger.bind(syncState);
  const at = now.getTime();
  const ledgers = await syncState.outboundLedgers(ids.integrationId, shardIds);
  for (const shardId of shardIds) {
    const entry = ledgers.get(shardId);
    if (entry?.status === 'pushing' && entry.leaseUntil && Date.parse(entry.leaseUntil) > at)
      throw busy(shardId, Date.parse(entry.leaseUntil), at);
  }
  const held: Stored<OutboundLedger>[] = [];
  try {
    for (const shardId of shardIds) {
      const entry = ledgers.get(shardId);
      const next: OutboundLedger = {
        ...(entry ?? {
          id: outboundLedgerId(shardId),
          kind: 'outbound',
          integrationId: ids.integrationId,
          tenantId: ids.tenantId,
          shardId,
          entity: ids.entity,
          status: 'pushed',
        }),
        inboundLeaseUntil: new Date(at + INBOUND_LEASE_MS).toISOString(),
        updatedAt: now.toISOString(),
      };
      held.push(await save(next, entry?._etag));
    }
  } catch (error) {
    await releaseInboundLeases(syncState, { entries: held });
    // A push claimed the entry between our read and write: it goes first.
    if (isAppError(error) && (error.code === 'precondition_failed' || error.code === 'conflict'))
      throw busy(error.target ?? 'of this page', at + PAGE_RETRY_CAP_MS / 2, at);
    throw error;
  }
  return { entries: held };
}

/** Best effort: a lease not released expires after INBOUND_LEASE_MS. */
export async function releaseInboundLeases(syncState: LedgerStore, leases: HeldLeases): Promise<void> {
  if (leases.entries.length === 0) return;
  const save = syncState.saveOutboundLedger.bind(syncState);
  await Promise.all(
    leases.entries.map((entry) => {
      const { inboundLeaseUntil, ...rest } = entry;
      void inboundLeaseUntil;
      return save(rest, entry._etag).catch(() => undefined);
    }),
  );
}

/** For the push: when an inbound page holds the entry, until when. */
export function inboundLeaseActive(entry: OutboundLedger | undefined, now: Date): Date | undefined {
  if (!entry?.inboundLeaseUntil) return undefined;
  const until = Date.parse(entry.inboundLeaseUntil);
  return until > now.getTime() ? new Date(until) : undefined;
}
