/**
 * The live run card's data, written by the run progress writer through SyncInboundWorker's job handler against
 * the real local Cosmos: the page in hand, the wait of a rescheduled page (rate-limited, or a retry after a
 * provider error) with its until-time, the provider's pace, and the wait cleared when the page starts again.
 */
import { AppError } from '../../shared/core/app-error';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncJobMessage } from '../../shared/core/sync-run';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { handleInboundJob, type PagePipeline } from '../../shared/sync/inbound/job';
import { startRun } from '../../shared/sync/runs/start-run';
import { createTestServices, type TestServices } from '../support/test-services';

const TENANT = 't-live';
const ID = 'live-1';
let t: TestServices;
beforeAll(async () => {
  t = await createTestServices();
  await t.services.integrations.create(
    newIntegration(
      TENANT,
      ID,
      { provider: 'github', name: 'gh', providerOptions: { repositories: ['acme/widgets'] } },
      { intervalMinutes: 60 },
      new Date(),
    ),
  );
});
afterAll(async () => t.services.close());

async function start(runId: string): Promise<void> {
  await startRun(t.services, {
    integration: { id: ID, tenantId: TENANT },
    mode: 'full',
    trigger: 'manual',
    trace: continueTrace(undefined),
    runId,
    now: new Date(),
  });
}

const page = (runId: string, number: number, attempt = 0): SyncJobMessage => ({
  kind: 'sync-page',
  runId,
  tenantId: TENANT,
  integrationId: ID,
  mode: 'full',
  page: number,
  entity: 'issues',
  attempt,
});
const delivery = (job: SyncJobMessage) => ({
  messageId: `${job.runId}:${job.page}:${job.attempt}`,
  deliveryCount: 1,
  applicationProperties: {},
});
const read = (runId: string) => t.services.runs.get(TENANT, ID, runId);

describe('the live state of a run', () => {
  it('says a rescheduled page is rate-limited or retried after a provider error, until when, and clears it when the page runs', async () => {
    await start('live-run-1');
    const before = Date.now();
    const limited: PagePipeline = async () => {
      throw new AppError('rate_limited', 'secondary rate limit', { retryAfterMs: 30_000 });
    };
    expect(await handleInboundJob(t.services, page('live-run-1', 7), delivery(page('live-run-1', 7)), limited)).toBe(
      'retry',
    );
    const waiting = (await read('live-run-1'))!.live!;
    expect(waiting).toMatchObject({
      page: 7,
      entity: 'issues',
      waiting: { kind: 'rate_limited', reason: 'rate-limited by github' },
    });
    expect(Date.parse(waiting.waiting!.until)).toBeGreaterThanOrEqual(before + 30_000);

    const unavailable: PagePipeline = async () => {
      throw new AppError('transient', 'provider answered 503', {
        details: { provider: 'github', providerStatus: 503 },
      });
    };
    await handleInboundJob(t.services, page('live-run-1', 7, 1), delivery(page('live-run-1', 7, 1)), unavailable);
    expect((await read('live-run-1'))!.live!.waiting).toMatchObject({
      kind: 'retry',
      reason: 'retrying page 7 after a provider error (HTTP 503)',
    });

    const works: PagePipeline = async () => ({
      runFinished: false,
      counters: { ...emptyCounters(), fetched: 50, created: 50, pages: 1 },
      recordErrors: [],
      next: { page: 8, entity: 'issues' },
      nextDueAt: new Date(Date.now() + 60_000).toISOString(),
      providerTotal: 1234,
    });
    await handleInboundJob(t.services, page('live-run-1', 7, 2), delivery(page('live-run-1', 7, 2)), works);
    const paced = (await read('live-run-1'))!;
    expect(paced.live).toMatchObject({
      page: 7,
      providerTotal: 1234,
      waiting: { kind: 'pace', reason: "waiting for the provider's pace before page 8" },
    });

    const last: PagePipeline = async () => ({
      runFinished: true,
      counters: { ...emptyCounters(), fetched: 10, created: 10, pages: 1 },
      recordErrors: [],
    });
    await handleInboundJob(t.services, page('live-run-1', 8), delivery(page('live-run-1', 8)), last);
    const done = (await read('live-run-1'))!;
    expect(done.status).toBe('succeeded');
    expect(done.live).toMatchObject({ page: 8, providerTotal: 1234 });
    expect(done.live!.waiting).toBeUndefined();
  });
});
