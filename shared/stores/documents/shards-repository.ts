/**
 * The shards port (documents `shards`, partition /tenantId): the internal records the engine keeps in sync.
 * Every read is scoped to one tenant. Implementations: cosmos/shards-repository.ts, memory/shards-repository.ts.
 */
import type { ExternalRef, Shard } from '../../core/shard';
import type { Stored } from '../../core/stored';

/** A shard found by the dedup index: what the strategies compare and the keys it was indexed under. */
export interface DedupKeyHit {
  id: string;
  data: Record<string, unknown>;
  dedupKeys: string[];
}

/** A locally changed shard found by the outbound scan. */
export interface ChangedShard {
  id: string;
  etag: string;
  /** The store's modification time of the shard (seconds). */
  ts: number;
  shardType: string;
  externalRefs: ExternalRef[];
  targetIntegrationId?: string;
}

/** Where the outbound scan reads: after second `sinceTs`, or within second `ts` after shard `afterId`. */
export type ChangeWindow = { sinceTs: number } | { ts: number; afterId: string };

/** What the record browser filters on; every condition given must hold. */
export interface ShardBrowseFilter {
  /** Shards with a source record in this integration, or created locally for it. */
  integrationId?: string;
  /** Shards with a source record of this entity (of `integrationId` when given). */
  entity?: string;
  /** With integrationId and entity: the entity's shard type, which locally created shards are matched by. */
  shardType?: string;
  /** Equal to the shard id or a source record's external id, or in a title field (shard-title.ts), any case. */
  q?: string;
}

/** One page of the browser: live shards by id; `nextAfterId` when there are more. */
export interface ShardBrowsePage {
  items: Shard[];
  nextAfterId?: string;
}

export interface ShardsRepository {
  /** The shard with its ETag (for guarded replaces), or undefined when absent or another tenant's. */
  get(tenantId: string, shardId: string): Promise<Stored<Shard> | undefined>;
  /** The tenant's shards among `shardIds` (point reads in bulk; absent ones are left out), by id. */
  getMany(tenantId: string, shardIds: string[]): Promise<Map<string, Shard>>;
  /** Replace guarded by the ETag read earlier: a concurrent change fails with precondition_failed. */
  replace(shard: Stored<Shard>): Promise<Stored<Shard>>;
  /**
   * Outbound scan: shards of the given types written by a local edit, within one tenant, at most `limit`.
   * Either changed after `sinceTs` (seconds), oldest first; or, to page through one busy second, changed in
   * second `ts` with an id after `afterId`, by id.
   */
  changedLocally(tenantId: string, shardTypes: string[], window: ChangeWindow, limit: number): Promise<ChangedShard[]>;
  /** Live shards of one tenant indexed under any of `keys` (natural or blocking keys), at most `limit`. */
  findByDedupKeys(tenantId: string, keys: string[], limit: number): Promise<DedupKeyHit[]>;
  /** Writes shards as they are (bulk, unguarded): a page's shards have deterministic ids. */
  upsertMany(shards: Shard[]): Promise<void>;
  /** Deletes the tenant's shards among `shardIds` for good (a purge); absent ones are no error. Answers how many went. */
  deleteMany(tenantId: string, shardIds: string[]): Promise<number>;

  /** Live shards of one tenant matching `filter`, by id after `afterId`, at most `limit` (keyset paging). */
  browse(
    tenantId: string,
    filter: ShardBrowseFilter,
    page: { limit: number; afterId?: string },
  ): Promise<ShardBrowsePage>;
  count(tenantId: string, filter?: { shardType?: string; includeDeleted?: boolean }): Promise<number>;
  /** Live shards holding a record of this integration, per entity (each entity asked for is in the answer). */
  countByEntity(tenantId: string, integrationId: string, entities: readonly string[]): Promise<Record<string, number>>;
}
