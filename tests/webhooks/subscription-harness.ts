/**
 * What the webhook subscription tests share: the app's services against the real local stores, with a clock
 * that can be moved forward, the WebhookReceiver listening on the address the app gives providers
 * (PUBLIC_BASE_URL), the admin API called as the Functions host would, and integrations whose API credential
 * is a token the provider sandbox issued.
 */
import type { Server } from 'node:http';
import { adminApi } from '../../functions/AdminApi';
import { FUNCTIONS } from '../../functions/manifest';
import type { HttpFunction } from '../../functions/definition';
import { createHttpHost } from '../../hosts/local/http-host';
import { freePort } from '../../hosts/local/free-port';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { newIntegration, type CreateIntegrationBody, type Integration } from '../../shared/core/integration';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

export interface Harness {
  t: TestServices;
  /** Moves the app's clock (services.now) forward. */
  advance(ms: number): void;
  /** The app's clock, for a sandbox that keeps time with it (the Google sandbox's channel expirations). */
  nowMs(): number;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** An integration of `tenantId` pointing at the sandbox, with an API token the sandbox accepts. */
  integration(
    tenantId: string,
    id: string,
    sandbox: RunningSandbox,
    body: Omit<CreateIntegrationBody, 'name' | 'baseUrl'>,
  ): Promise<Integration>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const port = await freePort();
  let offsetMs = 0;
  const t = await createTestServices(
    { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
    { now: () => new Date(Date.now() + offsetMs) },
  );
  const receiver = FUNCTIONS.filter((f): f is HttpFunction => f.trigger === 'http' && f.name === 'WebhookReceiver');
  const server: Server = createHttpHost(receiver, t.services);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    t,
    advance: (ms) => void (offsetMs += ms),
    nowMs: () => Date.now() + offsetMs,
    admin: async (method, path, body) => {
      const response = await adminApi.handler(
        httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
        invocation('AdminApi'),
        t.services,
      );
      return { status: response.status ?? 200, body: bodyOf(response) };
    },
    integration: async (tenantId, id, sandbox, body) => {
      const integration = await t.services.integrations.create(
        newIntegration(
          tenantId,
          id,
          { ...body, name: `${body.provider} ${id}`, baseUrl: sandbox.url },
          { intervalMinutes: 60 },
          new Date(),
        ),
      );
      await t.services.credentials.service.put(credentialRef(integration, 'api'), {
        type: 'bearer_token',
        token: sandbox.control.issueToken({ expiresInMs: 3600_000 }).accessToken,
      });
      return integration;
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await t.services.close();
    },
  };
}

/** `tenants/{t}/integrations/{i}/webhooks/subscription` */
export const subscriptionPath = (tenantId: string, integrationId: string) =>
  `tenants/${tenantId}/integrations/${integrationId}/webhooks/subscription`;
