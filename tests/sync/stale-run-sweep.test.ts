/**
 * Runs left `running` after a crash: the real pipeline (local host, embedded queue, SyncInboundWorker, the
 * GitHub sandbox over HTTP, cosmosdb-server). The crash is simulated mid full sync by stopping the workers and
 * purging the in-memory queue (what kill -9 of the local host loses); the clock is moved past
 * SYNC_STALE_RUN_MINUTES and SyncScheduler's tick resumes the run from its checkpoint. Also: a run whose
 * messages are still queued is not doubled, a copy of a committed page is dropped, and a run that cannot be
 * resumed is failed with its reason.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { startTriggerHost, type TriggerHost } from '../../hosts/local/trigger-host';
import { FUNCTIONS } from '../../functions/manifest';
import type { QueueFunction, TimerFunction } from '../../functions/definition';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import { QUEUES } from '../../shared/stores/queue/queues';
import { startRun } from '../../shared/sync/runs/start-run';
import { sweepStaleRuns } from '../../shared/sync/runs/stale-runs';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { continueTrace } from '../../shared/platform/observability/correlation';
import type { SyncRun } from '../../shared/core/sync-run';
import { AppError } from '../../shared/core/app-error';

jest.setTimeout(120_000);

const RECORDS = 300;
const PAGE = 10;
const SHARD_TYPE = 'github.issues';
const inbound = QUEUES.syncInbound.name;
let host: LocalHost;
let triggers: TriggerHost;
let clockShiftMs = 0;

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/integrations/demo-github/${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });
const queue = () => host.services.embeddedQueue!;
const startTriggers = () =>
  startTriggerHost(
    {
      timers: FUNCTIONS.filter((f): f is TimerFunction => f.trigger === 'timer'),
      queues: FUNCTIONS.filter((f): f is QueueFunction => f.trigger === 'serviceBusQueue'),
      queue: queue(),
      scheduleTimers: false,
    },
    host.services,
  );

async function waitForRun(runId: string, done: (run: SyncRun) => boolean, timeoutMs = 90_000): Promise<SyncRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = (await (await admin(`runs/${runId}`)).json()) as SyncRun;
    if (done(run) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({
      DEMO_MODE: 'true',
      DEMO_RECORDS: String(RECORDS),
      SYNC_PAGE_SIZE: String(PAGE),
      SYNC_STALE_RUN_MINUTES: '2',
      SYNC_STALE_RUN_MAX_RESUMES: '2',
    }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('error').logger, now: () => new Date(Date.now() + clockShiftMs) },
  });
  triggers = host.triggers;
  for (const integration of host.demo!.integrations) {
    const stored = (await host.services.integrations.get('demo', integration.id))!;
    await host.services.integrations.replace({
      ...stored,
      nextSyncAt: '2099-01-01T00:00:00.000Z',
      ...(integration.id === 'demo-github' ? { entities: ['issues'] } : {}),
    });
  }
});
afterAll(async () => {
  await triggers?.stop();
  await host?.stop();
});

describe('a run whose messages were lost in a crash', () => {
  it('is resumed from its checkpoint by the scheduler tick and syncs every record once', async () => {
    const issues = Array.from({ length: RECORDS }, (_, index) => index).filter(
      (index) => !isPullRequestIndex(index),
    ).length;
    const { runId } = await (await admin('sync', { method: 'POST', body: JSON.stringify({ mode: 'full' }) })).json();
    await waitForRun(runId, (run) => run.counters.pages >= 3);

    // The crash: workers stop (the page in flight settles), and the queue forgets what it held.
    await triggers.stop();
    expect(queue().purge(inbound)).toBeGreaterThan(0);
    const stuck = (await host.services.runs.get('demo', 'demo-github', runId))!;
    expect(stuck.status).toBe('running');
    expect(stuck.resume!.page).toBeGreaterThanOrEqual(3);
    triggers = startTriggers();

    // Within the bound, the tick leaves the run alone (it may be a slow page).
    await triggers.fire('SyncScheduler');
    expect(queue().depth(inbound)).toBe(0);
    expect((await host.services.runs.get('demo', 'demo-github', runId))!.resumes).toBeUndefined();

    clockShiftMs = 3 * 60_000;
    await triggers.fire('SyncScheduler');
    const run = await waitForRun(runId, (current) => current.status === 'succeeded' || current.status === 'failed');
    expect(run).toMatchObject({ status: 'succeeded', resumes: 1 });
    expect(run.counters).toMatchObject({ created: issues, updated: 0, deleted: 0, errors: 0 });
    expect(await host.services.shards.count('demo', { shardType: SHARD_TYPE })).toBe(issues);
    const states = await host.services.syncState.unseenSince('demo-github', 'issues', 'none', RECORDS);
    expect(new Set(states.unseen.map((state) => state.externalId)).size).toBe(issues);
    expect(host.services.metrics.get('sync_runs_resumed')).toBe(1);
  });

  it('is not doubled when its messages were only waiting: the copy delivered second is dropped', async () => {
    // A run queued behind a backlog: its first message is there, and older than the bound.
    await triggers.stop();
    const run = await startRun(host.services, {
      integration: { id: 'demo-github', tenantId: 'demo' },
      mode: 'incremental',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: new Date(host.services.now().getTime() - 10 * 60_000),
    });
    expect(queue().depth(inbound)).toBe(1);
    const sweep = await sweepStaleRuns(host.services, host.services.now(), continueTrace(undefined));
    expect(sweep.resumed).toContain(run.id);
    // The resumed copy has an id of its own (the original's may still be inside the duplicate window).
    expect(queue().depth(inbound)).toBe(2);
    triggers = startTriggers();
    const done = await waitForRun(run.id, (current) => current.status === 'succeeded');
    expect(done).toMatchObject({ status: 'succeeded', resumes: 1 });
    await waitForRun(run.id, () => queue().depth(inbound) === 0, 10_000);
    expect(queue().depth(inbound)).toBe(0);
    expect((await host.services.runs.get('demo', 'demo-github', run.id))!.counters.pages).toBe(done.counters.pages);
  });

  it('drops a late copy of a page the run has already committed', async () => {
    const done = (await host.services.runs.list('demo', 'demo-github')).find(
      (run) => run.status === 'succeeded' && (run.resume?.page ?? 0) > 1,
    )!;
    const pipeline = jest.fn(async () => {
      throw new Error('a committed page must not be written again');
    });
    const job = {
      kind: 'sync-page' as const,
      runId: done.id,
      tenantId: 'demo',
      integrationId: 'demo-github',
      mode: done.mode,
      page: 1,
    };
    expect(
      await handleInboundJob(
        host.services,
        job,
        { messageId: `${done.id}:1`, deliveryCount: 1, applicationProperties: {} },
        pipeline,
      ),
    ).toBe('completed');
    expect(pipeline).not.toHaveBeenCalled();
  });

  it('reschedules a page with backoff when the run state cannot be read, instead of spending its deliveries', async () => {
    await triggers.stop();
    clockShiftMs = 0; // the scheduled copy is due on the queue's (real) clock
    const run = await startRun(host.services, {
      integration: { id: 'demo-github', tenantId: 'demo' },
      mode: 'incremental',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: host.services.now(),
    });
    queue().purge(inbound);
    // The document store answers as it does during an outage (the repositories' translation of a Cosmos failure).
    const storeDown = async () => {
      throw new AppError('dependency_unavailable', 'document store failed on integration');
    };
    const deps = {
      ...host.services,
      integrations: Object.assign(Object.create(host.services.integrations) as typeof host.services.integrations, {
        get: storeDown,
      }),
    };
    const job = {
      kind: 'sync-page' as const,
      runId: run.id,
      tenantId: 'demo',
      integrationId: 'demo-github',
      mode: run.mode,
      page: 0,
    };
    const pipeline = jest.fn();
    expect(
      await handleInboundJob(
        deps,
        job,
        { messageId: `${run.id}:0`, deliveryCount: 1, applicationProperties: {} },
        pipeline,
      ),
    ).toBe('retry');
    expect(pipeline).not.toHaveBeenCalled();
    expect(queue().depth(inbound)).toBe(1);
    // Its last delivery is thrown, so the queue dead-letters it with the reason.
    await expect(
      handleInboundJob(deps, job, { messageId: `${run.id}:0`, deliveryCount: 10, applicationProperties: {} }, pipeline),
    ).rejects.toThrow('document store failed');
    // With the store back, the scheduled copy finishes the run.
    triggers = startTriggers();
    expect(
      await waitForRun(run.id, (current) => current.status === 'succeeded' || current.status === 'failed', 30_000),
    ).toMatchObject({ status: 'succeeded' });
  });

  it('is failed with its reason once it has used its resumes', async () => {
    await triggers.stop();
    const run = await startRun(host.services, {
      integration: { id: 'demo-github', tenantId: 'demo' },
      mode: 'full',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: host.services.now(),
    });
    queue().purge(inbound);
    // SYNC_STALE_RUN_MAX_RESUMES=2: two resumes whose messages are lost again, then the run fails.
    for (let sweep = 1; sweep <= 3; sweep++) {
      clockShiftMs += 3 * 60_000;
      await sweepStaleRuns(host.services, host.services.now(), continueTrace(undefined));
      queue().purge(inbound);
    }
    const failed = (await host.services.runs.get('demo', 'demo-github', run.id))!;
    expect(failed).toMatchObject({
      status: 'failed',
      resumes: 2,
      lastError: { code: 'transient', target: 'SYNC_STALE_RUN_MINUTES' },
    });
    expect(failed.lastError!.message).toMatch(/no progress for 2 minutes after 2 resumes/);
    triggers = startTriggers();
  });
});
