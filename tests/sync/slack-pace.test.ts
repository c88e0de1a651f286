/**
 * A Slack sync keeps the pace of the app's distribution instead of running into 429s: through the real pipeline,
 * adapter factory and rate limiter, against a Slack sandbox that enforces the non-Marketplace limits (one
 * conversations.history and one conversations.replies call a minute) on a clock the test moves. Following the
 * pipeline's schedule, a full sync with threads reads every parent and reply without one 429; a history page
 * taken early is held back by the limiter before it reaches Slack; the run's heartbeat waits for the scheduled page.
 */
import { createTestServices, type TestServices } from '../support/test-services';
import { newIntegration, type Integration } from '../../shared/core/integration';
import type { Stored } from '../../shared/core/stored';
import { credentialRef } from '../../shared/app/integration-credentials';
import { withPacedAdapters } from '../../shared/sync/adapter-factory';
import { runInboundPage, type PageOutcome } from '../../shared/sync/inbound/pipeline';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { startRun } from '../../shared/sync/runs/start-run';
import { continueTrace } from '../../shared/platform/observability/correlation';
import type { SyncJobMessage } from '../../shared/core/sync-run';
import type { OutgoingMessage, QueueSender } from '../../shared/stores/queue/queue-port';
import { isAppError } from '../../shared/core/app-error';
import { startSlackSandbox, type SlackSandbox } from '../../dev/sandboxes/slack';
import { channelIds } from '../../dev/sandboxes/slack/workspace';

const [CHANNEL] = channelIds(1) as [string];
const TENANT = 't-slack-pace';

let t: TestServices;
let sandbox: SlackSandbox;
let clock = Date.now();

beforeAll(async () => {
  // (Almost) no in-call waiting: a call over budget is refused at once (and the page would be rescheduled).
  t = await createTestServices({ RATE_LIMIT_MAX_WAIT_MS: '1', SYNC_PAGE_SIZE: '100' });
});
afterAll(async () => t?.services.close());
afterEach(async () => sandbox?.stop());

/** A Slack workspace that enforces its app distribution's limits on the test's clock. */
async function workspace(appDistribution: string, threads: number, records = 40): Promise<void> {
  clock = Date.now();
  sandbox = await startSlackSandbox({
    records,
    extra: { channels: 1, threads, appDistribution, rateTiers: true, clock: () => clock },
  });
}

async function slackIntegration(id: string, providerOptions: Record<string, unknown>): Promise<Stored<Integration>> {
  const integration = await t.services.integrations.create({
    ...newIntegration(
      TENANT,
      id,
      { provider: 'slack', name: id, baseUrl: sandbox.url, entities: ['messages'], providerOptions },
      { intervalMinutes: 60 },
      new Date(),
    ),
    nextSyncAt: '2099-01-01T00:00:00.000Z',
  });
  await t.services.credentials.service.put(credentialRef(integration, 'api'), {
    type: 'bearer_token',
    token: sandbox.control.issueToken({ expiresInMs: 3600_000 }).accessToken,
  });
  return integration;
}

/** One page through the real pipeline, paced adapters and all; the message it enqueues is captured, not sent. */
async function runPage(
  integration: Stored<Integration>,
  job: SyncJobMessage,
): Promise<{ outcome: PageOutcome; sent?: OutgoingMessage<SyncJobMessage> }> {
  const sent: OutgoingMessage<SyncJobMessage>[] = [];
  const queue: QueueSender = {
    send: async (_queue, messages) => void sent.push(...(messages as OutgoingMessage<SyncJobMessage>[])),
    ping: async () => undefined,
    close: async () => undefined,
  };
  const outcome = await withPacedAdapters(t.services, integration, (adapterFor) =>
    runInboundPage(
      {
        queue,
        shards: t.services.shards,
        syncState: t.services.syncState,
        conflicts: t.services.conflicts,
        now: t.services.now,
        limits: { pageSize: 100, maxDeleteShare: 1 },
      },
      integration,
      job,
      { adapterFor },
    ),
  );
  return { outcome, sent: sent[0] };
}

const firstPage = (integration: Stored<Integration>, runId: string): SyncJobMessage => ({
  kind: 'sync-page',
  runId,
  tenantId: TENANT,
  integrationId: integration.id,
  mode: 'full',
  page: 0,
});

describe('a Slack sync outside the Marketplace', () => {
  it('follows the planned pace to the end: every parent and reply, not one 429, a minute between history calls', async () => {
    await workspace('non_marketplace', 0.3);
    const integration = await slackIntegration('pace-full', { channels: [CHANNEL] });
    // The product's limiter holds history and replies to one a minute on real time, which the test cannot move:
    // an override lifts them here, so the sandbox (on the test's clock) is the judge of the pace.
    await t.services.rateLimiter.setOverride(
      { tenantId: TENANT, integrationId: integration.id },
      { operations: { 'conversations.*': { kind: 'rate', limit: 1000, windowMs: 1000, burst: 1000 } } },
    );
    sandbox.control.resetCalls();
    let job: SyncJobMessage | undefined = firstPage(integration, 'run-pace-full');
    let created = 0;
    const delays: number[] = [];
    for (let pages = 0; job; pages++) {
      if (pages > 50) throw new Error('the sync does not end');
      const { outcome, sent } = await runPage(integration, job);
      created += outcome.counters.created;
      const due = sent?.scheduledEnqueueTimeUtc?.getTime();
      if (due !== undefined) {
        delays.push(due - Date.now());
        clock += due - Date.now(); // the page is delivered when it is due, not before
      }
      job = outcome.runFinished ? undefined : sent?.body;
    }
    const calls = sandbox.control.calls();
    expect(calls.byStatus['429']).toBeUndefined();
    expect(created).toBe(sandbox.control.records.count('messages'));
    const historyCalls = calls.byRoute['GET /api/conversations.history']!;
    expect(historyCalls).toBe(Math.ceil(40 / 15));
    // Every history call after the first (and every replies call after the first) waited about a minute.
    expect(delays.length).toBeGreaterThanOrEqual(historyCalls - 1);
    expect(delays.every((delay) => delay > 58_000 && delay < 62_000)).toBe(true);
  });

  it('a history call taken before its time is held back by the limiter, never sent to Slack', async () => {
    await workspace('non_marketplace', 0.3);
    const integration = await slackIntegration('pace-early', { channels: [CHANNEL] });
    await runPage(integration, { ...firstPage(integration, 'run-pace-early') });
    sandbox.control.resetCalls();
    // The same first page again at once: a second history call within the minute.
    const early = await runPage(integration, firstPage(integration, 'run-pace-early-2')).catch(
      (error: unknown) => error,
    );
    expect(isAppError(early) && [early.code, early.details?.level]).toEqual(['rate_limited', 'operation']);
    expect(isAppError(early) && early.retryAfterMs).toBeGreaterThan(55_000);
    expect(sandbox.control.calls().total).toBe(0);
  });

  it('a Marketplace app reads 100 a page with no planned delay', async () => {
    await workspace('marketplace', 0, 250);
    const integration = await slackIntegration('pace-market', { channels: [CHANNEL], appDistribution: 'marketplace' });
    const { outcome, sent } = await runPage(integration, firstPage(integration, 'run-pace-market'));
    expect(outcome.counters.fetched).toBe(100);
    expect(sent?.body.cursor).toBeDefined();
    expect(sent?.scheduledEnqueueTimeUtc).toBeUndefined();
  });

  it("the run's heartbeat is the scheduled page's due time, so the stale-run sweep leaves the pause alone", async () => {
    // No threads: the first page's successor is the next history page, due a minute later.
    await workspace('non_marketplace', 0);
    const integration = await slackIntegration('pace-beat', { channels: [CHANNEL] });
    const run = await startRun(t.services, {
      integration: { id: integration.id, tenantId: TENANT },
      mode: 'full',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: new Date(),
    });
    let due: number | undefined;
    const outcome = await handleInboundJob(
      t.services,
      firstPage(integration, run.id),
      { messageId: `${run.id}:0`, deliveryCount: 1, applicationProperties: {} },
      async (stored, page) => {
        const result = await runPage(stored, page);
        due = result.sent?.scheduledEnqueueTimeUtc?.getTime();
        return result.outcome;
      },
    );
    expect(outcome).toBe('completed');
    expect(due).toBeGreaterThan(Date.now() + 55_000);
    const stored = (await t.services.runs.get(TENANT, integration.id, run.id))!;
    expect(Date.parse(stored.heartbeatAt!)).toBe(due);
  });
});
