/**
 * Bulk reads and writes in chunks of at most 100 operations (Cosmos' limit per batch): one round trip per chunk
 * instead of one per document. Any failed operation fails the call with the statuses, so a page is never half
 * committed without the caller knowing (the page is then retried and, being idempotent, completed).
 * A few chunks are in flight at once, so a 2,000-record page does not wait for 20 round trips in a row.
 *
 * Writes go as one transactional batch per chunk of one partition key: the SDK's bulk call hashes the partition
 * key of every operation and serialises every operation twice (once to measure it), which was most of the
 * instance's CPU in a sync; a batch hashes its one key once and serialises once. A batch is all-or-nothing in
 * Azure (a stronger promise than bulk's, which the page writer does not need but does not mind). When a batch is
 * refused as a whole (too large: over 2 MB, a request timeout, throttling after the SDK's own retries) the chunk
 * is written again through the bulk call, which splits by size and reports a status per operation.
 */
import {
  BulkOperationType,
  type Container,
  type JSONObject,
  type OperationInput,
  type OperationResponse,
  type RequestOptions,
} from '@azure/cosmos';
import { AppError } from '../../../core/app-error';
import { translateCosmosError } from './cosmos-client';

const CHUNK = 100;
/** Bulk calls in flight at once per write or read. */
const PARALLEL_CHUNKS = 4;
/** The written documents are not needed back: Azure then answers without them (less to send and parse). */
const WRITE_OPTIONS = { contentResponseOnWriteEnabled: false } as RequestOptions;

export type UpsertDoc = { id: string } & Record<string, unknown>;

/** What bulk reads and writes need of a container (an in-memory stand-in can offer just this). */
export type BulkContainer = { items: Pick<Container['items'], 'bulk'> & Partial<Pick<Container['items'], 'batch'>> };

/**
 * Runs `work` over the chunks, at most PARALLEL_CHUNKS at a time. After a failure no new chunk starts; the
 * calls in flight are awaited before the first error is thrown.
 */
async function forEachChunk<T>(chunks: T[], work: (chunk: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < chunks.length) {
      const index = next++;
      try {
        await work(chunks[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_CHUNKS, chunks.length) }, lane));
  if (failure) throw failure.error;
}

/** Documents grouped by partition key (first-seen order kept), cut into chunks of at most CHUNK. */
function chunksByPartition(
  docs: UpsertDoc[],
  partitionKey: (doc: UpsertDoc) => string,
): Array<{ key: string; docs: UpsertDoc[] }> {
  const groups = new Map<string, UpsertDoc[]>();
  for (const doc of docs) {
    const key = partitionKey(doc);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(doc);
  }
  const chunks: Array<{ key: string; docs: UpsertDoc[] }> = [];
  for (const [key, group] of groups)
    for (let start = 0; start < group.length; start += CHUNK)
      chunks.push({ key, docs: group.slice(start, start + CHUNK) });
  return chunks;
}

function failedWrites(results: readonly OperationResponse[], total: number): AppError | undefined {
  const failed = results.filter((result) => result.statusCode >= 300);
  if (failed.length === 0) return undefined;
  // In an atomic batch the operations behind the failing one answer 424 (failed dependency): name the cause.
  const causes = failed.filter((result) => result.statusCode !== 424);
  const throttled = failed.some((result) => result.statusCode === 429);
  return new AppError(
    throttled ? 'rate_limited' : 'dependency_unavailable',
    `${failed.length} of ${total} bulk writes failed (statuses ${[...new Set((causes.length ? causes : failed).map((r) => r.statusCode))].join(', ')})`,
    {
      ...(throttled ? { retryAfterMs: 1000 } : {}),
    },
  );
}

async function writeChunkInBulk(container: BulkContainer, operations: OperationInput[]): Promise<void> {
  let results;
  try {
    results = await container.items.bulk(operations, { continueOnError: true }, WRITE_OPTIONS);
  } catch (error) {
    throw translateCosmosError(error, 'bulk write');
  }
  const failure = failedWrites(results, operations.length);
  if (failure) throw failure;
}

async function writeChunk(container: BulkContainer, key: string, docs: UpsertDoc[]): Promise<void> {
  // The batch call rewrites each operation's partitionKey in place, so each attempt gets its own operations.
  const operations = () =>
    docs.map((doc): OperationInput => ({
      operationType: BulkOperationType.Upsert,
      partitionKey: key,
      resourceBody: doc as JSONObject,
    }));
  if (!container.items.batch) return writeChunkInBulk(container, operations());
  let results: OperationResponse[] | undefined;
  try {
    results = (await container.items.batch(operations(), key, WRITE_OPTIONS)).result;
  } catch {
    // Refused as a whole (the SDK drops the status here): nothing of it was committed, so write it in bulk.
    return writeChunkInBulk(container, operations());
  }
  const failure = failedWrites(results ?? [], docs.length);
  if (failure) throw failure;
}

/** Upserts documents: one transactional batch per chunk of one partition key (see the module comment). */
export async function bulkUpsert(
  container: BulkContainer,
  partitionKey: (doc: UpsertDoc) => string,
  docs: UpsertDoc[],
): Promise<void> {
  await forEachChunk(chunksByPartition(docs, partitionKey), (chunk) => writeChunk(container, chunk.key, chunk.docs));
}

/** What became of one document of `writeEach`: its status, or the error of the call that carried it. */
export type WriteStatus = { status: number } | { error: unknown };

/**
 * Creates or upserts documents and answers each one's status, in order, for callers that settle documents one
 * by one (the webhook intake's receipts and runs). Each chunk of one partition key goes as a transactional batch
 * first (see the module comment); when the batch is refused or one of its operations fails (a run that exists
 * already answers 409), the chunk is written again in bulk, which answers per operation. Both kinds of write are
 * idempotent for these callers (an upsert writes the same document; a second create answers 409 again).
 */
export async function writeEach(
  container: BulkContainer,
  operationType: typeof BulkOperationType.Create | typeof BulkOperationType.Upsert,
  partitionKey: (doc: UpsertDoc) => string,
  docs: UpsertDoc[],
): Promise<WriteStatus[]> {
  const statuses: WriteStatus[] = new Array(docs.length);
  const positions = new Map<UpsertDoc, number>();
  docs.forEach((doc, index) => positions.set(doc, index));
  await Promise.all(
    chunksByPartition(docs, partitionKey).map(async (chunk) => {
      const answers = await writeChunkEach(container, operationType, chunk.key, chunk.docs);
      chunk.docs.forEach((doc, index) => (statuses[positions.get(doc)!] = answers[index]!));
    }),
  );
  return statuses;
}

async function writeChunkEach(
  container: BulkContainer,
  operationType: typeof BulkOperationType.Create | typeof BulkOperationType.Upsert,
  key: string,
  docs: UpsertDoc[],
): Promise<WriteStatus[]> {
  const operations = () =>
    docs.map((doc): OperationInput => ({ operationType, partitionKey: key, resourceBody: doc as JSONObject }));
  if (container.items.batch) {
    try {
      const results = (await container.items.batch(operations(), key, WRITE_OPTIONS)).result ?? [];
      if (results.length === docs.length && results.every((result) => result.statusCode < 300))
        return results.map((result) => ({ status: result.statusCode }));
    } catch {
      // Refused as a whole: nothing of it was committed; the bulk call below answers per operation.
    }
  }
  try {
    const results = await container.items.bulk(operations(), { continueOnError: true }, WRITE_OPTIONS);
    return docs.map((_, index) => ({ status: results[index]?.statusCode ?? 500 }));
  } catch (error) {
    return docs.map(() => ({ error }));
  }
}

/**
 * Point-read many documents of one partition by id, as bulk Read operations in chunks: a point read costs the
 * same however large the partition is, where an `ARRAY_CONTAINS(@ids, c.id)` query scans it (on the local
 * cosmosdb-server every such query walked the whole container, so a full sync slowed down as it grew).
 * Reads stay bulk calls, not batches: one missing document would fail a whole transactional batch.
 * Missing documents (404) are simply absent from the answer.
 */
export async function readMany<T>(container: BulkContainer, partitionKey: string, ids: string[]): Promise<T[]> {
  const chunks: string[][] = [];
  for (let start = 0; start < ids.length; start += CHUNK) chunks.push(ids.slice(start, start + CHUNK));
  const found: T[][] = [];
  await forEachChunk(chunks, async (chunk, index) => {
    const out: T[] = [];
    found[index] = out;
    const operations: OperationInput[] = chunk.map((id) => ({
      operationType: BulkOperationType.Read,
      id,
      partitionKey,
    }));
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
        throw new AppError(
          throttled ? 'rate_limited' : 'dependency_unavailable',
          `bulk read failed (status ${result.statusCode})`,
          throttled ? { retryAfterMs: 1000 } : {},
        );
      }
      if (result.resourceBody) out.push(result.resourceBody as T);
    }
  });
  return found.flat();
}
