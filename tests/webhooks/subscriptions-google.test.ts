/**
 * Google push channels the app manages, against the Google sandbox: events.watch and changes.watch channels
 * with a token the existing channel verifier accepts; the sandbox's notifications verified and accepted;
 * renewed before they expire on a moved clock the sandbox shares (new channel, then the old one stopped); a channel that lapsed
 * announced; stopped when webhooks are turned off and when the integration is deleted; a provider error shown.
 */
import { googleSandboxChannels, startGoogleSandbox } from '../../dev/sandboxes/google';
import type { RunningSandbox } from '../../dev/sandboxes';
import { credentialRef } from '../../shared/app/integration-credentials';
import { renewDueSubscriptions } from '../../shared/webhooks/subscriptions/renewer';
import { subscriptionDeps } from '../../shared/webhooks/subscriptions/wiring';
import { renewAt } from '../../shared/webhooks/subscriptions/policy';
import { startHarness, subscriptionPath, type Harness } from './subscription-harness';

jest.setTimeout(60_000);

const TENANT = 't-gosub';
let h: Harness;
let google: RunningSandbox;

beforeAll(async () => {
  h = await startHarness();
  google = await startGoogleSandbox({ records: 3, extra: { now: h.nowMs } });
});
afterAll(async () => {
  await google?.stop();
  await h?.close();
});

const url = (id: string) => `${h.t.settings.publicBaseUrl}/api/webhooks/google/${id}`;
const secretsOf = (id: string) =>
  h.t.services.credentials.service.webhookSecrets(credentialRef({ tenantId: TENANT, id }, 'webhook'), { fresh: true });
const renew = () => renewDueSubscriptions(subscriptionDeps(h.t.services));
const accepted = async (id: string) =>
  (await h.t.services.deliveryLog.list(TENANT, id)).filter((receipt) => receipt.verdict === 'accepted').length;

async function createIntegration(id: string, entities = ['events', 'files']) {
  return h.integration(TENANT, id, google, {
    provider: 'google',
    entities,
    providerOptions: { calendarId: 'primary' },
  });
}

describe('Google webhook subscription', () => {
  it('opens a calendar and a Drive channel to the app, with a token the app verifies, and reports their expiry', async () => {
    await createIntegration('go-on');
    const created = await h.admin('POST', subscriptionPath(TENANT, 'go-on'));
    expect(created.status).toBe(202);
    expect(created.body).toEqual({
      provider: 'google',
      mode: 'managed',
      status: 'active',
      expiresAt: expect.any(String),
    });
    // Deliveries of a Google integration need the channel scheme: turning webhooks on set it.
    expect((await h.t.services.integrations.get(TENANT, 'go-on'))!.webhook).toEqual({
      provider: 'google',
      mode: 'channel',
    });
    const [token] = await secretsOf('go-on');
    const channels = googleSandboxChannels(google);
    expect(channels.map((channel) => [channel.resource, channel.address, channel.token])).toEqual([
      ['primary', url('go-on'), token],
      ['drive', url('go-on'), token],
    ]);
    // The expiry shown is the earliest one Google granted.
    expect(created.body.expiresAt).toBe(new Date(Math.min(...channels.map((c) => c.expiration))).toISOString());
    const stored = await h.t.services.documents.webhookSubscriptions.get(TENANT, 'go-on');
    expect(JSON.stringify(stored)).not.toContain(token!);
  });

  it('the sync message and change notifications of both channels are verified and accepted', async () => {
    await google.control.flushWebhooks();
    google.control.records.create('events', { summary: 'pushed' });
    google.control.records.create('files', { name: 'pushed.txt' });
    await google.control.flushWebhooks();
    const deliveries = google.control.webhookDeliveries();
    expect(deliveries.map((delivery) => [delivery.event, delivery.status])).toEqual([
      ['sync', 200],
      ['sync', 200],
      ['exists', 200],
      ['change', 200],
    ]);
    expect(await accepted('go-on')).toBe(2);
    const runs = await h.t.services.runs.list(TENANT, 'go-on');
    expect(runs.map((run) => run.entity).sort()).toEqual(['events', 'files']);
  });

  it('is expiring once renewal is due, and the renewer replaces both channels before they expire', async () => {
    const before = googleSandboxChannels(google);
    const [oldToken] = await secretsOf('go-on');
    const stored = (await h.t.services.documents.webhookSubscriptions.get(TENANT, 'go-on'))!;
    const due = Math.min(...stored.channels.map(renewAt));
    h.advance(due - h.nowMs() + 1000);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'go-on'))).body.status).toBe('expiring');

    expect(await renew()).toMatchObject({ checked: 1, failed: 0 });
    const after = googleSandboxChannels(google);
    expect(after).toHaveLength(2);
    expect(after.map((channel) => channel.id).some((id) => before.some((old) => old.id === id))).toBe(false);
    const [newToken, previous] = await secretsOf('go-on');
    expect(after.map((channel) => channel.token)).toEqual([newToken, newToken]);
    expect(newToken).not.toBe(oldToken);
    // The replaced channels' token keeps verifying for the overlap (messages already on their way).
    expect(previous).toBe(oldToken);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'go-on'))).body.status).toBe('active');

    const acceptedBefore = await accepted('go-on');
    google.control.records.create('events', { summary: 'after renewal' });
    await google.control.flushWebhooks();
    expect(google.control.webhookDeliveries().at(-1)).toMatchObject({ event: 'exists', status: 200 });
    expect(await accepted('go-on')).toBe(acceptedBefore + 1);
    expect(h.t.services.eventLog!.list(TENANT, { type: 'webhook.subscription_lapsed' })).toEqual([]);
  });

  it('a channel that expired before it was renewed is announced once, renewed, and the sync covers the gap', async () => {
    await createIntegration('go-lapse', ['events']);
    await h.admin('POST', subscriptionPath(TENANT, 'go-lapse'));
    const stored = (await h.t.services.documents.webhookSubscriptions.get(TENANT, 'go-lapse'))!;
    h.advance(Date.parse(stored.channels[0]!.expiration) - h.nowMs() + 60_000);
    // Expired at Google: a change is not pushed any more.
    await google.control.flushWebhooks();
    const sent = google.control.webhookDeliveries().length;
    google.control.records.create('events', { summary: 'while lapsed' });
    await google.control.flushWebhooks();
    expect(google.control.webhookDeliveries()).toHaveLength(sent);
    await renew();
    const lapses = () =>
      h.t.services.eventLog!.list(TENANT, { type: 'webhook.subscription_lapsed', integrationId: 'go-lapse' });
    const lapsed = lapses();
    expect(lapsed).toHaveLength(1);
    expect(lapsed[0]).toMatchObject({ integrationId: 'go-lapse', severity: 'warning' });
    expect(lapsed[0]!.summary).toMatch(/next scheduled sync/);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'go-lapse'))).body.status).toBe('active');
    await renew();
    expect(lapses()).toHaveLength(1);
  });

  it('turned off: channels.stop for each, the sandbox sends nothing more, status off', async () => {
    const mine = (await h.t.services.documents.webhookSubscriptions.get(TENANT, 'go-on'))!.channels.map(
      (c) => c.channelId,
    );
    expect((await h.admin('DELETE', subscriptionPath(TENANT, 'go-on'))).status).toBe(204);
    expect(googleSandboxChannels(google).filter((channel) => mine.includes(channel.id))).toEqual([]);
    expect((await h.admin('GET', subscriptionPath(TENANT, 'go-on'))).body).toEqual({
      provider: 'google',
      mode: 'managed',
      status: 'off',
    });
  });

  it('deleting the integration stops its channels', async () => {
    const mine = (await h.t.services.documents.webhookSubscriptions.get(TENANT, 'go-lapse'))!.channels.map(
      (c) => c.channelId,
    );
    expect(googleSandboxChannels(google).filter((channel) => mine.includes(channel.id))).toHaveLength(1);
    expect((await h.admin('DELETE', `tenants/${TENANT}/integrations/go-lapse`)).status).toBe(204);
    expect(googleSandboxChannels(google)).toEqual([]);
  });

  it('a watch refused by Google leaves the status failed with Google’s reason', async () => {
    await createIntegration('go-fail', ['events']);
    google.control.injectFault({ kind: 'server_error', status: 503, path: '/events/watch', count: 1 });
    const answer = await h.admin('POST', subscriptionPath(TENANT, 'go-fail'));
    expect(answer.body).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/calendar primary: google events.watch/),
    });
    const [token] = await secretsOf('go-fail');
    expect(answer.body.lastError).not.toContain(token);
    expect(googleSandboxChannels(google)).toEqual([]);
  });
});
