/** The integration list's extras for the admin UI (?include=lastRun,credential) through the real AdminApi handler. */
import { adminApi } from '../../functions/AdminApi';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { credentialRef } from '../../shared/app/integration-credentials';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
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

describe('GET tenants/{t}/integrations?include=…', () => {
  it('adds each integration’s newest run and credential state only when asked', async () => {
    const synced = (
      await call('POST', 'tenants/listing/integrations', {
        provider: 'github',
        name: 'Synced',
        providerOptions: { repositories: ['acme/widgets'] },
      })
    ).body;
    const bare = (
      await call('POST', 'tenants/listing/integrations', {
        provider: 'slack',
        name: 'Bare',
        providerOptions: { channels: ['C0123456'] },
      })
    ).body;
    await call('POST', `tenants/listing/integrations/${synced.id}/sync`, { mode: 'full' });
    const newest = await call('POST', `tenants/listing/integrations/${synced.id}/sync`, { mode: 'incremental' });
    await t.services.credentials.service.put(credentialRef({ tenantId: 'listing', id: synced.id }, 'api'), {
      type: 'bearer_token',
      token: 'secret-token-value-123',
    } as never);

    const plain = await call('GET', 'tenants/listing/integrations');
    expect(plain.body.items.map((item: any) => [item.name, 'lastRun' in item, 'credential' in item]).sort()).toEqual([
      ['Bare', false, false],
      ['Synced', false, false],
    ]);

    const full = await call('GET', 'tenants/listing/integrations?include=lastRun,credential');
    const byName = Object.fromEntries(full.body.items.map((item: any) => [item.name, item]));
    expect(byName.Synced.lastRun).toMatchObject({
      id: newest.body.runId,
      mode: 'incremental',
      counters: expect.objectContaining({ errors: 0 }),
    });
    expect(byName.Synced.credential).toEqual({ type: 'bearer_token', status: 'active' });
    expect(JSON.stringify(full.body)).not.toContain('secret-token-value-123');
    expect(byName.Bare.lastRun).toBeUndefined();
    expect(byName.Bare.credential).toBeNull();
    expect(bare.id).toBe(byName.Bare.id);

    const runsOnly = await call('GET', 'tenants/listing/integrations?include=lastRun');
    expect(runsOnly.body.items.every((item: any) => !('credential' in item))).toBe(true);
  });
});
