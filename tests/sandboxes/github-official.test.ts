/**
 * The official GitHub clients judge the GitHub sandbox: @octokit/rest (octokit.paginate follows the Link header to
 * the end; RequestError carries status and headers as GitHub sends them) and @octokit/webhooks-methods (verify()
 * checks X-Hub-Signature-256). Covered: the lists the adapter reads with its incremental filters (state=all,
 * sort=updated, direction=asc, since), reads by id, the writes it makes, the hooks API the app manages webhook
 * subscriptions with, rate limits, conditional requests, 301 for a renamed repository and a transferred issue,
 * the OAuth refresh of GitHub App user tokens in GitHub's request format, and signed deliveries.
 */
import type { Octokit as OctokitClient } from '@octokit/rest';
import { refreshGithubToken } from '../../shared/adapters/github';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { githubSignature256 } from '../../dev/sandboxes/github/webhook';
import { octokitWebhooksMethods, requireEsm, WebhookInbox } from './support/official-clients';

const { Octokit } = requireEsm<typeof import('@octokit/rest')>('@octokit/rest');
const { verify, sign } = octokitWebhooksMethods();

const ISSUES = 250;
const COMMENTS = 130;
const REPO = { owner: 'acme', repo: 'widgets' };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

type Json = Record<string, unknown>;
type RequestErrorLike = { status: number; message: string; response?: { headers: Json; data: unknown } };

function octokit(sandbox: RunningSandbox, auth?: string): OctokitClient {
  return new Octokit({ auth: auth ?? sandbox.control.issueToken().accessToken, baseUrl: sandbox.url, log: silent });
}

/** The error a call rejects with (Octokit's RequestError); fails when the call succeeds. */
async function failure(call: Promise<unknown>): Promise<RequestErrorLike> {
  try {
    await call;
  } catch (error) {
    return error as RequestErrorLike;
  }
  throw new Error('expected the call to fail');
}

/** The seeded truth: every issue of acme/widgets as the sandbox holds it (pull requests included, as GitHub lists them). */
function seededIssues(sandbox: RunningSandbox, count = ISSUES): Json[] {
  return Array.from({ length: count }, (_, i) => sandbox.control.records.get('issues', `acme/widgets#${i + 1}`)!);
}

describe('GitHub sandbox judged by @octokit/rest', () => {
  let sandbox: RunningSandbox;
  let client: OctokitClient;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ records: ISSUES, extra: { comments: COMMENTS } });
    client = octokit(sandbox);
  });
  afterAll(() => sandbox.stop());

  describe('lists through octokit.paginate (Link rel="next")', () => {
    it('lists every seeded issue with state=all, page after page, each once', async () => {
      let pages = 0;
      const numbers: number[] = [];
      for await (const page of client.paginate.iterator(client.rest.issues.listForRepo, {
        ...REPO,
        state: 'all',
        per_page: 100,
      })) {
        pages += 1;
        numbers.push(...page.data.map((issue) => issue.number));
      }
      expect(pages).toBe(Math.ceil(ISSUES / 100));
      expect(numbers).toHaveLength(ISSUES);
      expect(new Set(numbers).size).toBe(ISSUES);
      // The issues endpoint mixes pull requests in, marked by a pull_request object.
      const pulls = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 100 });
      expect(pulls.filter((issue) => issue.pull_request).length).toBe(
        seededIssues(sandbox).filter((issue) => issue.pull_request).length,
      );
    });

    it('answers state as GitHub does: open by default, closed, all', async () => {
      const truth = seededIssues(sandbox);
      const open = await client.paginate(client.rest.issues.listForRepo, { ...REPO, per_page: 100 });
      const closed = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'closed', per_page: 100 });
      expect(open.length).toBe(truth.filter((issue) => issue.state === 'open').length);
      expect(closed.length).toBe(truth.filter((issue) => issue.state === 'closed').length);
      expect(open.every((issue) => issue.state === 'open')).toBe(true);
      expect(closed.every((issue) => issue.state === 'closed')).toBe(true);
      expect(open.length + closed.length).toBe(ISSUES);
    });

    it('answers the incremental read the adapter sends (state=all, sort=updated, direction=asc, since)', async () => {
      const truth = seededIssues(sandbox);
      const since = String(truth[180]!.updated_at);
      const changed = await client.paginate(client.rest.issues.listForRepo, {
        ...REPO,
        state: 'all',
        sort: 'updated',
        direction: 'asc',
        since,
        per_page: 30,
      });
      // `since` keeps issues updated at or after the instant (the adapter's keyset paging relies on that).
      const expected = truth.filter((issue) => Date.parse(String(issue.updated_at)) >= Date.parse(since));
      expect(changed.map((issue) => issue.number).sort((a, b) => a - b)).toEqual(
        expected.map((issue) => Number(issue.number)).sort((a, b) => a - b),
      );
      const times = changed.map((issue) => Date.parse(issue.updated_at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // direction=desc (GitHub's default) reverses the order.
      const newestFirst = await client.rest.issues.listForRepo({ ...REPO, state: 'all', sort: 'updated', per_page: 5 });
      expect(newestFirst.data[0]!.number).toBe(ISSUES);
      // A malformed since is a 422 with GitHub's own message (no `errors` list).
      const malformed = await failure(client.rest.issues.listForRepo({ ...REPO, since: 'yesterday' }));
      expect(malformed.status).toBe(422);
      expect(malformed.response!.data).toEqual(
        expect.objectContaining({
          message: 'The since parameter needs to be in ISO 8601 format: YYYY-MM-DDTHH:MM:SSZ',
        }),
      );
      expect(malformed.response!.data).not.toHaveProperty('errors');
    });

    it('lists every seeded issue comment of the repository, and the ones changed since an instant', async () => {
      const all = await client.paginate(client.rest.issues.listCommentsForRepo, {
        ...REPO,
        sort: 'updated',
        direction: 'asc',
        per_page: 50,
      });
      expect(all).toHaveLength(COMMENTS);
      expect(new Set(all.map((comment) => comment.id)).size).toBe(COMMENTS);
      const since = all[100]!.updated_at;
      const changed = await client.paginate(client.rest.issues.listCommentsForRepo, {
        ...REPO,
        sort: 'updated',
        direction: 'asc',
        since,
        per_page: 7,
      });
      expect(changed.map((comment) => comment.id)).toEqual(all.slice(100).map((comment) => comment.id));
    });
  });

  describe('reads by id', () => {
    it("gets an issue and a comment by id as listed; 404 with GitHub's body for an unknown one", async () => {
      const issue = await client.rest.issues.get({ ...REPO, issue_number: 7 });
      expect(issue.status).toBe(200);
      expect(issue.data).toEqual(sandbox.control.records.get('issues', 'acme/widgets#7'));
      const [comment] = (await client.rest.issues.listCommentsForRepo({ ...REPO, per_page: 1 })).data;
      const byId = await client.rest.issues.getComment({ ...REPO, comment_id: comment!.id });
      expect(byId.data.body).toBe(comment!.body);
      const missing = await failure(client.rest.issues.get({ ...REPO, issue_number: 99_999 }));
      expect(missing.status).toBe(404);
      expect(missing.response!.data).toMatchObject({ message: 'Not Found' });
      expect(missing.message).toContain('Not Found');
    });
  });

  describe('writes the adapter makes', () => {
    it('creates, edits and closes as not planned an issue; refuses one without a title with 422 missing_field', async () => {
      const created = await client.rest.issues.create({
        ...REPO,
        title: 'Made by Octokit',
        body: 'b',
        labels: ['bug'],
      });
      expect(created.status).toBe(201);
      expect(created.data).toMatchObject({ number: ISSUES + 1, state: 'open', title: 'Made by Octokit' });
      expect(created.data.labels.map((label) => (typeof label === 'string' ? label : label.name))).toEqual(['bug']);
      expect(created.headers.location).toBe(created.data.url);
      const listed = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 100 });
      expect(listed).toHaveLength(ISSUES + 1);

      const edited = await client.rest.issues.update({ ...REPO, issue_number: created.data.number, title: 'Renamed' });
      expect(edited.data.title).toBe('Renamed');
      const closed = await client.rest.issues.update({
        ...REPO,
        issue_number: created.data.number,
        state: 'closed',
        state_reason: 'not_planned',
      });
      expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
      expect(closed.data.closed_at).toEqual(expect.any(String));

      // Octokit's types require a title; this request leaves it out on purpose.
      const invalid = await failure(
        client.request('POST /repos/{owner}/{repo}/issues', { ...REPO, body: 'no title' } as never),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.response!.data).toMatchObject({
        message: 'Validation Failed',
        errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }],
      });
    });

    it('creates, edits and deletes an issue comment (204), after which it is 404', async () => {
      const created = await client.rest.issues.createComment({ ...REPO, issue_number: 3, body: 'first' });
      expect(created.status).toBe(201);
      expect(created.data.issue_url).toMatch(/\/repos\/acme\/widgets\/issues\/3$/);
      const edited = await client.rest.issues.updateComment({ ...REPO, comment_id: created.data.id, body: 'second' });
      expect(edited.data.body).toBe('second');
      const removed = await client.rest.issues.deleteComment({ ...REPO, comment_id: created.data.id });
      expect(removed.status).toBe(204);
      expect((await failure(client.rest.issues.getComment({ ...REPO, comment_id: created.data.id }))).status).toBe(404);
      const invalid = await failure(client.rest.issues.createComment({ ...REPO, issue_number: 3, body: '' }));
      expect(invalid.status).toBe(422);
    });
  });

  describe('rate limits and conditional requests as Octokit reads them', () => {
    it('a secondary limit: 429 (or 403) with retry-after and the x-ratelimit-* headers on error.response.headers', async () => {
      for (const [variant, status] of [
        ['secondary-429', 429],
        ['secondary-403', 403],
      ] as const) {
        sandbox.control.injectFault({ kind: 'rate_limit', variant, retryAfterSeconds: 7, path: '/issues/5' });
        const error = await failure(client.rest.issues.get({ ...REPO, issue_number: 5 }));
        expect(error.status).toBe(status);
        expect(error.message).toMatch(/secondary rate limit/);
        const headers = error.response!.headers;
        expect(headers['retry-after']).toBe('7');
        expect(Number(headers['x-ratelimit-limit'])).toBe(5000);
        expect(Number(headers['x-ratelimit-remaining'])).toBeGreaterThan(0);
        const reset = Number(headers['x-ratelimit-reset']);
        expect(reset).toBeGreaterThan(Date.now() / 1000);
        expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 3600);
      }
    });

    it('answers If-None-Match with 304 (Octokit rejects with status 304) and counts it against nothing', async () => {
      const first = await client.rest.issues.get({ ...REPO, issue_number: 9 });
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/".+"$/);
      const remaining = Number(first.headers['x-ratelimit-remaining']);
      const notModified = await failure(
        client.rest.issues.get({ ...REPO, issue_number: 9, headers: { 'if-none-match': etag } }),
      );
      expect(notModified.status).toBe(304);
      const after = await client.rest.rateLimit.get();
      expect(after.data.resources.core.remaining).toBe(remaining);
      expect(after.data.rate.remaining).toBe(remaining);
    });
  });
});

describe('the primary hourly budget as Octokit sees it', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ records: 3, extra: { rateLimitPerHour: 3, comments: 0 } });
  });
  afterAll(() => sandbox.stop());

  it('counts down x-ratelimit-remaining, then answers 403 with remaining 0 and the reset instant (no retry-after)', async () => {
    const client = octokit(sandbox);
    const seen: number[] = [];
    for (let n = 1; n <= 3; n += 1)
      seen.push(Number((await client.rest.issues.get({ ...REPO, issue_number: n })).headers['x-ratelimit-remaining']));
    expect(seen).toEqual([2, 1, 0]);
    const error = await failure(client.rest.issues.get({ ...REPO, issue_number: 1 }));
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/API rate limit exceeded/);
    expect(error.response!.headers['x-ratelimit-remaining']).toBe('0');
    expect(error.response!.headers['retry-after']).toBeUndefined();
    expect(Number(error.response!.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
    // GET /rate_limit does not count against the budget, so it still answers.
    expect((await client.rest.rateLimit.get()).data.resources.core).toMatchObject({ limit: 3, remaining: 0, used: 3 });
  });
});

describe('301 for a renamed repository and a transferred issue, as Octokit follows or reports it', () => {
  let sandbox: RunningSandbox;
  let client: OctokitClient;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({
      records: 120,
      extra: {
        comments: 0,
        repositories: ['acme/widgets', 'acme/gadgets'],
        renamedRepositories: { 'acme/old-widgets': 'acme/widgets' },
        transferredIssues: [{ from: 'acme/widgets#2', to: 'acme/gadgets' }],
      },
    });
    client = octokit(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('follows a renamed repository to its id address, for a read and for a whole paginated list', async () => {
    const followed = await client.rest.issues.get({ owner: 'acme', repo: 'old-widgets', issue_number: 1 });
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(`${sandbox.url}/repositories/1000/issues/1`);
    expect(followed.data.repository_url).toBe(`${sandbox.url}/repos/acme/widgets`);

    const manual = await client.rest.issues.get({
      owner: 'acme',
      repo: 'old-widgets',
      issue_number: 1,
      request: { redirect: 'manual' },
    });
    expect(manual.status).toBe(301);
    expect(manual.headers.location).toBe(`${sandbox.url}/repositories/1000/issues/1`);
    expect(manual.data).toMatchObject({ message: 'Moved Permanently', url: manual.headers.location });

    // The redirect keeps the query (state, per_page) and the Link headers continue at the new address.
    const viaOldName = await client.paginate(client.rest.issues.listForRepo, {
      owner: 'acme',
      repo: 'old-widgets',
      state: 'all',
      per_page: 50,
    });
    const viaName = await client.paginate(client.rest.issues.listForRepo, { ...REPO, state: 'all', per_page: 50 });
    expect(viaName).toHaveLength(119); // one of 120 was transferred away
    expect(viaOldName.map((issue) => issue.number)).toEqual(viaName.map((issue) => issue.number));
  });

  it('follows a transferred issue to its new repository and number', async () => {
    const original = sandbox.control.records.get('issues', 'acme/gadgets#121')!;
    const moved = await client.rest.issues.get({ ...REPO, issue_number: 2 });
    expect(moved.status).toBe(200);
    expect(moved.url).toBe(`${sandbox.url}/repositories/1001/issues/121`);
    expect(moved.data).toMatchObject({ number: 121, title: original.title });
    expect(moved.data.repository_url).toBe(`${sandbox.url}/repos/acme/gadgets`);
  });
});

describe("GitHub App user-token refresh in GitHub's request format", () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startGithubSandbox({ records: 2, extra: { comments: 0 } });
  });
  afterAll(() => sandbox.stop());

  /** What @octokit/oauth-methods' refreshToken() sends: a JSON body to the token URL, Accept: application/json. */
  const refreshWithOctokit = (refreshToken: string, clientSecret = SANDBOX_CLIENT.clientSecret) =>
    new Octokit({ log: silent }).request('POST /login/oauth/access_token', {
      baseUrl: sandbox.url,
      headers: { accept: 'application/json' },
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });

  it('refreshes: new ghu_/ghr_ tokens, 8 h lifetime; the old access and refresh tokens stop working', async () => {
    const issued = sandbox.control.issueToken();
    const refreshed = await refreshWithOctokit(issued.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.data).toMatchObject({
      access_token: expect.stringMatching(/^ghu_/),
      refresh_token: expect.stringMatching(/^ghr_/),
      expires_in: 28_800,
      refresh_token_expires_in: expect.any(Number),
      token_type: 'bearer',
      scope: '',
    });
    const data = refreshed.data as Json;
    const me = await octokit(sandbox, String(data.access_token)).rest.users.getAuthenticated();
    expect(me.data.login).toBe('sandbox-user');
    const old = await failure(octokit(sandbox, issued.accessToken).rest.users.getAuthenticated());
    expect(old.status).toBe(401);
    expect(old.response!.data).toMatchObject({ message: 'Bad credentials' });
    // A used refresh token: GitHub answers HTTP 200 with the error in the body.
    const reused = await refreshWithOctokit(issued.refreshToken);
    expect(reused.status).toBe(200);
    expect(reused.data).toMatchObject({ error: 'bad_refresh_token', error_description: expect.any(String) });
    const wrongSecret = await refreshWithOctokit(String(data.refresh_token), 'not-the-secret');
    expect(wrongSecret.data).toMatchObject({ error: 'incorrect_client_credentials' });
  });

  it('takes the documented query parameters and answers form-encoded unless JSON is asked for', async () => {
    const issued = sandbox.control.issueToken();
    const url = new URL('/login/oauth/access_token', sandbox.url);
    for (const [key, value] of Object.entries({
      client_id: SANDBOX_CLIENT.clientId,
      client_secret: SANDBOX_CLIENT.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: issued.refreshToken,
    }))
      url.searchParams.set(key, value);
    const answer = await fetch(url, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(await answer.text());
    expect(form.get('access_token')).toMatch(/^ghu_/);
    expect(form.get('token_type')).toBe('bearer');
  });

  it('tokens Octokit refreshed refresh through our token client; a revoked one is auth_revoked there', async () => {
    const refreshed = (await refreshWithOctokit(sandbox.control.issueToken().refreshToken)).data as Json;
    const ours = await refreshGithubToken({
      oauthBaseUrl: sandbox.url,
      clientId: SANDBOX_CLIENT.clientId,
      clientSecret: SANDBOX_CLIENT.clientSecret,
      refreshToken: String(refreshed.refresh_token),
      timeoutMs: 5000,
    });
    expect(ours.accessToken).toMatch(/^ghu_/);
    sandbox.control.revokeRefreshTokens();
    const revoked = await refreshWithOctokit(ours.refreshToken!);
    expect(revoked.data).toMatchObject({ error: 'bad_refresh_token' });
    await expect(
      refreshGithubToken({
        oauthBaseUrl: sandbox.url,
        clientId: SANDBOX_CLIENT.clientId,
        clientSecret: SANDBOX_CLIENT.clientSecret,
        refreshToken: ours.refreshToken!,
        timeoutMs: 5000,
      }),
    ).rejects.toMatchObject({ code: 'auth_revoked' });
  });
});

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
