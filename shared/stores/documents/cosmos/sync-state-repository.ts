/**
 * The `sync-state` container (partition /integrationId): per entity a checkpoint (the cursor the next run
 * starts from, stored only after a run's pages are committed), and per provider record its state: the
 * shard it maps to, the last-synced base snapshot, its content hash, the provider's version, and the last
 * run that saw it (for delete detection by mark and sweep). For outbound sync: the changed-shard scan's
 * checkpoint and, per pushed shard, an outbound ledger entry (what was pushed, and a pending-create marker).
 */
import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { bulkUpsert, readMany, type UpsertDoc } from './bulk';
import { statusOf, translateCosmosError } from './cosmos-client';
import { recordStateId, type RecordState } from '../../../core/record-state';
import type { Stored } from '../../../core/stored';
import { stripSystemFields } from './integrations-repository';

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

export function pendingLinkPartition(tenantId: string): string {
  return `tenant:${tenantId}`;
}

export function pendingLinkId(targetKey: string): string {
  return `pl-${createHash('sha256').update(targetKey).digest('hex').slice(0, 32)}`;
}

/** Record states per page of the delete sweep's query. */
const UNSEEN_PAGE_SIZE = 1000;

export function outboundLedgerId(shardId: string): string {
  return `out-${shardId}`;
}

/** What the inbound page pipeline needs of the sync-state store (SyncStateRepository, or an in-memory one). */
export type SyncStateStore = Pick<
  SyncStateRepository,
  'checkpoint' | 'saveCheckpoint' | 'records' | 'saveRecords' | 'unseenSince'
> &
  Partial<
    Pick<
      SyncStateRepository,
      'savePendingLinks' | 'pendingLinksTo' | 'deletePendingLinks' | 'outboundLedgers' | 'saveOutboundLedger'
    >
  >;

export class SyncStateRepository {
  constructor(private readonly container: Container) {}

  async checkpoint(integrationId: string, entity: string): Promise<EntityCheckpoint | undefined> {
    try {
      const { resource } = await this.container
        .item(`checkpoint-${entity}`, integrationId)
        .read<EntityCheckpoint & { _etag: string }>();
      return resource ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, 'sync checkpoint');
    }
  }

  async saveCheckpoint(checkpoint: Omit<EntityCheckpoint, 'id' | 'kind'>): Promise<void> {
    try {
      await this.container.items.upsert({ ...checkpoint, id: `checkpoint-${checkpoint.entity}`, kind: 'checkpoint' });
    } catch (error) {
      throw translateCosmosError(error, 'sync checkpoint');
    }
  }

  async records(integrationId: string, entity: string, externalIds: string[]): Promise<Map<string, RecordState>> {
    const found = await readMany<RecordState & { _etag: string }>(
      this.container,
      integrationId,
      externalIds.map((id) => recordStateId(entity, id)),
    );
    return new Map(found.map((state) => [state.externalId, stripSystemFields(state)]));
  }

  async saveRecords(states: RecordState[]): Promise<void> {
    await bulkUpsert(this.container, (doc) => String(doc.integrationId), states as unknown as UpsertDoc[]);
  }

  async savePendingLinks(links: PendingLinkDoc[]): Promise<void> {
    await bulkUpsert(this.container, (doc) => String(doc.integrationId), links as unknown as UpsertDoc[]);
  }

  /** Pending-link documents of one tenant for the given targets (point reads; absent targets are left out). */
  async pendingLinksTo(tenantId: string, targetKeys: string[]): Promise<PendingLinkDoc[]> {
    if (targetKeys.length === 0) return [];
    const found = await readMany<PendingLinkDoc & { _etag: string }>(
      this.container,
      pendingLinkPartition(tenantId),
      targetKeys.map(pendingLinkId),
    );
    return found.filter((doc) => doc.tenantId === tenantId).map((doc) => stripSystemFields(doc));
  }

  async deletePendingLinks(tenantId: string, ids: string[]): Promise<void> {
    await Promise.all(
      ids.map((id) =>
        this.container
          .item(id, pendingLinkPartition(tenantId))
          .delete()
          .catch((error: unknown) => {
            // Already gone (a redelivered page resolved it first): the end state is the same.
            if (statusOf(error) !== 404) throw translateCosmosError(error, 'pending link');
          }),
      ),
    );
  }

  /** Ledger entries of several shards in one integration (one batched read, for the inbound page writer). */
  async outboundLedgers(integrationId: string, shardIds: string[]): Promise<Map<string, Stored<OutboundLedger>>> {
    const found = await readMany<Stored<OutboundLedger>>(this.container, integrationId, shardIds.map(outboundLedgerId));
    return new Map(found.map((entry) => [entry.shardId, entry]));
  }

  async outboundCheckpoint(integrationId: string): Promise<OutboundCheckpoint | undefined> {
    return this.readDoc<OutboundCheckpoint>(integrationId, 'outbound-checkpoint', 'outbound checkpoint');
  }

  async saveOutboundCheckpoint(checkpoint: Omit<OutboundCheckpoint, 'id' | 'kind'>): Promise<void> {
    try {
      await this.container.items.upsert({ ...checkpoint, id: 'outbound-checkpoint', kind: 'outbound-checkpoint' });
    } catch (error) {
      throw translateCosmosError(error, 'outbound checkpoint');
    }
  }

  async outboundLedger(integrationId: string, shardId: string): Promise<Stored<OutboundLedger> | undefined> {
    return this.readDoc<Stored<OutboundLedger>>(integrationId, outboundLedgerId(shardId), 'outbound ledger');
  }

  /**
   * Writes a ledger entry guarded by the ETag it was read with (none: it must not exist yet). A concurrent
   * writer makes this fail with precondition_failed (or conflict for two creates), so only one push proceeds.
   */
  async saveOutboundLedger(
    entry: OutboundLedger | Stored<OutboundLedger>,
    etag: string | undefined,
  ): Promise<Stored<OutboundLedger>> {
    const { _etag, ...body } = entry as Stored<OutboundLedger>;
    void _etag;
    entry = body;
    try {
      const { resource } = etag
        ? await this.container
            .item(entry.id, entry.integrationId)
            .replace(entry, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create(entry);
      return stripSystemFields(resource as unknown as Stored<OutboundLedger>);
    } catch (error) {
      throw translateCosmosError(error, `outbound ledger of shard ${entry.shardId}`);
    }
  }

  private async readDoc<T>(integrationId: string, id: string, what: string): Promise<T | undefined> {
    try {
      const { resource } = await this.container.item(id, integrationId).read<T & { _etag: string }>();
      return resource ? (stripSystemFields(resource) as T) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, what);
    }
  }

  /**
   * Live records of an entity that the given run did not see (delete candidates of a full refresh), at most
   * `limit`. Pages through the query's continuations: Cosmos cuts a page at about 4 MB whatever maxItemCount
   * asks, so one page of record states (each holds its base snapshot) can be far short of the candidates.
   */
  async unseenSince(
    integrationId: string,
    entity: string,
    runId: string,
    limit: number,
  ): Promise<{ unseen: RecordState[]; live: number }> {
    try {
      // The partition key is named in the query too: the local cosmosdb-server ignores it as a query option.
      const base =
        "c.integrationId = @integrationId AND c.kind = 'record' AND c.entity = @entity AND c.deleted = false";
      const parameters = [
        { name: '@integrationId', value: integrationId },
        { name: '@entity', value: entity },
        { name: '@runId', value: runId },
      ];
      const readUnseen = async (): Promise<RecordState[]> => {
        const pages = this.container.items.query<RecordState & { _etag: string }>(
          { query: `SELECT * FROM c WHERE ${base} AND c.lastSeenRunId != @runId`, parameters },
          { partitionKey: integrationId, maxItemCount: Math.min(limit, UNSEEN_PAGE_SIZE) },
        );
        const found: RecordState[] = [];
        while (found.length < limit && pages.hasMoreResults())
          for (const state of (await pages.fetchNext()).resources) found.push(stripSystemFields(state));
        return found.slice(0, limit);
      };
      const [unseen, { resources: counts }] = await Promise.all([
        readUnseen(),
        this.container.items
          .query<number>(
            { query: `SELECT VALUE COUNT(1) FROM c WHERE ${base}`, parameters },
            { partitionKey: integrationId },
          )
          .fetchAll(),
      ]);
      return { unseen, live: counts[0] ?? 0 };
    } catch (error) {
      throw translateCosmosError(error, 'record states');
    }
  }
}
