/**
 * The NotificationDigest timer against real Cosmos, credentials and the notify sandbox, on a controlled clock:
 * hourly and daily digests carry the tenant's runs, records synced, failures, conflicts waiting, credentials
 * expiring and alerts held in quiet hours; each slot is sent once; another tenant's numbers stay out.
 */
import type { Timer } from '@azure/functions';
import { notificationDigest } from '../../functions/NotificationDigest';
import { emptyCounters, type SyncRun } from '../../shared/core/sync-run';
import type { ConflictDocument } from '../../shared/conflicts/conflict-document';
import { startNotifySandbox, type NotifySandbox } from '../../dev/sandboxes/notify';
import { invocation } from '../support/invoke';
import { createTestServices, type TestServices } from '../support/test-services';
import { admin, event, titleOf } from './support';

const TENANT = 't-digest';
const OTHER = 't-digest-other';
let clock = new Date('2026-03-02T09:30:00Z');
let t: TestServices;
let sandbox: NotifySandbox;
const timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
} as unknown as Timer;

function run(tenantId: string, id: string, status: SyncRun['status'], fetched: number, queuedAt: string): SyncRun {
  return {
    id,
    tenantId,
    integrationId: `${tenantId}-int`,
    mode: 'incremental',
    trigger: 'schedule',
    status,
    counters: { ...emptyCounters(), fetched },
    queuedAt,
    traceId: '0'.repeat(32),
  };
}

function facts(body: Record<string, any>): Record<string, string> {
  const fields = body.blocks
    .filter((block: { fields?: unknown }) => block.fields)
    .flatMap((block: { fields: Array<{ text: string }> }) => block.fields);
  return Object.fromEntries(fields.map((field: { text: string }) => field.text.replace(/\*/g, '').split('\n')));
}

beforeAll(async () => {
  sandbox = await startNotifySandbox();
  t = await createTestServices({}, { now: () => clock });
  const runs = t.services.runs;
  await runs.createOrGet(run(TENANT, 'r1', 'succeeded', 120, '2026-03-02T09:05:00Z'));
  await runs.createOrGet(run(TENANT, 'r2', 'succeeded', 30, '2026-03-02T09:40:00Z'));
  await runs.createOrGet(run(TENANT, 'r3', 'failed', 7, '2026-03-02T09:59:00Z'));
  await runs.createOrGet(run(TENANT, 'r-old', 'failed', 1000, '2026-03-02T07:00:00Z'));
  await runs.createOrGet(run(OTHER, 'o1', 'failed', 5, '2026-03-02T09:10:00Z'));
  // Only what the digest reads of a conflict: its tenant and status.
  const conflict = (id: string, status: ConflictDocument['status']) =>
    ({ id, tenantId: TENANT, status, createdAt: '2026-03-01T00:00:00Z' }) as ConflictDocument;
  await t.services.conflicts.saveMany([conflict('c1', 'open'), conflict('c2', 'open'), conflict('c3', 'resolved')]);
  await t.services.credentials.service.put(
    { tenantId: TENANT, integrationId: 'int-exp', name: 'api' },
    { type: 'bearer_token', token: 'digest-test-token-value', expiresAt: '2026-03-04T00:00:00Z' },
  );

  const create = async (tenantId: string, body: object) =>
    (await admin(t, 'POST', `tenants/${tenantId}/notifications/channels`, body)).body.id as string;
  const hourly = await create(TENANT, {
    type: 'slack_webhook',
    name: 'hourly',
    url: sandbox.slackWebhookUrl(),
    digest: { frequency: 'hourly' },
  });
  await create(TENANT, {
    type: 'teams_workflow',
    name: 'daily',
    url: sandbox.teamsWorkflowUrl(),
    digest: { frequency: 'daily', hourUtc: 10 },
  });
  await create(OTHER, {
    type: 'slack_webhook',
    name: 'other hourly',
    url: sandbox.slackWebhookUrl(),
    digest: { frequency: 'hourly' },
  });
  // An alert held in quiet hours (09:00-10:00 UTC) at 09:30 is counted in the 09:00-10:00 digest.
  await admin(t, 'POST', `tenants/${TENANT}/notifications/rules`, {
    name: 'quiet',
    eventTypes: ['*'],
    channelIds: [hourly],
    quietHours: { start: '09:00', end: '10:00' },
  });
  const held = await t.services.notifications.service.handle(event(TENANT, 'sync.run_failed'));
  expect(held.map((outcome) => outcome.status)).toEqual(['held']);
});

afterAll(async () => {
  await t.services.close();
  await sandbox.stop();
});

describe('NotificationDigest', () => {
  it('sends the hourly and the due daily digest with the tenant’s figures', async () => {
    clock = new Date('2026-03-02T10:00:05Z');
    await notificationDigest.handler(timer, invocation('NotificationDigest'), t.services);
    expect(sandbox.rejected).toEqual([]);
    const mine = sandbox.received.filter(
      (message) => message.target === 'slack_webhook' && titleOf(message.body) === `Hourly digest for ${TENANT}`,
    );
    expect(mine).toHaveLength(1);
    expect(facts(mine[0]!.body)).toMatchObject({
      Runs: '3',
      'Runs succeeded': '2',
      'Runs failed': '1',
      'Records synced': '157',
      'Conflicts waiting': '2',
      'Credentials expiring': '1',
      'Alerts held (quiet hours)': '1',
    });
    const daily = sandbox.received.filter((message) => message.target === 'teams_workflow');
    expect(daily).toHaveLength(1);
    const card = JSON.stringify(daily[0]!.body);
    expect(card).toContain(`Daily digest for ${TENANT}`);
    // The daily window reaches back 24 hours, so it includes the 07:00 run.
    expect(card).toContain('"title":"Runs","value":"4"');
    const other = sandbox.received.filter((message) => titleOf(message.body) === `Hourly digest for ${OTHER}`);
    expect(facts(other[0]!.body)).toMatchObject({
      Runs: '1',
      'Runs failed': '1',
      'Conflicts waiting': '0',
      'Credentials expiring': '0',
    });
  });

  it('sends each slot once, however often the timer fires', async () => {
    const before = sandbox.received.length;
    await notificationDigest.handler(timer, invocation('NotificationDigest'), t.services);
    clock = new Date('2026-03-02T10:40:00Z');
    await notificationDigest.handler(timer, invocation('NotificationDigest'), t.services);
    expect(sandbox.received.length).toBe(before);
  });

  it('sends the next hourly digest in the next hour, and no daily one outside its hour', async () => {
    const before = sandbox.received.length;
    clock = new Date('2026-03-02T11:00:02Z');
    const results = await t.services.notifications.runDigests(clock);
    expect(results.map((result) => result.status).sort()).toEqual(['not_due', 'sent', 'sent']);
    expect(sandbox.received.slice(before).map((message) => message.target)).toEqual(['slack_webhook', 'slack_webhook']);
    const mine = results.find((result) => result.tenantId === TENANT && result.status === 'sent')!;
    expect(mine.digest).toMatchObject({ runs: 0, conflictsWaiting: 2, alertsHeld: 0 });
  });
});
