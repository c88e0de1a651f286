/**
 * The sync engine end to end against the GitHub sandbox (local host, demo mode): conversion schemas with a
 * record that fails mapping, deletion detection and its threshold, a page processed twice, a targeted sync,
 * and conflict strategies on a record edited on both sides.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import { inboundPipeline } from '../../shared/sync/inbound/wiring';
import { issueId } from '../../shared/adapters/github/ids';

jest.setTimeout(120_000);

const ISSUES = 24;
let host: LocalHost;
const memory = createMemoryLogger('warn');
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: String(ISSUES),
      SYNC_PAGE_SIZE: '10',
      SYNC_MAX_DELETE_SHARE: '0.5',
    }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: memory.logger },
  });
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/integrations/demo-github/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });

async function sync(mode: 'full' | 'incremental'): Promise<any> {
  const { runId } = await (await admin('sync', { method: 'POST', body: JSON.stringify({ mode }) })).json();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await (await admin(`runs/${runId}`)).json();
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const github = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
const issueIndexes = Array.from({ length: ISSUES }, (_, index) => index).filter((index) => !isPullRequestIndex(index));
const closedIndexes = issueIndexes.filter((index) => index % 4 === 0);
const shardOf = async (number: number) => {
  const states = await host.services.syncState.records('demo-github', 'issues', [issueId('acme/widgets', number)]);
  const state = [...states.values()][0]!;
  return { state, shard: (await host.services.shards.get('demo', state.shardId))! };
};

describe('sync engine', () => {
  it('rejects a conversion schema naming a field the provider does not have, naming the field', async () => {
    const bad = await admin('mappings/issues', {
      method: 'PUT',
      body: JSON.stringify({
        provider: 'github',
        entity: 'issues',
        shardType: 'ticket',
        fields: { title: { source: 'titel' } },
      }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('fields.title.source');
  });

  it('maps records through a schema; a record that fails mapping is reported and the rest of the page lands', async () => {
    const schema = {
      provider: 'github',
      entity: 'issues',
      shardType: 'ticket',
      fields: {
        title: { source: 'title', required: true },
        reason: { source: 'stateReason', required: true },
        number: { source: 'number', coerce: { to: 'integer' } },
      },
    };
    const put = await admin('mappings/issues', { method: 'PUT', body: JSON.stringify(schema) });
    expect(put.status).toBe(200);
    expect((await put.json()).checkedAgainstCatalog).toBe(true);
    const preview = await (
      await admin('mappings/issues/preview', {
        method: 'POST',
        body: JSON.stringify({ record: { id: 'x', data: { title: 'T', stateReason: null, number: '7' } } }),
      })
    ).json();
    expect(preview).toMatchObject({ ok: false, error: { field: 'reason', code: 'missing_required' } });

    const run = await sync('full');
    expect(run.status).toBe('succeeded');
    // Open issues have no stateReason: they fail mapping; closed ones land as "ticket" shards.
    expect(await host.services.shards.count('demo', { shardType: 'ticket' })).toBe(closedIndexes.length);
    expect(run.counters.errors).toBe(issueIndexes.length - closedIndexes.length);
    expect(run.recordErrors[0]).toMatchObject({ field: 'reason', code: 'missing_required' });
    expect((await admin('mappings/issues', { method: 'DELETE' })).status).toBe(204);
  });

  it('a full refresh detects deletions, and refuses to delete above the configured share', async () => {
    // The sandbox announces deletions by webhook; a secret it does not know makes those deliveries fail, so
    // here only the full refresh's sweep can find them.
    expect(
      (
        await admin('webhook-secret', {
          method: 'PUT',
          body: JSON.stringify({ secret: 'not-the-sandbox-secret-000', overlapMinutes: 0 }),
        })
      ).status,
    ).toBe(200);
    await sync('full');
    const before = await host.services.shards.count('demo', { shardType: 'github.issues' });
    expect(before).toBe(issueIndexes.length);
    for (const index of issueIndexes.slice(0, 2))
      expect(github().control.records.remove('issues', issueId('acme/widgets', index + 1))).toBe(true);
    const run = await sync('full');
    expect(run.counters.deleted).toBe(2);
    expect(await host.services.shards.count('demo', { shardType: 'github.issues' })).toBe(before - 2);

    for (const index of issueIndexes.slice(2, 15))
      github().control.records.remove('issues', issueId('acme/widgets', index + 1));
    const refused = await sync('full');
    expect(refused).toMatchObject({
      status: 'failed',
      lastError: { code: 'validation', target: 'SYNC_MAX_DELETE_SHARE' },
    });
    expect(await host.services.shards.count('demo', { shardType: 'github.issues' })).toBe(before - 2);
  });

  it('a page processed twice (a crash between write and checkpoint) leaves the same end state', async () => {
    const integration = (await host.services.integrations.get('demo', 'demo-github'))!;
    const job = {
      kind: 'sync-page' as const,
      runId: 'replayed-page',
      tenantId: 'demo',
      integrationId: 'demo-github',
      mode: 'full' as const,
      page: 0,
      entity: 'issue_comments',
    };
    const first = await inboundPipeline(host.services)(integration, job);
    const shardsAfterFirst = await host.services.shards.count('demo');
    const second = await inboundPipeline(host.services)(integration, job);
    expect(second.counters.fetched).toBe(first.counters.fetched);
    expect(second.counters.created + second.counters.updated).toBe(0);
    expect(await host.services.shards.count('demo')).toBe(shardsAfterFirst);
  });

  it('a targeted sync fetches and updates only the named record', async () => {
    // Records 1-15 were deleted at the provider above; the last ones are still there.
    const number = issueIndexes.at(-1)! + 1;
    github().control.records.update('issues', issueId('acme/widgets', number), { title: 'Targeted change' });
    const { startRun } = await import('../../shared/sync/runs/start-run');
    const { continueTrace } = await import('../../shared/platform/observability/correlation');
    const run = await startRun(host.services, {
      integration: { id: 'demo-github', tenantId: 'demo' },
      mode: 'targeted',
      trigger: 'webhook',
      entity: 'issues',
      ids: [issueId('acme/widgets', number)],
      trace: continueTrace(undefined),
      now: new Date(),
    });
    const deadline = Date.now() + 30_000;
    let done;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      done = await (await admin(`runs/${run.id}`)).json();
    } while (done.status !== 'succeeded' && done.status !== 'failed' && Date.now() < deadline);
    expect(done).toMatchObject({ status: 'succeeded', counters: expect.objectContaining({ fetched: 1 }) });
    expect((await shardOf(number)).shard.data.title).toBe('Targeted change');
  });

  it.each([
    ['source_wins', 'remote title source_wins', undefined],
    ['target_wins', 'local title target_wins', undefined],
    ['manual', 'local title manual', 'title'],
  ])('a record edited on both sides ends as %s says', async (strategy, expected, heldField) => {
    expect((await admin('', { method: 'PATCH', body: JSON.stringify({ conflictStrategy: strategy }) })).status).toBe(
      200,
    );
    const number = issueIndexes.at(-2)! + 1;
    await sync('incremental');
    const { shard } = await shardOf(number);
    // Different values on each side, different from every earlier run: a real two-sided conflict.
    await host.services.shards.upsertMany([
      {
        ...shard,
        data: { ...shard.data, title: `local title ${strategy}` },
        lastWrittenBy: 'local',
        updatedAt: new Date().toISOString(),
      },
    ]);
    github().control.records.update('issues', issueId('acme/widgets', number), { title: `remote title ${strategy}` });
    const run = await sync('incremental');
    expect(run.status).toBe('succeeded');
    expect((await shardOf(number)).shard.data.title).toBe(expected);
    if (heldField) {
      expect(run.counters.conflicts).toBe(1);
      expect(
        host.services.eventLog!.list('demo', { type: 'sync.conflict_created', integrationId: 'demo-github' }).length,
      ).toBeGreaterThanOrEqual(1);
      const resources = await host.services.conflicts.list('demo', { status: 'open', integrationId: 'demo-github' });
      expect(
        resources.some((conflict) =>
          conflict.fields.some((field) => field.field === heldField && field.remote === 'remote title manual'),
        ),
      ).toBe(true);
    }
  });

  it('the conflicts inbox lists the held conflict and resolves it, once', async () => {
    const inbox = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
      fetch(`${host.url}/api/admin/tenants/demo/conflicts${path}`, {
        ...init,
        headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
      });
    const open = (await (await inbox('?integrationId=demo-github')).json()).items;
    expect(open).toHaveLength(1);
    const conflict = open[0];
    expect(conflict.fields).toEqual([
      expect.objectContaining({ field: 'title', local: 'local title manual', remote: 'remote title manual' }),
    ]);
    expect(
      (
        await inbox(`/${conflict.id}/resolve`, {
          method: 'POST',
          body: JSON.stringify({ choices: { nope: { take: 'local' } } }),
        })
      ).status,
    ).toBe(400);
    const resolved = await inbox(`/${conflict.id}/resolve`, {
      method: 'POST',
      body: JSON.stringify({ choices: { title: { take: 'remote' } } }),
    });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', pushPending: false });
    const { shard } = await shardOf(issueIndexes.at(-2)! + 1);
    expect(shard.data.title).toBe('remote title manual');
    expect(
      (
        await inbox(`/${conflict.id}/resolve`, {
          method: 'POST',
          body: JSON.stringify({ choices: { title: { take: 'remote' } } }),
        })
      ).status,
    ).toBe(409);
    expect((await (await inbox('')).json()).items).toHaveLength(0);
    expect(
      (
        await fetch(`${host.url}/api/admin/tenants/other/conflicts/${conflict.id}`, {
          headers: { 'x-api-key': TEST_ADMIN_KEY },
        })
      ).status,
    ).toBe(404);
  });
});
