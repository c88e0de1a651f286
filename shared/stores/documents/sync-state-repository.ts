/**
 * The sync-state port (documents `sync-state`, partition /integrationId): per entity a checkpoint (the cursor the
 * next run starts from, stored only after a run's pages are committed), and per provider record its state
 * (shared/core/record-state.ts). For outbound sync: the changed-shard scan's checkpoint and, per pushed shard,
 * an outbound ledger entry (what was pushed, and a pending-create marker). Links waiting for a record that has
 * not arrived yet live in the tenant's own partition. Implementations: cosmos/sync-state-repository.ts,
 * memory/sync-state-repository.ts.
 */
import { createHash } from 'node:crypto';
import type { RecordState } from '../../core/record-state';
import type { Stored } from '../../core/stored';

export interface EntityCheckpoint {
  id: string;
  kind: 'checkpoint';
  integrationId: string;
  tenantId: string;
  entity: string;
  cursor?: string;
  lastRunId: string;
  updatedAt: string;
}

/** Where the outbound changed-shard scan of one integration stopped (Cosmos _ts of the newest shard seen). */
export interface OutboundCheckpoint {
  id: 'outbound-checkpoint';
  kind: 'outbound-checkpoint';
  integrationId: string;
  tenantId: string;
  sinceTs: number;
  /** The last batch was full: the next scan continues at sinceTs (inclusive) instead of re-reading the overlap. */
  catchUp?: boolean;
  /** Paging through second `sinceTs`, which alone held a full batch: by shard id, after this one. */
  afterId?: string;
  updatedAt: string;
}

/**
 * The outbound ledger of one shard in one integration: the shard version last settled (so a redelivered
 * message does nothing), what was pushed (content hash, provider version), and, while a create is in
 * flight, a marker written BEFORE the provider call so a retry after a crash never creates blindly again.
 */
export interface OutboundLedger {
  id: string;
  kind: 'outbound';
  integrationId: string;
  tenantId: string;
  shardId: string;
  entity: string;
  externalId?: string;
  /** ETag of the shard version this entry settled. */
  shardEtag?: string;
  status: 'pushing' | 'pushed' | 'failed';
  /** While status is pushing: until when the delivery that claimed it owns it (after that, a retry takes over). */
  leaseUntil?: string;
  /** An inbound page is writing the shard until then: a push waits (shared/sync/page/record-lease.ts). */
  inboundLeaseUntil?: string;
  /** A create sent (or about to be): its data and where the provider's change feed stood, to look it up on retry. */
  pendingCreate?: {
    idempotencyKey: string;
    data: Record<string, unknown>;
    cursor?: string;
    startedAt: string;
    attempts: number;
  };
  contentHash?: string;
  providerVersion?: string;
  lastError?: { code: string; message: string };
  updatedAt: string;
}

/**
 * Links waiting for one target record, in the tenant's own partition of sync-state (`tenant:<id>`), one
 * document per target with a deterministic id: the target's arrival finds it with a point read, whatever the
 * size of the store, and a page processed twice writes the same document.
 */
export interface PendingLinkDoc {
  id: string;
  kind: 'pending-link';
  /** `tenant:${tenantId}`: the partition of the tenant's pending links. */
  integrationId: string;
  tenantId: string;
  /** referenceKey of the target: provider/entity/externalId. */
  targetKey: string;
  waiting: Array<{ shardId: string; name: string }>;
  updatedAt: string;
}

/**
 * What the health-transition notifier last told operators about one integration (id `health`): the health it
 * announced, so a run that keeps failing sends one notification, not one per run. Written ETag-guarded, so of
 * two instances deciding at once only one announces.
 */
export interface HealthStateDoc {
  id: 'health';
  kind: 'health';
  integrationId: string;
  tenantId: string;
  /** The health status last seen (after the last run or scheduler pass). */
  status: string;
  /** When that status began. */
  since: string;
  /** When its last successful run finished (kept here so an old success is known beyond the runs read). */
  lastSucceededAt?: string;
  updatedAt: string;
}

export function pendingLinkPartition(tenantId: string): string {
  return `tenant:${tenantId}`;
}

export function pendingLinkId(targetKey: string): string {
  return `pl-${createHash('sha256').update(targetKey).digest('hex').slice(0, 32)}`;
}

export function outboundLedgerId(shardId: string): string {
  return `out-${shardId}`;
}

export interface SyncStateRepository {
  checkpoint(integrationId: string, entity: string): Promise<EntityCheckpoint | undefined>;
  saveCheckpoint(checkpoint: Omit<EntityCheckpoint, 'id' | 'kind'>): Promise<void>;
  /** Forgets an entity's checkpoint (its next run reads everything); false when it had none. */
  deleteCheckpoint(integrationId: string, entity: string): Promise<boolean>;
  /**
   * Deletes every document of the integration's partition (checkpoints, record states, outbound ledgers and
   * checkpoint), for a deleted integration. Answers how many went, and the shards its record states named
   * (their own and derived ones), so the caller can purge them.
   */
  deleteIntegration(integrationId: string): Promise<{ deleted: number; shardIds: string[] }>;
  /** Record states of one entity by external id (point reads in bulk; absent ones are left out). */
  records(integrationId: string, entity: string, externalIds: string[]): Promise<Map<string, RecordState>>;
  saveRecords(states: RecordState[]): Promise<void>;
  savePendingLinks(links: PendingLinkDoc[]): Promise<void>;
  /** Pending-link documents of one tenant for the given targets (absent targets are left out). */
  pendingLinksTo(tenantId: string, targetKeys: string[]): Promise<PendingLinkDoc[]>;
  /** Deleting one that is gone already is no error (a redelivered page resolved it first). */
  deletePendingLinks(tenantId: string, ids: string[]): Promise<void>;
  /** Ledger entries of several shards in one integration (one batched read, for the inbound page writer). */
  outboundLedgers(integrationId: string, shardIds: string[]): Promise<Map<string, Stored<OutboundLedger>>>;
  outboundLedger(integrationId: string, shardId: string): Promise<Stored<OutboundLedger> | undefined>;
  /**
   * Writes a ledger entry guarded by the ETag it was read with (none: it must not exist yet). A concurrent
   * writer makes this fail with precondition_failed (or conflict for two creates), so only one push proceeds.
   */
  saveOutboundLedger(
    entry: OutboundLedger | Stored<OutboundLedger>,
    etag: string | undefined,
  ): Promise<Stored<OutboundLedger>>;
  outboundCheckpoint(integrationId: string): Promise<OutboundCheckpoint | undefined>;
  saveOutboundCheckpoint(checkpoint: Omit<OutboundCheckpoint, 'id' | 'kind'>): Promise<void>;
  healthState(integrationId: string): Promise<Stored<HealthStateDoc> | undefined>;
  /** Guarded by the ETag it was read with (none: it must not exist yet): a concurrent writer gets precondition_failed or conflict. */
  saveHealthState(state: HealthStateDoc, etag: string | undefined): Promise<Stored<HealthStateDoc>>;
  /**
   * Live records of an entity that the given run did not see (delete candidates of a full refresh), at most
   * `limit`, and how many live records the entity has.
   */
  unseenSince(
    integrationId: string,
    entity: string,
    runId: string,
    limit: number,
  ): Promise<{ unseen: RecordState[]; live: number }>;
}
