/**
 * The admin API refuses every URL the app would later send a credential, a client secret or a notification
 * to, unless the outbound address rule allows it: a 400 naming the field (baseUrl, url, tokenUrl,
 * tokenEndpoint). Runs with the strict rule (OUTBOUND_ALLOW_LOOPBACK=false), as in Azure. Mapping
 * validation, which calls the provider inside the admin request, gives one answer for a closed and a live
 * loopback port, and the live one is never connected to.
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { adminApi } from '../../functions/AdminApi';
import { configureOutbound, type OutboundResolver } from '../../shared/platform/http/outbound-fetch';
import { newIntegration } from '../../shared/core/integration';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';

const TENANT = 't-egress';
let t: TestServices;
let live: Server;
let liveConnections = 0;

/** ghe.example.test resolves to loopback (a rebinding name), ghe-ok.example.test to a public address. */
const resolver: OutboundResolver = (host, callback) => {
  if (host === 'ghe.example.test') return callback(null, [{ address: '127.0.0.1', family: 4 }]);
  if (host === 'ghe-ok.example.test') return callback(null, [{ address: '140.82.112.6', family: 4 }]);
  return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
};

beforeAll(async () => {
  t = await createTestServices({
    OUTBOUND_ALLOW_LOOPBACK: 'false',
    OUTBOUND_ALLOWED_HOSTS: 'ghe.example.test,ghe-ok.example.test',
  });
  expect(t.settings.egress).toEqual({
    allowLoopback: false,
    allowedHosts: ['ghe.example.test', 'ghe-ok.example.test'],
  });
  configureOutbound({ allowLoopback: false, extraHosts: t.settings.egress.allowedHosts, resolver });
  live = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}'));
  live.on('connection', () => liveConnections++);
  await new Promise<void>((resolve) => live.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => live.close(resolve));
  await t.services.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return {
    status: response.status ?? 200,
    body: bodyOf(response) as { error?: { code: string; target?: string; message: string } } & Record<string, unknown>,
  };
}

const BAD_BASE_URLS = [
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'data:text/plain,hello',
  'http://api.github.com',
  'https://169.254.169.254/latest',
  'https://2852039166/latest',
  'https://0251.0376.0251.0376/latest',
  'https://0xa9fea9fe/latest',
  'https://[::ffff:127.0.0.1]:10000/',
  'https://localhost:6379/',
  'https://ghe.example.test/api/v3',
  'https://api.evil.example.com/',
];

describe('admin validation of outbound targets', () => {
  it.each(BAD_BASE_URLS)('POST integration with baseUrl %s → 400 naming baseUrl', async (baseUrl) => {
    const answer = await admin('POST', `tenants/${TENANT}/integrations`, {
      provider: 'github',
      name: 'gh',
      providerOptions: { repositories: ['acme/widgets'] },
      baseUrl,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.target).toBe('baseUrl');
  });

  it('accepts the public API host and an operator-allowed host with a public address; PATCH is checked too', async () => {
    const created = await admin('POST', `tenants/${TENANT}/integrations`, {
      provider: 'github',
      name: 'gh',
      providerOptions: { repositories: ['acme/widgets'] },
      baseUrl: 'https://api.github.com',
    });
    expect(created.status).toBe(201);
    expect(
      (
        await admin('POST', `tenants/${TENANT}/integrations`, {
          provider: 'github',
          name: 'ghe',
          providerOptions: { repositories: ['acme/widgets'] },
          baseUrl: 'https://ghe-ok.example.test/api/v3',
        })
      ).status,
    ).toBe(201);
    const id = created.body.id as string;
    const patched = await admin('PATCH', `tenants/${TENANT}/integrations/${id}`, {
      baseUrl: 'https://0x7f000001:6379/',
    });
    expect(patched).toMatchObject({ status: 400, body: { error: { target: 'baseUrl' } } });
    // Another provider's host is not this provider's.
    expect(
      (await admin('PATCH', `tenants/${TENANT}/integrations/${id}`, { baseUrl: 'https://api.notion.com' })).status,
    ).toBe(400);
  });

  it.each([
    ['slack_webhook', 'http://127.0.0.1:6379/'],
    ['slack_webhook', 'https://evil.example.com/services/x'],
    ['teams_workflow', 'https://169.254.169.254/workflows/x'],
    ['teams_workflow', 'https://hooks.slack.com.evil.example/x'],
  ])('notification channel %s to %s → 400 naming url', async (type, url) => {
    const answer = await admin('POST', `tenants/${TENANT}/notifications/channels`, { type, name: 'c', url });
    expect(answer).toMatchObject({ status: 400, body: { error: { target: 'url' } } });
  });

  it('accepts Slack and Teams Workflows hosts', async () => {
    expect(
      (
        await admin('POST', `tenants/${TENANT}/notifications/channels`, {
          type: 'slack_webhook',
          name: 's',
          url: 'https://hooks.slack.com/services/T0/B0/x',
        })
      ).status,
    ).toBe(201);
    const teams =
      'https://default0123.45.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc/triggers/manual/paths/invoke';
    expect(
      (
        await admin('POST', `tenants/${TENANT}/notifications/channels`, {
          type: 'teams_workflow',
          name: 't',
          url: teams,
        })
      ).status,
    ).toBe(201);
  });

  it('OAuth app tokenUrl and authorizeUrl, and a credential tokenEndpoint, are checked and named', async () => {
    const app = { clientId: 'id', clientSecret: 'secret' };
    expect(await admin('PUT', 'oauth-apps/github', { ...app, tokenUrl: 'file:///etc/passwd' })).toMatchObject({
      status: 400,
      body: { error: { target: 'tokenUrl' } },
    });
    expect(await admin('PUT', 'oauth-apps/github', { ...app, authorizeUrl: 'javascript:alert(1)' })).toMatchObject({
      status: 400,
      body: { error: { target: 'authorizeUrl' } },
    });
    expect(
      (await admin('PUT', 'oauth-apps/github', { ...app, tokenUrl: 'https://github.com/login/oauth/access_token' }))
        .status,
    ).toBe(204);
    const created = await admin('POST', `tenants/${TENANT}/integrations`, {
      provider: 'github',
      name: 'cc',
      providerOptions: { repositories: ['acme/widgets'] },
    });
    const credential = {
      type: 'oauth2_client_credentials',
      clientId: 'id',
      clientSecret: 'secret-value',
      tokenEndpoint: 'https://[::ffff:a9fe:a9fe]/token',
    };
    expect(
      await admin('PUT', `tenants/${TENANT}/integrations/${created.body.id as string}/credentials`, credential),
    ).toMatchObject({ status: 400, body: { error: { target: 'tokenEndpoint' } } });
  });

  it('mapping validation gives one answer for a closed and a live port, and never connects', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const { port } = live.address() as AddressInfo;
    const warnings: unknown[] = [];
    for (const target of [port, closed]) {
      // Stored directly (as a document written before the rule existed would be): the admin check is bypassed.
      const integration = await t.services.integrations.create(
        newIntegration(
          TENANT,
          `map-${target}`,
          {
            provider: 'github',
            name: 'm',
            providerOptions: { repositories: ['acme/widgets'] },
            baseUrl: `http://127.0.0.1:${target}`,
          },
          { intervalMinutes: 60 },
          new Date(),
        ),
      );
      const answer = await admin('PUT', `tenants/${TENANT}/integrations/${integration.id}/mappings/issues`, {
        provider: 'github',
        entity: 'issues',
        shardType: 'ticket',
        fields: { title: { source: 'title' } },
      });
      expect(answer.status === 200 ? 200 : JSON.stringify(answer.body)).toBe(200);
      warnings.push(answer.body.warning);
    }
    expect(warnings[0]).toEqual(warnings[1]);
    expect(liveConnections).toBe(0);
  });
});
