import { requestOf } from '../../../tests/webhooks/helpers';
import { eventParserFor, verifierFor } from './registry';
import { salesforceAck } from './salesforce/soap';
import { signGithub, signSlack } from '../../../dev/webhook-signing';
import { REJECTION_REASONS, rejectionStatus, WEBHOOK_PROVIDER_IDS, isWebhookProviderId } from './types';

const NOW = Date.UTC(2026, 10, 25, 12);

describe('verifierFor / eventParserFor', () => {
  it('has a verifier and a parser for every provider', () => {
    for (const provider of WEBHOOK_PROVIDER_IDS) {
      expect(typeof verifierFor(provider)).toBe('function');
      expect(typeof eventParserFor(provider)).toBe('function');
    }
    expect(isWebhookProviderId('generic')).toBe(true);
    expect(isWebhookProviderId('gitlab')).toBe(false);
  });

  it('verifies a GitHub delivery end to end and parses its targets', async () => {
    const body = JSON.stringify({
      action: 'opened',
      issue: { id: 42, number: 42 },
      repository: { full_name: 'acme/widgets' },
    });
    const request = requestOf(
      body,
      { 'X-Hub-Signature-256': signGithub(body, 's3cret'), 'X-GitHub-Delivery': 'g-1', 'X-GitHub-Event': 'issues' },
      ['s3cret'],
      NOW,
    );
    await expect(verifierFor('github')(request)).resolves.toMatchObject({ ok: true, deliveryId: 'g-1' });
    expect(eventParserFor('github')(request)).toEqual({
      ok: true,
      deliveryId: 'g-1',
      events: [{ kind: 'records', entity: 'issues', ids: ['acme/widgets#42'], operation: 'upsert' }],
    });
  });

  it('passes the Slack tolerance through', async () => {
    const ts = NOW / 1000 - 600;
    const request = requestOf(
      '{"type":"event_callback","event_id":"Ev1"}',
      {
        'X-Slack-Signature': signSlack('{"type":"event_callback","event_id":"Ev1"}', 's', ts),
        'X-Slack-Request-Timestamp': String(ts),
      },
      ['s'],
      NOW,
    );
    await expect(verifierFor('slack')(request)).resolves.toEqual({ ok: false, reason: 'stale_timestamp' });
    await expect(verifierFor('slack')(request, { provider: 'slack', toleranceMs: 700_000 })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('fails closed on missing or mismatched settings', async () => {
    const request = requestOf('{}', {}, ['s'], NOW);
    await expect(verifierFor('salesforce')(request)).resolves.toEqual({ ok: false, reason: 'misconfigured' });
    await expect(verifierFor('google')(request)).resolves.toEqual({ ok: false, reason: 'misconfigured' });
    await expect(verifierFor('github')(request, { provider: 'slack' })).resolves.toEqual({
      ok: false,
      reason: 'misconfigured',
    });
    await expect(verifierFor('google')(request, { provider: 'generic' })).resolves.toEqual({
      ok: false,
      reason: 'misconfigured',
    });
  });
});

describe('rejectionStatus', () => {
  it('answers 400 for garbage, 401 for anything unauthenticated, 5xx for our own faults', () => {
    expect(rejectionStatus('malformed')).toBe(400);
    for (const reason of [
      'missing_signature',
      'bad_signature',
      'stale_timestamp',
      'future_timestamp',
      'wrong_organization',
      'wrong_issuer',
      'wrong_audience',
      'wrong_email',
      'email_unverified',
      'token_expired',
    ] as const) {
      expect(rejectionStatus(reason)).toBe(401);
    }
    expect(rejectionStatus('misconfigured')).toBe(500);
    expect(rejectionStatus('no_secret_configured')).toBe(500);
    expect(rejectionStatus('verifier_unavailable')).toBe(503);
    expect(new Set(REJECTION_REASONS.map(rejectionStatus))).toEqual(new Set([400, 401, 500, 503]));
  });
});

describe('salesforceAck', () => {
  it('is stable text the receiver can send as is', () => {
    expect(salesforceAck()).toContain('<Ack>true</Ack>');
  });
});
