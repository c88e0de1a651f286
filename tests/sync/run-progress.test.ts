/**
 * A page's writes to its run (shared/sync/runs/progress.ts) through SyncInboundWorker's job handler against the
 * real local Cosmos: the run document is read once per page, and a run changed by someone else between the read
 * and a write loses nothing (the write is applied to the newer run).
 */
import { createTestServices, type TestServices } from '../support/test-services';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncJobMessage } from '../../shared/core/sync-run';
import { handleInboundJob, type PagePipeline } from '../../shared/sync/inbound/job';
import { startRun } from '../../shared/sync/runs/start-run';
import { continueTrace } from '../../shared/platform/observability/correlation';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
  await t.services.integrations.create(
    newIntegration('t-progress', 'progress-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

const integration = { id: 'progress-1', tenantId: 't-progress' };

async function firstPage(runId: string): Promise<SyncJobMessage> {
  await startRun(t.services, {
    integration,
    mode: 'full',
    trigger: 'manual',
    trace: continueTrace(undefined),
    runId,
    now: new Date(),
  });
  return {
    kind: 'sync-page',
    runId,
    tenantId: integration.tenantId,
    integrationId: integration.id,
    mode: 'full',
    page: 0,
  };
}

const delivery = (job: SyncJobMessage) => ({
  messageId: `${job.runId}:0`,
  deliveryCount: 1,
  applicationProperties: {},
});

describe('a page and its run', () => {
  it('reads the run once per page, and records the page and the end of the run', async () => {
    const job = await firstPage('progress-run-1');
    const reads = jest.spyOn(t.services.runs, 'get');
    try {
      const pipeline: PagePipeline = async () => ({
        runFinished: true,
        counters: { ...emptyCounters(), fetched: 3, created: 3, pages: 1 },
        recordErrors: [],
      });
      expect(await handleInboundJob(t.services, job, delivery(job), pipeline)).toBe('completed');
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
    const run = await t.services.runs.get(integration.tenantId, integration.id, job.runId);
    expect(run).toMatchObject({ status: 'succeeded', counters: { fetched: 3, created: 3, pages: 1 } });
    expect(run!.startedAt).toBeDefined();
    expect(run!.finishedAt).toBeDefined();
  });

  it('keeps a change another writer made to the run while the page ran', async () => {
    const job = await firstPage('progress-run-2');
    const pipeline: PagePipeline = async () => {
      // Someone else changes the run meanwhile: the page's copy of it is stale now.
      await t.services.runs.update(integration.tenantId, integration.id, job.runId, (run) => ({ ...run, resumes: 1 }));
      return { runFinished: true, counters: { ...emptyCounters(), fetched: 1, pages: 1 }, recordErrors: [] };
    };
    expect(await handleInboundJob(t.services, job, delivery(job), pipeline)).toBe('completed');
    expect(await t.services.runs.get(integration.tenantId, integration.id, job.runId)).toMatchObject({
      status: 'succeeded',
      resumes: 1,
      counters: { fetched: 1 },
    });
  });
});
