/**
 * Deleting an integration (issue 18 §5) through the real AdminApi handler against the GitHub and Slack sandboxes
 * and the local stores: 204, and nothing of it stays readable: its API credential and webhook secret are gone
 * from the secret store, its sync state (checkpoints, record states) is gone, the provider saw the grant's
 * revocation (and the token stops working there); its shards stay unless `?purge=shards`, which removes them.
 * A bad purge value is a 400 naming it; another tenant's integration answers 404 and is left alone.
 */
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { startSlackSandbox } from '../../dev/sandboxes/slack';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { createTestServices, type TestServices } from '../support/test-services';
import { adminOf, drain, sandboxIntegration } from './controls-harness';

jest.setTimeout(90_000);

const TENANT = 't-delete';
let t: TestServices;
let github: RunningSandbox;
let slack: RunningSandbox;
let admin: ReturnType<typeof adminOf>;
const tokens: string[] = [];

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000' });
  admin = adminOf(t);
  github = await startGithubSandbox({ records: 4, extra: { repositories: ['acme/widgets'], comments: 0 } });
  slack = await startSlackSandbox({ records: 2 });
});
afterAll(async () => {
  await github?.stop();
  await slack?.stop();
  await t?.services.close();
});

/** A GitHub integration connected through OAuth (the sandbox's app), synced once, with a webhook secret. */
async function syncedGithub(id: string, tenantId = TENANT) {
  const integration = await sandboxIntegration(
    t,
    tenantId,
    id,
    github,
    { provider: 'github', entities: ['issues'], providerOptions: { repositories: ['acme/widgets'] } },
    null,
  );
  const issued = github.control.issueToken({ expiresInMs: 3600_000 });
  tokens.push(issued.accessToken, issued.refreshToken);
  await t.services.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'oauth2_authorization_code',
    provider: 'github',
    tokenEndpoint: `${github.url}/login/oauth/access_token`,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
  });
  await t.services.credentials.service.put(credentialRef(integration, 'webhook'), {
    type: 'webhook_secret',
    secret: `whsec-${id}-0123456789abcdef`,
  });
  tokens.push(`whsec-${id}-0123456789abcdef`);
  expect((await admin('POST', `tenants/${tenantId}/integrations/${id}/sync`, { mode: 'full' })).status).toBe(202);
  await drain(t);
  expect(await t.services.syncState.checkpoint(id, 'issues')).toBeDefined();
  return { integration, accessToken: issued.accessToken };
}

const shardsOf = async (integrationId: string) => {
  // Every live record state of the entity (none was seen by a run of this id).
  const { unseen } = await t.services.syncState.unseenSince(integrationId, 'issues', 'no-such-run', 1000);
  return unseen.map((state) => state.shardId);
};

const userCall = (token: string) => fetch(`${github.url}/user`, { headers: { authorization: `Bearer ${token}` } });

describe('DELETE …/integrations/{id}', () => {
  it('removes credentials, webhook secret and sync state, revokes the grant, and keeps the shards', async () => {
    const { integration, accessToken } = await syncedGithub('gh-del');
    const shardIds = await shardsOf('gh-del');
    expect(shardIds.length).toBeGreaterThan(0);
    expect((await userCall(accessToken)).status).toBe(200);

    expect(await admin('DELETE', `tenants/${TENANT}/integrations/gh-del`)).toMatchObject({ status: 204 });

    expect(await t.services.integrations.get(TENANT, 'gh-del')).toBeUndefined();
    for (const purpose of ['api', 'webhook'] as const)
      expect(await t.services.credentials.service.read(credentialRef(integration, purpose), { fresh: true })).toBe(
        undefined,
      );
    expect(await t.services.credentials.service.list({ tenantId: TENANT, integrationId: 'gh-del' })).toEqual([]);
    expect(await t.services.syncState.checkpoint('gh-del', 'issues')).toBeUndefined();
    expect(await shardsOf('gh-del')).toEqual([]);
    expect(github.control.calls().byRoute['DELETE /applications/:client_id/grant']).toBe(1);
    expect((await userCall(accessToken)).status).toBe(401);
    // Without purge the records stay, as the operator's data.
    expect((await t.services.shards.getMany(TENANT, shardIds)).size).toBe(shardIds.length);
    expect((await admin('GET', `tenants/${TENANT}/integrations/gh-del`)).status).toBe(404);
  });

  it('removes the shards too with ?purge=shards', async () => {
    await syncedGithub('gh-purge');
    const shardIds = await shardsOf('gh-purge');
    expect(shardIds.length).toBeGreaterThan(0);
    expect((await admin('DELETE', `tenants/${TENANT}/integrations/gh-purge?purge=shards`)).status).toBe(204);
    expect((await t.services.shards.getMany(TENANT, shardIds)).size).toBe(0);
  });

  it('revokes a Slack grant with auth.revoke', async () => {
    const integration = await sandboxIntegration(t, TENANT, 'slack-del', slack, { provider: 'slack' }, null);
    const issued = slack.control.issueToken({ expiresInMs: 3600_000 });
    tokens.push(issued.accessToken);
    await t.services.credentials.service.put(credentialRef(integration, 'api'), {
      type: 'oauth2_authorization_code',
      provider: 'slack',
      tokenEndpoint: `${slack.url}/api/oauth.v2.access`,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      accessToken: issued.accessToken,
    });
    expect((await admin('DELETE', `tenants/${TENANT}/integrations/slack-del`)).status).toBe(204);
    expect(slack.control.calls().byRoute['POST /api/auth.revoke']).toBe(1);
    const after = await fetch(`${slack.url}/api/auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${issued.accessToken}` },
    });
    expect(((await after.json()) as { ok: boolean }).ok).toBe(false);
  });

  it('answers 400 naming purge, 404 for another tenant’s integration (left alone), and logs no secret', async () => {
    await sandboxIntegration(t, 't-delete-other', 'gh-keep', github, { provider: 'github', entities: ['issues'] });
    expect(await admin('DELETE', `tenants/${TENANT}/integrations/gh-keep?purge=everything`)).toMatchObject({
      status: 400,
      body: { error: { target: 'purge' } },
    });
    expect((await admin('DELETE', `tenants/${TENANT}/integrations/gh-keep`)).status).toBe(404);
    expect(await t.services.integrations.get('t-delete-other', 'gh-keep')).toBeDefined();
    expect(
      await t.services.credentials.service.metadata(
        credentialRef({ tenantId: 't-delete-other', id: 'gh-keep' }, 'api'),
      ),
    ).toBeDefined();
    const logs = t.logLines.join('\n');
    for (const secret of tokens) expect(logs).not.toContain(secret);
  });
});
