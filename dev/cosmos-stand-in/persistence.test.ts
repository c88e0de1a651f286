/**
 * The Cosmos stand-in's persistence, judged by the official @azure/cosmos client: what a server answered is there
 * after a restart on the same folder, with the same ETags and _ts (ETag claims and the changed-shard scan rely on
 * them), deletes stay deleted, and a crash (a second server opened on the folder while the first never closed
 * its log) loses nothing that was answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedCosmos, type RunningService } from '../../hosts/local/embedded-services';
import { openCosmosDatabase, type CosmosDatabase } from '../../shared/stores/documents/cosmos/cosmos-client';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'cosmos-persist-'));
const running: RunningService[] = [];
const clients: CosmosDatabase[] = [];
afterAll(async () => {
  for (const client of clients) client.dispose();
  await Promise.all(running.map((service) => service.stop().catch(() => undefined)));
  rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ service: RunningService; db: CosmosDatabase }> {
  const service = await startEmbeddedCosmos({ dataDir: dir });
  running.push(service);
  const db = await openCosmosDatabase({
    endpoint: service.settings.COSMOS_ENDPOINT,
    key: service.settings.COSMOS_KEY,
    database: 'persisted',
    allowSelfSignedLocal: true,
  });
  clients.push(db);
  return { service, db };
}

it('keeps documents, ETags and deletes across a clean stop and across a crash', async () => {
  const first = await open();
  const { database } = await first.db.client.databases.createIfNotExists({ id: 'persisted' });
  const { container } = await database.containers.createIfNotExists({
    id: 'things',
    partitionKey: { paths: ['/tenantId'] },
  });
  await container.items.create({ id: 'a', tenantId: 't1', value: 1 });
  await container.items.create({ id: 'b', tenantId: 't1', value: 2 });
  const replaced = await container.item('a', 't1').replace({ id: 'a', tenantId: 't1', value: 10 });
  await container.item('b', 't1').delete();
  await first.service.stop();

  const second = await open();
  const things = second.db.client.database('persisted').container('things');
  const { resource: a } = await things.item('a', 't1').read();
  expect(a).toMatchObject({ value: 10, _etag: replaced.resource!._etag, _ts: replaced.resource!._ts });
  expect((await things.item('b', 't1').read()).statusCode).toBe(404);
  // The ETag still guards writes: a stale one is refused, the kept one accepted.
  await expect(
    things
      .item('a', 't1')
      .replace({ id: 'a', tenantId: 't1', value: 11 }, { accessCondition: { type: 'IfMatch', condition: '"stale"' } }),
  ).rejects.toMatchObject({ code: 412 });
  await things.item('a', 't1').replace(
    { id: 'a', tenantId: 't1', value: 12 },
    {
      accessCondition: { type: 'IfMatch', condition: replaced.resource!._etag },
    },
  );
  await things.items.create({ id: 'c', tenantId: 't2', value: 3 });

  // A crash: the second server never closes its log; a third opens the folder.
  const third = await open();
  const after = third.db.client.database('persisted').container('things');
  const { resources } = await after.items.query('SELECT c.id, c["value"] FROM c ORDER BY c.id').fetchAll();
  expect(resources).toEqual([
    { id: 'a', value: 12 },
    { id: 'c', value: 3 },
  ]);
  // New documents get fresh resource ids after a restore (no clash with restored ones).
  await after.items.create({ id: 'd', tenantId: 't2', value: 4 });
  const { resources: all } = await after.items.query('SELECT c._rid FROM c').fetchAll();
  expect(new Set(all.map((item: { _rid: string }) => item._rid)).size).toBe(3);
});
