/**
 * GitHub repository webhooks the app manages, against the GitHub sandbox's hooks API: created per repository
 * with the integration's secret, JSON and the entities' events; deliveries from the sandbox verified and
 * accepted; a hook deleted at GitHub recreated by the renewer; a rotated secret pushed to the hooks; removed when
 * webhooks are turned off and when the integration is deleted; a provider error stored without a secret.
 */
import { githubSandboxHooks, startGithubSandbox } from '../../dev/sandboxes/github';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { renewDueSubscriptions } from '../../shared/webhooks/subscriptions/renewer';
import { subscriptionDeps } from '../../shared/webhooks/subscriptions/wiring';
import { SUBSCRIPTION_TIMING } from '../../shared/webhooks/subscriptions/policy';
import { startHarness, subscriptionPath, type Harness } from './subscription-harness';

jest.setTimeout(60_000);

const TENANT = 't-ghsub';
const REPOS = ['acme/widgets', 'acme/gadgets'];
let h: Harness;
let github: RunningSandbox;

beforeAll(async () => {
  h = await startHarness();
  github = await startGithubSandbox({ records: 3, extra: { repositories: REPOS, comments: 3 } });
});
afterAll(async () => {
  await github?.stop();
  await h?.close();
});

const url = (id: string) => `${h.t.settings.publicBaseUrl}/api/webhooks/github/${id}`;
const secretsOf = (id: string) =>
  h.t.services.credentials.service.webhookSecrets(credentialRef({ tenantId: TENANT, id }, 'webhook'), { fresh: true });
const renew = () => renewDueSubscriptions(subscriptionDeps(h.t.services));

async function createIntegration(id: string) {
  return h.integration(TENANT, id, github, {
    provider: 'github',
    entities: ['issues', 'issue_comments'],
    providerOptions: { repositories: REPOS },
  });
}

describe('GitHub webhook subscription', () => {
  it('is off until turned on, then one hook per repository carries the secret, JSON and the entities’ events', async () => {
    await createIntegration('gh-on');
    expect((await h.admin('GET', subscriptionPath(TENANT, 'gh-on'))).body).toEqual({
      provider: 'github',
      mode: 'managed',
      status: 'off',
    });

    const created = await h.admin('POST', subscriptionPath(TENANT, 'gh-on'));
    expect(created).toEqual({ status: 202, body: { provider: 'github', mode: 'managed', status: 'active' } });
    // No secret was set: the app chose one and stored it as the integration's webhook secret.
    const [secret] = await secretsOf('gh-on');
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    for (const repository of REPOS)
      expect(githubSandboxHooks(github, repository)).toEqual([
        { id: expect.any(Number), url: url('gh-on'), events: ['issue_comment', 'issues'], secret },
      ]);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'gh-on'))).body.status).toBe('active');
    // The stored state names hooks by id only.
    const stored = await h.t.services.documents.webhookSubscriptions.get(TENANT, 'gh-on');
    expect(JSON.stringify(stored)).not.toContain(secret!);
    expect(stored!.hooks.map((hook) => hook.repository)).toEqual(REPOS);
  });

  it('delivers the ping and every issue change signed, and the receiver verifies and accepts them', async () => {
    await github.control.flushWebhooks();
    const before = github.control.webhookDeliveries().length;
    github.control.records.update('issues', 'acme/widgets#1', { title: 'Changed at GitHub' });
    github.control.records.update('issues', 'acme/gadgets#2', { title: 'Changed too' });
    await github.control.flushWebhooks();
    const deliveries = github.control.webhookDeliveries();
    expect(deliveries.slice(before).map((delivery) => [delivery.event, delivery.status])).toEqual([
      ['issues', 200],
      ['issues', 200],
    ]);
    expect(deliveries.filter((delivery) => delivery.event === 'ping').map((delivery) => delivery.status)).toEqual([
      200, 200,
    ]);
    const receipts = await h.t.services.deliveryLog.list(TENANT, 'gh-on');
    expect(receipts.filter((receipt) => receipt.verdict === 'accepted').length).toBeGreaterThanOrEqual(4);
    expect(receipts.filter((receipt) => receipt.verdict === 'rejected')).toEqual([]);
  });

  it('the renewer recreates a hook deleted at GitHub and pushes a rotated secret to every hook', async () => {
    const gone = githubSandboxHooks(github, 'acme/gadgets')[0]!;
    const token = github.control.issueToken().accessToken;
    const deleted = await fetch(`${github.url}/repos/acme/gadgets/hooks/${gone.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(deleted.status).toBe(204);
    await h.t.services.credentials.service.setWebhookSecret(
      credentialRef({ tenantId: TENANT, id: 'gh-on' }, 'webhook'),
      'rotated-secret-0123456789abcdef',
      60_000,
    );

    // Not due yet: nothing happens.
    expect((await renew()).checked).toBe(0);
    h.advance(SUBSCRIPTION_TIMING.hookCheckIntervalMs + 1000);
    expect(await renew()).toMatchObject({ checked: 1, failed: 0 });

    const recreated = githubSandboxHooks(github, 'acme/gadgets');
    expect(recreated).toHaveLength(1);
    expect(recreated[0]!.id).not.toBe(gone.id);
    for (const repository of REPOS)
      expect(githubSandboxHooks(github, repository)[0]!.secret).toBe('rotated-secret-0123456789abcdef');
    github.control.records.update('issues', 'acme/gadgets#1');
    await github.control.flushWebhooks();
    expect(github.control.webhookDeliveries().at(-1)).toMatchObject({ event: 'issues', status: 200 });
  });

  it('turned off: every hook is deleted at GitHub and the status is off', async () => {
    expect((await h.admin('DELETE', subscriptionPath(TENANT, 'gh-on'))).status).toBe(204);
    for (const repository of REPOS) expect(githubSandboxHooks(github, repository)).toEqual([]);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'gh-on'))).body.status).toBe('off');
    // Turning off twice is fine.
    expect((await h.admin('DELETE', subscriptionPath(TENANT, 'gh-on'))).status).toBe(204);
  });

  it('deleting the integration deletes its hooks and its subscription state', async () => {
    await createIntegration('gh-del');
    expect((await h.admin('POST', subscriptionPath(TENANT, 'gh-del'))).body.status).toBe('active');
    expect(githubSandboxHooks(github, 'acme/widgets').map((hook) => hook.url)).toEqual([url('gh-del')]);
    expect((await h.admin('DELETE', `tenants/${TENANT}/integrations/gh-del`)).status).toBe(204);
    expect(githubSandboxHooks(github, 'acme/widgets')).toEqual([]);
    expect(await h.t.services.documents.webhookSubscriptions.get(TENANT, 'gh-del')).toBeUndefined();
  });

  it('a provider error leaves the status failed with the error, which holds no secret, and is retried', async () => {
    await createIntegration('gh-fail');
    await h.t.services.credentials.service.setWebhookSecret(
      credentialRef({ tenantId: TENANT, id: 'gh-fail' }, 'webhook'),
      'fail-secret-0123456789abcdef',
      0,
    );
    github.control.injectFault({ kind: 'server_error', status: 500, method: 'POST', path: '/hooks', count: 2 });
    const answer = await h.admin('POST', subscriptionPath(TENANT, 'gh-fail'));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ provider: 'github', mode: 'managed', status: 'failed' });
    expect(answer.body.lastError).toMatch(/acme\/widgets: github hooks.create/);
    expect(answer.body.lastError).not.toContain('fail-secret');
    const stored = await h.t.services.documents.webhookSubscriptions.get(TENANT, 'gh-fail');
    expect(JSON.stringify(stored)).not.toContain('fail-secret');
    expect(h.t.logLines.join('\n')).not.toContain('fail-secret-0123456789abcdef');

    // The retry after the backoff creates what failed.
    github.control.clearFaults();
    h.advance(SUBSCRIPTION_TIMING.retryMaxMs);
    await renew();
    expect((await h.admin('GET', subscriptionPath(TENANT, 'gh-fail'))).body.status).toBe('active');
    for (const repository of REPOS)
      expect(githubSandboxHooks(github, repository).map((hook) => hook.secret)).toEqual([
        'fail-secret-0123456789abcdef',
      ]);
  });

  it('refuses options it cannot hook (400) and keeps other tenants out (404)', async () => {
    await h.integration(TENANT, 'gh-norepo', github, { provider: 'github', providerOptions: {} });
    const refused = await h.admin('POST', subscriptionPath(TENANT, 'gh-norepo'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.target).toBe('providerOptions.repositories');
    for (const method of ['GET', 'POST', 'DELETE'])
      expect((await h.admin(method, subscriptionPath('someone-else', 'gh-fail'))).status).toBe(404);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'no-such-integration'))).status).toBe(404);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'bad id!'))).status).toBe(400);
  });
});
