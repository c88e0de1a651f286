/**
 * Writes shard history (shared/core/shard-history.ts) for every writer of shard data: the inbound page writer
 * (source provider), the admin API's local edits (admin) and conflict resolutions (conflict), and the outbound
 * settle (outbound). Field names only; a change that names no field writes nothing.
 */
import { historyEntry, type ShardHistoryChange } from '../core/shard-history';
import type { ShardHistoryRepository } from '../stores/documents/shard-history-repository';

export interface ShardHistoryWriter {
  record(changes: readonly ShardHistoryChange[]): Promise<void>;
}

export function shardHistoryWriter(
  repository: Pick<ShardHistoryRepository, 'appendMany'>,
  retentionDays: number,
  now: () => Date,
): ShardHistoryWriter {
  return {
    async record(changes) {
      const at = now().toISOString();
      const entries = changes
        .filter((change) => change.changedFields.length > 0)
        .map((change) => historyEntry(change, at, retentionDays));
      if (entries.length > 0) await repository.appendMany(entries);
    },
  };
}

/** The writer over the app's services (the document store's history, the retention setting, the clock). */
export function historyOf(services: {
  documents: { shardHistory: ShardHistoryRepository };
  settings: { shardHistory: { retentionDays: number } };
  now(): Date;
}): ShardHistoryWriter {
  return shardHistoryWriter(
    services.documents.shardHistory,
    services.settings.shardHistory.retentionDays,
    services.now,
  );
}
