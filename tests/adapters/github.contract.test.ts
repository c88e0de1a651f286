/** The GitHub adapter against the GitHub sandbox: the shared contract suite plus GitHub-only behaviour. */
import { githubAdapterFactory, refreshGithubToken } from '../../shared/adapters/github';
import type { AdapterContext } from '../../shared/adapters/contract';
import { SANDBOX_CLIENT } from '../../dev/sandboxes/common/oauth';
import type { RunningSandbox } from '../../dev/sandboxes/common/types';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import { seededPullRequestCount } from '../../dev/sandboxes/github/data';
import { runAdapterContract, readAll } from './contract-suite';

const refresh = (sandbox: RunningSandbox, refreshToken: string, signal?: AbortSignal) =>
  refreshGithubToken({
    oauthBaseUrl: sandbox.url,
    clientId: SANDBOX_CLIENT.clientId,
    clientSecret: SANDBOX_CLIENT.clientSecret,
    refreshToken,
    timeoutMs: 5000,
    signal,
  });

runAdapterContract('github', {
  factory: githubAdapterFactory,
  start: (options) => startGithubSandbox(options),
  adapterOptions: () => ({ repositories: ['acme/widgets'] }),
  entity: 'issues',
  expectedFullCount: (sandbox) => {
    const total = sandbox.control.records.count('issues');
    return total - seededPullRequestCount(total);
  },
  refresh,
  createData: (tag) => ({ title: tag, body: 'made by the contract suite', labels: ['bug'] }),
  updateData: (tag) => ({ title: tag }),
  invalidCreateData: () => ({ body: 'an issue without a title' }),
  missingId: () => 'acme/widgets#999999',
  tagOf: (raw) => raw.title as string,
  isDeletedInSandbox: (raw) => raw === undefined || (raw.state === 'closed' && raw.state_reason === 'not_planned'),
  signalsOnSuccess: true,
});

describe('github adapter specifics', () => {
  let sandbox: RunningSandbox;
  let token: string;
  const context = (options: Record<string, unknown>, extra: Partial<AdapterContext> = {}): AdapterContext => ({
    baseUrl: sandbox.url,
    options,
    requestTimeoutMs: 5000,
    auth: { headers: async () => ({ authorization: `Bearer ${token}` }) },
    ...extra,
  });

  beforeEach(async () => {
    sandbox = await startGithubSandbox({
      records: 12,
      extra: { repositories: ['acme/widgets', 'acme/gadgets'], rateLimitPerHour: 30 },
    });
    token = sandbox.control.issueToken().accessToken;
  });
  afterEach(() => sandbox.stop());

  it('skips pull requests that the issues endpoint returns, across two repositories', async () => {
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets', 'acme/gadgets'] }));
    const { records } = await readAll(adapter, 'issues', undefined, 5);
    expect(records).toHaveLength(2 * (12 - seededPullRequestCount(12)));
    expect(new Set(records.map((record) => record.data.repository))).toEqual(new Set(['acme/widgets', 'acme/gadgets']));
    expect(records.every((record) => !String(record.data.url).includes('/pull/'))).toBe(true);
  });

  it('loses nothing when records already read change mid-run (keyset paging); the next run repeats only the last second', async () => {
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    const first = await adapter.fetchChanges({ entity: 'issues', pageSize: 3 });
    const ids = new Set(first.records.map((record) => record.id));
    // Moving two delivered issues to the end shifts the rest left: page numbers would now skip two issues.
    sandbox.control.records.update('issues', first.records[0]!.id);
    sandbox.control.records.update('issues', first.records[1]!.id);
    const rest = await readAll(adapter, 'issues', first.nextCursor, 3);
    rest.records.forEach((record) => ids.add(record.id));
    expect(ids.size).toBe(12 - seededPullRequestCount(12));
    const after = await readAll(adapter, 'issues', rest.cursor, 3);
    // GitHub's updated_at has one-second precision: the boundary second is read again (a change within it
    // would otherwise be lost); nothing older is repeated.
    const newest = [...first.records, ...rest.records]
      .map((record) => record.modifiedAt!)
      .sort()
      .at(-1);
    expect(after.records.every((record) => record.modifiedAt === newest)).toBe(true);
  });

  it('revalidates an unchanged single-page read with If-None-Match: 304 does not spend the budget', async () => {
    const signals: number[] = [];
    const adapter = githubAdapterFactory.create(
      context(
        { repositories: ['acme/widgets'] },
        { onRateLimitSignal: (signal) => signals.push(signal.remaining ?? -1) },
      ),
    );
    const first = await readAll(adapter, 'issues', undefined, 100);
    const second = await readAll(adapter, 'issues', first.cursor, 100);
    const third = await readAll(adapter, 'issues', second.cursor, 100);
    expect(third.records).toEqual([]);
    expect(sandbox.control.calls().byStatus['304']).toBe(1);
    expect(signals.at(-1)).toBe(signals.at(-2));
    sandbox.control.records.update('issues', 'acme/widgets#3');
    const fourth = await readAll(adapter, 'issues', third.cursor, 100);
    expect(fourth.records.map((record) => record.id)).toContain('acme/widgets#3');
  });

  it('answers a spent primary budget with 403 and maps it to rate_limited until the reset', async () => {
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    for (let i = 0; i < 30; i += 1) await adapter.fetchChanges({ entity: 'issues', pageSize: 1 });
    await expect(adapter.fetchChanges({ entity: 'issues', pageSize: 1 })).rejects.toMatchObject({
      code: 'rate_limited',
      retryable: true,
    });
    const error = await adapter
      .fetchChanges({ entity: 'issues', pageSize: 1 })
      .catch((e: { retryAfterMs?: number }) => e);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_000_000);
  });

  it('maps a secondary-limit 403 with retry-after to rate_limited', async () => {
    sandbox.control.injectFault({ kind: 'rate_limit', variant: 'secondary-403', retryAfterSeconds: 61 });
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    await expect(adapter.fetchChanges({ entity: 'issues', pageSize: 1 })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 61_000,
    });
  });

  it('reads, creates, edits and deletes issue comments', async () => {
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    const { records } = await readAll(adapter, 'issue_comments', undefined, 5);
    expect(records).toHaveLength(12);
    const [created] = await adapter.push({
      entity: 'issue_comments',
      operations: [{ kind: 'create', idempotencyKey: 'a', data: { issueNumber: 2, body: 'hello' } }],
    });
    if (!created?.ok) throw new Error(JSON.stringify(created));
    expect(sandbox.control.records.get('issue_comments', created.id)).toMatchObject({ body: 'hello' });
    const [edited, removed] = await adapter.push({
      entity: 'issue_comments',
      operations: [
        { kind: 'update', idempotencyKey: 'b', id: created.id, data: { body: 'edited' } },
        { kind: 'delete', idempotencyKey: 'c', id: created.id },
      ],
    });
    expect(edited).toMatchObject({ ok: true });
    expect(removed).toMatchObject({ ok: true });
    expect(sandbox.control.records.get('issue_comments', created.id)).toBeUndefined();
  });

  it('answers 410 Gone for a deleted issue, which fetchByIds reports as missing', async () => {
    sandbox.control.records.remove('issues', 'acme/widgets#2');
    const response = await fetch(`${sandbox.url}/repos/acme/widgets/issues/2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(410);
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    expect((await adapter.fetchByIds({ entity: 'issues', ids: ['acme/widgets#2'] })).missingIds).toEqual([
      'acme/widgets#2',
    ]);
  });

  it('refuses a stale expectedVersion with conflict', async () => {
    const adapter = githubAdapterFactory.create(context({ repositories: ['acme/widgets'] }));
    const [outcome] = await adapter.push({
      entity: 'issues',
      operations: [
        {
          kind: 'update',
          idempotencyKey: 'v',
          id: 'acme/widgets#1',
          data: { title: 'x' },
          expectedVersion: '2000-01-01T00:00:00Z',
        },
      ],
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('rejects options without repositories as a configuration error', () => {
    expect(() => githubAdapterFactory.create(context({}))).toThrow(/repositories/);
  });
});
