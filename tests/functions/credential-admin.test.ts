/**
 * Credential and webhook-secret admin routes, then real signed deliveries verified with the stored secrets
 * (rotation overlap included). Every response and log line is scanned for the secret values.
 */
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { signGithub } from '../../dev/webhook-signing';

const FIRST = 'first-webhook-secret-0123456789';
const SECOND = 'second-webhook-secret-987654321';
const API_TOKEN = 'ghp_live_token_that_must_not_leak_42';
const answers: string[] = [];

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
  await t.services.integrations.create(
    newIntegration('t-cred', 'cred-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

async function admin(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  answers.push(JSON.stringify(bodyOf(response) ?? ''));
  return { status: response.status ?? 200, body: bodyOf(response) as any };
}

async function deliver(id: string, secret: string) {
  const body = JSON.stringify({
    action: 'opened',
    issue: { id: 1, number: 1 },
    repository: { full_name: 'acme/widgets' },
  });
  const headers = {
    'x-hub-signature-256': signGithub(body, secret),
    'x-github-delivery': id,
    'x-github-event': 'issues',
  };
  const response = await webhookReceiver.handler(
    httpRequest('POST', 'webhooks/github/cred-1', {
      rawBody: body,
      headers,
      params: { provider: 'github', integrationId: 'cred-1' },
    }),
    invocation('WebhookReceiver'),
    t.services,
  );
  answers.push(JSON.stringify(bodyOf(response) ?? ''));
  return response.status;
}

describe('credential admin routes', () => {
  it('sets a webhook secret; after a rotation both the new and, during the overlap, the old secret verify', async () => {
    expect((await admin('PUT', 'tenants/t-cred/integrations/cred-1/webhook-secret', { secret: 'short' })).status).toBe(
      400,
    );
    expect(await deliver('before-any-secret', FIRST)).toBe(500);
    expect(
      (await admin('PUT', 'tenants/t-cred/integrations/cred-1/webhook-secret', { secret: FIRST })).body,
    ).toMatchObject({ type: 'webhook_secret', status: 'active' });
    expect(await deliver('d-1', FIRST)).toBe(200);
    await admin('PUT', 'tenants/t-cred/integrations/cred-1/webhook-secret', { secret: SECOND, overlapMinutes: 60 });
    expect(await deliver('d-2', SECOND)).toBe(200);
    expect(await deliver('d-3', FIRST)).toBe(200);
    expect(await deliver('d-4', 'an-unrelated-secret-value-000')).toBe(401);
    await admin('PUT', 'tenants/t-cred/integrations/cred-1/webhook-secret', { secret: FIRST, overlapMinutes: 0 });
    expect(await deliver('d-5', SECOND)).toBe(401);
  });

  it('stores an API credential write-only: GET shows type, status and dates, never the value', async () => {
    expect(
      (await admin('PUT', 'tenants/t-cred/integrations/cred-1/credentials', { type: 'bearer_token', token: API_TOKEN }))
        .status,
    ).toBe(200);
    const read = await admin('GET', 'tenants/t-cred/integrations/cred-1/credentials');
    expect(read.body).toMatchObject({ type: 'bearer_token', status: 'active' });
    expect(
      (await admin('PUT', 'tenants/t-cred/integrations/cred-1/credentials', { type: 'bearer_token' })).status,
    ).toBe(400);
    expect(
      (await admin('PUT', 'tenants/t-cred/integrations/cred-1/credentials', { type: 'oauth2_authorization_code' }))
        .status,
    ).toBe(400);
    expect((await admin('GET', 'tenants/other/integrations/cred-1/credentials')).status).toBe(404);
    expect((await admin('GET', 'tenants/t-cred/credentials/expiry')).status).toBe(200);
  });

  it('refuses a credential with a field its type does not have (400 naming it), at any depth, and stores nothing', async () => {
    const path = 'tenants/t-cred/integrations/cred-1/credentials';
    const before = (await admin('GET', path)).body;
    const refusals = [
      [{ type: 'api_key', key: API_TOKEN, headerName: 'x-token', expiresIn: 3600 }, 'expiresIn'],
      [{ type: 'basic_auth', username: 'svc', password: API_TOKEN, pasword: API_TOKEN }, 'pasword'],
      [
        {
          type: 'jwt_bearer',
          tokenEndpoint: 'https://login.salesforce.com/services/oauth2/token',
          privateKeyPem: API_TOKEN,
          assertion: {
            flow: 'salesforce',
            clientId: 'c',
            username: 'u',
            audience: 'https://login.salesforce.com',
            scope: 'api',
          },
        },
        'assertion.scope',
      ],
      [
        { type: 'certificate', material: { format: 'pfx', pfxBase64: API_TOKEN, password: API_TOKEN } },
        'material.password',
      ],
    ] as const;
    for (const [body, field] of refusals) {
      const answer = await admin('PUT', path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'bad_request',
        target: field,
        message: `${field}: unknown field`,
      });
    }
    expect((await admin('GET', path)).body).toEqual(before);
    // Fields every type has defaults for may be given or left out.
    expect(
      (await admin('PUT', path, { type: 'api_key', key: API_TOKEN, headerName: 'x-token', prefix: 'Token ' })).body,
    ).toMatchObject({ type: 'api_key', status: 'active' });
  });

  it('never shows a secret value in a response or a log line', () => {
    const everything = [...answers, ...t.logLines].join('\n');
    for (const secret of [FIRST, SECOND, API_TOKEN]) expect(everything).not.toContain(secret);
    expect(answers.length).toBeGreaterThan(10);
  });
});
