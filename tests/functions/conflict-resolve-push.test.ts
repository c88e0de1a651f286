/**
 * Resolving a conflict says truthfully whether the chosen values reach the provider: an inbound-only integration
 * keeps them locally (`"pushed": false` with the reason, the shard not marked for the outbound sync, the log
 * line says pushed=false); a bidirectional one marks the shard as a local edit and answers `"pushed": true`.
 */
import { adminApi } from '../../functions/AdminApi';
import { buildConflictDocument } from '../../shared/conflicts';
import { newIntegration } from '../../shared/core/integration';
import type { ResolveConflictResponse } from '../../shared/admin/contracts/operations';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

let t: TestServices;
const TENANT = 'resolve-push';

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000' });
  for (const [id, direction] of [
    ['in-only', 'inbound'],
    ['two-way', 'bidirectional'],
  ] as const)
    await t.services.integrations.create(
      newIntegration(
        TENANT,
        id,
        { provider: 'github', name: `GitHub ${id}`, direction, providerOptions: { repositories: ['acme/widgets'] } },
        { intervalMinutes: 60 },
        new Date(),
      ),
    );
});
afterAll(async () => t.services.close());

async function resolve(conflictId: string, choices: Record<string, unknown>) {
  const path = `tenants/${TENANT}/conflicts/${conflictId}/resolve`;
  const response = await adminApi.handler(
    httpRequest('POST', `admin/${path}`, {
      body: { choices },
      headers: { 'x-api-key': TEST_ADMIN_KEY },
      params: { path },
    }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as ResolveConflictResponse };
}

async function seed(integrationId: string): Promise<{ conflictId: string; shardId: string }> {
  const shardId = `sh-${integrationId}`;
  await t.services.shards.upsertMany([
    {
      id: shardId,
      tenantId: TENANT,
      shardType: 'github.issues',
      data: { title: 'mine' },
      externalRefs: [{ provider: 'github', integrationId, entity: 'issues', externalId: 'acme/widgets#1' }],
      links: [],
      lastWrittenBy: 'inbound',
      deleted: false,
      updatedAt: new Date().toISOString(),
    },
  ]);
  const doc = buildConflictDocument(
    { tenantId: TENANT, integrationId, shardId, entity: 'issues', externalId: 'acme/widgets#1' },
    [{ field: 'title', base: 'old', local: 'mine', remote: 'theirs' }],
    new Date(),
  )!;
  await t.services.conflicts.saveMany([doc]);
  return { conflictId: doc.id, shardId };
}

describe('POST tenants/{t}/conflicts/{id}/resolve', () => {
  it('keeps the chosen values locally on an inbound-only integration and says so', async () => {
    const { conflictId, shardId } = await seed('in-only');
    const answer = await resolve(conflictId, { title: { take: 'local' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'resolved', pushed: false, pushPending: false });
    expect(answer.body.reason).toMatch(/inbound-only.*kept locally/);
    const shard = await t.services.shards.get(TENANT, shardId);
    expect(shard).toMatchObject({ data: { title: 'mine' }, lastWrittenBy: 'inbound' });
    const line = t.logLines.find((entry) => entry.includes('conflict resolved') && entry.includes(conflictId));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ pushed: false });
  });

  it('pushes the chosen values on a bidirectional integration', async () => {
    const { conflictId, shardId } = await seed('two-way');
    const answer = await resolve(conflictId, { title: { value: 'agreed' } });
    expect(answer.body).toMatchObject({ status: 'resolved', pushed: true, pushPending: true });
    expect(answer.body.reason).toBeUndefined();
    expect(await t.services.shards.get(TENANT, shardId)).toMatchObject({
      data: { title: 'agreed' },
      lastWrittenBy: 'local',
    });
    const line = t.logLines.find((entry) => entry.includes('conflict resolved') && entry.includes(conflictId));
    expect(JSON.parse(line!)).toMatchObject({ pushed: true });
  });
});
