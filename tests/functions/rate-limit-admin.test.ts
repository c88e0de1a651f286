/** Rate-limit overrides through the admin API, and per-tenant inbound protection (429 + Retry-After). */
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { signGithub } from '../../dev/webhook-signing';
import { QUEUES } from '../../shared/stores/queue/queues';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices(
    { ADMIN_TENANT_RATE_PER_S: '3', WEBHOOK_TENANT_RATE_PER_S: '1', REDIS_KEY_PREFIX: `rlt${Date.now()}:` },
    {
      webhookSecrets: { secretsFor: async () => ['rl-secret-value-123456'], storePendingToken: async () => undefined },
    },
  );
  await t.services.integrations.create(
    newIntegration('t-rl', 'rl-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

async function admin(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return {
    status: response.status ?? 200,
    body: bodyOf(response) as any,
    headers: (response.headers ?? {}) as Record<string, string>,
  };
}

describe('rate limits', () => {
  it('sets, reads and deletes overrides per tenant and integration, validating the body', async () => {
    expect((await admin('GET', 'rate-limits/defaults')).body.providers.github).toBeDefined();
    const bad = await admin('PUT', 'tenants/t-rl/rate-limits', { tenant: { kind: 'rate', limit: -1, windowMs: 1000 } });
    expect(bad.status).toBe(400);
    // An override that sets no rule is refused (it would only be stored); DELETE removes one.
    for (const empty of [{}, { operations: {} }]) {
      const refused = await admin('PUT', 'tenants/t-rl-empty/rate-limits', empty);
      expect({ status: refused.status, target: refused.body.error.target }).toEqual({ status: 400, target: 'body' });
    }
    expect((await admin('GET', 'tenants/t-rl-empty/rate-limits')).body.override).toBeNull();
    const override = { integration: { kind: 'rate', limit: 10, windowMs: 1000 } };
    expect((await admin('PUT', 'tenants/t-rl/integrations/rl-1/rate-limits', override)).status).toBe(200);
    expect((await admin('GET', 'tenants/t-rl/integrations/rl-1/rate-limits')).body.override).toMatchObject(override);
    expect((await admin('GET', 'tenants/other/integrations/rl-1/rate-limits')).status).toBe(404);
    expect((await admin('DELETE', 'tenants/t-rl/integrations/rl-1/rate-limits')).status).toBe(204);
    expect((await admin('GET', 'tenants/t-rl/integrations/rl-1/rate-limits')).body.override).toBeNull();
  });

  it('answers 429 with Retry-After when a tenant exceeds its admin budget', async () => {
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await admin('GET', 'tenants/t-busy/integrations'));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another tenant is not affected.
    expect((await admin('GET', 'tenants/t-calm/integrations')).status).toBe(200);
  });

  it('answers 429 to webhooks over the tenant budget and enqueues nothing for them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({
        action: 'edited',
        issue: { id: i, number: i + 1 },
        repository: { full_name: 'acme/widgets' },
      });
      const headers = {
        'x-hub-signature-256': signGithub(body, 'rl-secret-value-123456'),
        'x-github-delivery': `rl-${i}`,
        'x-github-event': 'issues',
      };
      const response = await webhookReceiver.handler(
        httpRequest('POST', 'webhooks/github/rl-1', {
          rawBody: body,
          headers,
          params: { provider: 'github', integrationId: 'rl-1' },
        }),
        invocation('WebhookReceiver'),
        t.services,
      );
      statuses.push(response.status ?? 200);
    }
    const accepted = statuses.filter((status) => status === 200).length;
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(t.services.embeddedQueue!.depth(QUEUES.syncInbound.name)).toBe(accepted);
  });
});
