/**
 * Cancelling a run (issue 18 §5) through the real AdminApi handler, SyncInboundWorker's job handler and the real
 * page pipeline against the GitHub sandbox and the local stores: a cancel that lands while a page is being
 * fetched (the sandbox answers slowly) stops the run there: the page's records are not written, no further page
 * is fetched, and page messages still queued for the run are completed without work. The route answers 202, 404
 * for an unknown run or another tenant's, 409 naming the state of a run that has ended, 400 for a bad run id.
 */
import { adminApi } from '../../functions/AdminApi';
import { startGithubSandbox } from '../../dev/sandboxes/github';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncJobMessage, type SyncRun } from '../../shared/core/sync-run';
import { QUEUES } from '../../shared/stores/queue/queues';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { inboundPipeline } from '../../shared/sync/inbound/wiring';
import { startRun } from '../../shared/sync/runs/start-run';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';

jest.setTimeout(60_000);

const TENANT = 't-cancel';
const OTHER = 't-cancel-other';
let t: TestServices;
let github: RunningSandbox;

beforeAll(async () => {
  t = await createTestServices({ ADMIN_TENANT_RATE_PER_S: '1000', SYNC_PAGE_SIZE: '5' });
  github = await startGithubSandbox({ records: 20, extra: { repositories: ['acme/widgets'], comments: 0 } });
  for (const [tenantId, id] of [
    [TENANT, 'gh-cancel'],
    [OTHER, 'gh-other'],
  ] as const) {
    const integration = await t.services.integrations.create(
      newIntegration(
        tenantId,
        id,
        {
          provider: 'github',
          name: id,
          baseUrl: github.url,
          entities: ['issues'],
          providerOptions: { repositories: ['acme/widgets'] },
        },
        { intervalMinutes: 60 },
        new Date(),
      ),
    );
    await t.services.credentials.service.put(credentialRef(integration, 'api'), {
      type: 'bearer_token',
      token: github.control.issueToken({ expiresInMs: 3600_000 }).accessToken,
    });
  }
});
afterAll(async () => {
  await github?.stop();
  await t?.services.close();
});

async function admin<T = any>(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as T };
}

/** Takes the waiting sync pages off the embedded queue (nothing else consumes it here). */
function takeQueued(): SyncJobMessage[] {
  const jobs: SyncJobMessage[] = [];
  const queue = t.services.embeddedQueue!;
  for (let m = queue.receive(QUEUES.syncInbound.name); m; m = queue.receive(QUEUES.syncInbound.name)) {
    jobs.push(m.body as SyncJobMessage);
    queue.complete(QUEUES.syncInbound.name, m.lockToken);
  }
  return jobs;
}

const deliver = (job: SyncJobMessage) =>
  handleInboundJob(
    t.services,
    job,
    { messageId: `${job.runId}:${job.page}`, deliveryCount: 1, applicationProperties: {} },
    inboundPipeline(t.services),
  );

const cancelPath = (integrationId: string, runId: string, tenantId = TENANT) =>
  `tenants/${tenantId}/integrations/${integrationId}/runs/${encodeURIComponent(runId)}/cancel`;

describe('POST …/runs/{runId}/cancel', () => {
  it('stops a run mid-page: the page in flight writes nothing and no page is fetched after the cancel', async () => {
    takeQueued();
    const run = await startRun(t.services, {
      integration: { id: 'gh-cancel', tenantId: TENANT },
      mode: 'full',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: new Date(),
    });
    const [first] = takeQueued();
    expect(await deliver(first!)).toBe('completed');
    const afterFirst = await t.services.runs.get(TENANT, 'gh-cancel', run.id);
    expect(afterFirst).toMatchObject({ status: 'running', counters: { fetched: 5, created: 5 } });
    const shardsAfterFirst = await t.services.shards.count(TENANT);
    expect(shardsAfterFirst).toBe(5);

    // The second page's list call is answered slowly; the operator cancels while it is in flight.
    const [second] = takeQueued();
    expect(second).toMatchObject({ runId: run.id, page: 1 });
    github.control.injectFault({ kind: 'slow', delayMs: 1500, path: '/issues' });
    const callsBefore = github.control.calls().total;
    const inFlight = deliver(second!);
    while (github.control.calls().total === callsBefore) await new Promise((resolve) => setTimeout(resolve, 20));

    const cancelled = await admin('POST', cancelPath('gh-cancel', run.id));
    expect(cancelled).toEqual({ status: 202, body: { runId: run.id, status: 'cancelled' } });
    const callsAtCancel = github.control.calls().total;

    expect(await inFlight).toBe('completed');
    const ended = await t.services.runs.get(TENANT, 'gh-cancel', run.id);
    expect(ended).toMatchObject({ status: 'cancelled', cancelledBy: expect.any(String), counters: { created: 5 } });
    expect(ended!.finishedAt).toBeDefined();
    // Nothing of the page in flight was written, and no next page was enqueued.
    expect(await t.services.shards.count(TENANT)).toBe(shardsAfterFirst);
    expect(takeQueued()).toEqual([]);

    // A page message still queued for the run (a copy, a scheduled retry) is completed without work.
    expect(await deliver({ ...second!, page: 2, cursor: undefined })).toBe('completed');
    expect(github.control.calls().total).toBe(callsAtCancel);
    expect(await t.services.shards.count(TENANT)).toBe(shardsAfterFirst);
    expect(await t.services.runs.get(TENANT, 'gh-cancel', run.id)).toMatchObject({ status: 'cancelled' });

    // Ended now: a second cancel names the state.
    expect(await admin('POST', cancelPath('gh-cancel', run.id))).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', target: 'status', message: expect.stringContaining('cancelled') } },
    });
  });

  it('cancels a queued run before its first page, which then does nothing', async () => {
    takeQueued();
    const run = await startRun(t.services, {
      integration: { id: 'gh-cancel', tenantId: TENANT },
      mode: 'incremental',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: new Date(),
    });
    expect((await admin('POST', cancelPath('gh-cancel', run.id))).status).toBe(202);
    const calls = github.control.calls().total;
    const [first] = takeQueued();
    expect(await deliver(first!)).toBe('completed');
    expect(github.control.calls().total).toBe(calls);
    expect(await t.services.runs.get(TENANT, 'gh-cancel', run.id)).toMatchObject({
      status: 'cancelled',
      counters: emptyCounters(),
    });
  });

  it('answers 409 naming the state of an ended run, 404 for unknown or foreign runs, 400 for a bad id', async () => {
    const ended = (id: string, status: SyncRun['status'], tenantId = TENANT, integrationId = 'gh-cancel'): SyncRun => ({
      id,
      integrationId,
      tenantId,
      mode: 'full',
      trigger: 'manual',
      status,
      counters: emptyCounters(),
      queuedAt: new Date().toISOString(),
      traceId: 'trace',
    });
    await t.services.runs.createOrGet(ended('done-ok', 'succeeded'));
    await t.services.runs.createOrGet(ended('done-failed', 'failed'));
    for (const [id, status] of [
      ['done-ok', 'succeeded'],
      ['done-failed', 'failed'],
    ])
      expect(await admin('POST', cancelPath('gh-cancel', id!))).toMatchObject({
        status: 409,
        body: { error: { code: 'conflict', target: 'status', message: expect.stringContaining(status!) } },
      });
    expect((await admin('POST', cancelPath('gh-cancel', 'no-such-run'))).status).toBe(404);
    expect(await admin('POST', cancelPath('gh-cancel', 'bad id!'))).toMatchObject({
      status: 400,
      body: { error: { target: 'runId' } },
    });
    // Another tenant's running run: not found through this tenant, whichever integration id is named.
    await t.services.runs.createOrGet(ended('foreign-running', 'running', OTHER, 'gh-other'));
    expect((await admin('POST', cancelPath('gh-other', 'foreign-running'))).status).toBe(404);
    expect((await admin('POST', cancelPath('gh-cancel', 'foreign-running'))).status).toBe(404);
    expect(await t.services.runs.get(OTHER, 'gh-other', 'foreign-running')).toMatchObject({ status: 'running' });
  });
});
