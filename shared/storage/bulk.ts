/**
 * Bulk writes in chunks (Cosmos takes at most 100 operations per bulk call): one round trip per chunk instead
 * of one per document. Any failed operation fails the call with the statuses, so a page is never half
 * committed without the caller knowing (the page is then retried and, being idempotent, completed).
 * A few chunks are in flight at once, so a 2,000-record page does not wait for 20 round trips in a row.
 */
import { BulkOperationType, type Container, type JSONObject, type OperationInput } from '@azure/cosmos';
import { AppError } from '../errors/app-error';
import { translateCosmosError } from './cosmos-client';

const CHUNK = 100;
/** Bulk calls in flight at once per write or read. */
const PARALLEL_CHUNKS = 4;

export type UpsertDoc = { id: string } & Record<string, unknown>;

/** What a bulk write needs of a container (an in-memory stand-in can offer just this). */
export type BulkContainer = { items: Pick<Container['items'], 'bulk'> };

/**
 * Runs `work` over the chunk offsets of `total` items, at most PARALLEL_CHUNKS at a time. After a failure no
 * new chunk starts; the calls in flight are awaited before the first error is thrown.
 */
async function forEachChunk(total: number, work: (start: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < total) {
      const start = next;
      next += CHUNK;
      try {
        await work(start);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNKS, Math.ceil(total / CHUNK)) }, lane));
  if (failure) throw failure.error;
}

export async function bulkUpsert(container: BulkContainer, partitionKey: (doc: UpsertDoc) => string, docs: UpsertDoc[]): Promise<void> {
  await forEachChunk(docs.length, async (start) => {
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
  });
}

/**
 * Point-read many documents of one partition by id, as bulk Read operations in chunks: a point read costs the
 * same however large the partition is, where an `ARRAY_CONTAINS(@ids, c.id)` query scans it (on the local
 * cosmosdb-server every such query walked the whole container, so a full sync slowed down as it grew).
 * Missing documents (404) are simply absent from the answer.
 */
export async function readMany<T>(container: BulkContainer, partitionKey: string, ids: string[]): Promise<T[]> {
  const found: T[][] = [];
  await forEachChunk(ids.length, async (start) => {
    const out: T[] = [];
    found[start / CHUNK] = out;
    const operations: OperationInput[] = ids.slice(start, start + CHUNK).map((id) => ({ operationType: BulkOperationType.Read, id, partitionKey }));
    let results;
    try {
      results = await container.items.bulk(operations, { continueOnError: true });
    } catch (error) {
      throw translateCosmosError(error, 'bulk read');
    }
    for (const result of results) {
      if (result.statusCode === 404) continue;
      if (result.statusCode >= 300) {
        const throttled = result.statusCode === 429;
        throw new AppError(throttled ? 'rate_limited' : 'dependency_unavailable', `bulk read failed (status ${result.statusCode})`, throttled ? { retryAfterMs: 1000 } : {});
      }
      if (result.resourceBody) out.push(result.resourceBody as T);
    }
  });
  return found.flat();
}
