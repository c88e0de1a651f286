/**
 * `health` on every integration of GET …/integrations and GET …/integrations/{id}, and the list's extras for the
 * Integrations page (records held per entity, open conflicts), through the real AdminApi handler and stores.
 */
import { adminApi } from '../../functions/AdminApi';
import { buildConflictDocument } from '../../shared/conflicts';
import { emptyCounters, type SyncRun } from '../../shared/core/sync-run';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';

let t: TestServices;
const TENANT = 'health-list';
beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000' });
});
afterAll(async () => t.services.close());

async function call(method: string, path: string, body?: unknown) {
  const [route] = path.split('?');
  const request = httpRequest(method, `admin/${path}`, {
    body,
    headers: { 'x-api-key': TEST_ADMIN_KEY },
    params: { path: route! },
  });
  const response = await adminApi.handler(request, invocation('AdminApi'), t.services);
  return { status: response.status ?? 200, body: bodyOf(response) as Record<string, any> };
}

const github = (name: string, extra: Record<string, unknown> = {}) =>
  call('POST', `tenants/${TENANT}/integrations`, {
    provider: 'github',
    name,
    providerOptions: { repositories: ['acme/widgets'] },
    ...extra,
  });

function run(integrationId: string, id: string, status: SyncRun['status'], minutesAgo: number): SyncRun {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    id,
    integrationId,
    tenantId: TENANT,
    mode: 'incremental',
    trigger: 'schedule',
    status,
    counters: emptyCounters(),
    queuedAt: at,
    finishedAt: at,
    traceId: 'trace',
    ...(status === 'failed' ? { lastError: { code: 'configuration', message: 'repository not found' } } : {}),
  };
}

describe('integration health in the admin API', () => {
  it('carries health with its reason on every integration of the list and on the read', async () => {
    const fresh = (await github('Fresh')).body;
    const healthy = (await github('Healthy')).body;
    const failing = (await github('Failing')).body;
    const off = (await github('Off', { enabled: false })).body;
    await t.services.runs.upsertMany([
      run(healthy.id, 'h-1', 'succeeded', 2),
      run(failing.id, 'f-3', 'succeeded', 1),
      run(failing.id, 'f-2', 'failed', 20),
      run(failing.id, 'f-1', 'succeeded', 40),
    ]);

    const list = await call('GET', `tenants/${TENANT}/integrations`);
    expect(list.status).toBe(200);
    const health = Object.fromEntries(list.body.items.map((item: any) => [item.name, item.health]));
    expect(health).toEqual({
      Fresh: { status: 'never_synced', reason: 'it has not synced yet' },
      Healthy: { status: 'ok', reason: 'last successful sync 2 min ago' },
      Failing: { status: 'failing', reason: '1 of its last 3 runs failed: repository not found' },
      Off: { status: 'disabled', reason: expect.stringContaining('disabled') },
    });
    const read = await call('GET', `tenants/${TENANT}/integrations/${failing.id}`);
    expect(read.body.health).toEqual(health.Failing);
    expect((await call('GET', `tenants/${TENANT}/integrations/${fresh.id}`)).body.health.status).toBe('never_synced');
    expect((await call('GET', `tenants/${TENANT}/integrations/${off.id}`)).body.health.status).toBe('disabled');
  });

  it('counts records held per entity and open conflicts when asked, within the tenant only', async () => {
    const held = (await github('Held')).body;
    const shard = (id: string, tenantId: string, entity: string, deleted = false) => ({
      id,
      tenantId,
      shardType: `github.${entity}`,
      data: {},
      externalRefs: [{ provider: 'github', integrationId: held.id, entity, externalId: id }],
      links: [],
      lastWrittenBy: 'inbound' as const,
      deleted,
      updatedAt: new Date().toISOString(),
    });
    await t.services.shards.upsertMany([
      shard('r1', TENANT, 'issues'),
      shard('r2', TENANT, 'issues'),
      shard('r3', TENANT, 'issue_comments'),
      shard('r4', TENANT, 'issues', true),
      // Another tenant's shards naming the same integration id are not this tenant's records.
      shard('r5', 'someone-else', 'issues'),
    ]);
    const conflict = (externalId: string) =>
      buildConflictDocument(
        { tenantId: TENANT, integrationId: held.id, shardId: 'r1', entity: 'issues', externalId },
        [{ field: 'title', base: 'a', local: 'b', remote: 'c' }],
        new Date(),
      )!;
    await t.services.conflicts.saveMany([conflict('1'), conflict('2')]);

    const list = await call('GET', `tenants/${TENANT}/integrations?include=records,conflicts`);
    const item = list.body.items.find((candidate: any) => candidate.id === held.id);
    expect(item).toMatchObject({ records: { issues: 2, issue_comments: 1 }, openConflicts: 2 });
    expect(item.openConflictsMore).toBeUndefined();
    const plain = await call('GET', `tenants/${TENANT}/integrations`);
    expect(plain.body.items.find((candidate: any) => candidate.id === held.id).records).toBeUndefined();

    // Another tenant asking for this integration: 404, exactly as an unknown id.
    const foreign = await call('GET', `tenants/someone-else/integrations/${held.id}?include=records`);
    const unknown = await call('GET', 'tenants/someone-else/integrations/00000000-0000-0000-0000-000000000000');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    expect((await call('GET', 'tenants/someone-else/integrations?include=records,conflicts')).body.items).toEqual([]);
  });

  it('refuses a change that would leave the integration unable to sync, naming the option', async () => {
    const created = (await github('Patched')).body;
    const patched = await call('PATCH', `tenants/${TENANT}/integrations/${created.id}`, {
      providerOptions: { repositories: [] },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.error.target).toBe('providerOptions.repositories');
    const renamed = await call('PATCH', `tenants/${TENANT}/integrations/${created.id}`, { name: 'Renamed' });
    expect(renamed.status).toBe(200);
  });
});
