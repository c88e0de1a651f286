/**
 * Cross-record deduplication in the page writer: records the integration has never synced (no record state)
 * are matched by the entity's natural_key and fuzzy strategies against the tenant's shards (the dedup keys
 * stored on every shard, looked up with ONE indexed query per page) and against the page's own earlier
 * records. A match merges the record into the other source's shard; no match creates a shard.
 *
 * external_id and content_hash are the record states' job (sync-state): a record already synced never goes
 * through here, so a source record is matched once and then stays with its shard.
 */
import {
  dedupePage,
  indexKeysFor,
  type DedupDecision,
  type DedupIndex,
  type DedupStats,
  type DedupStrategy,
  type ExternalRef,
  type FuzzyCandidate,
} from '../../dedup';
import { DEFAULT_MAX_CANDIDATES_PER_KEY } from '../../dedup/strategies';
import type { MappedRecord } from '../../mapping';
import type { DedupKeyHit, ShardsRepository } from '../../stores/documents/shards-repository';

type CrossRecordStrategy = Extract<DedupStrategy, { kind: 'natural_key' | 'fuzzy' }>;

export interface DedupMatch {
  shardId: string;
  decision: DedupDecision;
}

/** Upper bound on shards one page's look-up reads, whatever the blocks hold. */
const MAX_PAGE_CANDIDATES = 5_000;

export function crossRecordStrategies(strategies: readonly DedupStrategy[] | undefined): CrossRecordStrategy[] {
  return (strategies ?? []).filter(
    (strategy): strategy is CrossRecordStrategy => strategy.kind === 'natural_key' || strategy.kind === 'fuzzy',
  );
}

/**
 * The stored keys as a DedupIndex. Keys are read as stored (each integration computed its own from its own
 * field paths), so an integration mapping `Email` and another mapping `profile.email` still meet on one key.
 */
export function storedKeysIndex(hits: readonly DedupKeyHit[]): DedupIndex {
  const byKey = new Map<string, DedupKeyHit[]>();
  // Lowest shard id first: every page (and every redelivery) picks the same shard for a key.
  for (const hit of [...hits].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const key of hit.dedupKeys ?? []) {
      const list = byKey.get(key);
      if (list) list.push(hit);
      else byKey.set(key, [hit]);
    }
  }
  return {
    byExternalId: async () => undefined,
    contentHashOf: async () => undefined,
    byNaturalKey: async (key) => byKey.get(key)?.[0]?.id,
    candidatesByBlockingKey: async (key, limit): Promise<FuzzyCandidate[]> =>
      (byKey.get(key) ?? []).slice(0, limit).map((hit) => ({ shardId: hit.id, data: hit.data })),
  };
}

/** Decides every new record of a page: the shard it merges into, or undefined to create its own. */
export async function matchNewRecords(
  shards: Pick<ShardsRepository, 'findByDedupKeys'>,
  tenantId: string,
  strategies: readonly CrossRecordStrategy[],
  records: readonly MappedRecord[],
  refOf: (record: MappedRecord) => ExternalRef,
  newShardId: (record: MappedRecord) => string,
  stats?: DedupStats,
): Promise<Map<string, DedupMatch>> {
  const matches = new Map<string, DedupMatch>();
  if (strategies.length === 0 || records.length === 0) return matches;
  const keys = new Set<string>();
  for (const record of records) {
    const { naturalKeys, blockingKeys } = indexKeysFor(strategies, record.data);
    for (const key of [...naturalKeys, ...blockingKeys]) keys.add(key);
  }
  const perKey = Math.max(
    ...strategies.map((strategy) =>
      strategy.kind === 'fuzzy' ? (strategy.maxCandidatesPerKey ?? DEFAULT_MAX_CANDIDATES_PER_KEY) : 1,
    ),
  );
  const hits = await shards.findByDedupKeys(tenantId, [...keys], Math.min(MAX_PAGE_CANDIDATES, keys.size * perKey));
  const byRecord = new Map(records.map((record) => [record.recordId, record]));
  const decisions = await dedupePage(
    records.map((record) => ({ ref: refOf(record), data: record.data, contentHash: record.contentHash })),
    strategies,
    storedKeysIndex(hits),
    (candidate) => newShardId(byRecord.get(candidate.ref.externalId)!),
    stats,
  );
  for (const { candidate, decision, shardId } of decisions) {
    if (decision.action === 'merge') matches.set(candidate.ref.externalId, { shardId, decision });
  }
  return matches;
}

/**
 * The keys a shard is indexed under after this integration writes it: this integration's keys computed from
 * the shard's data, plus the keys other integrations' strategies (other names) put there.
 */
export function nextDedupKeys(
  strategies: readonly CrossRecordStrategy[],
  data: Record<string, unknown>,
  existing: readonly string[] | undefined,
): string[] | undefined {
  if (strategies.length === 0) return existing ? [...existing] : undefined;
  const ours = new Set(strategies.map((strategy) => strategy.name));
  const kept = (existing ?? []).filter((key) => !ours.has(key.slice(0, key.indexOf(':'))));
  const { naturalKeys, blockingKeys } = indexKeysFor(strategies, data);
  return [...new Set([...kept, ...naturalKeys, ...blockingKeys])];
}
