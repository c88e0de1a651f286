/**
 * Bulk writes in chunks (Cosmos takes at most 100 operations per bulk call): one round trip per chunk instead
 * of one per document. Any failed operation fails the call with the statuses, so a page is never half
 * committed without the caller knowing (the page is then retried and, being idempotent, completed).
 */
import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import { AppError } from '../errors/app-error';
import { translateCosmosError } from './cosmos-client';

const CHUNK = 100;

export type UpsertDoc = { id: string } & Record<string, unknown>;

/** What a bulk write needs of a container (an in-memory stand-in can offer just this). */
export type BulkContainer = { items: Pick<Container['items'], 'bulk'> };

export async function bulkUpsert(container: BulkContainer, partitionKey: (doc: UpsertDoc) => string, docs: UpsertDoc[]): Promise<void> {
  for (let start = 0; start < docs.length; start += CHUNK) {
    const chunk = docs.slice(start, start + CHUNK);
    const operations: OperationInput[] = chunk.map((doc) => ({ operationType: BulkOperationType.Upsert, partitionKey: partitionKey(doc), resourceBody: doc as JSONObject }));
    let results;
    try {
      results = await container.items.bulk(operations, { continueOnError: true });
    } catch (error) {
      throw translateCosmosError(error, 'bulk write');
    }
    const failed = results.filter((result) => result.statusCode >= 300);
    if (failed.length > 0) {
      const throttled = failed.some((result) => result.statusCode === 429);
      throw new AppError(throttled ? 'rate_limited' : 'dependency_unavailable', `${failed.length} of ${chunk.length} bulk writes failed (statuses ${[...new Set(failed.map((r) => r.statusCode))].join(', ')})`, {
        ...(throttled ? { retryAfterMs: 1000 } : {}),
      });
    }
  }
}

/** Point-read many documents of one partition by id (a parameterised IN query, in chunks). */
export async function readMany<T>(container: Container, partitionKey: string, ids: string[], field = 'id'): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    try {
      const { resources } = await container.items
        .query<T>({ query: `SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.${field})`, parameters: [{ name: '@ids', value: chunk }] }, { partitionKey })
        .fetchAll();
      out.push(...resources);
    } catch (error) {
      throw translateCosmosError(error, 'bulk read');
    }
  }
  return out;
}
