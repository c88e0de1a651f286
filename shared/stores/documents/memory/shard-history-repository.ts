/** The shard history port in memory (tests, benchmarks): one partition per tenant, newest first like Cosmos. */
import type { ShardHistoryEntry } from '../../../core/shard-history';
import type { ShardHistoryRepository } from '../shard-history-repository';
import { MemoryContainer } from './memory-container';

export class MemoryShardHistoryRepository implements ShardHistoryRepository {
  private readonly container: MemoryContainer<ShardHistoryEntry>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer(nowMs);
  }

  async appendMany(entries: ShardHistoryEntry[]): Promise<void> {
    for (const entry of entries) this.container.upsert(entry.tenantId, entry);
  }

  async list(tenantId: string, shardId: string, since: string, limit: number): Promise<ShardHistoryEntry[]> {
    const found: ShardHistoryEntry[] = [];
    for (const { doc } of this.container.partition(tenantId))
      if (doc.shardId === shardId && doc.at >= since) found.push(doc);
    found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return found.slice(0, limit);
  }
}
