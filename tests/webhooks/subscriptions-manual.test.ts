/**
 * Subscriptions an operator configures in the provider's console (Slack, Notion, Salesforce): the route answers
 * with the exact values to enter, pending until a verified delivery is accepted, active after it, failed when
 * deliveries arrive and none verifies, off when turned off; other tenants get 404.
 */
import { startSandbox, type RunningSandbox } from '../../dev/sandboxes';
import { signSlack } from '../../dev/webhook-signing';
import { credentialRef } from '../../shared/app/integration-credentials';
import { startHarness, subscriptionPath, type Harness } from './subscription-harness';

jest.setTimeout(60_000);

const TENANT = 't-mansub';
const SECRET = 'slack-signing-secret-0123456789';
let h: Harness;
let slack: RunningSandbox;

beforeAll(async () => {
  h = await startHarness();
  slack = await startSandbox('slack', { records: 1 });
});
afterAll(async () => {
  await slack?.stop();
  await h?.close();
});

const url = (provider: string, id: string) => `${h.t.settings.publicBaseUrl}/api/webhooks/${provider}/${id}`;

async function deliverSlack(id: string, secret: string) {
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: `Ev-${Math.random().toString(36).slice(2)}`,
    event: { type: 'message', channel: 'C0001', ts: `${Date.now() / 1000}` },
  });
  const ts = Math.floor(Date.now() / 1000);
  const response = await fetch(url('slack', id), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-signature': signSlack(body, secret, ts),
      'x-slack-request-timestamp': String(ts),
    },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

describe('manual webhook subscriptions', () => {
  it('Slack: the values to enter, pending until a verified event is accepted, then active', async () => {
    const integration = await h.integration(TENANT, 'sl-1', slack, {
      provider: 'slack',
      entities: ['messages', 'users'],
      providerOptions: { channels: ['C0001'] },
    });
    await h.t.services.credentials.service.setWebhookSecret(credentialRef(integration, 'webhook'), SECRET, 0);
    const pending = await h.admin('GET', subscriptionPath(TENANT, 'sl-1'));
    expect(pending.status).toBe(200);
    expect(pending.body).toMatchObject({ provider: 'slack', mode: 'manual', status: 'pending' });
    expect(pending.body.instructions.values).toEqual([
      { name: 'Request URL', value: url('slack', 'sl-1') },
      { name: 'Subscribe to bot events', value: 'message.channels, message.groups, user_change, team_join' },
    ]);
    expect(JSON.stringify(pending.body)).not.toContain(SECRET);

    expect(await deliverSlack('sl-1', SECRET)).toBe(200);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'sl-1'))).body).toMatchObject({ status: 'active' });
  });

  it('deliveries that never verify leave it failed, saying why', async () => {
    const integration = await h.integration(TENANT, 'sl-bad', slack, {
      provider: 'slack',
      providerOptions: { channels: ['C0001'] },
    });
    await h.t.services.credentials.service.setWebhookSecret(credentialRef(integration, 'webhook'), SECRET, 0);
    expect(await deliverSlack('sl-bad', 'a-different-signing-secret')).toBe(401);
    const failed = (await h.admin('GET', subscriptionPath(TENANT, 'sl-bad'))).body;
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toMatch(/1 rejected \(bad_signature ×1\)/);
  });

  it('turned off is off, turned on again is judged by its deliveries', async () => {
    expect((await h.admin('DELETE', subscriptionPath(TENANT, 'sl-1'))).status).toBe(204);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'sl-1'))).body.status).toBe('off');
    const on = await h.admin('POST', subscriptionPath(TENANT, 'sl-1'));
    expect(on.status).toBe(202);
    // Deliveries before it was turned on again do not count: waiting for the next one.
    expect(on.body.status).toBe('pending');
    expect(await deliverSlack('sl-1', SECRET)).toBe(200);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'sl-1'))).body.status).toBe('active');
  });

  it('Notion and Salesforce: what to configure, Outbound Messages rather than Change Data Capture', async () => {
    await h.t.services.integrations.create({
      ...(await h.t.services.integrations.get(TENANT, 'sl-1'))!,
      id: 'no-1',
      provider: 'notion',
      entities: ['pages'],
    });
    const notion = (await h.admin('GET', subscriptionPath(TENANT, 'no-1'))).body;
    expect(notion).toMatchObject({ provider: 'notion', mode: 'manual', status: 'pending' });
    expect(notion.instructions.values[0]).toEqual({ name: 'Webhook URL', value: url('notion', 'no-1') });

    await h.t.services.integrations.create({
      ...(await h.t.services.integrations.get(TENANT, 'sl-1'))!,
      id: 'sf-1',
      provider: 'salesforce',
      entities: ['Account'],
      webhook: {
        provider: 'salesforce',
        organizationId: '00D000000000001',
        auth: { kind: 'shared_secret', source: { in: 'url' } },
      },
    });
    const salesforce = (await h.admin('GET', subscriptionPath(TENANT, 'sf-1'))).body;
    expect(salesforce).toMatchObject({ provider: 'salesforce', mode: 'manual', status: 'pending' });
    expect(salesforce.instructions.values[0].value).toBe(
      `${url('salesforce', 'sf-1')}?secret=<this integration's webhook secret>`,
    );
    expect(salesforce.instructions.steps.join(' ')).toMatch(/Outbound Messages, not Change Data Capture/);
  });

  it('another tenant’s integration is not found', async () => {
    for (const method of ['GET', 'POST', 'DELETE'])
      expect((await h.admin(method, subscriptionPath('t-other', 'sl-1'))).status).toBe(404);
  });
});
