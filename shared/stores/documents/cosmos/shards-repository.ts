/**
 * The shards port on Cosmos (container `shards`, partition /tenantId): every read within the tenant's partition;
 * page writes in bulk (bulk.ts); the outbound scan and the dedup index are indexed queries, never scans.
 */
import type { Container } from '@azure/cosmos';
import { bulkUpsert, readMany, type UpsertDoc } from './bulk';
import { browseShards } from './shard-browse';
import { statusOf, stripSystemFields, translateCosmosError } from './cosmos-client';
import type { Shard } from '../../../core/shard';
import type { Stored } from '../../../core/stored';
import type {
  ChangeWindow,
  ChangedShard,
  DedupKeyHit,
  ShardBrowseFilter,
  ShardBrowsePage,
  ShardsRepository,
} from '../shards-repository';

export class CosmosShardsRepository implements ShardsRepository {
  constructor(private readonly container: Container) {}

  /** The shard with its ETag (for guarded replaces), or undefined when absent or another tenant's. */
  async get(tenantId: string, shardId: string): Promise<Stored<Shard> | undefined> {
    try {
      const { resource } = await this.container.item(shardId, tenantId).read<Shard & { _etag: string }>();
      return resource && resource.tenantId === tenantId ? stripSystemFields(resource) : undefined;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateCosmosError(error, `shard ${shardId}`);
    }
  }

  async getMany(tenantId: string, shardIds: string[]): Promise<Map<string, Shard>> {
    const found = await readMany<Shard & { _etag: string }>(this.container, tenantId, shardIds);
    return new Map(
      found.filter((shard) => shard.tenantId === tenantId).map((shard) => [shard.id, stripSystemFields(shard)]),
    );
  }

  /** Replace guarded by the ETag read earlier: a concurrent change fails with precondition_failed. */
  async replace(shard: Stored<Shard>): Promise<Stored<Shard>> {
    const { _etag, _ts, ...body } = shard;
    void _ts;
    try {
      const { resource } = await this.container
        .item(shard.id, shard.tenantId)
        .replace(body, { accessCondition: { type: 'IfMatch', condition: _etag } });
      return stripSystemFields(resource as unknown as Stored<Shard>);
    } catch (error) {
      throw translateCosmosError(error, `shard ${shard.id}`);
    }
  }

  /**
   * Outbound scan: shards of the given types written by a local edit, within one tenant's partition, at most
   * `limit`. Either changed after `sinceTs` (Cosmos _ts, seconds), oldest first; or, to page through one busy
   * second, changed in second `ts` with an id after `afterId`, by id.
   */
  async changedLocally(
    tenantId: string,
    shardTypes: string[],
    window: ChangeWindow,
    limit: number,
  ): Promise<ChangedShard[]> {
    const range = 'sinceTs' in window ? 'c._ts > @ts ORDER BY c._ts' : 'c._ts = @ts AND c.id > @afterId ORDER BY c.id';
    try {
      const { resources } = await this.container.items
        .query<ChangedShard>(
          {
            query: `SELECT c.id, c._etag AS etag, c._ts AS ts, c.shardType, c.externalRefs, c.targetIntegrationId FROM c WHERE c.tenantId = @tenantId AND c.lastWrittenBy = 'local' AND ARRAY_CONTAINS(@types, c.shardType) AND ${range}`,
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@types', value: shardTypes },
              { name: '@ts', value: 'sinceTs' in window ? window.sinceTs : window.ts },
              ...('afterId' in window ? [{ name: '@afterId', value: window.afterId }] : []),
            ],
          },
          { partitionKey: tenantId, maxItemCount: limit },
        )
        .fetchNext();
      return resources.slice(0, limit);
    } catch (error) {
      throw translateCosmosError(error, 'changed shards');
    }
  }

  /**
   * Live shards of one tenant indexed under any of `keys` (natural or blocking keys), at most `limit`: one
   * indexed query per page (Cosmos indexes array elements), never a scan of the tenant's shards.
   */
  async findByDedupKeys(tenantId: string, keys: string[], limit: number): Promise<DedupKeyHit[]> {
    if (keys.length === 0) return [];
    return this.queryTenant<DedupKeyHit>(
      tenantId,
      'SELECT c.id, c.data, c.dedupKeys FROM c WHERE c.tenantId = @tenantId AND c.deleted = false AND EXISTS(SELECT VALUE k FROM k IN c.dedupKeys WHERE ARRAY_CONTAINS(@keys, k))',
      keys,
      limit,
      'dedup index',
    );
  }

  private async queryTenant<T>(
    tenantId: string,
    query: string,
    keys: string[],
    limit: number,
    what: string,
  ): Promise<T[]> {
    try {
      const iterator = this.container.items.query<T>(
        {
          query,
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@keys', value: keys },
          ],
        },
        { partitionKey: tenantId, maxItemCount: Math.min(limit, 1000) },
      );
      const found: T[] = [];
      while (found.length < limit && iterator.hasMoreResults()) {
        const { resources } = await iterator.fetchNext();
        found.push(...resources);
      }
      return found.slice(0, limit);
    } catch (error) {
      throw translateCosmosError(error, what);
    }
  }

  async upsertMany(shards: Shard[]): Promise<void> {
    await bulkUpsert(this.container, (doc) => String(doc.tenantId), shards as unknown as UpsertDoc[]);
  }

  async deleteMany(tenantId: string, shardIds: string[]): Promise<number> {
    let deleted = 0;
    // In slices of 50 deletes at once; the partition key is the tenant, so another tenant's shard is never reached.
    for (let start = 0; start < shardIds.length; start += 50)
      await Promise.all(
        shardIds.slice(start, start + 50).map(async (id) => {
          try {
            await this.container.item(id, tenantId).delete();
            deleted++;
          } catch (error) {
            if (statusOf(error) !== 404) throw translateCosmosError(error, `shard ${id}`);
          }
        }),
      );
    return deleted;
  }

  browse(
    tenantId: string,
    filter: ShardBrowseFilter,
    page: { limit: number; afterId?: string },
  ): Promise<ShardBrowsePage> {
    return browseShards(this.container, tenantId, filter, page);
  }

  async count(tenantId: string, filter: { shardType?: string; includeDeleted?: boolean } = {}): Promise<number> {
    const conditions = ['c.tenantId = @tenantId'];
    const parameters = [{ name: '@tenantId', value: tenantId }];
    if (filter.shardType) {
      conditions.push('c.shardType = @shardType');
      parameters.push({ name: '@shardType', value: filter.shardType });
    }
    if (!filter.includeDeleted) conditions.push('c.deleted = false');
    const { resources } = await this.container.items
      .query<number>(
        { query: `SELECT VALUE COUNT(1) FROM c WHERE ${conditions.join(' AND ')}`, parameters },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources[0] ?? 0;
  }

  async countByEntity(
    tenantId: string,
    integrationId: string,
    entities: readonly string[],
  ): Promise<Record<string, number>> {
    // One aggregate per entity within the tenant's partition: the records an integration holds, not its runs' counts.
    const counts = await Promise.all(
      entities.map(async (entity) => {
        try {
          const { resources } = await this.container.items
            .query<number>(
              {
                query:
                  'SELECT VALUE COUNT(1) FROM c JOIN r IN c.externalRefs WHERE c.tenantId = @tenantId AND c.deleted = false AND r.integrationId = @integrationId AND r.entity = @entity',
                parameters: [
                  { name: '@tenantId', value: tenantId },
                  { name: '@integrationId', value: integrationId },
                  { name: '@entity', value: entity },
                ],
              },
              { partitionKey: tenantId },
            )
            .fetchAll();
          return [entity, resources[0] ?? 0] as const;
        } catch (error) {
          throw translateCosmosError(error, 'shards');
        }
      }),
    );
    return Object.fromEntries(counts);
  }
}
