/**
 * The in-memory DedupIndex: for tests, the pipeline benchmark and deduplication within one page (records of
 * a page that match each other before anything is saved). It computes the same natural and blocking keys
 * as the strategies, from the strategy list it is given.
 */
import { indexKeysFor } from './keys';
import type { DedupIndex, DedupStrategy, ExternalRef, FuzzyCandidate } from './types';

export interface IndexedShard {
  shardId: string;
  refs: readonly ExternalRef[];
  data: Record<string, unknown>;
  /** The content hash last synced, for every ref in `refs` that has one (by refKey). */
  contentHashes?: Record<string, string>;
}

/** Identity of a source record: integration (when known), provider, entity, id. */
export function refKey(ref: ExternalRef): string {
  return `${ref.integrationId ?? ''}|${ref.provider}|${ref.entity}|${ref.externalId}`;
}

export class InMemoryDedupIndex implements DedupIndex {
  private readonly shards = new Map<
    string,
    { data: Record<string, unknown>; refs: string[]; naturalKeys: string[]; blockingKeys: string[] }
  >();
  private readonly externalIds = new Map<string, string>();
  private readonly hashes = new Map<string, string>();
  private readonly naturalKeys = new Map<string, string>();
  private readonly blocks = new Map<string, Set<string>>();

  constructor(private readonly strategies: readonly DedupStrategy[]) {}

  get size(): number {
    return this.shards.size;
  }

  /** Adds or replaces a shard with its refs; keys of its previous version are dropped first. */
  upsert(shard: IndexedShard): void {
    this.remove(shard.shardId);
    const keys = indexKeysFor(this.strategies, shard.data);
    const refs = shard.refs.map(refKey);
    this.shards.set(shard.shardId, { data: shard.data, refs, ...keys });
    for (const ref of refs) this.externalIds.set(ref, shard.shardId);
    for (const [ref, hash] of Object.entries(shard.contentHashes ?? {})) this.hashes.set(ref, hash);
    // The first shard to claim a natural key keeps it: the later one is the duplicate.
    for (const key of keys.naturalKeys) if (!this.naturalKeys.has(key)) this.naturalKeys.set(key, shard.shardId);
    for (const key of keys.blockingKeys) {
      let block = this.blocks.get(key);
      if (!block) this.blocks.set(key, (block = new Set()));
      block.add(shard.shardId);
    }
  }

  remove(shardId: string): void {
    const existing = this.shards.get(shardId);
    if (!existing) return;
    this.shards.delete(shardId);
    for (const ref of existing.refs) if (this.externalIds.get(ref) === shardId) this.externalIds.delete(ref);
    for (const key of existing.naturalKeys) if (this.naturalKeys.get(key) === shardId) this.naturalKeys.delete(key);
    for (const key of existing.blockingKeys) this.blocks.get(key)?.delete(shardId);
  }

  setContentHash(ref: ExternalRef, hash: string): void {
    this.hashes.set(refKey(ref), hash);
  }

  async byExternalId(ref: ExternalRef): Promise<string | undefined> {
    return this.externalIds.get(refKey(ref));
  }

  async byNaturalKey(key: string): Promise<string | undefined> {
    return this.naturalKeys.get(key);
  }

  async candidatesByBlockingKey(key: string, limit: number): Promise<FuzzyCandidate[]> {
    const block = this.blocks.get(key);
    if (!block) return [];
    const candidates: FuzzyCandidate[] = [];
    for (const shardId of block) {
      if (candidates.length >= limit) break;
      candidates.push({ shardId, data: this.shards.get(shardId)!.data });
    }
    return candidates;
  }

  async contentHashOf(ref: ExternalRef): Promise<string | undefined> {
    return this.hashes.get(refKey(ref));
  }
}
