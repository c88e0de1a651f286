/**
 * Derived shards in the page writer: the extra shards one record yields (an issue's comments or labels, from
 * the conversion schema's `derived` specs). Each is its own shard with a stable id from its derived external id,
 * a `parent` link to the record's shard, and the ref entity `${entity}#${name}` so outbound sync never takes
 * it for a record of the entity. They are projections of the parent: written whenever the parent changes, and
 * one the parent no longer yields (or whose parent is deleted) is marked deleted; the record's state keeps the
 * ids last written (`derivedShardIds`) to tell which.
 */
import type { DerivedShard } from '../../mapping';
import type { ShardsRepository } from '../../stores/documents/shards-repository';
import type { LinkContext } from './links';
import { shardIdFor, type Shard } from '../../core/shard';

export function derivedShardDocs(
  ctx: LinkContext,
  entity: string,
  parentShardId: string,
  derived: readonly DerivedShard[],
): Shard[] {
  return derived.map((child) => {
    return {
      id: shardIdFor(ctx.integrationId, entity, child.externalId),
      tenantId: ctx.tenantId,
      shardType: child.shardType,
      data: child.data,
      externalRefs: [
        {
          provider: ctx.provider,
          integrationId: ctx.integrationId,
          entity: `${entity}#${child.name}`,
          externalId: child.externalId,
        },
      ],
      links: [{ name: 'parent', targetShardId: parentShardId, integrationId: ctx.integrationId }],
      lastWrittenBy: 'inbound',
      deleted: false,
      updatedAt: ctx.now,
    };
  });
}

/** Derived shards gone at the source, marked deleted as a deleted record's shard is (one batched read). */
export async function derivedTombstones(
  shards: Pick<ShardsRepository, 'getMany'>,
  tenantId: string,
  ids: readonly string[],
  now: string,
): Promise<Shard[]> {
  if (ids.length === 0) return [];
  const found = await shards.getMany(tenantId, [...new Set(ids)]);
  return [...found.values()]
    .filter((shard) => !shard.deleted)
    .map((shard) => ({ ...shard, deleted: true, lastWrittenBy: 'inbound' as const, updatedAt: now }));
}
