/** The shards port in memory (tests, benchmarks): one partition per tenant, modification seconds like Cosmos' `_ts`. */
import type { Shard } from '../../../core/shard';
import type { Stored } from '../../../core/stored';
import { titleMatches } from '../../../core/shard-title';
import type {
  ChangeWindow,
  ChangedShard,
  DedupKeyHit,
  ShardBrowseFilter,
  ShardBrowsePage,
  ShardsRepository,
} from '../shards-repository';
import { MemoryContainer, etagOf, stored, type Slot } from './memory-container';

export class MemoryShardsRepository implements ShardsRepository {
  private readonly container: MemoryContainer<Shard>;

  constructor(nowMs?: () => number) {
    this.container = new MemoryContainer(nowMs);
  }

  async get(tenantId: string, shardId: string): Promise<Stored<Shard> | undefined> {
    const slot = this.container.read(tenantId, shardId);
    return slot ? stored(slot) : undefined;
  }

  async getMany(tenantId: string, shardIds: string[]): Promise<Map<string, Shard>> {
    const found = new Map<string, Shard>();
    for (const id of shardIds) {
      const slot = this.container.read(tenantId, id);
      if (slot) found.set(id, slot.doc);
    }
    return found;
  }

  async replace(shard: Stored<Shard>): Promise<Stored<Shard>> {
    const { _etag, ...body } = shard;
    return stored(this.container.replace(body.tenantId, body, _etag, `shard ${shard.id}`));
  }

  async changedLocally(
    tenantId: string,
    shardTypes: string[],
    window: ChangeWindow,
    limit: number,
  ): Promise<ChangedShard[]> {
    const types = new Set(shardTypes);
    const inWindow =
      'sinceTs' in window
        ? (slot: Slot<Shard>) => slot.ts > window.sinceTs
        : (slot: Slot<Shard>) => slot.ts === window.ts && slot.doc.id > window.afterId;
    const found = [...this.container.partition(tenantId)].filter(
      (slot) => slot.doc.lastWrittenBy === 'local' && types.has(slot.doc.shardType) && inWindow(slot),
    );
    found.sort('sinceTs' in window ? (a, b) => a.ts - b.ts : (a, b) => (a.doc.id < b.doc.id ? -1 : 1));
    return found.slice(0, limit).map((slot) => ({
      id: slot.doc.id,
      etag: etagOf(slot),
      ts: slot.ts,
      shardType: slot.doc.shardType,
      externalRefs: slot.doc.externalRefs,
      ...(slot.doc.targetIntegrationId !== undefined ? { targetIntegrationId: slot.doc.targetIntegrationId } : {}),
    }));
  }

  async findByDedupKeys(tenantId: string, keys: string[], limit: number): Promise<DedupKeyHit[]> {
    if (keys.length === 0) return [];
    const wanted = new Set(keys);
    const hits: DedupKeyHit[] = [];
    for (const { doc } of this.container.partition(tenantId)) {
      if (hits.length >= limit) break;
      if (doc.deleted || !doc.dedupKeys?.some((key) => wanted.has(key))) continue;
      hits.push({ id: doc.id, data: doc.data, dedupKeys: doc.dedupKeys });
    }
    return hits;
  }

  async upsertMany(shards: Shard[]): Promise<void> {
    for (const shard of shards) this.container.upsert(shard.tenantId, shard);
  }

  async deleteMany(tenantId: string, shardIds: string[]): Promise<number> {
    return shardIds.filter((id) => this.container.delete(tenantId, id)).length;
  }

  async browse(
    tenantId: string,
    filter: ShardBrowseFilter,
    page: { limit: number; afterId?: string },
  ): Promise<ShardBrowsePage> {
    const { integrationId, entity, shardType, q } = filter;
    const lowerQ = q?.toLowerCase();
    const matches = (doc: Shard) => {
      if (doc.deleted || (page.afterId !== undefined && doc.id <= page.afterId)) return false;
      if (integrationId !== undefined) {
        const fromRefs = doc.externalRefs.some(
          (ref) => ref.integrationId === integrationId && (entity === undefined || ref.entity === entity),
        );
        const local =
          doc.targetIntegrationId === integrationId &&
          (entity === undefined || (shardType !== undefined && doc.shardType === shardType));
        if (!fromRefs && !local) return false;
      } else if (entity !== undefined && !doc.externalRefs.some((ref) => ref.entity === entity)) return false;
      if (q === undefined) return true;
      return doc.id === q || doc.externalRefs.some((ref) => ref.externalId === q) || titleMatches(doc.data, lowerQ!);
    };
    const found: Shard[] = [];
    for (const { doc } of this.container.partition(tenantId)) if (matches(doc)) found.push(doc);
    found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = found.slice(0, page.limit);
    return found.length > page.limit ? { items, nextAfterId: items[items.length - 1]!.id } : { items };
  }

  async count(tenantId: string, filter: { shardType?: string; includeDeleted?: boolean } = {}): Promise<number> {
    let count = 0;
    for (const { doc } of this.container.partition(tenantId))
      if ((!filter.shardType || doc.shardType === filter.shardType) && (filter.includeDeleted || !doc.deleted)) count++;
    return count;
  }

  async countByEntity(
    tenantId: string,
    integrationId: string,
    entities: readonly string[],
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = Object.fromEntries(entities.map((entity) => [entity, 0]));
    for (const { doc } of this.container.partition(tenantId)) {
      if (doc.deleted) continue;
      const held = new Set(
        doc.externalRefs.filter((ref) => ref.integrationId === integrationId).map((ref) => ref.entity),
      );
      for (const entity of held) if (entity in counts) counts[entity]!++;
    }
    return counts;
  }
}
