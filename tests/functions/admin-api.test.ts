/** AdminApi through its real handler, real HttpRequest objects and the real local Cosmos. */
import { adminApi } from '../../functions/AdminApi';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { QUEUES } from '../../shared/stores/queue/queues';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
});
afterAll(async () => t.services.close());

const key = { 'x-api-key': TEST_ADMIN_KEY };
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = key) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return {
    status: response.status ?? 200,
    body: bodyOf(response) as Record<string, any>,
    headers: response.headers as Record<string, string> | undefined,
  };
}

describe('AdminApi', () => {
  it('creates an integration from provider, name and the options its adapter needs, with documented defaults', async () => {
    const { status, body } = await call('POST', 'tenants/acme/integrations', {
      provider: 'github',
      name: 'Engineering',
      providerOptions: { repositories: ['acme/widgets'] },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      tenantId: 'acme',
      provider: 'github',
      name: 'Engineering',
      enabled: true,
      status: 'active',
      direction: 'inbound',
      entities: ['issues', 'issue_comments'],
      dedupStrategy: 'external_id',
      conflictStrategy: 'source_wins',
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await call('GET', `tenants/acme/integrations/${body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Engineering');
  });

  it.each([
    [{ name: 'x' }, 'provider'],
    [{ provider: 'myspace', name: 'x' }, 'provider'],
    [{ provider: 'slack' }, 'name'],
    [
      { provider: 'slack', name: 'x', providerOptions: { channels: ['C0123456'] }, schedule: { intervalMinutes: 0 } },
      'schedule.intervalMinutes',
    ],
    [{ provider: 'slack', name: 'x', providerOptions: { channels: ['C0123456'] }, surprise: true }, 'body'],
    [{ provider: 'slack', name: 'x', providerOptions: { appDistribution: 'gold' } }, 'providerOptions.appDistribution'],
    // An integration its adapter cannot run is refused at once, not created to fail every run.
    [{ provider: 'github', name: 'x' }, 'providerOptions.repositories'],
    [
      { provider: 'github', name: 'x', providerOptions: { repositories: ['widgets'] } },
      'providerOptions.repositories.0',
    ],
    [{ provider: 'notion', name: 'x', providerOptions: {} }, 'providerOptions.dataSourceId'],
    [{ provider: 'slack', name: 'x' }, 'providerOptions.channels'],
    [{ provider: 'salesforce', name: 'x', providerOptions: { apiVersion: '60' } }, 'providerOptions.apiVersion'],
  ])('rejects %j with 400 naming %s', async (body, field) => {
    const { status, body: answer } = await call('POST', 'tenants/acme/integrations', body);
    expect(status).toBe(400);
    expect(answer.error.target).toBe(field);
    expect(answer.error.message).toContain(field);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const response = await adminApi.handler(
      httpRequest('POST', 'admin/tenants/acme/integrations', {
        rawBody: '{oops',
        headers: key,
        params: { path: 'tenants/acme/integrations' },
      }),
      invocation('AdminApi'),
      t.services,
    );
    expect(response.status).toBe(400);
    expect((bodyOf(response) as any).error.message).toMatch(/JSON/);
  });

  it('answers 401 without a key or with a wrong key, and stores nothing', async () => {
    expect(
      (
        await call(
          'POST',
          'tenants/acme/integrations',
          { provider: 'github', name: 'no key', providerOptions: { repositories: ['acme/widgets'] } },
          {},
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await call(
          'POST',
          'tenants/acme/integrations',
          { provider: 'github', name: 'bad key', providerOptions: { repositories: ['acme/widgets'] } },
          { 'x-api-key': 'wrong-key-wrong-key' },
        )
      ).status,
    ).toBe(401);
    const names = (await call('GET', 'tenants/acme/integrations')).body.items.map(
      (item: { name: string }) => item.name,
    );
    expect(names).not.toContain('no key');
    expect(names).not.toContain('bad key');
  });

  it("answers 404 for another tenant's integration exactly as for an unknown one", async () => {
    const { body } = await call('POST', 'tenants/acme/integrations', {
      provider: 'notion',
      name: 'Wiki',
      providerOptions: { dataSourceId: '0f3c2f3e-5a1b-4c2d-9e8f-123456789abc' },
    });
    const other = await call('GET', `tenants/globex/integrations/${body.id}`);
    const unknown = await call('GET', 'tenants/globex/integrations/00000000-0000-0000-0000-000000000000');
    expect(other.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect((await call('PATCH', `tenants/globex/integrations/${body.id}`, { name: 'stolen' })).status).toBe(404);
    expect((await call('DELETE', `tenants/globex/integrations/${body.id}`)).status).toBe(404);
    expect((await call('POST', `tenants/globex/integrations/${body.id}/sync`, { mode: 'full' })).status).toBe(404);
    expect((await call('GET', `tenants/globex/integrations/${body.id}/runs`)).status).toBe(404);
    expect((await call('GET', `tenants/acme/integrations/${body.id}`)).body.name).toBe('Wiki');
  });

  it('lists, patches and deletes', async () => {
    const { body } = await call('POST', 'tenants/initech/integrations', { provider: 'salesforce', name: 'CRM' });
    expect(
      (await call('GET', 'tenants/initech/integrations')).body.items.map((item: { id: string }) => item.id),
    ).toEqual([body.id]);
    const patched = await call('PATCH', `tenants/initech/integrations/${body.id}`, {
      enabled: false,
      schedule: { intervalMinutes: 5 },
    });
    expect(patched.body).toMatchObject({ enabled: false, status: 'disabled', schedule: { intervalMinutes: 5 } });
    expect((await call('PATCH', `tenants/initech/integrations/${body.id}`, {})).status).toBe(400);
    expect((await call('DELETE', `tenants/initech/integrations/${body.id}`)).status).toBe(204);
    expect((await call('GET', `tenants/initech/integrations/${body.id}`)).status).toBe(404);
  });

  it('starts a sync: 202 with the run id, a queued run, and one message on sync-inbound for the integration session', async () => {
    const { body } = await call('POST', 'tenants/umbrella/integrations', {
      provider: 'slack',
      name: 'Chat',
      providerOptions: { channels: ['C0123456'] },
    });
    const before = t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);
    const started = await call('POST', `tenants/umbrella/integrations/${body.id}/sync`, { mode: 'full' });
    expect(started.status).toBe(202);
    expect(started.body.runId).toEqual(expect.any(String));
    const runs = await call('GET', `tenants/umbrella/integrations/${body.id}/runs`);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ id: started.body.runId, mode: 'full', trigger: 'manual', status: 'queued' }),
    ]);
    expect(t.services.embeddedQueue!.depth(QUEUES.syncInbound.name)).toBe(before + 1);
    const message = t.services.embeddedQueue!.receive(QUEUES.syncInbound.name)!;
    expect(message).toMatchObject({
      sessionId: body.id,
      body: { kind: 'sync-page', runId: started.body.runId, mode: 'full', page: 0 },
    });
    expect(String(message.applicationProperties!.traceparent)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('rejects a bad sync mode and a sync of a disabled integration', async () => {
    const { body } = await call('POST', 'tenants/umbrella/integrations', {
      provider: 'google',
      name: 'Calendar',
      enabled: false,
    });
    expect(
      (await call('POST', `tenants/umbrella/integrations/${body.id}/sync`, { mode: 'sometimes' })).body.error.target,
    ).toBe('mode');
    expect((await call('POST', `tenants/umbrella/integrations/${body.id}/sync`, { mode: 'full' })).status).toBe(409);
  });

  it('answers 404 for unknown admin paths and 405 for a wrong method', async () => {
    expect((await call('GET', 'nothing/here')).status).toBe(404);
    expect((await call('PUT', 'tenants/acme/integrations')).status).toBe(405);
  });
});
