import type { GoogleChannelRef, WebhookSubscription } from '../../core/webhook-subscription';
import { manualInstructions } from './instructions';
import {
  githubEventsFor,
  googleResourcesFor,
  managedStatus,
  manualStatus,
  nextCheckAfterFailure,
  nextCheckAfterSuccess,
  renewAt,
  safeErrorMessage,
  subscriptionMode,
  SUBSCRIPTION_TIMING,
} from './policy';

const DAY = 24 * 3600_000;
const t0 = Date.parse('2026-12-01T00:00:00.000Z');

function channel(openedMs: number, expiresMs: number): GoogleChannelRef {
  return {
    resource: { kind: 'calendar', calendarId: 'primary' },
    channelId: 'c-1',
    resourceId: 'r-1',
    openedAt: new Date(openedMs).toISOString(),
    expiration: new Date(expiresMs).toISOString(),
  };
}

function subscription(extra: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id: 'webhook-subscription',
    kind: 'webhook-subscription',
    tenantId: 't',
    integrationId: 'i',
    provider: 'google',
    enabled: true,
    state: 'active',
    hooks: [],
    channels: [],
    consecutiveFailures: 0,
    nextCheckAt: new Date(t0).toISOString(),
    createdAt: new Date(t0).toISOString(),
    updatedAt: new Date(t0).toISOString(),
    ...extra,
  };
}

describe('subscription mode', () => {
  it('manages GitHub hooks and Google channels, leaves the others and Pub/Sub or relays to the operator', () => {
    expect(subscriptionMode({ provider: 'github' })).toBe('managed');
    expect(subscriptionMode({ provider: 'google' })).toBe('managed');
    expect(subscriptionMode({ provider: 'google', webhook: { provider: 'google', mode: 'channel' } })).toBe('managed');
    expect(
      subscriptionMode({
        provider: 'google',
        webhook: { provider: 'google', mode: 'pubsub', audience: 'a', serviceAccountEmail: 'sa@example.com' },
      }),
    ).toBe('manual');
    expect(subscriptionMode({ provider: 'github', webhook: { provider: 'generic' } })).toBe('manual');
    for (const provider of ['slack', 'notion', 'salesforce'] as const)
      expect(subscriptionMode({ provider })).toBe('manual');
  });
});

describe('what a subscription watches', () => {
  it('asks GitHub for the events the entities need, once each', () => {
    expect(githubEventsFor(['issues', 'issue_comments'])).toEqual(['issue_comment', 'issues']);
    expect(githubEventsFor(['issues', 'issues'])).toEqual(['issues']);
    expect(githubEventsFor(['pull_requests'])).toEqual([]);
  });

  it('watches the configured calendar for events and the Drive change log for files', () => {
    expect(
      googleResourcesFor({ entities: ['events', 'files'], providerOptions: { calendarId: 'team@example.com' } }),
    ).toEqual([{ kind: 'calendar', calendarId: 'team@example.com' }, { kind: 'drive' }]);
    expect(googleResourcesFor({ entities: ['events'], providerOptions: {} })).toEqual([
      { kind: 'calendar', calendarId: 'primary' },
    ]);
  });
});

describe('renewal timing', () => {
  it('renews a week-long channel a day before it ends, a short one at half its life', () => {
    expect(renewAt(channel(t0, t0 + 7 * DAY))).toBe(t0 + 6 * DAY);
    expect(renewAt(channel(t0, t0 + 3600_000))).toBe(t0 + 1800_000);
  });

  it('looks next at the earliest renewal, or after the periodic hook check', () => {
    const now = new Date(t0);
    expect(nextCheckAfterSuccess(subscription({ channels: [channel(t0, t0 + 7 * DAY)] }), now).getTime()).toBe(
      t0 + SUBSCRIPTION_TIMING.hookCheckIntervalMs,
    );
    expect(nextCheckAfterSuccess(subscription({ channels: [channel(t0, t0 + 4 * 3600_000)] }), now).getTime()).toBe(
      t0 + 2 * 3600_000,
    );
    expect(nextCheckAfterSuccess(subscription(), now).getTime()).toBe(t0 + SUBSCRIPTION_TIMING.hookCheckIntervalMs);
  });

  it('backs off after failures, capped, and tries again before a live channel lapses', () => {
    const now = new Date(t0);
    const { retryMinMs, retryMaxMs } = SUBSCRIPTION_TIMING;
    expect(nextCheckAfterFailure(subscription(), 1, now).getTime()).toBe(t0 + retryMinMs);
    expect(nextCheckAfterFailure(subscription(), 2, now).getTime()).toBe(t0 + 2 * retryMinMs);
    expect(nextCheckAfterFailure(subscription(), 50, now).getTime()).toBe(t0 + retryMaxMs);
    const soon = subscription({ channels: [channel(t0 - 7 * DAY, t0 + 30 * 60_000)] });
    expect(nextCheckAfterFailure(soon, 50, now).getTime()).toBe(t0 + 30 * 60_000 - retryMinMs);
  });
});

describe('status', () => {
  const now = new Date(t0);

  it('managed: off, pending, failed with its error, expiring once renewal is due, else active', () => {
    expect(managedStatus(undefined, now)).toEqual({ status: 'off' });
    expect(managedStatus(subscription({ enabled: false }), now)).toEqual({ status: 'off' });
    expect(managedStatus(subscription({ state: 'pending' }), now).status).toBe('pending');
    expect(managedStatus(subscription({ state: 'failed', lastError: 'boom' }), now)).toEqual({
      status: 'failed',
      lastError: 'boom',
    });
    const fresh = channel(t0, t0 + 7 * DAY);
    expect(managedStatus(subscription({ channels: [fresh] }), now)).toEqual({
      status: 'active',
      expiresAt: fresh.expiration,
    });
    expect(managedStatus(subscription({ channels: [channel(t0 - 6.5 * DAY, t0 + 0.5 * DAY)] }), now).status).toBe(
      'expiring',
    );
  });

  it('manual: pending until a verified delivery is accepted, failed when all are rejected, off when turned off', () => {
    expect(manualStatus(undefined, [])).toEqual({ status: 'pending' });
    expect(manualStatus({ enabled: true }, [{ verdict: 'handshake' }])).toEqual({ status: 'pending' });
    expect(
      manualStatus({ enabled: true }, [{ verdict: 'rejected', reason: 'bad_signature' }, { verdict: 'accepted' }]),
    ).toEqual({
      status: 'active',
    });
    const failed = manualStatus(undefined, [
      { verdict: 'rejected', reason: 'bad_signature' },
      { verdict: 'rejected', reason: 'bad_signature' },
    ]);
    expect(failed.status).toBe('failed');
    expect(failed.lastError).toContain('bad_signature ×2');
    expect(manualStatus({ enabled: false }, [{ verdict: 'accepted' }])).toEqual({ status: 'off' });
  });
});

describe('errors shown to operators', () => {
  it('never carry a secret, and stay short', () => {
    const message = safeErrorMessage('hook rejected: secret s3cr3t-value echoed, s3cr3t-value', ['s3cr3t-value']);
    expect(message).toBe('hook rejected: secret [redacted] echoed, [redacted]');
    expect(safeErrorMessage('x'.repeat(2000), []).length).toBe(500);
  });
});

describe('manual instructions', () => {
  const url = 'https://sync.example.com/api/webhooks/slack/i-1';

  it('Slack: the request URL and the bot events of the synced entities', () => {
    const instructions = manualInstructions({ provider: 'slack', entities: ['messages', 'users'] }, url)!;
    expect(instructions.values).toEqual([
      { name: 'Request URL', value: url },
      { name: 'Subscribe to bot events', value: 'message.channels, message.groups, user_change, team_join' },
    ]);
  });

  it('Notion: the URL and the page events the receiver turns into syncs', () => {
    const instructions = manualInstructions({ provider: 'notion', entities: ['pages'] }, url)!;
    expect(instructions.values[1]!.value).toContain('page.content_updated');
  });

  it('Salesforce: Outbound Messages (not Change Data Capture) to the URL with the secret placeholder', () => {
    const instructions = manualInstructions(
      {
        provider: 'salesforce',
        entities: ['Account', 'Contact'],
        webhook: {
          provider: 'salesforce',
          organizationId: '00D000000000001',
          auth: { kind: 'shared_secret', source: { in: 'url' } },
        },
      },
      url,
    )!;
    expect(instructions.values[0]).toEqual({
      name: 'Endpoint URL',
      value: `${url}?secret=<this integration's webhook secret>`,
    });
    expect(instructions.values[1]!.value).toBe('Account, Contact');
    expect(instructions.steps[0]).toMatch(/Outbound Messages, not Change Data Capture/);
  });

  it('none for the subscriptions the app manages itself', () => {
    expect(manualInstructions({ provider: 'github', entities: ['issues'] }, url)).toBeUndefined();
    expect(manualInstructions({ provider: 'google', entities: ['events'] }, url)).toBeUndefined();
  });
});
