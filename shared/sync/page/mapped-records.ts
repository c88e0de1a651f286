/**
 * A page's records as the writer takes them: mapped to shard fields (without a conversion schema, as they are)
 * and one per record id, the latest version winning.
 */
import type { ProviderRecord } from '../../adapters/contract';
import type { Integration } from '../../core/integration';
import { contentHash, referenceKey, type MappedRecord } from '../../mapping';

/** Without a conversion schema a record's fields become the shard's data as they are. */
export function identityMap(provider: Integration['provider'], records: readonly ProviderRecord[]): MappedRecord[] {
  // A page is (almost always) one entity: its shard type string is built once, not once per record.
  let lastEntity: string | undefined;
  let lastShardType = '';
  const shardTypeOf = (entity: string) => {
    if (entity !== lastEntity) {
      lastEntity = entity;
      lastShardType = `${provider}.${entity}`;
    }
    return lastShardType;
  };
  return records.map((record) => ({
    recordId: record.id,
    provider,
    entity: record.entity,
    shardType: shardTypeOf(record.entity),
    version: record.version,
    modifiedAt: record.modifiedAt,
    deleted: record.deleted === true,
    data: record.deleted ? {} : record.data,
    contentHash: record.deleted ? 'deleted' : contentHash(record.data),
    references: [],
    derived: [],
  }));
}

/**
 * The latest version of each record wins within one page (providers can list a record twice). A record's
 * hash also covers its derived shards and references: a changed comment or account id is a change of the
 * record even when the mapped fields are not.
 */
export function lastOfEach(records: MappedRecord[]): MappedRecord[] {
  const byId = new Map<string, MappedRecord>();
  for (const record of records) {
    const extra = record.derived.length > 0 || record.references.length > 0;
    byId.set(
      record.recordId,
      extra
        ? {
            ...record,
            contentHash: contentHash({
              data: record.contentHash,
              derived: record.derived.map((child) => child.contentHash),
              references: record.references.map(referenceKey),
            }),
          }
        : record,
    );
  }
  return [...byId.values()];
}
