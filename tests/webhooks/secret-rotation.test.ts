/**
 * Webhook secrets are cached in memory, and a rotation through the admin route takes effect at once: on the
 * instance that handled the rotation (its cache is written through) and on another instance whose cache still
 * holds the old secret (a failed verification reads the secrets again, at most once a second per integration).
 * Real credential service and local secret store; the admin route and the receiver through their handlers.
 */
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { createCredentials } from '../../shared/credentials';
import { webhookSecretSource } from '../../shared/app/integration-credentials';
import type { AppServices } from '../../shared/app/services';
import { signGithub } from '../../dev/webhook-signing';

const S1 = 'first-secret-0123456789abcdef';
const S2 = 'second-secret-0123456789abcdef';
const S3 = 'third-secret-0123456789abcdef';

let t: TestServices;
/** Another instance: the same secret store (Key Vault), its own credential cache. */
let other: AppServices;
let storeReads = 0;

beforeAll(async () => {
  t = await createTestServices({ REDIS_KEY_PREFIX: `whrot${Date.now()}:` });
  await t.services.integrations.create(
    newIntegration('t-rot', 'rot-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
  const store = t.services.credentials.store;
  const counted = Object.create(store) as typeof store;
  counted.get = (...args: Parameters<typeof store.get>) => {
    storeReads++;
    return store.get(...args);
  };
  other = { ...t.services, webhookSecrets: webhookSecretSource(createCredentials({ store: counted })) };
});
afterAll(async () => t.services.close());

async function rotate(secret: string, overlapMinutes?: number) {
  const path = 'tenants/t-rot/integrations/rot-1/webhook-secret';
  const response = await adminApi.handler(
    httpRequest('PUT', `admin/${path}`, {
      body: { secret, ...(overlapMinutes === undefined ? {} : { overlapMinutes }) },
      headers: { 'x-api-key': TEST_ADMIN_KEY },
      params: { path },
    }),
    invocation('AdminApi'),
    t.services,
  );
  expect(response.status).toBe(200);
}

let sequence = 0;
async function deliver(services: AppServices, secret: string) {
  const body = JSON.stringify({ action: 'edited', issue: { id: 7, number: 7 }, repository: { full_name: 'acme/app' } });
  const headers = {
    'x-hub-signature-256': signGithub(body, secret),
    'x-github-delivery': `rot-${++sequence}`,
    'x-github-event': 'issues',
  };
  const response = await webhookReceiver.handler(
    httpRequest('POST', 'webhooks/github/rot-1', {
      rawBody: body,
      headers,
      params: { provider: 'github', integrationId: 'rot-1' },
    }),
    invocation('WebhookReceiver'),
    services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as Record<string, any> };
}

describe('webhook secret rotation', () => {
  it('verifies a rotated secret at once on this instance, and stops the old one at once without overlap', async () => {
    await rotate(S1);
    expect((await deliver(t.services, S1)).status).toBe(200);
    expect((await deliver(other, S1)).status).toBe(200);
    await rotate(S2, 0);
    expect((await deliver(t.services, S2)).status).toBe(200);
    const old = await deliver(t.services, S1);
    expect(old.status).toBe(401);
    expect(old.body.error.reason).toBe('bad_signature');
  });

  it('verifies the rotated secret at once on another instance whose cache still holds the old one', async () => {
    const readsBefore = storeReads;
    expect((await deliver(other, S2)).status).toBe(200);
    expect(storeReads).toBe(readsBefore + 1);
  });

  it('does not turn forged deliveries into secret-store reads: at most one fresh read a second per integration', async () => {
    const readsBefore = storeReads;
    const forged = await Promise.all(Array.from({ length: 20 }, () => deliver(other, 'not-the-secret-0000000000000')));
    expect(forged.every((answer) => answer.status === 401)).toBe(true);
    expect(storeReads - readsBefore).toBeLessThanOrEqual(1);
  });

  it('keeps the previous secret verifying through the overlap of a default rotation, and never logs a secret', async () => {
    await rotate(S3);
    expect((await deliver(t.services, S3)).status).toBe(200);
    expect((await deliver(t.services, S2)).status).toBe(200);
    const logged = t.logLines.join('\n');
    for (const secret of [S1, S2, S3]) expect(logged).not.toContain(secret);
  });
});
