/**
 * GitHub's 301 for a renamed repository and a transferred issue, against the GitHub sandbox answering them the way
 * GitHub does: reads follow the move on the API origin only, a transferred issue is reported gone from its old id
 * (and read under its new id when that repository is synced), and no page fails.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { githubAdapterFactory } from '../../shared/adapters/github';
import type { AdapterContext } from '../../shared/adapters/contract';
import { toAppError } from '../../shared/core/app-error';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { seededPullRequestCount } from '../../dev/sandboxes/github/data';
import { readAll } from './contract-suite';

const SEEDED = 12;
// Issue #3 (not a pull request) of acme/widgets moved to acme/gadgets, where it becomes #13.
const TRANSFERRED = 'acme/widgets#3';
const TRANSFERRED_TO = 'acme/gadgets#13';

describe('github 301: renamed repository and transferred issue', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const context = (repositories: string[], baseUrl = sandbox.url): AdapterContext => ({
    baseUrl,
    options: { repositories },
    requestTimeoutMs: 5000,
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
  });

  beforeEach(async () => {
    sandbox = await startGithubSandbox({
      records: SEEDED,
      extra: {
        repositories: ['acme/widgets', 'acme/gadgets'],
        renamedRepositories: { 'acme/old-widgets': 'acme/widgets' },
        transferredIssues: [{ from: TRANSFERRED, to: 'acme/gadgets' }],
      },
    });
    token = sandbox.control.issueToken().accessToken;
  });
  afterEach(() => sandbox.stop());

  const raw = (path: string) =>
    fetch(`${sandbox.url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

  it('the sandbox answers 301 with Location and the GitHub body, for an old repository name and a transferred issue', async () => {
    const renamed = await raw('/repos/acme/old-widgets/issues?per_page=2&state=all');
    expect(renamed.status).toBe(301);
    const location = renamed.headers.get('location')!;
    expect(new URL(location).pathname).toBe('/repositories/1000/issues');
    expect(new URL(location).searchParams.get('per_page')).toBe('2');
    expect(await renamed.json()).toEqual({
      message: 'Moved Permanently',
      url: location,
      documentation_url: expect.stringContaining('docs.github.com'),
    });

    const transferred = await raw('/repos/acme/widgets/issues/3');
    expect(transferred.status).toBe(301);
    expect(new URL(transferred.headers.get('location')!).pathname).toBe('/repositories/1001/issues/13');
    const followed = await raw('/repositories/1001/issues/13');
    expect(followed.status).toBe(200);
    expect(((await followed.json()) as { repository_url: string }).repository_url).toBe(
      `${sandbox.url}/repos/acme/gadgets`,
    );
  });

  it('reads every page of a renamed repository under its configured name', async () => {
    const adapter = githubAdapterFactory.create(context(['acme/old-widgets']));
    await expect(adapter.discover()).resolves.toBeDefined();
    const { records, pages } = await readAll(adapter, 'issues', undefined, 4);
    expect(pages).toBeGreaterThan(1);
    // Widgets lost the transferred issue; pull requests are skipped.
    expect(records).toHaveLength(SEEDED - 1 - seededPullRequestCount(SEEDED));
    expect(records.every((record) => record.id.startsWith('acme/old-widgets#'))).toBe(true);
    const comments = await readAll(adapter, 'issue_comments', undefined, 50);
    expect(comments.records.length).toBeGreaterThan(0);

    const byId = await adapter.fetchByIds({ entity: 'issues', ids: ['acme/old-widgets#1'] });
    expect(byId).toEqual({ records: [expect.objectContaining({ id: 'acme/old-widgets#1' })], missingIds: [] });
  });

  it('reports a transferred issue gone from its old id and reads it under its new id when that repository is synced', async () => {
    const title = sandbox.control.records.get('issues', TRANSFERRED_TO)!.title;
    const both = githubAdapterFactory.create(context(['acme/widgets', 'acme/gadgets']));
    const result = await both.fetchByIds({ entity: 'issues', ids: [TRANSFERRED, 'acme/widgets#1'] });
    expect(result.missingIds).toEqual([TRANSFERRED]);
    expect(result.records.map((record) => record.id)).toEqual([TRANSFERRED_TO, 'acme/widgets#1']);
    expect(result.records[0]!.data).toEqual(expect.objectContaining({ repository: 'acme/gadgets', number: 13, title }));

    const widgetsOnly = githubAdapterFactory.create(context(['acme/widgets']));
    await expect(widgetsOnly.fetchByIds({ entity: 'issues', ids: [TRANSFERRED] })).resolves.toEqual({
      records: [],
      missingIds: [TRANSFERRED],
    });
  });

  it('never follows a redirect off the configured API origin (the token would go along)', async () => {
    let offOriginRequests = 0;
    const elsewhere: Server = createServer((_req, res) => {
      offOriginRequests += 1;
      res.end('[]');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    const elsewhereUrl = `http://localhost:${(elsewhere.address() as AddressInfo).port}/repositories/1/issues`;
    const redirecting: Server = createServer((_req, res) => {
      res.writeHead(301, { location: elsewhereUrl, 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Moved Permanently', url: elsewhereUrl }));
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const adapter = githubAdapterFactory.create(
        context(['acme/widgets'], `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`),
      );
      const error = await adapter.fetchChanges({ entity: 'issues', pageSize: 10 }).then(
        () => undefined,
        (caught: unknown) => toAppError(caught),
      );
      expect(error?.code).toBe('validation');
      expect(error?.message).toMatch(/outside the configured API host/);
      expect(offOriginRequests).toBe(0);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
      await new Promise((resolve) => elsewhere.close(resolve));
    }
  });
});
