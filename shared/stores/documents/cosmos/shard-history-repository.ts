/**
 * The shard history port on Cosmos (container `shard-history`, partition /tenantId, TTL on: each entry carries
 * its own `ttl`). Entries are written in bulk beside the shards of a page; a shard's history is one query within
 * the tenant's partition on the indexed shardId, never a cross-partition scan.
 */
import type { Container } from '@azure/cosmos';
import type { ShardHistoryEntry } from '../../../core/shard-history';
import type { ShardHistoryRepository } from '../shard-history-repository';
import { bulkUpsert, type UpsertDoc } from './bulk';
import { translateCosmosError } from './cosmos-client';

export class CosmosShardHistoryRepository implements ShardHistoryRepository {
  constructor(private readonly container: Container) {}

  async appendMany(entries: ShardHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await bulkUpsert(this.container, (doc) => String(doc.tenantId), entries as unknown as UpsertDoc[]);
  }

  async list(tenantId: string, shardId: string, since: string, limit: number): Promise<ShardHistoryEntry[]> {
    try {
      const iterator = this.container.items.query<ShardHistoryEntry>(
        {
          query:
            'SELECT c.id, c.tenantId, c.shardId, c.at, c.source, c.runId, c.actor, c.integrationId, c.changedFields, c.ttl FROM c WHERE c.tenantId = @tenantId AND c.shardId = @shardId AND c.at >= @since ORDER BY c.at DESC',
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@shardId', value: shardId },
            { name: '@since', value: since },
          ],
        },
        { partitionKey: tenantId, maxItemCount: Math.min(limit, 1000) },
      );
      const found: ShardHistoryEntry[] = [];
      while (found.length < limit && iterator.hasMoreResults()) {
        const { resources } = await iterator.fetchNext();
        found.push(...resources);
      }
      return found.slice(0, limit);
    } catch (error) {
      throw translateCosmosError(error, 'shard history');
    }
  }
}
