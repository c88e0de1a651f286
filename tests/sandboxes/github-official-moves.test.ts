/**
 * @octokit/rest judges what the GitHub sandbox does when things move or tokens rotate: 301 for a renamed repository
 * and a transferred issue (followed by fetch, or reported with redirect: 'manual'), and the GitHub App user-token
 * refresh in GitHub's request format (POST /login/oauth/access_token, grant_type=refresh_token; errors as HTTP 200).
 */
import { refreshGithubToken } from '../../shared/adapters/github';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { failure, Octokit, octokit, REPO, silent, type Json, type OctokitClient } from './support/octokit';

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
    // The repository itself answers at its old name with its current one (what the adapter compares ids with).
    const repository = await client.rest.repos.get({ owner: 'acme', repo: 'old-widgets' });
    expect(repository.url).toBe(`${sandbox.url}/repositories/1000`);
    expect(repository.data).toMatchObject({ id: 1000, full_name: 'acme/widgets', owner: { login: 'acme' } });
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
