/** The local Cosmos stand-in answers writes sent with Prefer: return=minimal without their documents, as Azure does. */
import type { AddressInfo } from 'node:net';
import { Agent } from 'node:https';
import { BulkOperationType, CosmosClient, type Container, type RequestOptions } from '@azure/cosmos';
import { answerMinimalWrites } from './minimal-write-responses';

let close: () => Promise<void>;
let container: Container;
let client: CosmosClient;
let agent: Agent;

beforeAll(async () => {
  expect(answerMinimalWrites()).toBe(true);
  const { createHttpsServer } = await import('@vercel/cosmosdb-server');
  const server = createHttpsServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  client = new CosmosClient({
    endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key: Buffer.from('local').toString('base64'),
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'minimal' });
  ({ container } = await database.containers.createIfNotExists({ id: 'docs', partitionKey: { paths: ['/pk'] } }));
});
afterAll(async () => {
  client.dispose();
  agent.destroy();
  await close();
});

const upserts = (ids: string[]) =>
  ids.map((id) => ({
    operationType: BulkOperationType.Upsert,
    partitionKey: 'p',
    resourceBody: { id, pk: 'p', value: id },
  }));
const minimal = { contentResponseOnWriteEnabled: false } as RequestOptions;

describe('Prefer: return=minimal on the local Cosmos stand-in', () => {
  it('leaves the documents out of batch and bulk write answers, and keeps their statuses', async () => {
    const batch = await container.items.batch(upserts(['a', 'b']), 'p', minimal);
    expect(batch.result!.map((r) => [r.statusCode, r.resourceBody])).toEqual([
      [201, undefined],
      [201, undefined],
    ]);
    const bulk = await container.items.bulk(upserts(['a', 'c']), { continueOnError: true }, minimal);
    expect(bulk.map((r) => [r.statusCode, r.resourceBody])).toEqual([
      [200, undefined],
      [201, undefined],
    ]);
  });

  it('still answers reads and writes sent without the header in full', async () => {
    const full = await container.items.batch(upserts(['d']), 'p');
    expect(full.result![0]!.resourceBody).toMatchObject({ id: 'd', value: 'd' });
    const reads = await container.items.bulk(
      ['a', 'c', 'missing'].map((id) => ({ operationType: BulkOperationType.Read, id, partitionKey: 'p' })),
      { continueOnError: true },
    );
    expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 404]);
    expect(reads[1]!.resourceBody).toMatchObject({ id: 'c', value: 'c' });
    // A read keeps its document even in a call that asks for minimal answers.
    const mixed = await container.items.bulk(
      [{ operationType: BulkOperationType.Read, id: 'a', partitionKey: 'p' }, ...upserts(['e'])],
      { continueOnError: true },
      minimal,
    );
    expect(mixed.map((r) => [r.statusCode, r.resourceBody && (r.resourceBody as { id: string }).id])).toEqual([
      [200, 'a'],
      [201, undefined],
    ]);
  });
});
