/** Repositories against the real local Cosmos (cosmosdb-server): tenant scoping, ETag concurrency, runs. */
import { createTestServices, type TestServices } from '../support/test-services';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncRun } from '../../shared/core/sync-run';
import { isAppError } from '../../shared/core/app-error';
import { CONTAINERS } from '../../shared/stores/documents/cosmos/containers';
import type { CosmosDatabase } from '../../shared/stores/documents/cosmos/cosmos-client';
import { CosmosIntegrationsRepository } from '../../shared/stores/documents/cosmos/integrations-repository';
import { openTestDatabase } from '../support/cosmos-database';

let t: TestServices;
/** The services' database, opened on its own: these tests look at the Cosmos calls and containers themselves. */
let database: CosmosDatabase;
beforeAll(async () => {
  t = await createTestServices();
  database = await openTestDatabase(t.settings);
});
afterAll(async () => {
  database.dispose();
  await t.services.close();
});

const now = new Date('2026-03-01T10:00:00Z');
const integration = (tenantId: string, id: string) =>
  newIntegration(tenantId, id, { provider: 'github', name: id }, { intervalMinutes: 15 }, now);
const run = (tenantId: string, integrationId: string, id: string): SyncRun => ({
  id,
  tenantId,
  integrationId,
  mode: 'full',
  trigger: 'manual',
  status: 'queued',
  counters: emptyCounters(),
  queuedAt: now.toISOString(),
  traceId: 't',
});

describe('integrations repository', () => {
  it('webhook lookups: concurrent ones share one query; a change through this process is seen at once, also by a lookup that was running', async () => {
    const repo = new CosmosIntegrationsRepository(database.containers.integrations);
    const created = await repo.create(integration('tenant-wh', 'wh-lookup'));
    const items = database.containers.integrations.items;
    const query = jest.spyOn(items, 'query');
    try {
      const found = await Promise.all(Array.from({ length: 20 }, () => repo.findForWebhook('wh-lookup')));
      expect(found.every((f) => f?.id === 'wh-lookup')).toBe(true);
      expect(query).toHaveBeenCalledTimes(1);
      // Cached now: no further query.
      await repo.findForWebhook('wh-lookup');
      expect(query).toHaveBeenCalledTimes(1);
      // A lookup running while the integration is disabled here does not leave the old copy cached.
      const stored = (await repo.get('tenant-wh', 'wh-lookup'))!;
      await repo.replace({ ...stored, enabled: !created.enabled });
      const running = repo.findForWebhook('wh-lookup');
      await repo.replace({ ...(await repo.get('tenant-wh', 'wh-lookup'))!, name: 'renamed' });
      await running;
      expect((await repo.findForWebhook('wh-lookup'))?.name).toBe('renamed');
    } finally {
      query.mockRestore();
    }
  });

  it('creates every container with its partition key', async () => {
    const { resources } = await database.database.containers.readAll().fetchAll();
    const keys = Object.fromEntries(resources.map((c) => [c.id, c.partitionKey?.paths?.[0]]));
    expect(keys).toMatchObject({
      integrations: '/tenantId',
      shards: '/tenantId',
      'sync-state': '/integrationId',
      'sync-runs': '/integrationId',
      conflicts: '/tenantId',
      'webhook-deliveries': '/integrationId',
    });
    expect(keys).toEqual(Object.fromEntries(Object.values(CONTAINERS).map((c) => [c.name, c.partitionKey])));
  });

  it("never returns another tenant's integration", async () => {
    await t.services.integrations.create(integration('tenant-a', 'shared-id'));
    expect(await t.services.integrations.get('tenant-a', 'shared-id')).toMatchObject({ tenantId: 'tenant-a' });
    expect(await t.services.integrations.get('tenant-b', 'shared-id')).toBeUndefined();
    expect(await t.services.integrations.list('tenant-b')).toEqual([]);
    expect(await t.services.integrations.delete('tenant-b', 'shared-id')).toBe(false);
    expect(await t.services.integrations.get('tenant-a', 'shared-id')).toBeDefined();
  });

  it('refuses a replace based on a stale ETag', async () => {
    const created = await t.services.integrations.create(integration('tenant-a', 'etag-1'));
    await t.services.integrations.replace({ ...created, name: 'first writer' });
    const error = await t.services.integrations
      .replace({ ...created, name: 'second writer' })
      .catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('precondition_failed');
    expect((await t.services.integrations.get('tenant-a', 'etag-1'))!.name).toBe('first writer');
  });

  it('finds due integrations across tenants, oldest first, and skips disabled ones', async () => {
    const due1 = { ...integration('tenant-c', 'due-1'), nextSyncAt: '2026-03-01T09:00:00.000Z' };
    const due2 = { ...integration('tenant-d', 'due-2'), nextSyncAt: '2026-03-01T08:00:00.000Z' };
    const later = { ...integration('tenant-c', 'later'), nextSyncAt: '2026-03-01T11:00:00.000Z' };
    const disabled = {
      ...integration('tenant-c', 'off'),
      enabled: false,
      status: 'disabled' as const,
      nextSyncAt: '2026-03-01T07:00:00.000Z',
    };
    for (const doc of [due1, due2, later, disabled]) await t.services.integrations.create(doc);
    const due = (await t.services.integrations.findDueAcrossTenants(now, 100)).filter(
      (doc) => doc.id.startsWith('due') || doc.id === 'later' || doc.id === 'off',
    );
    expect(due.map((doc) => doc.id)).toEqual(['due-2', 'due-1']);
  });

  it('duplicate create answers conflict', async () => {
    await t.services.integrations.create(integration('tenant-e', 'dup'));
    const error = await t.services.integrations
      .create(integration('tenant-e', 'dup'))
      .catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('conflict');
  });
});

describe('sync-runs repository', () => {
  it('createOrGet is idempotent for one run id', async () => {
    const first = await t.services.runs.createOrGet(run('tenant-a', 'i-1', 'r-1'));
    const second = await t.services.runs.createOrGet({ ...run('tenant-a', 'i-1', 'r-1'), mode: 'incremental' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.run.mode).toBe('full');
  });

  it('loses no counter update when pages of one run update it concurrently', async () => {
    await t.services.runs.createOrGet(run('tenant-a', 'i-2', 'r-2'));
    await Promise.all(
      Array.from({ length: 8 }, () =>
        t.services.runs.update(
          'tenant-a',
          'i-2',
          'r-2',
          (current) => ({ ...current, counters: { ...current.counters, fetched: current.counters.fetched + 10 } }),
          { attempts: 50 },
        ),
      ),
    );
    expect((await t.services.runs.get('tenant-a', 'i-2', 'r-2'))!.counters.fetched).toBe(80);
  });

  it('hides runs from another tenant even with the right integration id', async () => {
    await t.services.runs.createOrGet(run('tenant-a', 'i-3', 'r-3'));
    expect(await t.services.runs.get('tenant-b', 'i-3', 'r-3')).toBeUndefined();
    expect(await t.services.runs.list('tenant-b', 'i-3')).toEqual([]);
    expect(await t.services.runs.list('tenant-a', 'i-3')).toHaveLength(1);
  });
});

describe('blob archive and redis', () => {
  it('stores and reads back a blob in Azurite', async () => {
    await t.services.blob.put('test/a.json', '{"a":1}', 'application/json', { provider: 'github' });
    expect((await t.services.blob.get('test/a.json'))!.toString()).toBe('{"a":1}');
    expect(await t.services.blob.get('test/missing.json')).toBeUndefined();
  });

  it('talks to the private redis-server', async () => {
    expect(t.services.kv.backend).toBe('redis');
    await expect(t.services.kv.ping()).resolves.toBeUndefined();
  });
});
