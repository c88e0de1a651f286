/** TokenRefresher through its real handler against a sandbox's real OAuth token endpoint. */
import { tokenRefresher } from '../../functions/TokenRefresher';
import { createTestServices, type TestServices } from '../support/test-services';
import { invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { credentialRef } from '../../shared/app/integration-credentials';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import type { RunningSandbox } from '../../dev/sandboxes';

let t: TestServices;
let sandbox: RunningSandbox;
beforeAll(async () => {
  t = await createTestServices();
  sandbox = await startGithubSandbox({ records: 5 });
});
afterAll(async () => {
  await sandbox.stop();
  await t.services.close();
});

const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

async function connect(id: string, expiresInMs: number) {
  const integration = await t.services.integrations.create(
    newIntegration(
      't-tok',
      id,
      { provider: 'github', name: id, baseUrl: sandbox.url, providerOptions: { repositories: ['acme/widgets'] } },
      { intervalMinutes: 60 },
      new Date(),
    ),
  );
  const tokens = sandbox.control.issueToken({ expiresInMs });
  await t.services.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'oauth2_authorization_code',
    provider: 'github',
    tokenEndpoint: `${sandbox.url}/login/oauth/access_token`,
    clientId: 'sandbox-client',
    clientSecret: 'sandbox-client-secret',
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  });
  return { integration, tokens };
}

describe('TokenRefresher', () => {
  it('refreshes a token that expires within the margin, and leaves others alone', async () => {
    const soon = await connect('tok-soon', 60_000);
    const later = await connect('tok-later', 3 * 3600_000);
    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);
    const refreshed = await t.services.credentials.service.read(credentialRef(soon.integration, 'api'), {
      fresh: true,
    });
    const untouched = await t.services.credentials.service.read(credentialRef(later.integration, 'api'), {
      fresh: true,
    });
    expect(
      refreshed!.doc.credential.type === 'oauth2_authorization_code' && refreshed!.doc.credential.accessToken,
    ).not.toBe(soon.tokens.accessToken);
    expect(
      untouched!.doc.credential.type === 'oauth2_authorization_code' && untouched!.doc.credential.accessToken,
    ).toBe(later.tokens.accessToken);
    expect(t.logLines.join('\n')).not.toContain(soon.tokens.refreshToken);
  });

  it('marks the integration needs_reauth and emits an event when the provider revoked the grant', async () => {
    const { integration } = await connect('tok-revoked', 30_000);
    sandbox.control.revokeRefreshTokens();
    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);
    expect((await t.services.integrations.get('t-tok', integration.id))!.status).toBe('needs_reauth');
    expect(
      t.services.eventLog!.list('t-tok', { type: 'integration.needs_reauth', integrationId: integration.id }),
    ).toHaveLength(1);
    // A needs_reauth integration is no longer scheduled.
    const due = await t.services.integrations.findDueAcrossTenants(new Date(Date.now() + 86_400_000), 1000);
    expect(due.map((candidate) => candidate.id)).not.toContain(integration.id);
  });

  it('announces an expiring credential once per warning step, not on every run', async () => {
    const integration = await t.services.integrations.create(
      newIntegration('t-tok', 'tok-expiring', { provider: 'github', name: 'key' }, { intervalMinutes: 60 }, new Date()),
    );
    await t.services.credentials.service.put(credentialRef(integration, 'api'), {
      type: 'api_key',
      key: 'k-expiring-soon-123',
      expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);
    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);
    const events = t.services.eventLog!.list('t-tok', { type: 'credential.expiring', integrationId: 'tok-expiring' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'warning', data: expect.objectContaining({ warningDays: 7 }) });
  });
});
