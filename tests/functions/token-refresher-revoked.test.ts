/**
 * A revoked refresh token, per provider, through TokenRefresher's real handler and each provider's sandbox
 * (which answers as the real provider does: Slack HTTP 200 invalid_refresh_token, GitHub HTTP 200
 * bad_refresh_token, Notion/Google/Salesforce 400 invalid_grant): the credential ends needs_reauth with the
 * provider's code, the integration is marked, one event is emitted, and later runs do not ask again.
 */
import { tokenRefresher } from '../../functions/TokenRefresher';
import { createTestServices, type TestServices } from '../support/test-services';
import { invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { credentialRef } from '../../shared/app/integration-credentials';
import { startSandbox, type RunningSandbox } from '../../dev/sandboxes';
import { OAUTH_PROVIDERS, SANDBOX_OAUTH_PATHS } from '../../shared/credentials/connect/providers';
import type { ProviderId } from '../../shared/core/providers';

jest.setTimeout(60_000);

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
});
afterAll(async () => t.services.close());

const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

/** What each sandbox (like its provider) answers to a revoked refresh token. */
const CASES: [ProviderId, string][] = [
  ['slack', 'invalid_refresh_token'],
  ['github', 'bad_refresh_token'],
  ['notion', 'invalid_grant'],
  ['google', 'invalid_grant'],
  ['salesforce', 'invalid_grant'],
];

function tokenCalls(sandbox: RunningSandbox, provider: ProviderId): number {
  const route = `POST ${SANDBOX_OAUTH_PATHS[provider].token}`;
  return Object.entries(sandbox.control.calls().byRoute).reduce(
    (sum, [key, count]) => (key === route ? sum + count : sum),
    0,
  );
}

describe.each(CASES)('TokenRefresher with a revoked %s refresh token', (provider, code) => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox(provider, { records: 3 });
  });
  afterAll(async () => sandbox.stop());

  it(`marks the credential and the integration needs_reauth (${code}), announces it once and stops asking`, async () => {
    const tenantId = `t-revoked-${provider}`;
    const integration = await t.services.integrations.create(
      newIntegration(
        tenantId,
        `revoked-${provider}`,
        { provider, name: `revoked ${provider}`, baseUrl: sandbox.url },
        { intervalMinutes: 60 },
        new Date(),
      ),
    );
    const tokens = sandbox.control.issueToken({ expiresInMs: 30_000 });
    const ref = credentialRef(integration, 'api');
    await t.services.credentials.service.put(ref, {
      type: 'oauth2_authorization_code',
      provider,
      tokenEndpoint: `${sandbox.url}${SANDBOX_OAUTH_PATHS[provider].token}`,
      clientId: 'sandbox-client',
      clientSecret: 'sandbox-client-secret',
      clientAuth: OAUTH_PROVIDERS[provider].clientAuth,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: new Date(Date.now() + 30_000).toISOString(),
    });
    sandbox.control.revokeRefreshTokens();
    sandbox.control.resetCalls();

    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);
    await tokenRefresher.handler(timer, invocation('TokenRefresher'), t.services);

    const stored = await t.services.credentials.service.read(ref, { fresh: true });
    expect(stored!.doc).toMatchObject({ status: 'needs_reauth', statusReason: code });
    expect((await t.services.integrations.get(tenantId, integration.id))!.status).toBe('needs_reauth');
    const events = t.services.eventLog!.list(tenantId, {
      type: 'integration.needs_reauth',
      integrationId: integration.id,
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'critical', data: { provider, reason: code } });
    // One answered refusal: no retry within the run, none on the next run.
    expect(tokenCalls(sandbox, provider)).toBe(1);
  });
});
