/**
 * Links and derived shards of a page's records: references resolved to shards (or left pending), and the
 * derived shards (comments, labels…) each record yields.
 */
import type { Shard } from '../../core/shard';
import type { MappedRecord } from '../../mapping';
import type { SyncStateRepository } from '../../stores/documents/sync-state-repository';
import { derivedShardDocs } from './derived';
import { lookUpTargets, withLinks, type LinkContext } from './links';

/**
 * Links and derived shards of the records this page wrote or saw changed (one batched look-up per referenced
 * entity). A shard the page did not otherwise write is written only when its links changed. Answers the
 * derived shard ids of each of those records (by record id).
 */
export async function shapeLinks(
  syncState: Pick<SyncStateRepository, 'records'>,
  entity: string,
  linkCtx: LinkContext,
  written: ReadonlyArray<{ record: MappedRecord; shardId: string }>,
  pageShards: ReadonlyMap<string, string>,
  writes: Map<string, Shard>,
  current: (shardId: string) => Shard | undefined,
): Promise<Map<string, string[]>> {
  const references = written.flatMap(({ record }) => record.references);
  const targets =
    references.length > 0 ? await lookUpTargets(syncState, linkCtx, references, pageShards) : new Map<string, string>();
  const derivedByRecord = new Map<string, string[]>();
  for (const { record, shardId } of written) {
    const children = derivedShardDocs(linkCtx, entity, shardId, record.derived);
    for (const child of children) writes.set(child.id, child);
    derivedByRecord.set(
      record.recordId,
      children.map((child) => child.id),
    );
    const shard = current(shardId);
    if (
      !shard ||
      (record.references.length === 0 && !shard.links.some((link) => link.integrationId === linkCtx.integrationId))
    )
      continue;
    const linked = withLinks(shard, linkCtx, record.references, targets);
    if (writes.has(shardId) || JSON.stringify(linked.links) !== JSON.stringify(shard.links))
      writes.set(shardId, linked);
  }
  return derivedByRecord;
}
