/** SyncScheduler, SyncInboundWorker, SyncOutboundWorker and TokenRefresher through their real handlers. */
import { syncScheduler } from '../../functions/SyncScheduler';
import { syncInboundWorker } from '../../functions/SyncInboundWorker';
import { syncOutboundWorker } from '../../functions/SyncOutboundWorker';
import { createTestServices, type TestServices } from '../support/test-services';
import { invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import { isAppError } from '../../shared/core/app-error';
import type { AppServices } from '../../shared/app/services';

let t: TestServices;
const clock = new Date('2026-04-01T12:00:30Z');
beforeAll(async () => {
  t = await createTestServices({}, { now: () => clock });
});
afterAll(async () => t.services.close());

const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};
const inbound = QUEUES.syncInbound.name;

function drainInbound(): Array<{
  messageId: string;
  body: any;
  sessionId?: string;
  applicationProperties?: Record<string, unknown>;
}> {
  const out = [];
  for (
    let message = t.services.embeddedQueue!.receive(inbound);
    message;
    message = t.services.embeddedQueue!.receive(inbound)
  ) {
    t.services.embeddedQueue!.complete(inbound, message.lockToken);
    out.push(message);
  }
  return out;
}

async function seed(tenantId: string, id: string, nextSyncAt: string) {
  return t.services.integrations.create({
    ...newIntegration(tenantId, id, { provider: 'github', name: id }, { intervalMinutes: 30 }, clock),
    nextSyncAt,
  });
}

describe('SyncScheduler', () => {
  it('starts each due integration once even when two instances fire together, and moves its next sync time', async () => {
    drainInbound();
    await seed('t-sched', 'sched-due', '2026-04-01T11:59:00.000Z');
    await seed('t-sched', 'sched-later', '2026-04-01T13:00:00.000Z');
    await Promise.all([
      syncScheduler.handler(timer, invocation('SyncScheduler'), t.services),
      syncScheduler.handler(timer, invocation('SyncScheduler'), t.services),
    ]);
    const messages = drainInbound().filter((message) => message.body.integrationId.startsWith('sched-'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      sessionId: 'sched-due',
      body: { integrationId: 'sched-due', tenantId: 't-sched', mode: 'incremental', page: 0 },
    });
    const runs = await t.services.runs.list('t-sched', 'sched-due');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'schedule', status: 'queued' });
    const updated = await t.services.integrations.get('t-sched', 'sched-due');
    expect(updated!.nextSyncAt).toBe('2026-04-01T12:30:30.000Z');
    // A second tick at the same time finds nothing due.
    await syncScheduler.handler(timer, invocation('SyncScheduler'), t.services);
    expect(drainInbound().filter((message) => message.body.integrationId.startsWith('sched-'))).toHaveLength(0);
  });
});

describe('SyncInboundWorker', () => {
  async function startedRun(tenantId: string, id: string) {
    await seed(tenantId, id, '2099-01-01T00:00:00.000Z');
    drainInbound();
    const { startRun } = await import('../../shared/sync/runs/start-run');
    const { continueTrace } = await import('../../shared/platform/observability/correlation');
    const run = await startRun(t.services, {
      integration: { id, tenantId },
      mode: 'full',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: clock,
    });
    const [message] = drainInbound();
    return { run, message: message! };
  }

  function context(message: { messageId: string; applicationProperties?: Record<string, unknown> }, deliveryCount = 1) {
    return invocation('SyncInboundWorker', {
      messageId: message.messageId,
      deliveryCount,
      sessionId: 'x',
      applicationProperties: message.applicationProperties,
    });
  }

  it('loads the integration, runs the page, and fails the run with a clear error when the integration is misconfigured', async () => {
    const { run, message } = await startedRun('t-in', 'in-1');
    await syncInboundWorker.handler(message.body, context(message), t.services);
    const stored = await t.services.runs.get('t-in', 'in-1', run.id);
    // A GitHub integration without repositories cannot sync: a permanent error, not a retry loop.
    expect(stored).toMatchObject({
      status: 'failed',
      lastError: { code: 'configuration', target: 'options.repositories' },
    });
    expect(stored!.startedAt).toBeDefined();
    expect(stored!.finishedAt).toBeDefined();
    // The trace started by the request is the trace the worker logged under.
    expect(t.logLines.some((line) => line.includes(run.traceId) && line.includes('SyncInboundWorker'))).toBe(true);
  });

  it('fails the run when its integration was deleted', async () => {
    const { run, message } = await startedRun('t-in', 'in-2');
    await t.services.integrations.delete('t-in', 'in-2');
    await syncInboundWorker.handler(message.body, context(message), t.services);
    expect(await t.services.runs.get('t-in', 'in-2', run.id)).toMatchObject({
      status: 'failed',
      lastError: { code: 'not_found' },
    });
  });

  it('throws for a malformed message so it ends in the dead-letter queue with its reason', async () => {
    const error = await syncInboundWorker
      .handler({ kind: 'sync-page' }, context({ messageId: 'bad' }), t.services)
      .catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('validation');
  });

  it('reschedules a retryable failure with backoff, and fails the run on the last attempt', async () => {
    const { run, message } = await startedRun('t-in', 'in-3');
    const { handleInboundJob } = await import('../../shared/sync/inbound/job');
    const { AppError } = await import('../../shared/core/app-error');
    const flaky = async (): Promise<never> => {
      throw new AppError('rate_limited', 'provider 429', { retryAfterMs: 30_000 });
    };
    const deps = { ...t.services } as AppServices;
    const delivery = { messageId: message.messageId, deliveryCount: 1, applicationProperties: {} };
    await expect(handleInboundJob(deps, message.body, delivery, flaky)).resolves.toBe('retry');
    expect((await t.services.runs.get('t-in', 'in-3', run.id))!.status).toBe('running');
    expect(
      t.services.eventLog!.list('t-in', { type: 'ratelimit.budget_exhausted', integrationId: 'in-3' }),
    ).toHaveLength(1);
    // The copy is scheduled no sooner than the provider's Retry-After (this test's clock is fixed).
    const copy = t.services.embeddedQueue!.receive(inbound)!;
    t.services.embeddedQueue!.complete(inbound, copy.lockToken);
    expect(copy.body).toMatchObject({ attempt: 1, page: 0, runId: run.id });
    expect(copy.scheduledEnqueueTimeUtc!.getTime() - clock.getTime()).toBeGreaterThanOrEqual(30_000);
    const last = { ...message.body, attempt: 9 };
    await expect(handleInboundJob(deps, last, delivery, flaky)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(await t.services.runs.get('t-in', 'in-3', run.id)).toMatchObject({
      status: 'failed',
      lastError: { code: 'rate_limited', message: 'provider 429' },
    });
    // Its redeliveries do not run the page again; they carry it to the dead-letter queue.
    let ran = false;
    await expect(
      handleInboundJob(deps, last, { ...delivery, deliveryCount: 2 }, async () => {
        ran = true;
        throw new Error('unreachable');
      }),
    ).rejects.toMatchObject({ code: 'transient' });
    expect(ran).toBe(false);
    expect(t.services.eventLog!.list('t-in', { type: 'sync.page_dead_lettered', integrationId: 'in-3' })).toHaveLength(
      1,
    );
  });

  it('backs off exponentially with jitter, capped, and never sooner than Retry-After', async () => {
    const { retryDelayMs } = await import('../../shared/sync/inbound/job');
    expect(retryDelayMs(1, 0, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 0, () => 1)).toBe(4000);
    expect(retryDelayMs(3, 0, () => 0)).toBe(2000);
    expect(retryDelayMs(30, 0, () => 1)).toBe(300_000);
    expect(retryDelayMs(1, 45_000, () => 1)).toBe(45_000);
  });
});

describe('outbound: SyncScheduler scan and SyncOutboundWorker', () => {
  const outbound = QUEUES.syncOutbound.name;
  function drainOutbound(): Array<{ messageId: string; body: any }> {
    const out = [];
    for (
      let message = t.services.embeddedQueue!.receive(outbound);
      message;
      message = t.services.embeddedQueue!.receive(outbound)
    ) {
      t.services.embeddedQueue!.complete(outbound, message.lockToken);
      out.push(message);
    }
    return out;
  }

  async function seedWithShard(
    tenantId: string,
    id: string,
    direction: 'inbound' | 'bidirectional',
    options: Record<string, unknown> = {},
  ) {
    await t.services.integrations.create({
      ...newIntegration(
        tenantId,
        id,
        { provider: 'github', name: id, direction, providerOptions: options },
        { intervalMinutes: 30 },
        clock,
      ),
      nextSyncAt: '2099-01-01T00:00:00.000Z',
    });
    const shardId = `sh-${id}`;
    await t.services.shards.upsertMany([
      {
        id: shardId,
        tenantId,
        shardType: 'github.issues',
        data: { title: 'edited' },
        externalRefs: [{ provider: 'github', integrationId: id, entity: 'issues', externalId: 'acme/widgets#1' }],
        links: [],
        lastWrittenBy: 'local',
        deleted: false,
        updatedAt: clock.toISOString(),
      },
    ]);
    return (await t.services.shards.get(tenantId, shardId))!;
  }

  it('enqueues one push per locally changed shard of a pushing integration, deduplicated by shard id and ETag', async () => {
    drainOutbound();
    const shard = await seedWithShard('t-scan', 'scan-bi', 'bidirectional');
    await seedWithShard('t-scan', 'scan-in', 'inbound');
    await syncScheduler.handler(timer, invocation('SyncScheduler'), t.services);
    const messages = drainOutbound().filter((message) => message.body.tenantId === 't-scan');
    expect(messages).toEqual([
      expect.objectContaining({
        messageId: `${shard.id}:${shard._etag.replace(/"/g, '')}`,
        body: {
          kind: 'push-shard',
          tenantId: 't-scan',
          integrationId: 'scan-bi',
          shardId: shard.id,
          etag: shard._etag,
        },
      }),
    ]);
    expect(await t.services.syncState.outboundCheckpoint('scan-bi')).toMatchObject({ sinceTs: expect.any(Number) });
    // The next tick re-reads the overlap window; duplicate detection drops the same shard version.
    await syncScheduler.handler(timer, invocation('SyncScheduler'), t.services);
    expect(drainOutbound().filter((message) => message.body.tenantId === 't-scan')).toHaveLength(0);
  });

  it('records a permanent push failure on the shard and the ledger, and does not retry that version', async () => {
    // A GitHub integration without repositories cannot push: a configuration error, not a retry loop.
    const shard = await seedWithShard('t-out', 'out-1', 'bidirectional');
    const job = { kind: 'push-shard', tenantId: 't-out', integrationId: 'out-1', shardId: shard.id, etag: shard._etag };
    await syncOutboundWorker.handler(
      job,
      invocation('SyncOutboundWorker', { messageId: 'm1', deliveryCount: 1 }),
      t.services,
    );
    const failed = await t.services.shards.get('t-out', shard.id);
    expect(failed).toMatchObject({
      lastWrittenBy: 'local',
      pushError: { integrationId: 'out-1', code: 'configuration' },
    });
    expect(await t.services.syncState.outboundLedger('out-1', shard.id)).toMatchObject({
      status: 'failed',
      shardEtag: failed!._etag,
      lastError: { code: 'configuration' },
    });
    expect(drainOutbound().filter((message) => message.body.tenantId === 't-out')).toHaveLength(0);
    // The scan finds the marked version, and the worker leaves it alone: the next local edit tries again.
    await syncOutboundWorker.handler(
      { ...job, etag: failed!._etag },
      invocation('SyncOutboundWorker', { messageId: 'm2', deliveryCount: 1 }),
      t.services,
    );
    expect((await t.services.shards.get('t-out', shard.id))!._etag).toBe(failed!._etag);
  });

  it('drops a push for an unknown integration and throws for a malformed message', async () => {
    await expect(
      syncOutboundWorker.handler(
        { kind: 'push-shard', tenantId: 't-out', integrationId: 'nope', shardId: 's1' },
        invocation('SyncOutboundWorker', { messageId: 'm', deliveryCount: 1 }),
        t.services,
      ),
    ).resolves.toBeUndefined();
    const error = await syncOutboundWorker
      .handler(
        { kind: 'push-shard' },
        invocation('SyncOutboundWorker', { messageId: 'bad', deliveryCount: 1 }),
        t.services,
      )
      .catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('validation');
  });
});
