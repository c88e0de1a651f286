/**
 * The record browser's query on Cosmos: always within the tenant's partition (partition key given, so never a
 * cross-partition fan-out), live shards only, keyset-paged by id (`c.id > @afterId ORDER BY c.id`: each page is
 * a range read of the id index, however deep the paging, and the token is ours, not the SDK's). The integration
 * and entity filters are indexed array-element lookups on externalRefs; the `q` search compares the id and
 * external ids exactly and looks for the lower-cased text in the title fields (shard-title.ts) of the shards
 * the other filters left.
 */
import type { Container, SqlParameter } from '@azure/cosmos';
import { SHARD_TITLE_FIELDS } from '../../../core/shard-title';
import type { Shard } from '../../../core/shard';
import type { ShardBrowseFilter, ShardBrowsePage } from '../shards-repository';
import { translateCosmosError } from './cosmos-client';

const COLUMNS =
  'c.id, c.tenantId, c.shardType, c.data, c.externalRefs, c.links, c.lastWrittenBy, c.deleted, c.updatedAt, c.targetIntegrationId, c.pushError';

export function browseQuery(
  tenantId: string,
  filter: ShardBrowseFilter,
  afterId: string | undefined,
): { query: string; parameters: SqlParameter[] } {
  const conditions = ['c.tenantId = @tenantId', 'c.deleted = false'];
  const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
  if (afterId !== undefined) {
    conditions.push('c.id > @afterId');
    parameters.push({ name: '@afterId', value: afterId });
  }
  if (filter.integrationId !== undefined) {
    parameters.push({ name: '@integrationId', value: filter.integrationId });
    const entity = filter.entity !== undefined ? ' AND r.entity = @entity' : '';
    const local =
      filter.entity === undefined
        ? 'c.targetIntegrationId = @integrationId'
        : filter.shardType !== undefined
          ? '(c.targetIntegrationId = @integrationId AND c.shardType = @shardType)'
          : undefined;
    const fromRefs = `EXISTS(SELECT VALUE r FROM r IN c.externalRefs WHERE r.integrationId = @integrationId${entity})`;
    conditions.push(local ? `(${fromRefs} OR ${local})` : fromRefs);
  } else if (filter.entity !== undefined) {
    conditions.push('EXISTS(SELECT VALUE r FROM r IN c.externalRefs WHERE r.entity = @entity)');
  }
  if (filter.entity !== undefined) parameters.push({ name: '@entity', value: filter.entity });
  if (filter.shardType !== undefined && filter.integrationId !== undefined && filter.entity !== undefined)
    parameters.push({ name: '@shardType', value: filter.shardType });
  if (filter.q !== undefined) {
    parameters.push({ name: '@q', value: filter.q }, { name: '@lowerQ', value: filter.q.toLowerCase() });
    const titles = SHARD_TITLE_FIELDS.map((field) => `CONTAINS(LOWER(c.data["${field}"]), @lowerQ)`);
    conditions.push(
      `(c.id = @q OR EXISTS(SELECT VALUE r FROM r IN c.externalRefs WHERE r.externalId = @q) OR ${titles.join(' OR ')})`,
    );
  }
  return { query: `SELECT ${COLUMNS} FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.id`, parameters };
}

export async function browseShards(
  container: Container,
  tenantId: string,
  filter: ShardBrowseFilter,
  page: { limit: number; afterId?: string },
): Promise<ShardBrowsePage> {
  try {
    // One more than the page: whether there is a next page without a second query.
    const wanted = page.limit + 1;
    const iterator = container.items.query<Shard>(browseQuery(tenantId, filter, page.afterId), {
      partitionKey: tenantId,
      maxItemCount: wanted,
    });
    const found: Shard[] = [];
    while (found.length < wanted && iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      found.push(...resources);
    }
    const items = found.slice(0, page.limit);
    return found.length > page.limit ? { items, nextAfterId: items[items.length - 1]!.id } : { items };
  } catch (error) {
    throw translateCosmosError(error, 'shards');
  }
}
