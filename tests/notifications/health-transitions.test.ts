/**
 * Health transitions through the real notification path: runs end in SyncInboundWorker's job handler, the
 * health tracker publishes `integration.health_changed` on the local event log, the NotificationService routes
 * it by the tenant's rule to a Slack incoming webhook (the notify sandbox stands in for Slack). One message per
 * move into failing / stale, never one per failed run; a recovery in between makes the next failure notify again.
 */
import { startNotifySandbox, type NotifySandbox } from '../../dev/sandboxes/notify';
import { AppError } from '../../shared/core/app-error';
import { newIntegration } from '../../shared/core/integration';
import { emptyCounters, type SyncJobMessage } from '../../shared/core/sync-run';
import { EVENT_TITLES } from '../../shared/notifications/messages';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { handleInboundJob, type PagePipeline } from '../../shared/sync/inbound/job';
import { scheduleDueSyncs } from '../../shared/sync/runs/scheduler';
import { startRun } from '../../shared/sync/runs/start-run';
import { createTestServices, type TestServices } from '../support/test-services';
import { admin, titleOf } from './support';

const TENANT = 't-health-notify';
let t: TestServices;
let sandbox: NotifySandbox;

beforeAll(async () => {
  sandbox = await startNotifySandbox();
  t = await createTestServices({ NOTIFY_MAX_RETRY_WAIT_MS: '3000', NOTIFY_SEND_TIMEOUT_MS: '2000' });
  const channel = await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, {
    type: 'slack_webhook',
    name: 'ops',
    url: sandbox.slackWebhookUrl(),
  });
  expect(channel.status).toBe(201);
  const rule = await admin(t, 'POST', `tenants/${TENANT}/notifications/rules`, {
    name: 'health',
    eventTypes: ['integration.health_changed'],
    minSeverity: 'warning',
    channelIds: [channel.body.id],
    // No dedupe window: one message per move must come from the health tracker, not from the rule's dedupe.
    dedupeWindowMs: 0,
  });
  expect(rule.status).toBe(201);
});

afterAll(async () => {
  await t.services.close();
  await sandbox.stop();
});

const healthMessages = () =>
  sandbox.received.filter((message) => titleOf(message.body) === EVENT_TITLES['integration.health_changed']);

let runCounter = 0;
async function runOnce(integrationId: string, pipeline: PagePipeline): Promise<void> {
  const runId = `hn-${integrationId}-${++runCounter}`;
  await startRun(t.services, {
    integration: { id: integrationId, tenantId: TENANT },
    mode: 'incremental',
    trigger: 'manual',
    trace: continueTrace(undefined),
    runId,
    now: new Date(),
  });
  const job: SyncJobMessage = {
    kind: 'sync-page',
    runId,
    tenantId: TENANT,
    integrationId,
    mode: 'incremental',
    page: 0,
  };
  await handleInboundJob(
    t.services,
    job,
    { messageId: `${runId}:0`, deliveryCount: 1, applicationProperties: {} },
    pipeline,
  );
  await t.services.notifications.service.drain();
}

const fails: PagePipeline = async () => {
  throw new AppError('configuration', 'repository acme/gone not found', { target: 'options.repositories' });
};
const succeeds: PagePipeline = async () => ({
  runFinished: true,
  counters: { ...emptyCounters(), fetched: 1, unchanged: 1, pages: 1 },
  recordErrors: [],
});

async function create(id: string, createdAt = new Date()) {
  await t.services.integrations.create(
    newIntegration(
      TENANT,
      id,
      { provider: 'github', name: `Repo ${id}`, providerOptions: { repositories: ['acme/widgets'] } },
      { intervalMinutes: 15 },
      createdAt,
    ),
  );
}

describe('health transition notifications', () => {
  it('sends one message when an integration starts failing, not one per failed run, and again after a recovery', async () => {
    await create('flaky');
    await runOnce('flaky', succeeds);
    expect(healthMessages()).toHaveLength(0);

    await runOnce('flaky', fails);
    await runOnce('flaky', fails);
    await runOnce('flaky', fails);
    expect(healthMessages()).toHaveLength(1);
    const text = JSON.stringify(healthMessages()[0]!.body);
    expect(text).toContain('Repo flaky');
    expect(text).toContain('failing');
    expect(text).toContain('repository acme/gone not found');

    // Healthy again once its last 3 runs succeeded; the next failure is a new move into failing.
    for (let i = 0; i < 3; i++) await runOnce('flaky', succeeds);
    expect((await t.services.syncState.healthState('flaky'))?.status).toBe('ok');
    expect(healthMessages()).toHaveLength(1);
    await runOnce('flaky', fails);
    expect(healthMessages()).toHaveLength(2);
  });

  it('announces stale from the scheduler pass once, when runs never finish', async () => {
    // Created two hours ago with a 15-minute schedule and no successful run since: stale.
    await create('stuck', new Date(Date.now() - 2 * 3600_000));
    const stuck = (await t.services.integrations.get(TENANT, 'stuck'))!;
    await t.services.integrations.replace({ ...stuck, nextSyncAt: new Date(Date.now() - 60_000).toISOString() });
    const before = healthMessages().length;
    await scheduleDueSyncs({ ...t.services }, new Date(), continueTrace(undefined));
    await t.services.notifications.service.drain();
    const stale = healthMessages().slice(before);
    expect(stale).toHaveLength(1);
    expect(JSON.stringify(stale[0]!.body)).toMatch(/Repo stuck.*stale/);

    // The next pass (its run still not finished) does not announce it again.
    const again = (await t.services.integrations.get(TENANT, 'stuck'))!;
    await t.services.integrations.replace({ ...again, nextSyncAt: new Date(Date.now() - 60_000).toISOString() });
    await scheduleDueSyncs({ ...t.services }, new Date(), continueTrace(undefined));
    await t.services.notifications.service.drain();
    expect(healthMessages().length - before).toBe(1);
  });
});
