/**
 * Events through the real services (local event log → NotificationService → Slack / Teams sandboxes): each
 * event type reaches the channel its rule names with a payload the sandbox accepts; dedupe, escalation and
 * quiet hours; oversize content arrives shortened; and no channel URL or token shows up in a log line.
 */
import { EVENT_TYPES } from '../../shared/stores/events/events';
import { EVENT_TITLES } from '../../shared/notifications/messages';
import { startNotifySandbox, type NotifySandbox } from '../../dev/sandboxes/notify';
import { createTestServices, type TestServices } from '../support/test-services';
import { openKeyValueStores } from '../../shared/stores/kv';
import { createRedisClient } from '../../shared/stores/kv/redis/redis-client';
import { admin, answers, event, titleOf } from './support';

const TENANT = 't-notify';
let t: TestServices;
let sandbox: NotifySandbox;
const secrets: string[] = [];
const channel: Record<'slack' | 'bot' | 'teams', string> = { slack: '', bot: '', teams: '' };

beforeAll(async () => {
  sandbox = await startNotifySandbox();
  const bot = sandbox.slackBot();
  t = await createTestServices({
    NOTIFY_SLACK_API_URL: bot.apiUrl,
    NOTIFY_MAX_RETRY_WAIT_MS: '3000',
    NOTIFY_SEND_TIMEOUT_MS: '2000',
  });
  const slackUrl = sandbox.slackWebhookUrl();
  const teamsUrl = sandbox.teamsWorkflowUrl();
  secrets.push(slackUrl.split('/services/')[1]!, bot.token, new URL(teamsUrl).searchParams.get('sig')!);
  channel.slack = (
    await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, {
      type: 'slack_webhook',
      name: 'ops webhook',
      url: slackUrl,
    })
  ).body.id;
  channel.bot = (
    await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, {
      type: 'slack_bot',
      name: 'alerts bot',
      token: bot.token,
      channel: '#alerts',
    })
  ).body.id;
  channel.teams = (
    await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, {
      type: 'teams_workflow',
      name: 'teams',
      url: teamsUrl,
    })
  ).body.id;
  // Runs and pages → Slack webhook; credentials and re-auth → Teams; the rest → Slack bot.
  const rules = [
    {
      name: 'sync',
      eventTypes: ['sync.run_failed', 'sync.page_dead_lettered', 'sync.run_completed', 'integration.health_changed'],
      minSeverity: 'info',
      channelIds: [channel.slack],
    },
    {
      name: 'credentials',
      eventTypes: [
        'credential.expiring',
        'credential.expired',
        'credential.policy_exceeded',
        'integration.needs_reauth',
      ],
      channelIds: [channel.teams],
    },
    {
      name: 'other',
      eventTypes: ['sync.conflict_created', 'webhook.endpoint_unhealthy', 'ratelimit.budget_exhausted'],
      channelIds: [channel.bot],
      escalation: { afterRepeats: 3 },
    },
  ];
  for (const rule of rules)
    expect((await admin(t, 'POST', `tenants/${TENANT}/notifications/rules`, rule)).status).toBe(201);
});

afterAll(async () => {
  await t.services.close();
  await sandbox.stop();
});

/** Another instance's connection to the same Redis (the dedupe test across instances). */
const otherRedis = createRedisClient(process.env.REDIS_URL!);
afterAll(() => otherRedis.disconnect());

const EXPECTED: Record<string, 'slack_webhook' | 'slack_bot' | 'teams_workflow'> = {
  'sync.run_completed': 'slack_webhook',
  'sync.run_failed': 'slack_webhook',
  'sync.page_dead_lettered': 'slack_webhook',
  'sync.conflict_created': 'slack_bot',
  'integration.needs_reauth': 'teams_workflow',
  'integration.health_changed': 'slack_webhook',
  'credential.expiring': 'teams_workflow',
  'credential.expired': 'teams_workflow',
  'credential.policy_exceeded': 'teams_workflow',
  'webhook.endpoint_unhealthy': 'slack_bot',
  'ratelimit.budget_exhausted': 'slack_bot',
};

describe('routing events to channels', () => {
  it('sends every event type, published on the event log, to the channel its rule names with a payload the channel accepts', async () => {
    for (const type of EVENT_TYPES)
      await t.services.events.publish([
        event(TENANT, type, {
          severity: type === 'sync.run_completed' ? 'info' : 'error',
          integrationId: `route-${type}`,
        }),
      ]);
    await t.services.notifications.service.drain();
    expect(sandbox.rejected).toEqual([]);
    for (const type of EVENT_TYPES) {
      const got = sandbox.received.filter((message) => titleOf(message.body) === EVENT_TITLES[type]);
      expect([type, got.map((message) => message.target)]).toEqual([type, [EXPECTED[type]]]);
    }
    const teams = sandbox.received.find((message) => message.target === 'teams_workflow')!;
    expect(teams.body.attachments).toEqual([
      expect.objectContaining({
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: expect.objectContaining({ version: '1.5' }),
      }),
    ]);
    const bot = sandbox.received.find((message) => message.target === 'slack_bot')!;
    expect(bot.key).toBe('#alerts');
  });

  it('does not send events of another tenant, below the minimum severity or of no rule', async () => {
    const before = sandbox.received.length;
    await t.services.notifications.service.handle(event('someone-else', 'sync.run_failed'));
    const low = await t.services.notifications.service.handle(
      event(TENANT, 'credential.expiring', { severity: 'info', integrationId: 'low' }),
    );
    expect(low).toEqual([]);
    expect(sandbox.received.length).toBe(before);
  });

  it('sends a repeated alert once within the dedupe window, and escalates on the third repeat', async () => {
    const service = t.services.notifications.service;
    const first = await service.handle(event(TENANT, 'webhook.endpoint_unhealthy', { integrationId: 'flappy' }));
    const second = await service.handle(event(TENANT, 'webhook.endpoint_unhealthy', { integrationId: 'flappy' }));
    const third = await service.handle(event(TENANT, 'webhook.endpoint_unhealthy', { integrationId: 'flappy' }));
    const fourth = await service.handle(event(TENANT, 'webhook.endpoint_unhealthy', { integrationId: 'flappy' }));
    const otherIntegration = await service.handle(
      event(TENANT, 'webhook.endpoint_unhealthy', { integrationId: 'steady' }),
    );
    expect([first, second, third, fourth, otherIntegration].map((outcomes) => outcomes.map((o) => o.status))).toEqual([
      ['sent'],
      ['suppressed'],
      ['sent'],
      ['suppressed'],
      ['sent'],
    ]);
    expect(third[0]!.escalated).toBe(true);
    const escalated = sandbox.received.filter((message) =>
      titleOf(message.body).startsWith('Escalated: Webhook endpoint unhealthy'),
    );
    expect(escalated).toHaveLength(1);
    expect(JSON.stringify(escalated[0]!.body)).toContain('Repeated 3 times');
  });

  it('shares dedupe across instances through Redis: two services handling the same alert send it once', async () => {
    const { createNotifications } = await import('../../shared/notifications');
    // Another instance: its own Redis connection and its own memory, the same Redis and prefix.
    const other = createNotifications({
      repository: t.services.documents.notifications,
      runs: t.services.runs,
      conflicts: t.services.conflicts,
      credentials: t.services.credentials.service,
      settings: t.settings.notifications,
      logger: t.services.logger,
      kv: openKeyValueStores({ redis: otherRedis, keyPrefix: t.settings.redis.keyPrefix }),
      now: () => new Date(),
    });
    expect(t.services.kv.backend).toBe('redis');
    const alert = event(TENANT, 'ratelimit.budget_exhausted', { integrationId: 'shared-redis' });
    const [a, b] = await Promise.all([
      t.services.notifications.service.handle(alert),
      other.service.handle({ ...alert, id: 'second-copy' }),
    ]);
    expect([a[0]!.status, b[0]!.status].sort()).toEqual(['sent', 'suppressed']);
  });

  it('holds non-critical alerts during quiet hours (counted for the digest) and still sends critical ones', async () => {
    const rule = (
      await admin(t, 'POST', `tenants/${TENANT}/notifications/rules`, {
        name: 'night',
        eventTypes: ['sync.run_failed'],
        channelIds: [channel.teams],
        integrationIds: ['night-shift'],
        quietHours: { start: '00:00', end: '23:59', timeZone: 'UTC' },
      })
    ).body;
    expect(rule.quietHours).toEqual({ start: '00:00', end: '23:59', timeZone: 'UTC', allowCritical: true });
    // 23:59-00:00 UTC is the one minute outside these quiet hours.
    const now = new Date();
    if (now.getUTCHours() === 23 && now.getUTCMinutes() === 59) return;
    const held = await t.services.notifications.service.handle(
      event(TENANT, 'sync.run_failed', { integrationId: 'night-shift', severity: 'error' }),
    );
    expect(held.find((o) => o.ruleId === rule.id)).toMatchObject({ status: 'held', reason: 'quiet hours' });
    const critical = await t.services.notifications.service.handle(
      event(TENANT, 'sync.run_failed', {
        integrationId: 'night-shift',
        severity: 'critical',
        data: { errorCode: 'auth_revoked' },
      }),
    );
    expect(critical.find((o) => o.ruleId === rule.id)).toMatchObject({ status: 'sent' });
    const list = await admin(t, 'GET', `tenants/${TENANT}/notifications/deliveries?status=held`);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
  });

  it('delivers oversize content shortened, within each channel limit, to all three channels', async () => {
    const data: Record<string, string> = {};
    for (let i = 0; i < 300; i++) data[`field${i}`] = 'x'.repeat(400);
    const big = event(TENANT, 'sync.run_failed', {
      integrationId: 'big',
      summary: 'a very long failure <&> '.repeat(5000),
      data,
    });
    const rule = (
      await admin(t, 'POST', `tenants/${TENANT}/notifications/rules`, {
        name: 'big',
        eventTypes: ['*'],
        minSeverity: 'error',
        integrationIds: ['big'],
        channelIds: [channel.slack, channel.bot, channel.teams],
      })
    ).body;
    const outcomes = await t.services.notifications.service.handle(big);
    expect(outcomes.filter((o) => o.ruleId === rule.id || o.channelId === channel.slack).map((o) => o.status)).toEqual([
      'sent',
      'sent',
      'sent',
    ]);
    expect(sandbox.rejected).toEqual([]);
    const teams = sandbox.received.filter((message) => message.target === 'teams_workflow').at(-1)!;
    expect(teams.bytes).toBeLessThanOrEqual(28 * 1024);
    expect(JSON.stringify(teams.body)).toContain('…');
  });

  it('never writes a channel URL secret or token to a log line or an admin answer', () => {
    const everything = [...t.logLines, ...answers].join('\n');
    expect(t.logLines.some((line) => line.includes('notification sent'))).toBe(true);
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
