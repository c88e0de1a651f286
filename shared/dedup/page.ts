/**
 * Deduplicating a page of mapped records: each record is decided against the store's index and against the
 * records before it in the same page, so two new records of one page that are the same person become one
 * shard, not two.
 */
import { InMemoryDedupIndex } from './memory-index';
import { decide, type DedupStats } from './strategies';
import type { DedupCandidate, DedupDecision, DedupIndex, DedupStrategy, ExternalRef, FuzzyCandidate } from './types';

export interface PageDecision {
  candidate: DedupCandidate;
  decision: DedupDecision;
  /** The shard the record goes to: the matched one, or the new id for a create. */
  shardId: string;
}

/** Looks in `first`, then `second`; fuzzy candidates come from both. */
export function layeredIndex(first: DedupIndex, second: DedupIndex): DedupIndex {
  return {
    byExternalId: async (ref: ExternalRef) => (await first.byExternalId(ref)) ?? second.byExternalId(ref),
    byNaturalKey: async (key: string) => (await first.byNaturalKey(key)) ?? second.byNaturalKey(key),
    contentHashOf: async (ref: ExternalRef) => (await first.contentHashOf(ref)) ?? second.contentHashOf(ref),
    candidatesByBlockingKey: async (key: string, limit: number): Promise<FuzzyCandidate[]> => {
      const own = await first.candidatesByBlockingKey(key, limit);
      if (own.length >= limit) return own;
      const seen = new Set(own.map((candidate) => candidate.shardId));
      const more = (await second.candidatesByBlockingKey(key, limit)).filter(
        (candidate) => !seen.has(candidate.shardId),
      );
      return [...own, ...more].slice(0, limit);
    },
  };
}

export async function dedupePage(
  candidates: readonly DedupCandidate[],
  strategies: readonly DedupStrategy[],
  store: DedupIndex,
  newShardId: (candidate: DedupCandidate) => string,
  stats?: DedupStats,
): Promise<PageDecision[]> {
  const pageIndex = new InMemoryDedupIndex(strategies);
  const index = layeredIndex(pageIndex, store);
  const decisions: PageDecision[] = [];
  for (const candidate of candidates) {
    const decision = await decide(candidate, strategies, index, stats);
    const shardId = decision.matchedShardId ?? newShardId(candidate);
    // Only new shards need indexing here: matched ones are already findable in the store.
    if (decision.action === 'create') pageIndex.upsert({ shardId, refs: [candidate.ref], data: candidate.data });
    decisions.push({ candidate, decision, shardId });
  }
  return decisions;
}
