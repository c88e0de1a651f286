/** Deduplication: strategies, the index port and its in-memory implementation, page helpers. */
export type {
  DedupStrategy,
  DedupDecision,
  DedupAction,
  DedupCandidate,
  DedupIndex,
  ExternalRef,
  FuzzyCandidate,
  FuzzyField,
  BlockingKey,
  KeyNormaliser,
  NaturalKeyPart,
} from './types';
export { DEDUP_STRATEGIES, type DedupStrategyKind } from './types';
export { dedupStrategySchema, dedupStrategiesSchema } from './config';
export { decide, runStrategy, DEFAULT_MAX_CANDIDATES_PER_KEY, type DedupStats } from './strategies';
export { InMemoryDedupIndex, refKey, type IndexedShard } from './memory-index';
export { indexKeysFor, naturalKeyOf, blockingKeysOf, soundex } from './keys';
export { mergeExternalRefs } from './merge';
export { dedupeWithinPage, type DroppedDuplicate } from './within-page';
export { dedupePage, layeredIndex, type PageDecision } from './page';
export { jaroWinkler, trigramDice, nameSimilarity } from './similarity';
export { recordSimilarity } from './fuzzy';
export { normaliseEmail, normalisePhone, normaliseName, normaliseCompany, foldAccents } from './normalise';
