/**
 * The race between a webhook's targeted inbound run and SyncOutboundWorker's push of the same record, with a
 * real interleaving: demo mode, the GitHub sandbox, both workers on the embedded queue. A record is edited on
 * both sides (conflict strategy source_wins); the push is held right after it claimed the record, and the
 * targeted run is started in that moment. Without per-record serialisation the run wrote the provider's value
 * and the push, resuming with the shard it had read before, sent the local value back over it.
 * Also: a shard deleted locally is deleted at the provider (GitHub closes the issue), once, with no re-import.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { credentialRef } from '../../shared/app/integration-credentials';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { startRun } from '../../shared/sync/runs/start-run';
import type { OutboundLedger } from '../../shared/stores/documents/sync-state-repository';
import { eventually } from '../support/eventually';

jest.setTimeout(120_000);

const PATCH_ISSUE = 'PATCH /repos/:owner/:repo/issues/:number';
let host: LocalHost;

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json', ...init.headers },
  });

const runOf = async (runId: string) => (await api(`integrations/demo-github/runs/${runId}`)).json();
const github = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!.control;

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: '8', SYNC_PAGE_SIZE: '25' }),
    useProcessEnv: false,
    timers: false,
  });
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({
      ...stored,
      nextSyncAt: '2099-01-01T00:00:00.000Z',
      ...(integration.id === 'demo-github'
        ? { direction: 'bidirectional' as const, conflictStrategy: 'source_wins' as const }
        : {}),
    });
  }
  // The targeted run is started by the test at the chosen moment, not by the sandbox's own webhook.
  await host.services.credentials.service.setWebhookSecret(
    credentialRef({ tenantId: 'demo', id: 'demo-github' }, 'webhook'),
    'not-the-sandbox-secret-000',
    0,
  );
  const { runId } = await (
    await api('integrations/demo-github/sync', { method: 'POST', body: JSON.stringify({ mode: 'full' }) })
  ).json();
  await eventually(async () => ((await runOf(runId)).status === 'succeeded' ? true : undefined), 'the first full sync');
});
afterAll(async () => host?.stop());

describe('a push racing a webhook-triggered inbound run', () => {
  it('keeps the provider value under source_wins: the later writer re-reads and re-resolves', async () => {
    const [state] = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 1)).unseen;
    const { externalId, shardId } = state!;
    const current = await api(`shards/${shardId}`);
    const edited = await api(`shards/${shardId}`, {
      method: 'PATCH',
      headers: { 'if-match': current.headers.get('etag')! },
      body: JSON.stringify({ data: { title: 'Local title' } }),
    });
    expect(edited.status).toBe(200);
    github().records.update('issues', externalId, { title: 'Provider title' });
    github().resetCalls();

    // Hold the push right after it claimed the record, and start the webhook's targeted run in that moment.
    const syncState = host.services.syncState;
    const save = syncState.saveOutboundLedger.bind(syncState);
    let targetedRunId: string | undefined;
    let shardEtagDuringHold: string | undefined;
    let etagAfterHold: string | undefined;
    syncState.saveOutboundLedger = async (entry: OutboundLedger, etag: string | undefined) => {
      const saved = await save(entry, etag);
      if (entry.status !== 'pushing' || entry.inboundLeaseUntil || targetedRunId) return saved;
      shardEtagDuringHold = (await host.services.shards.get('demo', shardId))!._etag;
      const run = await startRun(host.services, {
        integration: { id: 'demo-github', tenantId: 'demo' },
        mode: 'targeted',
        trigger: 'webhook',
        entity: 'issues',
        ids: [externalId],
        trace: continueTrace(undefined),
        now: new Date(),
      });
      targetedRunId = run.id;
      // Long enough for the run's page to reach the record (it needs no more than a fetch of one issue).
      await eventually(
        async () => {
          const status = (await runOf(run.id)).status;
          return status === 'succeeded' ||
            status === 'failed' ||
            host.services.embeddedQueue!.depth('sync-inbound') === 0
            ? true
            : undefined;
        },
        'the targeted run to reach the record',
        10_000,
      ).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      etagAfterHold = (await host.services.shards.get('demo', shardId))!._etag;
      return saved;
    };
    try {
      await host.triggers.fire('SyncScheduler');
      await eventually(async () => (targetedRunId ? true : undefined), 'the push to claim the record');
      const run = await eventually(async () => {
        const found = await runOf(targetedRunId!);
        return found.status === 'succeeded' || found.status === 'failed' ? found : undefined;
      }, 'the targeted run');
      expect(run.status).toBe('succeeded');
      await eventually(
        async () => (host.services.embeddedQueue!.depth('sync-outbound') === 0 ? true : undefined),
        'the outbound queue to drain',
      );
    } finally {
      syncState.saveOutboundLedger = save;
    }

    // source_wins: the provider's value stays at the provider and lands on the shard; nothing was pushed.
    expect(github().records.get('issues', externalId)).toMatchObject({ title: 'Provider title' });
    expect(github().calls().byRoute[PATCH_ISSUE] ?? 0).toBe(0);
    // While the push held the record, the inbound run did not write it.
    expect(etagAfterHold).toBe(shardEtagDuringHold);
    const shard = (await host.services.shards.get('demo', shardId))!;
    expect(shard.data.title).toBe('Provider title');
    expect(shard.lastWrittenBy).toBe('inbound');
    const ledger = await host.services.syncState.outboundLedger('demo-github', shardId);
    expect(ledger?.inboundLeaseUntil).toBeUndefined();
    expect(ledger?.status).not.toBe('pushing');
  });

  it("pushes a local delete as the provider's delete (GitHub closes the issue) and does not re-import it", async () => {
    const states = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 20)).unseen.filter(
      (candidate) => github().records.get('issues', candidate.externalId)?.state === 'open',
    );
    const { externalId, shardId } = states[states.length - 1]!;
    const shard = (await host.services.shards.get('demo', shardId))!;
    await host.services.shards.replace({
      ...shard,
      deleted: true,
      lastWrittenBy: 'local',
      updatedAt: new Date().toISOString(),
    });
    github().resetCalls();

    await host.triggers.fire('SyncScheduler');
    await eventually(
      async () => ((await host.services.shards.get('demo', shardId))?.lastWrittenBy === 'inbound' ? true : undefined),
      'the delete to settle',
    );
    await eventually(
      async () => (host.services.embeddedQueue!.depth('sync-outbound') === 0 ? true : undefined),
      'the outbound queue to drain',
    );
    expect(github().records.get('issues', externalId)).toMatchObject({ state: 'closed' });
    expect(github().calls().byRoute[PATCH_ISSUE]).toBe(1);
    expect(await host.services.syncState.outboundLedger('demo-github', shardId)).toMatchObject({
      status: 'pushed',
      externalId,
    });

    // Echo suppression: the closed issue is our own delete, not a record to bring back; nothing is pushed again.
    for (const mode of ['incremental', 'full'] as const) {
      const { runId } = await (
        await api('integrations/demo-github/sync', { method: 'POST', body: JSON.stringify({ mode }) })
      ).json();
      const run = await eventually(async () => {
        const found = await runOf(runId);
        return found.status === 'succeeded' || found.status === 'failed' ? found : undefined;
      }, `the ${mode} sync`);
      expect(run.status).toBe('succeeded');
      expect(run.counters).toMatchObject({ created: 0, updated: 0 });
    }
    expect((await host.services.shards.get('demo', shardId))!.deleted).toBe(true);
    await host.triggers.fire('SyncScheduler');
    await eventually(
      async () => (host.services.embeddedQueue!.depth('sync-outbound') === 0 ? true : undefined),
      'the outbound queue to drain',
    );
    expect(github().calls().byRoute[PATCH_ISSUE]).toBe(1);
  });
});
