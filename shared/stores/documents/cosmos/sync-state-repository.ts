/**
 * The sync-state port on Cosmos (container `sync-state`, partition /integrationId; pending links in the partition
 * `tenant:<id>`): record states read and written in bulk (bulk.ts), ledger entries written IfMatch their ETag,
 * the delete sweep's candidates by a paged query within the integration's partition.
 */
import type { Container } from '@azure/cosmos';
import { bulkUpsert, readMany, type UpsertDoc } from './bulk';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';
import { recordStateId, type RecordState } from '../../../core/record-state';
import type { Stored } from '../../../core/stored';
import {
  outboundLedgerId,
  pendingLinkId,
  pendingLinkPartition,
  type EntityCheckpoint,
  type HealthStateDoc,
  type OutboundCheckpoint,
  type OutboundLedger,
  type PendingLinkDoc,
  type SyncStateRepository,
} from '../sync-state-repository';

/** Record states per page of the delete sweep's query. */
const UNSEEN_PAGE_SIZE = 1000;
/** Deletes in flight at once when an integration's state is removed. */
const DELETE_SLICE = 20;

export class CosmosSyncStateRepository implements SyncStateRepository {
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

  async deleteCheckpoint(integrationId: string, entity: string): Promise<boolean> {
    try {
      await this.container.item(`checkpoint-${entity}`, integrationId).delete();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw translateCosmosError(error, 'sync checkpoint');
    }
  }

  async deleteIntegration(integrationId: string): Promise<{ deleted: number; shardIds: string[] }> {
    try {
      // The partition key is named in the query too: the local cosmosdb-server ignores it as a query option.
      const { resources } = await this.container.items
        .query<{ id: string; kind?: string; shardId?: string; derivedShardIds?: string[] }>(
          {
            query: 'SELECT c.id, c.kind, c.shardId, c.derivedShardIds FROM c WHERE c.integrationId = @integrationId',
            parameters: [{ name: '@integrationId', value: integrationId }],
          },
          { partitionKey: integrationId },
        )
        .fetchAll();
      const shardIds = new Set<string>();
      for (const doc of resources) {
        if (doc.kind !== 'record') continue;
        if (doc.shardId) shardIds.add(doc.shardId);
        for (const derived of doc.derivedShardIds ?? []) shardIds.add(derived);
      }
      // In slices, so a large integration does not open thousands of requests at once.
      for (let start = 0; start < resources.length; start += DELETE_SLICE)
        await Promise.all(
          resources.slice(start, start + DELETE_SLICE).map((doc) =>
            this.container
              .item(doc.id, integrationId)
              .delete()
              .catch((error: unknown) => {
                if (statusOf(error) !== 404) throw error;
              }),
          ),
        );
      return { deleted: resources.length, shardIds: [...shardIds] };
    } catch (error) {
      throw translateCosmosError(error, 'sync state');
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

  async healthState(integrationId: string): Promise<Stored<HealthStateDoc> | undefined> {
    return this.readDoc<Stored<HealthStateDoc>>(integrationId, 'health', 'health state');
  }

  async saveHealthState(state: HealthStateDoc, etag: string | undefined): Promise<Stored<HealthStateDoc>> {
    const { _etag, ...body } = state as Stored<HealthStateDoc>;
    void _etag;
    try {
      const { resource } = etag
        ? await this.container
            .item(body.id, body.integrationId)
            .replace(body, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create(body);
      return stripSystemFields(resource as unknown as Stored<HealthStateDoc>);
    } catch (error) {
      throw translateCosmosError(error, 'health state');
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
