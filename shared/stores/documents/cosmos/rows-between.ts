/**
 * A chart's rows: the named fields of a tenant's documents whose time field lies in [from, to), optionally of one
 * integration (then one partition: the containers that chart are keyed by /integrationId), read in pages until
 * `max` rows. `truncated` says more rows were there.
 */
import type { Container } from '@azure/cosmos';
import { translateCosmosError } from './cosmos-client';

const PAGE_SIZE = 1000;

export interface RowsBetween {
  tenantId: string;
  /** The document field the range applies to (an ISO timestamp). */
  timeField: string;
  range: { from: string; to: string; integrationId?: string };
  /** The fields each row holds, as `c.<field>` expressions. */
  select: string[];
  max: number;
  /** What the rows are, for the error message. */
  what: string;
}

export async function rowsBetween<T>(
  container: Container,
  query: RowsBetween,
): Promise<{ rows: T[]; truncated: boolean }> {
  const { tenantId, timeField, range, select, max, what } = query;
  const { from, to, integrationId } = range;
  const parameters = [
    { name: '@tenantId', value: tenantId },
    { name: '@from', value: from },
    { name: '@to', value: to },
    ...(integrationId ? [{ name: '@integrationId', value: integrationId }] : []),
  ];
  const filter = `c.tenantId = @tenantId AND c.${timeField} >= @from AND c.${timeField} < @to${integrationId ? ' AND c.integrationId = @integrationId' : ''}`;
  try {
    const iterator = container.items.query<T>(
      { query: `SELECT ${select.join(', ')} FROM c WHERE ${filter}`, parameters },
      { maxItemCount: PAGE_SIZE, ...(integrationId ? { partitionKey: integrationId } : {}) },
    );
    const rows: T[] = [];
    while (iterator.hasMoreResults() && rows.length <= max) {
      const { resources } = await iterator.fetchNext();
      rows.push(...resources);
    }
    return { rows: rows.slice(0, max), truncated: rows.length > max || iterator.hasMoreResults() };
  } catch (error) {
    throw translateCosmosError(error, what);
  }
}
