/** SyncScheduler, SyncInboundWorker, SyncOutboundWorker and TokenRefresher through their real handlers. */
import { syncScheduler } from '../../functions/SyncScheduler';
import { syncInboundWorker } from '../../functions/SyncInboundWorker';
import { syncOutboundWorker } from '../../functions/SyncOutboundWorker';
import { createTestServices, type TestServices } from '../support/test-services';
import { invocation } from '../support/invoke';
import { newIntegration } from '../../shared/domain/integration';
import { QUEUES } from '../../shared/messaging/queues';
import { isAppError } from '../../shared/errors/app-error';
import type { AppServices } from '../../shared/runtime/services';

let t: TestServices;
const clock = new Date('2026-04-01T12:00:30Z');
beforeAll(async () => {
  t = await createTestServices({}, { now: () => clock });
});
afterAll(async () => t.services.close());

const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
const inbound = QUEUES.syncInbound.name;

function drainInbound(): Array<{ messageId: string; body: any; sessionId?: string; applicationProperties?: Record<string, unknown> }> {
  const out = [];
  for (let message = t.services.embeddedQueue!.receive(inbound); message; message = t.services.embeddedQueue!.receive(inbound)) {
    t.services.embeddedQueue!.complete(inbound, message.lockToken);
    out.push(message);
  }
  return out;
}

async function seed(tenantId: string, id: string, nextSyncAt: string) {
  return t.services.integrations.create({ ...newIntegration(tenantId, id, { provider: 'github', name: id }, { intervalMinutes: 30 }, clock), nextSyncAt });
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
    expect(messages[0]).toMatchObject({ sessionId: 'sched-due', body: { integrationId: 'sched-due', tenantId: 't-sched', mode: 'incremental', page: 0 } });
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
    const { startRun } = await import('../../shared/sync/start-run');
    const { continueTrace } = await import('../../shared/observability/correlation');
    const run = await startRun(t.services, { integration: { id, tenantId }, mode: 'full', trigger: 'manual', trace: continueTrace(undefined), now: clock });
    const [message] = drainInbound();
    return { run, message: message! };
  }

  function context(message: { messageId: string; applicationProperties?: Record<string, unknown> }, deliveryCount = 1) {
    return invocation('SyncInboundWorker', { messageId: message.messageId, deliveryCount, sessionId: 'x', applicationProperties: message.applicationProperties });
  }

  it('loads the integration, runs the page, and fails the run with a clear error when the integration is misconfigured', async () => {
    const { run, message } = await startedRun('t-in', 'in-1');
    await syncInboundWorker.handler(message.body, context(message), t.services);
    const stored = await t.services.runs.get('t-in', 'in-1', run.id);
    // A GitHub integration without repositories cannot sync: a permanent error, not a retry loop.
    expect(stored).toMatchObject({ status: 'failed', lastError: { code: 'configuration', target: 'options.repositories' } });
    expect(stored!.startedAt).toBeDefined();
    expect(stored!.finishedAt).toBeDefined();
    // The trace started by the request is the trace the worker logged under.
    expect(t.logLines.some((line) => line.includes(run.traceId) && line.includes('SyncInboundWorker'))).toBe(true);
  });

  it('fails the run when its integration was deleted', async () => {
    const { run, message } = await startedRun('t-in', 'in-2');
    await t.services.integrations.delete('t-in', 'in-2');
    await syncInboundWorker.handler(message.body, context(message), t.services);
    expect(await t.services.runs.get('t-in', 'in-2', run.id)).toMatchObject({ status: 'failed', lastError: { code: 'not_found' } });
  });

  it('throws for a malformed message so it ends in the dead-letter queue with its reason', async () => {
    const error = await syncInboundWorker.handler({ kind: 'sync-page' }, context({ messageId: 'bad' }), t.services).catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('validation');
  });

  it('rethrows a retryable failure for redelivery, and fails the run on the last delivery', async () => {
    const { run, message } = await startedRun('t-in', 'in-3');
    const { handleInboundJob } = await import('../../shared/sync/inbound-job');
    const { AppError } = await import('../../shared/errors/app-error');
    const flaky = async () => {
      throw new AppError('transient', 'provider 503');
    };
    const deps = { ...t.services } as AppServices;
    await expect(handleInboundJob(deps, message.body, { messageId: message.messageId, deliveryCount: 1, applicationProperties: {} }, flaky)).rejects.toMatchObject({ code: 'transient' });
    expect((await t.services.runs.get('t-in', 'in-3', run.id))!.status).toBe('running');
    await expect(handleInboundJob(deps, message.body, { messageId: message.messageId, deliveryCount: 10, applicationProperties: {} }, flaky)).rejects.toMatchObject({ code: 'transient' });
    expect(await t.services.runs.get('t-in', 'in-3', run.id)).toMatchObject({ status: 'failed', lastError: { code: 'transient', message: 'provider 503' } });
  });
});

describe('not yet built steps fail visibly', () => {
  it('SyncOutboundWorker fails with not_implemented for a known integration', async () => {
    await seed('t-out', 'out-1', '2099-01-01T00:00:00.000Z');
    const error = await syncOutboundWorker
      .handler({ kind: 'push-shard', tenantId: 't-out', integrationId: 'out-1', shardId: 's1' }, invocation('SyncOutboundWorker', { messageId: 'm', deliveryCount: 1 }), t.services)
      .catch((thrown: unknown) => thrown);
    expect(isAppError(error) && error.code).toBe('not_implemented');
  });

});
