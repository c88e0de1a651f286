/**
 * The four deduplication strategies, one small function each, and `decide`, which runs an entity's list in
 * order. external_id finds the shard this source record already made (→ update); content_hash turns an
 * update into a skip when nothing changed; natural_key and fuzzy only look for a match when the source
 * record is new, and find another source's shard to merge into.
 */
import { blockingKeysOf, naturalKeyOf } from './keys';
import { recordSimilarity } from './fuzzy';
import type { DedupCandidate, DedupDecision, DedupIndex, DedupStrategy, ExternalRef } from './types';

export const DEFAULT_MAX_CANDIDATES_PER_KEY = 50;

interface StrategyContext {
  candidate: DedupCandidate;
  index: DedupIndex;
  /** The decision so far (an external-id match), if any. */
  current?: DedupDecision;
  stats?: DedupStats;
}

/** Counters a caller may pass to see the cost of deciding (summed over calls). */
export interface DedupStats {
  comparisons: number;
}

type StrategyFn<S extends DedupStrategy> = (
  strategy: S,
  context: StrategyContext,
) => Promise<DedupDecision | undefined>;

function describeRef(ref: ExternalRef): string {
  return `${ref.provider}/${ref.entity}/${ref.externalId}`;
}

const externalId: StrategyFn<Extract<DedupStrategy, { kind: 'external_id' }>> = async (
  _strategy,
  { candidate, index },
) => {
  const shardId = await index.byExternalId(candidate.ref);
  if (shardId === undefined) return undefined;
  return {
    strategy: 'external_id',
    action: 'update',
    matchedShardId: shardId,
    reason: `${describeRef(candidate.ref)} was synced before`,
  };
};

const contentHash: StrategyFn<Extract<DedupStrategy, { kind: 'content_hash' }>> = async (
  _strategy,
  { candidate, index, current },
) => {
  if (candidate.contentHash === undefined) return undefined;
  const previous = await index.contentHashOf(candidate.ref);
  if (previous === undefined || previous !== candidate.contentHash) return undefined;
  const matchedShardId = current?.matchedShardId ?? (await index.byExternalId(candidate.ref));
  return {
    strategy: 'content_hash',
    action: 'skip',
    ...(matchedShardId ? { matchedShardId } : {}),
    reason: `content of ${describeRef(candidate.ref)} is unchanged`,
  };
};

const naturalKey: StrategyFn<Extract<DedupStrategy, { kind: 'natural_key' }>> = async (
  strategy,
  { candidate, index, current },
) => {
  if (current) return undefined;
  const key = naturalKeyOf(strategy, candidate.data);
  if (key === undefined) return undefined;
  const shardId = await index.byNaturalKey(key);
  if (shardId === undefined) return undefined;
  return {
    strategy: 'natural_key',
    action: 'merge',
    matchedShardId: shardId,
    reason: `same ${strategy.name} key "${key.slice(strategy.name.length + 1)}"`,
  };
};

const fuzzy: StrategyFn<Extract<DedupStrategy, { kind: 'fuzzy' }>> = async (
  strategy,
  { candidate, index, current, stats },
) => {
  if (current) return undefined;
  const limit = strategy.maxCandidatesPerKey ?? DEFAULT_MAX_CANDIDATES_PER_KEY;
  const compared = new Set<string>();
  let best: { shardId: string; score: number } | undefined;
  for (const key of blockingKeysOf(strategy, candidate.data)) {
    for (const other of await index.candidatesByBlockingKey(key, limit)) {
      if (compared.has(other.shardId)) continue;
      compared.add(other.shardId);
      if (stats) stats.comparisons++;
      const score = recordSimilarity(strategy.fields, candidate.data, other.data);
      // Ties go to the lower shard id so the same page always merges into the same shard.
      if (!best || score > best.score || (score === best.score && other.shardId < best.shardId))
        best = { shardId: other.shardId, score };
    }
  }
  if (!best || best.score < strategy.threshold) return undefined;
  const score = Math.round(best.score * 1000) / 1000;
  return {
    strategy: 'fuzzy',
    action: 'merge',
    matchedShardId: best.shardId,
    score,
    comparisons: compared.size,
    reason: `${strategy.name} similarity ${score} ≥ ${strategy.threshold}`,
  };
};

const STRATEGIES: { [K in DedupStrategy['kind']]: StrategyFn<Extract<DedupStrategy, { kind: K }>> } = {
  external_id: externalId,
  content_hash: contentHash,
  natural_key: naturalKey,
  fuzzy,
};

export function runStrategy(strategy: DedupStrategy, context: StrategyContext): Promise<DedupDecision | undefined> {
  return (STRATEGIES[strategy.kind] as StrategyFn<DedupStrategy>)(strategy, context);
}

/** Runs the strategies in order: a skip or a merge is final, an update may still become a skip. */
export async function decide(
  candidate: DedupCandidate,
  strategies: readonly DedupStrategy[],
  index: DedupIndex,
  stats?: DedupStats,
): Promise<DedupDecision> {
  let current: DedupDecision | undefined;
  for (const strategy of strategies) {
    const decision = await runStrategy(strategy, { candidate, index, current, stats });
    if (!decision) continue;
    current = decision;
    if (decision.action === 'skip' || decision.action === 'merge') break;
  }
  if (current) return current;
  const tried = strategies.map((strategy) => strategy.kind).join(', ') || 'no strategy';
  return { strategy: 'none', action: 'create', reason: `no match for ${describeRef(candidate.ref)} (${tried})` };
}
