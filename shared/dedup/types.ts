/**
 * Deduplication: the strategy configs (a discriminated union, one small function each in strategies.ts),
 * the decision every record gets, and the index port the strategies look things up in. The index has an
 * in-memory implementation here; the Cosmos-backed one lives with the storage code.
 */
import type { ProviderId } from '../core/providers';

/** Where a shard came from: one per source record merged into it. */
export interface ExternalRef {
  provider: ProviderId;
  entity: string;
  externalId: string;
  integrationId?: string;
}

/** How a natural-key part is normalised before comparing. */
export type KeyNormaliser =
  | { kind: 'email'; stripPlusTags?: boolean }
  | { kind: 'phone'; defaultCountryCode?: string }
  | { kind: 'text' }
  | { kind: 'exact' };

export interface NaturalKeyPart {
  field: string;
  normalise: KeyNormaliser;
}

export type FuzzyComparison = 'name' | 'company' | 'text' | 'exact';

export interface FuzzyField {
  field: string;
  compare: FuzzyComparison;
  /** Relative weight in the score; 1 by default. */
  weight?: number;
  algorithm?: 'jaro_winkler' | 'trigram';
}

/** Blocking keys bound the candidates a record is compared with: only shards sharing a key are compared. */
export type BlockingKey =
  | { kind: 'prefix'; field: string; length: number; compare?: FuzzyComparison }
  | { kind: 'phonetic'; field: string; compare?: FuzzyComparison }
  | { kind: 'email_domain'; field: string };

export type DedupStrategy =
  | { kind: 'external_id' }
  | { kind: 'content_hash' }
  | { kind: 'natural_key'; name: string; parts: NaturalKeyPart[] }
  | {
      kind: 'fuzzy';
      name: string;
      fields: FuzzyField[];
      /** Score in [0, 1] from which two records are the same. */
      threshold: number;
      blocking: BlockingKey[];
      /** Cap per blocking key: what keeps the cost linear when a block is large (e.g. gmail.com). */
      maxCandidatesPerKey?: number;
    };

/** The one-word names an integration's `dedupStrategy` setting accepts (the integration schema reads them here). */
export const DEDUP_STRATEGIES = [
  'external_id',
  'content_hash',
  'natural_key',
  'fuzzy',
] as const satisfies readonly DedupStrategy['kind'][];
export type DedupStrategyKind = (typeof DEDUP_STRATEGIES)[number];

/** What the pipeline does with the record. */
export type DedupAction = 'create' | 'update' | 'skip' | 'merge';

export interface DedupDecision {
  strategy: DedupStrategyKind | 'none';
  action: DedupAction;
  matchedShardId?: string;
  score?: number;
  reason: string;
  /** Pairwise comparisons made (fuzzy only). */
  comparisons?: number;
}

/** The record being deduplicated: its source ref, its mapped data, its content hash. */
export interface DedupCandidate {
  ref: ExternalRef;
  data: Record<string, unknown>;
  contentHash?: string;
}

export interface FuzzyCandidate {
  shardId: string;
  data: Record<string, unknown>;
}

export interface DedupIndex {
  byExternalId(ref: ExternalRef): Promise<string | undefined>;
  /** `key` is a full natural key as made by naturalKeyOf (it carries the key's name). */
  byNaturalKey(key: string): Promise<string | undefined>;
  candidatesByBlockingKey(key: string, limit: number): Promise<FuzzyCandidate[]>;
  /** The content hash last synced for this source record. */
  contentHashOf(ref: ExternalRef): Promise<string | undefined>;
}
