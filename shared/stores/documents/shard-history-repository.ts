/**
 * The shard history port (documents `shard-history`, partition /tenantId): which run or person changed which
 * fields of a shard (shared/core/shard-history.ts). Every read is scoped to one tenant and one shard.
 * Implementations: cosmos/shard-history-repository.ts, memory/shard-history-repository.ts.
 */
import type { ShardHistoryEntry } from '../../core/shard-history';

export interface ShardHistoryRepository {
  /** Writes entries as they are, in bulk (deterministic ids: writing one twice keeps one). */
  appendMany(entries: ShardHistoryEntry[]): Promise<void>;
  /**
   * One shard's entries at or after `since` (ISO time: the retention, so an entry the store has not yet expired
   * is not shown either), newest first, at most `limit`.
   */
  list(tenantId: string, shardId: string, since: string, limit: number): Promise<ShardHistoryEntry[]>;
}
