/**
 * How a page changes a shard when a source record leaves it or another source's record is merged into it.
 * Pure: each answers a new shard.
 */
import type { ExternalRef, Shard } from '../../core/shard';
import type { MappedRecord } from '../../mapping';
import type { DedupMatch } from './dedup';

const MAX_DEDUP_DECISIONS_KEPT = 20;

/** A source record left its shard: the shard stays for its other sources, or is deleted with the last one. */
export function withoutSource(
  shard: Shard,
  integrationId: string,
  entity: string,
  externalId: string,
  now: string,
): Shard {
  const isThis = (ref: ExternalRef) =>
    ref.integrationId === integrationId && ref.entity === entity && ref.externalId === externalId;
  const others = shard.externalRefs.filter((ref) => !isThis(ref));
  if (others.length === 0 || others.length === shard.externalRefs.length)
    return { ...shard, deleted: true, lastWrittenBy: 'inbound', updatedAt: now };
  return {
    ...shard,
    externalRefs: others,
    links: shard.links.filter((link) => link.integrationId !== integrationId),
    updatedAt: now,
  };
}

/** A record of another source merged into a shard: the shard's values stay, fields it lacks are added. */
export function mergedInto(
  shard: Shard,
  record: MappedRecord,
  ref: ExternalRef,
  match: DedupMatch,
  runId: string,
  now: string,
): Shard {
  const decision = {
    strategy: match.decision.strategy,
    ...(match.decision.score !== undefined ? { score: match.decision.score } : {}),
    matchedShardId: shard.id,
    source: ref,
    runId,
    at: now,
  };
  return {
    ...shard,
    data: { ...record.data, ...shard.data },
    externalRefs: [
      ...shard.externalRefs.filter(
        (other) =>
          other.integrationId !== ref.integrationId ||
          other.entity !== ref.entity ||
          other.externalId !== ref.externalId,
      ),
      ref,
    ],
    dedupDecisions: [
      decision,
      ...(shard.dedupDecisions ?? []).filter(
        (other) => other.source.externalId !== ref.externalId || other.source.integrationId !== ref.integrationId,
      ),
    ].slice(0, MAX_DEDUP_DECISIONS_KEPT),
    updatedAt: now,
  };
}
