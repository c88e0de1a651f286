/**
 * Shard history: which run or person changed which fields of a shard, and when (container `shard-history`,
 * partition /tenantId, one small document per change). Field NAMES only, never values: a history entry can be
 * shown to anyone who may see the shard's existence, and a changed secret-like field must not leak through it.
 * Entries expire with the store's TTL after the retention (SHARD_HISTORY_RETENTION_DAYS).
 */
import { sha256Hex } from './sha256';

export type ShardHistorySource = 'provider' | 'admin' | 'conflict' | 'outbound';

export interface ShardHistoryEntry {
  id: string;
  tenantId: string;
  shardId: string;
  at: string;
  source: ShardHistorySource;
  /** The inbound run whose page changed the shard (source provider). */
  runId?: string;
  /** Who changed it through the admin API (source admin or conflict). */
  actor?: string;
  /** The integration the change came through (provider, outbound, conflict). */
  integrationId?: string;
  /** Top-level field names of shard.data whose value changed, sorted. */
  changedFields: string[];
  /** Seconds until the store deletes the entry (Cosmos per-item TTL). */
  ttl: number;
}

/** What a writer of history says; the id, time and expiry are filled in by `historyEntry`. */
export type ShardHistoryChange = Pick<ShardHistoryEntry, 'tenantId' | 'shardId' | 'source' | 'changedFields'> &
  Partial<Pick<ShardHistoryEntry, 'runId' | 'actor' | 'integrationId'>> & {
    /** What makes the entry unique when written twice (a redelivered page must write the same document). */
    key: string;
  };

const SECONDS_PER_DAY = 86_400;

export function historyEntry(change: ShardHistoryChange, at: string, retentionDays: number): ShardHistoryEntry {
  const { key, ...rest } = change;
  const fields = [...change.changedFields].sort();
  return {
    ...rest,
    id: `hist-${sha256Hex(`${change.shardId}|${change.source}|${key}|${fields.join(',')}`).slice(0, 32)}`,
    at,
    changedFields: fields,
    ttl: retentionDays * SECONDS_PER_DAY,
  };
}

/**
 * Top-level fields of `after` whose value differs from `before` (added, changed or removed), sorted. Values are
 * compared by their JSON form: shard data is JSON (it round-trips through the document store).
 */
export function changedFieldNames(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): string[] {
  if (!before) return Object.keys(after).sort();
  const changed: string[] = [];
  for (const key of Object.keys(after)) {
    const a = before[key];
    const b = after[key];
    if (a === b) continue;
    if (a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') {
      if (a !== b) changed.push(key);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) changed.push(key);
  }
  for (const key of Object.keys(before)) if (!(key in after) && before[key] !== undefined) changed.push(key);
  return changed.sort();
}
