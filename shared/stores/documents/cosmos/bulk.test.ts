/** Bulk writes and reads against the real local Cosmos (cosmosdb-server started by the jest global set-up). */
import { randomBytes } from 'node:crypto';
import { isAppError } from '../../../core/app-error';
import { BulkOperationType } from '@azure/cosmos';
import { bulkUpsert, readMany, writeEach, type BulkContainer, type UpsertDoc } from './bulk';
import { openCosmosDatabase, type CosmosDatabase } from './cosmos-client';

let store: CosmosDatabase;
beforeAll(async () => {
  store = await openCosmosDatabase({
    endpoint: process.env.COSMOS_ENDPOINT!,
    key: process.env.COSMOS_KEY!,
    database: `bulk-${randomBytes(6).toString('hex')}`,
    allowSelfSignedLocal: true,
  });
});
afterAll(() => store.dispose());

const docsOf = (integrationId: string, count: number, version: number): UpsertDoc[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `rec-${i}`,
    integrationId,
    kind: 'record',
    n: i,
    version,
    text: `line ${i}\u2028ü`,
  }));
const byIntegration = (doc: UpsertDoc) => String(doc.integrationId);

describe('bulkUpsert', () => {
  it('writes documents of several partitions in chunks and overwrites them on the next write', async () => {
    const container = store.containers.syncState;
    const docs = [...docsOf('int-a', 230, 1), ...docsOf('int-b', 40, 1)];
    await bulkUpsert(container, byIntegration, docs);
    await bulkUpsert(container, byIntegration, docsOf('int-a', 120, 2));

    const a = await readMany<UpsertDoc>(
      container,
      'int-a',
      docsOf('int-a', 230, 0).map((doc) => doc.id),
    );
    const b = await readMany<UpsertDoc>(
      container,
      'int-b',
      docsOf('int-b', 40, 0).map((doc) => doc.id),
    );
    expect(a).toHaveLength(230);
    expect(b).toHaveLength(40);
    const versions = new Map(a.map((doc) => [doc.id, doc.version]));
    expect(versions.get('rec-0')).toBe(2);
    expect(versions.get('rec-119')).toBe(2);
    expect(versions.get('rec-120')).toBe(1);
    expect(a.find((doc) => doc.id === 'rec-7')).toMatchObject({ integrationId: 'int-a', n: 7, text: 'line 7\u2028ü' });
    // Partitions stay apart: int-b's documents are not int-a's.
    expect(b.every((doc) => doc.integrationId === 'int-b')).toBe(true);
  });

  it('writes a chunk through the bulk call when the transactional batch is refused as a whole', async () => {
    const real = store.containers.shards;
    let batchCalls = 0;
    const refusing: BulkContainer = {
      items: {
        bulk: real.items.bulk.bind(real.items),
        batch: async () => {
          batchCalls += 1;
          throw new Error('Batch request error: Request size is too large');
        },
      },
    };
    const docs = Array.from({ length: 150 }, (_, i) => ({ id: `sh-${i}`, tenantId: 'tenant-x', n: i }));
    await bulkUpsert(refusing, (doc) => String(doc.tenantId), docs);
    expect(batchCalls).toBe(2);
    expect(
      await readMany(
        real,
        'tenant-x',
        docs.map((doc) => doc.id),
      ),
    ).toHaveLength(150);
  });

  it('fails with the statuses when operations fail, as a retryable error', async () => {
    const failing: BulkContainer = {
      items: {
        bulk: async (operations) =>
          operations.map((_, i) => ({ statusCode: i === 3 ? 429 : 200, requestCharge: 0 })) as never,
        batch: async (operations) =>
          ({
            result: operations.map((_, i) => ({ statusCode: i < 3 ? 200 : i === 3 ? 429 : 424, requestCharge: 0 })),
          }) as never,
      },
    };
    const error = await bulkUpsert(failing, (doc) => String(doc.tenantId), [
      { id: 'a', tenantId: 't' },
      { id: 'b', tenantId: 't' },
      { id: 'c', tenantId: 't' },
      { id: 'd', tenantId: 't' },
      { id: 'e', tenantId: 't' },
    ]).catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('rate_limited');
    expect(isAppError(error) && error.retryable).toBe(true);
    expect((error as Error).message).toContain('2 of 5 bulk writes failed (statuses 429)');
  });
});

describe('writeEach', () => {
  it('answers a status per document in their order, one batch per partition when all pass', async () => {
    const real = store.containers.webhookDeliveries;
    const calls = { batch: 0, bulk: 0 };
    const counting: BulkContainer = {
      items: {
        bulk: (...args) => (calls.bulk++, real.items.bulk(...args)),
        batch: (...args) => (calls.batch++, real.items.batch(...args)),
      },
    };
    // Two partitions, interleaved: the answers come back in the callers' order.
    const docs = Array.from({ length: 6 }, (_, i) => ({
      id: `r-${i}`,
      integrationId: i % 2 ? 'int-y' : 'int-x',
      n: i,
    }));
    const statuses = await writeEach(counting, BulkOperationType.Upsert, byIntegration, docs);
    expect(statuses.map((written) => 'status' in written && written.status < 300)).toEqual(Array(6).fill(true));
    expect(calls).toEqual({ batch: 2, bulk: 0 });
    const stored = await readMany<UpsertDoc>(real, 'int-y', ['r-1', 'r-3', 'r-5']);
    expect(stored.map((doc) => doc.n).sort()).toEqual([1, 3, 5]);
  });

  it('falls back to a bulk call when an operation of the batch fails, and answers each status', async () => {
    const real = store.containers.syncRuns;
    await writeEach(real, BulkOperationType.Create, byIntegration, [{ id: 'run-exists', integrationId: 'int-z' }]);
    const docs = [
      { id: 'run-new-1', integrationId: 'int-z' },
      { id: 'run-exists', integrationId: 'int-z' },
      { id: 'run-new-2', integrationId: 'int-z' },
    ];
    const statuses = await writeEach(real, BulkOperationType.Create, byIntegration, docs);
    expect(statuses.map((written) => ('status' in written ? written.status : 'error'))).toEqual([
      // 201 in Azure, which rolls the failed batch back; the stand-in keeps what the batch wrote before the
      // failure, so the bulk call finds it (409). Either way the document exists once.
      expect.any(Number),
      409,
      201,
    ]);
    expect(await readMany(real, 'int-z', ['run-new-1', 'run-new-2'])).toHaveLength(2);
  });

  it('answers the call error for every document when the bulk call itself fails', async () => {
    const down: BulkContainer = {
      items: {
        bulk: async () => Promise.reject(new Error('connect ECONNREFUSED')),
        batch: async () => Promise.reject(new Error('connect ECONNREFUSED')),
      },
    };
    const statuses = await writeEach(down, BulkOperationType.Upsert, byIntegration, docsOf('int-d', 2, 1));
    expect(statuses).toEqual([{ error: expect.any(Error) }, { error: expect.any(Error) }]);
  });
});

describe('readMany', () => {
  it('answers the documents that exist and leaves out missing ids', async () => {
    const container = store.containers.syncState;
    await bulkUpsert(container, byIntegration, docsOf('int-c', 5, 1));
    const found = await readMany<UpsertDoc>(container, 'int-c', ['rec-1', 'missing-1', 'rec-4', 'missing-2']);
    expect(found.map((doc) => doc.id).sort()).toEqual(['rec-1', 'rec-4']);
    expect(await readMany(container, 'int-other', ['rec-1'])).toEqual([]);
  });
});
