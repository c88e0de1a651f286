/**
 * Sending through the admin test route against the notify sandbox with injected faults: 429 waits for
 * Retry-After and then delivers, 5xx and timeouts are retried, a Retry-After beyond the limit, a permanent
 * error or exhausted attempts end in a failed delivery record with its reason (nothing silently lost).
 */
import { startNotifySandbox, type NotifySandbox } from '../../dev/sandboxes/notify';
import { createTestServices, type TestServices } from '../support/test-services';
import { admin, answers } from './support';

const TENANT = 't-deliver';
let t: TestServices;
let sandbox: NotifySandbox;
const ids: Record<'slack' | 'bot' | 'teams' | 'missingChannel', string> = {
  slack: '',
  bot: '',
  teams: '',
  missingChannel: '',
};
const secrets: string[] = [];

beforeAll(async () => {
  sandbox = await startNotifySandbox();
  const bot = sandbox.slackBot();
  t = await createTestServices({
    NOTIFY_SLACK_API_URL: bot.apiUrl,
    NOTIFY_MAX_RETRY_WAIT_MS: '3000',
    NOTIFY_SEND_TIMEOUT_MS: '500',
    NOTIFY_MAX_ATTEMPTS: '4',
  });
  const slackUrl = sandbox.slackWebhookUrl();
  const teamsUrl = sandbox.teamsWorkflowUrl();
  secrets.push(slackUrl.split('/services/')[1]!, bot.token, new URL(teamsUrl).searchParams.get('sig')!);
  const create = async (body: object) =>
    (await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, body)).body.id as string;
  ids.slack = await create({ type: 'slack_webhook', name: 'webhook', url: slackUrl });
  ids.bot = await create({ type: 'slack_bot', name: 'bot', token: bot.token, channel: '#ops' });
  ids.teams = await create({ type: 'teams_workflow', name: 'teams', url: teamsUrl });
  ids.missingChannel = await create({ type: 'slack_bot', name: 'gone', token: bot.token, channel: '#archived-room' });
});

afterAll(async () => {
  await t.services.close();
  await sandbox.stop();
});

const test = (channelId: string) => admin(t, 'POST', `tenants/${TENANT}/notifications/channels/${channelId}/test`);

describe('delivery with retries', () => {
  it('sends a test message to each channel type', async () => {
    for (const id of [ids.slack, ids.bot, ids.teams])
      expect(await test(id)).toMatchObject({ status: 200, body: { status: 'sent', attempts: 1 } });
    expect(sandbox.received.map((message) => message.target)).toEqual(['slack_webhook', 'slack_bot', 'teams_workflow']);
  });

  it('waits for Retry-After on 429 and then delivers', async () => {
    sandbox.injectFault({ kind: 'rate_limit', path: '/services/', retryAfterSeconds: 1 });
    const started = Date.now();
    expect(await test(ids.slack)).toMatchObject({ status: 200, body: { status: 'sent', attempts: 2 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    sandbox.injectFault({ kind: 'rate_limit', path: '/api/chat.postMessage', retryAfterSeconds: 1 });
    expect(await test(ids.bot)).toMatchObject({ status: 200, body: { status: 'sent', attempts: 2 } });
    expect(sandbox.requests.filter((request) => request.status === 429)).toHaveLength(2);
  });

  it('retries 5xx answers and timeouts', async () => {
    sandbox.injectFault({ kind: 'server_error', path: '/workflows/', status: 503, count: 2 });
    expect(await test(ids.teams)).toMatchObject({ status: 200, body: { status: 'sent', attempts: 3 } });
    sandbox.injectFault({ kind: 'timeout', path: '/services/' });
    expect(await test(ids.slack)).toMatchObject({ status: 200, body: { status: 'sent', attempts: 2 } });
  });

  it('records a failure with its reason when Retry-After is beyond the limit, attempts run out, or the error is permanent', async () => {
    sandbox.injectFault({ kind: 'rate_limit', path: '/workflows/', retryAfterSeconds: 120 });
    const tooLong = await test(ids.teams);
    expect(tooLong).toMatchObject({ status: 502, body: { status: 'failed', attempts: 1 } });
    expect(tooLong.body.reason).toMatch(/http_429.*exceeds the limit/);

    sandbox.injectFault({ kind: 'server_error', path: '/services/', status: 500, count: 10 });
    const exhausted = await test(ids.slack);
    expect(exhausted).toMatchObject({ status: 502, body: { status: 'failed', attempts: 4 } });
    expect(exhausted.body.reason).toMatch(/^http_500/);
    sandbox.clearFaults();

    const permanent = await test(ids.missingChannel);
    expect(permanent).toMatchObject({
      status: 502,
      body: { status: 'failed', attempts: 1, reason: 'slack: channel_not_found' },
    });

    const failed = await admin(t, 'GET', `tenants/${TENANT}/notifications/deliveries?status=failed`);
    const reasons = failed.body.items.map((item: { reason: string }) => item.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'slack: channel_not_found',
        expect.stringMatching(/^http_500/),
        expect.stringMatching(/^http_429/),
      ]),
    );
    // The record keeps the message, so it can be read (and re-sent) later.
    expect(failed.body.items[0].message.title).toBe('Test notification');
  });

  it('resends a failed delivery once the channel works again, and only a failed one', async () => {
    const failed = (await admin(t, 'GET', `tenants/${TENANT}/notifications/deliveries?status=failed`)).body.items.find(
      (item: { channelId: string }) => item.channelId === ids.slack,
    );
    const before = sandbox.received.length;
    const resent = await admin(t, 'POST', `tenants/${TENANT}/notifications/deliveries/${failed.id}/resend`);
    expect(resent).toMatchObject({ status: 200, body: { status: 'sent', attempts: 1 } });
    expect(sandbox.received.length).toBe(before + 1);
    expect((await admin(t, 'POST', `tenants/${TENANT}/notifications/deliveries/${failed.id}/resend`)).status).toBe(409);
    expect(
      (await admin(t, 'POST', `tenants/${TENANT}/notifications/deliveries/${resent.body.deliveryId}/resend`)).status,
    ).toBe(409);
    expect((await admin(t, 'POST', `tenants/other-tenant/notifications/deliveries/${failed.id}/resend`)).status).toBe(
      404,
    );
  });

  it('gets every message through a Teams URL that allows 4 requests a second, by honouring its 429s', async () => {
    const paced = await startNotifySandbox({ teamsRatePerS: 4 });
    try {
      const id = (
        await admin(t, 'POST', `tenants/${TENANT}/notifications/channels`, {
          type: 'teams_workflow',
          name: 'paced',
          url: paced.teamsWorkflowUrl(),
        })
      ).body.id;
      const results = await Promise.all(Array.from({ length: 8 }, () => test(id)));
      expect(results.map((result) => result.body.status)).toEqual(Array(8).fill('sent'));
      expect(paced.received).toHaveLength(8);
      expect(paced.requests.filter((request) => request.status === 429).length).toBeGreaterThanOrEqual(4);
    } finally {
      await paced.stop();
    }
  });

  it('keeps channel secrets out of logs, answers and delivery records', () => {
    const everything = [...t.logLines, ...answers].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
