/**
 * Real syncs end to end in demo mode: the local host with its five sandboxes, a full sync through the admin
 * API → queue → SyncInboundWorker → provider adapter → shards in Cosmos, then an incremental sync that
 * touches only what changed, a webhook from the sandbox that updates one shard, and the GitHub hook and Google
 * channel the app subscribed through the sandboxes' APIs. Run with the HTTP functions in the host's own process
 * (demo-sync.test.ts) and in worker processes (LOCAL_WORKERS), whose deliveries and admin calls reach the host
 * process's queue, and which run the queue-triggered sync pages the host process dispatches to them.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { seededPullRequestCount } from '../../dev/sandboxes/github/data';

/** The local host in demo mode (40 records a provider, pages of 25, timers off) with `workers` worker processes. */
export function startDemoHost(workers: number): Promise<LocalHost> {
  return startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: '40',
      SYNC_PAGE_SIZE: '25',
      QUEUE_MAX_DELIVERY_COUNT: '3',
      LOCAL_WORKERS: String(workers),
      // Worker processes log to their own output: only what matters.
      ...(workers > 1 ? { LOG_LEVEL: 'error' } : {}),
    }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
}

export function describeDemoSync(workers: number): void {
  let host: LocalHost;
  beforeAll(async () => {
    host = await startDemoHost(workers);
  });
  afterAll(async () => host?.stop());

  type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
  const api = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
    fetch(`${host.url}/api/admin/${path}`, {
      ...init,
      headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
    });

  async function finishedRun(integrationId: string, runId: string): Promise<any> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const run = await (await api(`tenants/demo/integrations/${integrationId}/runs/${runId}`)).json();
      if (run.status === 'succeeded' || run.status === 'failed') return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function sync(integrationId: string, mode: 'full' | 'incremental'): Promise<any> {
    const started = await api(`tenants/demo/integrations/${integrationId}/sync`, {
      method: 'POST',
      body: JSON.stringify({ mode }),
    });
    expect(started.status).toBe(202);
    return finishedRun(integrationId, (await started.json()).runId);
  }

  /** Completed invocations of a queue function by where they ran, from the host process's metrics. */
  function completedInvocations(functionName: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, count] of Object.entries(host.services.metrics.snapshot())) {
      const found = /^queue_invocations\{function=(\w+),outcome=completed,ranIn=([\w-]+)\}$/.exec(key);
      if (found?.[1] === functionName) counts[found[2]!] = (counts[found[2]!] ?? 0) + count;
    }
    return counts;
  }

  const sandbox = (provider: string) => host.demo!.sandboxes.find((candidate) => candidate.provider === provider)!;

  describe(`demo mode syncs (${workers === 1 ? 'one process' : `${workers} worker processes`})`, () => {
    it('a full GitHub sync creates one shard per issue and comment, across pages', async () => {
      const github = sandbox('github');
      // The issues endpoint also lists pull requests; the adapter skips them.
      const issues =
        github.control.records.count('issues') - seededPullRequestCount(github.control.records.count('issues'));
      const comments = github.control.records.count('issue_comments');
      const run = await sync('demo-github', 'full');
      expect(run.status).toBe('succeeded');
      expect(run.lastError).toBeUndefined();
      expect(run.counters.created).toBe(issues + comments);
      expect(run.counters.errors).toBe(0);
      expect(run.counters.pages).toBeGreaterThan(2);
      expect(await host.services.shards.count('demo', { shardType: 'github.issues' })).toBe(issues);
      expect(await host.services.shards.count('demo', { shardType: 'github.issue_comments' })).toBe(comments);
    });

    it('an incremental sync afterwards touches only the records changed at the provider', async () => {
      const github = sandbox('github');
      const before = await sync('demo-github', 'incremental');
      expect(before.counters.created + before.counters.updated).toBe(0);
      const some = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 3)).unseen.map(
        (state) => state.externalId,
      );
      const changedAt = new Date().toISOString();
      for (const id of some.slice(0, 2)) github.control.records.update('issues', id);
      const run = await sync('demo-github', 'incremental');
      expect(run.status).toBe('succeeded');
      expect(run.counters.created).toBe(0);
      // The sandbox also announces each change through the hook the app subscribed: a targeted run may bring one
      // in before the incremental sync reads it. Between them, exactly the two changed records are updated.
      const { items } = await (await api('tenants/demo/integrations/demo-github/runs')).json();
      const since = (items as any[]).filter((candidate) => candidate.queuedAt >= changedAt);
      const finished = await Promise.all(since.map((candidate) => finishedRun('demo-github', candidate.id)));
      expect(finished.map((candidate) => candidate.id)).toContain(run.id);
      expect(finished.reduce((sum, candidate) => sum + candidate.counters.updated, 0)).toBe(2);
      expect(finished.reduce((sum, candidate) => sum + candidate.counters.created, 0)).toBe(0);
    });

    it('syncs every demo provider', async () => {
      for (const provider of ['salesforce', 'notion', 'slack', 'google']) {
        const run = await sync(`demo-${provider}`, 'full');
        expect({ provider, status: run.status, error: run.lastError?.message }).toEqual({
          provider,
          status: 'succeeded',
          error: undefined,
        });
        expect(run.counters.created).toBeGreaterThan(0);
      }
    });

    it(
      workers === 1
        ? 'runs the sync pages in the host process'
        : 'runs the sync pages in the worker processes, each taking some, none in the host process',
      () => {
        const pages = completedInvocations('SyncInboundWorker');
        const total = Object.values(pages).reduce((sum, count) => sum + count, 0);
        expect(total).toBeGreaterThan(10);
        if (workers === 1) expect(pages).toEqual({ host: total });
        else
          expect(Object.keys(pages).sort()).toEqual(Array.from({ length: workers }, (_, index) => `worker-${index}`));
      },
    );

    it('a record changed at the provider arrives as a signed webhook and updates its shard', async () => {
      const github = sandbox('github');
      await sync('demo-github', 'full');
      const [state] = (await host.services.syncState.unseenSince('demo-github', 'issues', 'none', 1)).unseen;
      const changed = github.control.records.update('issues', state!.externalId, {
        title: 'Changed through a webhook',
      });
      expect(changed).toBeDefined();
      await github.control.flushWebhooks();
      const deliveries = github.control.webhookDeliveries();
      expect(deliveries.at(-1)).toMatchObject({ status: 200 });
      const deadline = Date.now() + 20_000;
      let shard = await host.services.shards.get('demo', state!.shardId);
      while (shard?.data.title !== 'Changed through a webhook' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        shard = await host.services.shards.get('demo', state!.shardId);
      }
      expect(shard!.data.title).toBe('Changed through a webhook');
      const runs = (await (await api('tenants/demo/integrations/demo-github/runs')).json()).items;
      expect(runs[0]).toMatchObject({
        trigger: 'webhook',
        mode: 'targeted',
        status: 'succeeded',
        counters: expect.objectContaining({ updated: 1 }),
      });
    });

    it('GitHub and Google deliver through the subscriptions the app made itself, which the route shows active', async () => {
      for (const provider of ['github', 'google']) {
        const view = await (await api(`tenants/demo/integrations/demo-${provider}/webhooks/subscription`)).json();
        expect(view).toMatchObject({ provider, mode: 'managed', status: 'active' });
      }
      const google = sandbox('google');
      await google.control.flushWebhooks();
      const before = google.control.webhookDeliveries().length;
      google.control.records.create('events', { summary: 'Pushed to the demo' });
      await google.control.flushWebhooks();
      expect(google.control.webhookDeliveries().slice(before)).toMatchObject([{ event: 'exists', status: 200 }]);
    });
  });
}
