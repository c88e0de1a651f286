/**
 * A sync of some entities, a backfill from a date and a checkpoint reset (issue 18 §5), through the real AdminApi
 * handler, SyncInboundWorker's handler and page pipeline against the GitHub sandbox and the local stores: a
 * resync of one entity reads only it; a backfill reads from its date and leaves the stored checkpoint as it was;
 * a reset checkpoint makes the next incremental run read everything; each bad input is a 400 naming its field;
 * another tenant's integration answers 404.
 */
import { startGithubSandbox } from '../../dev/sandboxes/github';
import type { RunningSandbox } from '../../dev/sandboxes';
import { createTestServices, type TestServices } from '../support/test-services';
import { adminOf, drain, sandboxIntegration } from './controls-harness';

jest.setTimeout(90_000);

const TENANT = 't-scope';
const ISSUES = 8;
let t: TestServices;
let github: RunningSandbox;
let admin: ReturnType<typeof adminOf>;

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000', SYNC_PAGE_SIZE: '50' });
  admin = adminOf(t);
  github = await startGithubSandbox({ records: ISSUES, extra: { repositories: ['acme/widgets'], comments: 1 } });
  const body = {
    provider: 'github' as const,
    entities: ['issues', 'issue_comments'],
    providerOptions: { repositories: ['acme/widgets'] },
  };
  await sandboxIntegration(t, TENANT, 'gh-scope', github, body);
  await sandboxIntegration(t, 't-scope-other', 'gh-scope-other', github, body, null);
  await sandboxIntegration(t, TENANT, 'slack-scope', github, { provider: 'slack', entities: ['messages'] }, null);
  // The first run: every entity gets its checkpoint.
  expect((await admin('POST', `tenants/${TENANT}/integrations/gh-scope/sync`, { mode: 'full' })).status).toBe(202);
  await drain(t);
  // Pull requests are listed among GitHub's issues but are not synced as issues: the full run's count is the truth.
  const synced = await t.services.shards.count(TENANT, { shardType: 'github.issues' });
  expect(synced).toBeGreaterThan(2);
  issueCount = () => synced;
});
afterAll(async () => {
  await github?.stop();
  await t?.services.close();
});

const issueCalls = () =>
  Object.entries(github.control.calls().byRoute)
    .filter(([route]) => route.endsWith('/issues'))
    .reduce((sum, [, count]) => sum + count, 0);
let issueCount = () => 0;
const run = (runId: string) => t.services.runs.get(TENANT, 'gh-scope', runId);

describe('POST …/sync with entities and since', () => {
  it('resyncs only the named entities', async () => {
    const before = issueCalls();
    const started = await admin('POST', `tenants/${TENANT}/integrations/gh-scope/sync`, {
      mode: 'full',
      entities: ['issue_comments'],
    });
    expect(started.status).toBe(202);
    const pages = await drain(t);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((page) => page.entity === 'issue_comments')).toBe(true);
    expect(issueCalls()).toBe(before);
    expect(await run(started.body.runId)).toMatchObject({ status: 'succeeded', entities: ['issue_comments'] });
  });

  it('backfills from a date without moving the checkpoint', async () => {
    const checkpoint = await t.services.syncState.checkpoint('gh-scope', 'issues');
    expect(checkpoint?.cursor).toBeDefined();
    // An incremental run from the checkpoint reads (almost) nothing: GitHub's since is inclusive, so at most the
    // boundary instant again…
    const plain = await admin('POST', `tenants/${TENANT}/integrations/gh-scope/sync`, {
      mode: 'incremental',
      entities: ['issues'],
    });
    await drain(t);
    const plainFetched = (await run(plain.body.runId))!.counters.fetched;
    expect(plainFetched).toBeLessThan(issueCount());
    const afterPlain = await t.services.syncState.checkpoint('gh-scope', 'issues');

    // …while a backfill from long ago reads every issue again, and leaves the checkpoint as it was.
    const backfill = await admin('POST', `tenants/${TENANT}/integrations/gh-scope/sync`, {
      mode: 'incremental',
      entities: ['issues'],
      since: '2000-01-01T00:00:00Z',
    });
    expect(backfill.status).toBe(202);
    await drain(t);
    expect(await run(backfill.body.runId)).toMatchObject({
      status: 'succeeded',
      since: '2000-01-01T00:00:00.000Z',
      counters: { fetched: issueCount() },
    });
    expect(await t.services.syncState.checkpoint('gh-scope', 'issues')).toMatchObject({
      cursor: afterPlain!.cursor,
      lastRunId: afterPlain!.lastRunId,
    });
  });

  it('answers 400 naming the field for an unknown entity or a bad, future or unsupported since', async () => {
    const path = `tenants/${TENANT}/integrations/gh-scope/sync`;
    const future = new Date(Date.now() + 86_400_000).toISOString();
    for (const [body, target] of [
      [{ mode: 'incremental', entities: ['issues', 'pulls'] }, 'entities[1]'],
      [{ mode: 'incremental', entities: [] }, 'entities'],
      [{ mode: 'incremental', since: 'last tuesday' }, 'since'],
      [{ mode: 'incremental', since: '2026-13-45' }, 'since'],
      [{ mode: 'incremental', since: future }, 'since'],
      [{ mode: 'full', since: '2020-01-01' }, 'since'],
    ] as const)
      expect(await admin('POST', path, body)).toMatchObject({ status: 400, body: { error: { target } } });
    expect(
      await admin('POST', `tenants/${TENANT}/integrations/slack-scope/sync`, {
        mode: 'incremental',
        since: '2020-01-01',
      }),
    ).toMatchObject({ status: 400, body: { error: { target: 'since', message: expect.stringContaining('slack') } } });
  });
});

describe('POST …/checkpoints/reset', () => {
  it('forgets the entity’s checkpoint, so its next incremental run reads everything', async () => {
    const reset = await admin('POST', `tenants/${TENANT}/integrations/gh-scope/checkpoints/reset`, {
      entity: 'issues',
    });
    expect(reset).toEqual({ status: 200, body: { entity: 'issues', reset: true } });
    expect(await t.services.syncState.checkpoint('gh-scope', 'issues')).toBeUndefined();
    expect(await t.services.syncState.checkpoint('gh-scope', 'issue_comments')).toBeDefined();
    const next = await admin('POST', `tenants/${TENANT}/integrations/gh-scope/sync`, {
      mode: 'incremental',
      entities: ['issues'],
    });
    await drain(t);
    expect((await run(next.body.runId))?.counters.fetched).toBe(issueCount());
    expect(await t.services.syncState.checkpoint('gh-scope', 'issues')).toBeDefined();
  });

  it('answers 400 naming entity, and 404 for another tenant’s integration', async () => {
    const path = `tenants/${TENANT}/integrations/gh-scope/checkpoints/reset`;
    expect(await admin('POST', path, { entity: 'pulls' })).toMatchObject({
      status: 400,
      body: { error: { target: 'entity' } },
    });
    expect(await admin('POST', path, {})).toMatchObject({ status: 400, body: { error: { target: 'entity' } } });
    expect(
      (await admin('POST', `tenants/${TENANT}/integrations/gh-scope-other/checkpoints/reset`, { entity: 'issues' }))
        .status,
    ).toBe(404);
    expect(
      (await admin('POST', `tenants/${TENANT}/integrations/gh-scope-other/sync`, { mode: 'incremental' })).status,
    ).toBe(404);
  });
});
