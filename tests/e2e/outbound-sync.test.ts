/**
 * Outbound sync end to end in demo mode: a local edit through the admin API → SyncScheduler's changed-shard
 * scan → sync-outbound → SyncOutboundWorker → the GitHub adapter → the GitHub sandbox, with echo suppression
 * (the next inbound sync sees no change), conflict resolution against the provider's current version, a
 * message delivered twice, and a create retried after a crash.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { QUEUES } from '../../shared/stores/queue/queues';
import type { OutgoingMessage } from '../../shared/stores/queue/queue-port';
import { outboundLedgerId } from '../../shared/stores/documents/sync-state-repository';
import { newIntegration } from '../../shared/core/integration';
import { parseConversionSchema } from '../../shared/mapping';
import { credentialRef } from '../../shared/app/integration-credentials';
import { eventually } from '../support/eventually';

jest.setTimeout(90_000);

const PATCH_ISSUE = 'PATCH /repos/:owner/:repo/issues/:number';
const POST_ISSUE = 'POST /repos/:owner/:repo/issues';

let host: LocalHost;
/** Every push message the app sent (observed, not changed: the real queue still gets each one). */
const pushes: OutgoingMessage[] = [];

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: '12',
      SYNC_PAGE_SIZE: '25',
      QUEUE_MAX_DELIVERY_COUNT: '3',
      QUEUE_LOCK_DURATION_MS: '3000',
    }),
    useProcessEnv: false,
    timers: false,
  });
  const send = host.services.queue.send.bind(host.services.queue);
  host.services.queue.send = async (queue, messages, options) => {
    if (queue === QUEUES.syncOutbound.name) pushes.push(...messages);
    return send(queue, messages, options);
  };
  // Only demo-github syncs in these tests, and only when a test asks: no scheduled inbound run interferes.
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({ ...stored, nextSyncAt: '2099-01-01T00:00:00.000Z' });
  }
  expect(
    (
      await api('tenants/demo/integrations/demo-github', {
        method: 'PATCH',
        body: JSON.stringify({ direction: 'bidirectional' }),
      })
    ).status,
  ).toBe(200);
  expect((await sync('full')).status).toBe('succeeded');
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  return fetch(`${host.url}/api/admin/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json', ...init.headers },
  });
}

async function sync(mode: 'full' | 'incremental', integrationId = 'demo-github'): Promise<any> {
  const started = await api(`tenants/demo/integrations/${integrationId}/sync`, {
    method: 'POST',
    body: JSON.stringify({ mode }),
  });
  expect(started.status).toBe(202);
  const { runId } = await started.json();
  return eventually(async () => {
    const run = await (await api(`tenants/demo/integrations/${integrationId}/runs/${runId}`)).json();
    return run.status === 'succeeded' || run.status === 'failed' ? run : undefined;
  }, `run ${runId}`);
}

const github = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;
const patchCalls = () => github().calls().byRoute[PATCH_ISSUE] ?? 0;
const outboundIdle = () =>
  eventually(
    async () => (host.services.embeddedQueue!.depth(QUEUES.syncOutbound.name) === 0 ? true : undefined),
    'the outbound queue to drain',
  );

/** Issues synced in by the full sync, one per test, with their shard ids. */
let issues: Array<{ externalId: string; shardId: string }> = [];
async function nextIssue(): Promise<{ externalId: string; shardId: string }> {
  if (issues.length === 0)
    issues = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 50)).unseen.map((state) => ({
      externalId: state.externalId,
      shardId: state.shardId,
    }));
  return issues.shift()!;
}

async function editLocally(shardId: string, data: Record<string, unknown>): Promise<any> {
  const current = await api(`tenants/demo/shards/${shardId}`);
  expect(current.status).toBe(200);
  const response = await api(`tenants/demo/shards/${shardId}`, {
    method: 'PATCH',
    headers: { 'if-match': current.headers.get('etag')! },
    body: JSON.stringify({ data }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('outbound sync', () => {
  it('one local edit causes exactly one provider push and no re-import as a change', async () => {
    const { externalId, shardId } = await nextIssue();
    const edited = await editLocally(shardId, { title: 'Edited on the platform' });
    expect(edited).toMatchObject({ lastWrittenBy: 'local', data: { title: 'Edited on the platform' } });
    github().resetCalls();
    pushes.length = 0;

    await host.triggers.fire('SyncScheduler');
    expect(pushes.map((message) => message.body)).toEqual([
      expect.objectContaining({ kind: 'push-shard', integrationId: 'demo-github', shardId, etag: edited._etag }),
    ]);
    const settled = await eventually(async () => {
      const shard = await host.services.shards.get('demo', shardId);
      return shard?.lastWrittenBy === 'inbound' ? shard : undefined;
    }, 'the push to settle');
    await outboundIdle();

    expect(github().records.get('issues', externalId)).toMatchObject({ title: 'Edited on the platform' });
    expect(patchCalls()).toBe(1);
    expect(settled.data.title).toBe('Edited on the platform');
    const ledger = await host.services.syncState.outboundLedger('demo-github', shardId);
    expect(ledger).toMatchObject({
      id: outboundLedgerId(shardId),
      status: 'pushed',
      externalId,
      providerVersion: expect.any(String),
      contentHash: expect.any(String),
    });

    // Echo suppression: the provider's copy of our change is not a remote change (neither when its webhook
    // arrives nor in the next incremental sync), and nothing is pushed again.
    await github().flushWebhooks();
    // First the ping GitHub sends to the hook demo mode subscribed at start, then the one event of the push.
    expect(github().webhookDeliveries()).toEqual([
      expect.objectContaining({ event: 'ping', status: 200 }),
      expect.objectContaining({ event: 'issues', status: 200 }),
    ]);
    const echo = await eventually(async () => {
      const runs: any[] = (await (await api('tenants/demo/integrations/demo-github/runs')).json()).items;
      return runs.find((candidate) => candidate.trigger === 'webhook' && candidate.status === 'succeeded');
    }, 'the webhook echo run');
    expect(echo.counters).toMatchObject({ fetched: 1, updated: 0, unchanged: 1 });
    const run = await sync('incremental');
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ updated: 0, created: 0, conflicts: 0 });
    pushes.length = 0;
    await host.triggers.fire('SyncScheduler');
    await outboundIdle();
    expect(pushes).toHaveLength(0);
    expect(patchCalls()).toBe(1);
  });

  it('a shard edited on both sides ends as the conflict strategy says (source_wins: the provider value is kept)', async () => {
    const { externalId, shardId } = await nextIssue();
    // The sandbox also sends a signed webhook for the provider edit, so an inbound targeted run may race the
    // push: the per-record lease (shared/sync/page/record-lease.ts) serialises them, and either order must end here.
    await editLocally(shardId, { title: 'Local title' });
    github().records.update('issues', externalId, { title: 'Provider title' });
    github().resetCalls();

    await host.triggers.fire('SyncScheduler');
    const settled = await eventually(async () => {
      const shard = await host.services.shards.get('demo', shardId);
      return shard?.lastWrittenBy === 'inbound' ? shard : undefined;
    }, 'the conflict to settle');
    await outboundIdle();
    expect(settled.data.title).toBe('Provider title');
    expect(github().records.get('issues', externalId)).toMatchObject({ title: 'Provider title' });
    expect(patchCalls()).toBe(0);
    const run = await sync('incremental');
    expect(run.counters).toMatchObject({ updated: 0, created: 0 });
  });

  it('a push message delivered twice pushes once', async () => {
    const { externalId, shardId } = await nextIssue();
    const edited = await editLocally(shardId, { body: 'Pushed exactly once' });
    github().resetCalls();
    const body = { kind: 'push-shard', tenantId: 'demo', integrationId: 'demo-github', shardId, etag: edited._etag };
    // Two copies with different ids get past duplicate detection, as a redelivery after a lost lock would.
    await host.services.queue.send(QUEUES.syncOutbound.name, [
      { messageId: `${shardId}:first`, body },
      { messageId: `${shardId}:again`, body },
    ]);
    await eventually(
      async () => ((await host.services.shards.get('demo', shardId))?.lastWrittenBy === 'inbound' ? true : undefined),
      'the push to settle',
    );
    await outboundIdle();
    expect(github().records.get('issues', externalId)).toMatchObject({ body: 'Pushed exactly once' });
    expect(patchCalls()).toBe(1);
  });

  it('a push refused by a provider outage is retried later with backoff and applied once', async () => {
    const { externalId, shardId } = await nextIssue();
    await editLocally(shardId, { title: 'After the outage' });
    github().resetCalls();
    github().injectFault({ kind: 'server_error', status: 503, method: 'PATCH', path: '/issues/', count: 1 });
    await host.triggers.fire('SyncScheduler');
    await eventually(
      async () => ((await host.services.shards.get('demo', shardId))?.lastWrittenBy === 'inbound' ? true : undefined),
      'the retried push to settle',
    );
    await outboundIdle();
    expect(github().records.get('issues', externalId)).toMatchObject({ title: 'After the outage' });
    // The refused request and the one that was applied.
    expect(patchCalls()).toBe(2);
    expect(github().calls().byStatus['503']).toBe(1);
    expect(await host.services.syncState.outboundLedger('demo-github', shardId)).toMatchObject({ status: 'pushed' });
  });

  it('a shard created locally is created once at the provider, also when the create is retried after a crash', async () => {
    const before = github().records.count('issues');
    const created = await api('tenants/demo/shards', {
      method: 'POST',
      body: JSON.stringify({
        integrationId: 'demo-github',
        shardType: 'github.issues',
        data: { title: 'Born on the platform', body: 'new' },
      }),
    });
    expect(created.status).toBe(201);
    const shard = await created.json();
    github().resetCalls();
    await host.triggers.fire('SyncScheduler');
    const linked = await eventually(async () => {
      const current = await host.services.shards.get('demo', shard.id);
      return current?.externalRefs.length ? current : undefined;
    }, 'the create to settle');
    await outboundIdle();
    expect(github().records.count('issues')).toBe(before + 1);
    expect(github().calls().byRoute[POST_ISSUE]).toBe(1);
    expect(linked).toMatchObject({
      lastWrittenBy: 'inbound',
      externalRefs: [expect.objectContaining({ integrationId: 'demo-github', entity: 'issues' })],
      data: { title: 'Born on the platform', number: expect.any(Number) },
    });
    expect((await sync('incremental')).counters).toMatchObject({ created: 0, updated: 0 });

    // A crash after the provider made the record but before its id was recorded: only the marker is left.
    const second = await (
      await api('tenants/demo/shards', {
        method: 'POST',
        body: JSON.stringify({
          integrationId: 'demo-github',
          shardType: 'github.issues',
          data: { title: 'Crashed create', body: 'once' },
        }),
      })
    ).json();
    const madeByFirstAttempt = github().records.create('issues', { title: 'Crashed create', body: 'once' });
    const checkpoint = await host.services.syncState.checkpoint('demo-github', 'issues');
    await host.services.syncState.saveOutboundLedger(
      {
        id: outboundLedgerId(second.id),
        kind: 'outbound',
        integrationId: 'demo-github',
        tenantId: 'demo',
        shardId: second.id,
        entity: 'issues',
        status: 'pushing',
        shardEtag: second._etag,
        leaseUntil: new Date(Date.now() - 1000).toISOString(),
        pendingCreate: {
          idempotencyKey: second.id,
          data: { title: 'Crashed create', body: 'once' },
          cursor: checkpoint?.cursor,
          startedAt: new Date().toISOString(),
          attempts: 1,
        },
        updatedAt: new Date().toISOString(),
      },
      undefined,
    );
    github().resetCalls();
    await host.triggers.fire('SyncScheduler');
    const adopted = await eventually(async () => {
      const current = await host.services.shards.get('demo', second.id);
      return current?.externalRefs.length ? current : undefined;
    }, 'the retried create to settle');
    await outboundIdle();
    expect(github().calls().byRoute[POST_ISSUE] ?? 0).toBe(0);
    expect(github().records.count('issues')).toBe(before + 2);
    expect(adopted.externalRefs[0]).toMatchObject({ externalId: `acme/widgets#${madeByFirstAttempt.number}` });
  });

  it("maps a local edit back through the integration's conversion schema", async () => {
    const sandbox = host.demo!.sandboxes.find((candidate) => candidate.provider === 'github')!;
    const schema = parseConversionSchema({
      provider: 'github',
      entity: 'issues',
      shardType: 'task',
      fields: {
        name: { source: 'title', writable: true },
        status: { source: 'state' },
        number: { source: 'number' },
        changedAt: { source: 'updatedAt' },
      },
      volatileFields: ['changedAt'],
    });
    const integration = newIntegration(
      'demo',
      'gh-mapped',
      {
        provider: 'github',
        name: 'mapped',
        direction: 'bidirectional',
        entities: ['issues'],
        baseUrl: sandbox.url,
        providerOptions: { repositories: ['acme/widgets'] },
      },
      { intervalMinutes: 60 },
      new Date(),
    );
    await host.services.integrations.create({
      ...integration,
      nextSyncAt: '2099-01-01T00:00:00.000Z',
      mappings: { issues: schema },
    });
    await host.services.credentials.service.put(credentialRef(integration, 'api'), {
      type: 'bearer_token',
      token: github().issueToken({ expiresInMs: 3_600_000 }).accessToken,
    });
    expect((await sync('full', 'gh-mapped')).status).toBe('succeeded');
    const [state] = (await host.services.syncState.unseenSince('gh-mapped', 'issues', 'none', 1)).unseen;
    const shard = (await host.services.shards.get('demo', state!.shardId))!;
    expect(shard).toMatchObject({ shardType: 'task', data: { name: expect.any(String), status: expect.any(String) } });
    await editLocally(shard.id, { name: 'Renamed through a mapping' });
    github().resetCalls();

    await host.triggers.fire('SyncScheduler');
    await eventually(
      async () => ((await host.services.shards.get('demo', shard.id))?.lastWrittenBy === 'inbound' ? true : undefined),
      'the mapped push to settle',
    );
    await outboundIdle();
    expect(github().records.get('issues', state!.externalId)).toMatchObject({ title: 'Renamed through a mapping' });
    expect(patchCalls()).toBe(1);
    expect((await sync('incremental', 'gh-mapped')).counters).toMatchObject({ updated: 0, created: 0 });
  });

  it('reads and changes shards only within their tenant, and guards changes with If-Match', async () => {
    const { shardId } = await nextIssue();
    expect((await api(`tenants/other/shards/${shardId}`)).status).toBe(404);
    expect(
      (
        await api(`tenants/other/shards/${shardId}`, {
          method: 'PATCH',
          body: JSON.stringify({ data: { title: 'x' } }),
        })
      ).status,
    ).toBe(404);
    const stale = await api(`tenants/demo/shards/${shardId}`, {
      method: 'PATCH',
      headers: { 'if-match': '"stale"' },
      body: JSON.stringify({ data: { title: 'x' } }),
    });
    expect(stale.status).toBe(412);
    const bad = await api(`tenants/demo/shards/${shardId}`, { method: 'PATCH', body: JSON.stringify({ title: 'x' }) });
    expect(bad.status).toBe(400);
    expect((await api(`tenants/demo/shards/${shardId}`)).status).toBe(200);
  });
});
