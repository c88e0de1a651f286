/**
 * @octokit/webhooks-methods judges the GitHub sandbox's deliveries (verify() over the raw body and
 * X-Hub-Signature-256), and @octokit/rest the hooks API the app manages its webhook subscriptions with.
 */
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { githubSignature256 } from '../../dev/sandboxes/github/webhook';
import { octokitWebhooksMethods, WebhookInbox } from './support/official-clients';
import { failure, octokit, REPO, type OctokitClient } from './support/octokit';

const { verify, sign } = octokitWebhooksMethods();

describe('signed deliveries verified by @octokit/webhooks-methods', () => {
  const SECRET = 'octokit-judges-this-secret';
  let sandbox: RunningSandbox;
  let inbox: WebhookInbox;
  let client: OctokitClient;
  beforeAll(async () => {
    inbox = await new WebhookInbox().start();
    sandbox = await startGithubSandbox({
      records: 5,
      webhookUrl: inbox.url,
      webhookSecret: SECRET,
      extra: { comments: 0 },
    });
    client = octokit(sandbox);
  });
  afterAll(async () => {
    await sandbox.stop();
    await inbox.stop();
  });

  it('signs the documented example as the official library does', async () => {
    const documented = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(await sign("It's a Secret to Everybody", 'Hello, World!')).toBe(documented);
    expect(githubSignature256("It's a Secret to Everybody", 'Hello, World!')).toBe(documented);
  });

  it('delivers an issue change signed with the secret: verify() accepts it, and refuses another secret or body', async () => {
    const created = await client.rest.issues.create({ ...REPO, title: 'Deliver me' });
    await sandbox.control.flushWebhooks();
    const [delivery] = await inbox.waitFor((d) => d.headers['x-github-event'] === 'issues');
    const signature = String(delivery!.headers['x-hub-signature-256']);
    expect(await verify(SECRET, delivery!.rawBody, signature)).toBe(true);
    expect(await verify('another-secret', delivery!.rawBody, signature)).toBe(false);
    expect(await verify(SECRET, delivery!.rawBody.replace('Deliver me', 'Deliver m3'), signature)).toBe(false);
    expect(delivery!.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivery!.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
    expect(JSON.parse(delivery!.rawBody)).toMatchObject({
      action: 'opened',
      issue: { number: created.data.number, title: 'Deliver me' },
      repository: { full_name: 'acme/widgets' },
    });
  });

  it('manages repository webhooks through the hooks API: create (ping), list, get, update, 422 on a duplicate, delete', async () => {
    const hookInbox = await new WebhookInbox().start();
    try {
      const created = await client.rest.repos.createWebhook({
        ...REPO,
        name: 'web',
        active: true,
        events: ['issues', 'issue_comment'],
        config: { url: hookInbox.url, content_type: 'json', secret: SECRET, insecure_ssl: '0' },
      });
      expect(created.status).toBe(201);
      expect(created.data).toMatchObject({
        type: 'Repository',
        name: 'web',
        active: true,
        events: ['issues', 'issue_comment'],
        config: { url: hookInbox.url, content_type: 'json', insecure_ssl: '0', secret: '********' },
      });
      const hookId = created.data.id;
      const [ping] = await hookInbox.waitFor((d) => d.headers['x-github-event'] === 'ping');
      expect(await verify(SECRET, ping!.rawBody, String(ping!.headers['x-hub-signature-256']))).toBe(true);
      expect(ping!.headers['x-github-hook-id']).toBe(String(hookId));
      // The target of a repository hook is the repository, named by its id.
      expect(ping!.headers['x-github-hook-installation-target-type']).toBe('repository');
      expect(ping!.headers['x-github-hook-installation-target-id']).toBe(
        String((await client.rest.repos.get(REPO)).data.id),
      );
      expect(JSON.parse(ping!.rawBody)).toMatchObject({ hook_id: hookId, zen: expect.any(String) });

      const listed = await client.rest.repos.listWebhooks(REPO);
      expect(listed.data.map((hook) => hook.id)).toEqual([hookId]);
      expect((await client.rest.repos.getWebhook({ ...REPO, hook_id: hookId })).data.config.secret).toBe('********');

      const duplicate = await failure(
        client.rest.repos.createWebhook({ ...REPO, config: { url: hookInbox.url, content_type: 'json' } }),
      );
      expect(duplicate.status).toBe(422);
      expect(duplicate.response!.data).toMatchObject({
        message: 'Validation Failed',
        errors: [{ resource: 'Hook', message: 'Hook already exists on this repository' }],
      });

      const updated = await client.rest.repos.updateWebhook({ ...REPO, hook_id: hookId, add_events: ['label'] });
      expect(updated.data.events).toEqual(['issues', 'issue_comment', 'label']);

      const comment = await client.rest.issues.createComment({ ...REPO, issue_number: 1, body: 'to the hook' });
      const [event] = await hookInbox.waitFor((d) => d.headers['x-github-event'] === 'issue_comment');
      expect(await verify(SECRET, event!.rawBody, String(event!.headers['x-hub-signature-256']))).toBe(true);
      expect(JSON.parse(event!.rawBody)).toMatchObject({ action: 'created', comment: { id: comment.data.id } });

      expect((await client.rest.repos.deleteWebhook({ ...REPO, hook_id: hookId })).status).toBe(204);
      expect((await client.rest.repos.listWebhooks(REPO)).data).toEqual([]);
      expect((await failure(client.rest.repos.getWebhook({ ...REPO, hook_id: hookId }))).status).toBe(404);
    } finally {
      await hookInbox.stop();
    }
  });

  it('signs a form-encoded hook delivery over the raw form body', async () => {
    const formInbox = await new WebhookInbox().start();
    try {
      const created = await client.rest.repos.createWebhook({
        ...REPO,
        events: ['issues'],
        config: { url: formInbox.url, content_type: 'form', secret: SECRET },
      });
      const [ping] = await formInbox.waitFor((d) => d.headers['x-github-event'] === 'ping');
      expect(ping!.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(ping!.rawBody.startsWith('payload=')).toBe(true);
      expect(await verify(SECRET, ping!.rawBody, String(ping!.headers['x-hub-signature-256']))).toBe(true);
      expect(JSON.parse(new URLSearchParams(ping!.rawBody).get('payload')!)).toMatchObject({
        hook_id: created.data.id,
      });
      await client.rest.repos.deleteWebhook({ ...REPO, hook_id: created.data.id });
    } finally {
      await formInbox.stop();
    }
  });
});
