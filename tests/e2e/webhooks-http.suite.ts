/**
 * Webhooks through the local host's real HTTP route: signed GitHub and Slack deliveries, every answer the issue
 * names (200 accepted and duplicate, 401, 404, 413, 400, 429, Slack's url_verification), nothing enqueued
 * unless verified, replay and endpoint health over the admin route, and the unhealthy-endpoint event. Run with the
 * HTTP functions in the host's own process (webhooks-http.test.ts) and in worker processes (LOCAL_WORKERS).
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { signGithub, signSlack } from '../../dev/webhook-signing';
import { credentialRef } from '../../shared/app/integration-credentials';
import { QUEUES } from '../../shared/stores/queue/queues';
import { monitorWebhookEndpoints } from '../../shared/webhooks/health/health-monitor';

export function describeWebhooksOverHttp(workers: number): void {
  const GITHUB_SECRET = 'github-http-secret-0123456789';
  const SLACK_SECRET = 'slack-http-secret-0123456789ab';
  let host: LocalHost;
  const ids: Record<string, string> = {};

  type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
  const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
    fetch(`${host.url}/api/admin/${path}`, {
      ...init,
      headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    host = await startLocalHost({
      env: testEnv({
        WEBHOOK_MAX_BODY_BYTES: '4096',
        WEBHOOK_TENANT_RATE_PER_S: '8',
        REDIS_KEY_PREFIX: `whhttp${Date.now()}:`,
        LOCAL_WORKERS: String(workers),
        // Worker processes log to their own output: only what matters.
        ...(workers > 1 ? { LOG_LEVEL: 'error' } : {}),
      }),
      useProcessEnv: false,
      timers: false,
      overrides: { logger: createMemoryLogger('warn').logger },
    });
    for (const provider of ['github', 'slack']) {
      const created = await (
        await admin('tenants/wh/integrations', {
          method: 'POST',
          body: JSON.stringify({
            provider,
            name: provider,
            // What each adapter needs to sync (checked at create).
            providerOptions: provider === 'github' ? { repositories: ['acme/widgets'] } : { channels: ['C0123456'] },
          }),
        })
      ).json();
      ids[provider] = created.id;
      const secret = provider === 'github' ? GITHUB_SECRET : SLACK_SECRET;
      expect(
        (
          await admin(`tenants/wh/integrations/${created.id}/webhook-secret`, {
            method: 'PUT',
            body: JSON.stringify({ secret }),
          })
        ).status,
      ).toBe(200);
    }
    // Queue consumers stop, so the targeted syncs stay queued: these tests look at what the receiver enqueues.
    await host.triggers.stop();
  });
  afterAll(async () => host?.stop());

  const post = (
    provider: string,
    integrationId: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<JsonResponse> =>
    fetch(`${host.url}/api/webhooks/${provider}/${integrationId}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });

  function github(delivery: string, issueNumber: number, secret = GITHUB_SECRET) {
    const body = JSON.stringify({
      action: 'edited',
      issue: { id: issueNumber * 10, number: issueNumber },
      repository: { full_name: 'acme/widgets' },
    });
    return {
      body,
      headers: {
        'x-hub-signature-256': signGithub(body, secret),
        'x-github-delivery': delivery,
        'x-github-event': 'issues',
      },
    };
  }

  const depth = () => host.services.embeddedQueue!.depth(QUEUES.syncInbound.name);

  describe(`webhooks over HTTP (${workers === 1 ? 'one process' : `${workers} worker processes`})`, () => {
    it('accepts a signed GitHub delivery once, acknowledges its duplicate, and rejects what is not verified', async () => {
      const before = depth();
      const delivery = github('http-1', 7);
      expect((await post('github', ids.github!, delivery.body, delivery.headers)).status).toBe(200);
      const duplicate = await post('github', ids.github!, delivery.body, delivery.headers);
      expect(duplicate.status).toBe(200);
      expect((await duplicate.json()).duplicate).toBe(true);
      expect(depth()).toBe(before + 1);

      const tampered = github('http-2', 8);
      expect(
        (await post('github', ids.github!, tampered.body.replace('"number":8', '"number":9'), tampered.headers)).status,
      ).toBe(401);
      const wrongSecret = github('http-3', 8, 'another-secret-0000000000000');
      expect((await post('github', ids.github!, wrongSecret.body, wrongSecret.headers)).status).toBe(401);
      expect(
        (
          await post('github', ids.github!, tampered.body, {
            'x-github-delivery': 'http-4',
            'x-github-event': 'issues',
          })
        ).status,
      ).toBe(401);
      const unknown = await post('github', 'no-such-integration', delivery.body, delivery.headers);
      const otherProvider = await post('notion', ids.github!, delivery.body, delivery.headers);
      expect([unknown.status, otherProvider.status]).toEqual([404, 404]);
      const notFoundBody = await unknown.json();
      expect(notFoundBody).toEqual(await otherProvider.json());
      // A Salesforce integration has no endpoint until its organization id and auth are configured.
      const unconfigured = await (
        await admin('tenants/wh/integrations', {
          method: 'POST',
          body: JSON.stringify({ provider: 'salesforce', name: 'sf' }),
        })
      ).json();
      const outboundMessage = await post('salesforce', unconfigured.id, '<soapenv:Envelope/>', {
        'content-type': 'text/xml',
      });
      expect(outboundMessage.status).toBe(404);
      expect(await outboundMessage.json()).toEqual(notFoundBody);
      const big = JSON.stringify({ pad: 'x'.repeat(5000) });
      expect(
        (
          await post('github', ids.github!, big, {
            'x-hub-signature-256': signGithub(big, GITHUB_SECRET),
            'x-github-delivery': 'big',
            'x-github-event': 'issues',
          })
        ).status,
      ).toBe(413);
      const malformed = '{"issue":';
      expect(
        (
          await post('github', ids.github!, malformed, {
            'x-hub-signature-256': signGithub(malformed, GITHUB_SECRET),
            'x-github-delivery': 'bad-json',
            'x-github-event': 'issues',
          })
        ).status,
      ).toBe(400);
      expect(depth()).toBe(before + 1);
    });

    it('verifies Slack v0 signatures with the time window and answers url_verification', async () => {
      const now = Math.floor(Date.now() / 1000);
      const challenge = JSON.stringify({ type: 'url_verification', token: 'x', challenge: 'ch-123' });
      const answer = await post('slack', ids.slack!, challenge, {
        'x-slack-signature': signSlack(challenge, SLACK_SECRET, now),
        'x-slack-request-timestamp': String(now),
      });
      expect(answer.status).toBe(200);
      expect((await answer.json()).challenge).toBe('ch-123');
      const event = JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev1',
        event: { type: 'message', channel: 'C1', ts: '1700000000.000100', text: 'hi' },
      });
      expect(
        (
          await post('slack', ids.slack!, event, {
            'x-slack-signature': signSlack(event, SLACK_SECRET, now),
            'x-slack-request-timestamp': String(now),
          })
        ).status,
      ).toBe(200);
      const stale = now - 6 * 60;
      const old = JSON.stringify({
        type: 'event_callback',
        event_id: 'Ev2',
        event: { type: 'message', channel: 'C1', ts: '1700000000.000200' },
      });
      expect(
        (
          await post('slack', ids.slack!, old, {
            'x-slack-signature': signSlack(old, SLACK_SECRET, stale),
            'x-slack-request-timestamp': String(stale),
          })
        ).status,
      ).toBe(401);
    });

    it('replays an archived delivery and reports endpoint health over the admin route', async () => {
      const before = depth();
      const replay = await admin(`tenants/wh/integrations/${ids.github}/webhooks/http-1/replay`, { method: 'POST' });
      expect(replay.status).toBe(202);
      expect(depth()).toBe(before + 1);
      const health = await (await admin(`tenants/wh/integrations/${ids.github}/webhooks/health`)).json();
      expect(health).toMatchObject({
        accepted: 1,
        duplicates: 1,
        rejectedByReason: expect.objectContaining({ bad_signature: 2, missing_signature: 1 }),
      });
    });

    it('answers 429 with Retry-After when the tenant sends too much, and announces an unhealthy endpoint', async () => {
      // 150 at once: far over the tenant's 8/s with a burst of 16.
      const responses = await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          post('github', ids.github!, '{}', {
            'x-hub-signature-256': 'sha256=00',
            'x-github-delivery': `flood-${i}`,
            'x-github-event': 'issues',
          }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      const retryAfter = responses.find((response) => response.status === 429)?.headers.get('retry-after');
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // However many of the flood got past the limit, add rejections so the endpoint's rejection rate is far
      // above its threshold (the monitor judges only with at least 20 verdicts).
      const receivedAt = new Date().toISOString();
      for (let i = 0; i < 30; i++) {
        await host.services.deliveryLog.save({
          id: `seeded-${i}`,
          integrationId: ids.github!,
          tenantId: 'wh',
          provider: 'github',
          deliveryId: `seeded-${i}`,
          verdict: 'rejected',
          reason: 'bad_signature',
          receivedAt,
          handlingMs: 1,
        });
      }
      expect(await monitorWebhookEndpoints({ ...host.services })).toBeGreaterThanOrEqual(1);
      expect(
        host.services.eventLog!.list('wh', { type: 'webhook.endpoint_unhealthy', integrationId: ids.github }),
      ).toHaveLength(1);
      expect(await monitorWebhookEndpoints({ ...host.services })).toBe(0);
    });

    it('keeps secrets out of archives', async () => {
      const receipt = await host.services.deliveryLog.get(ids.github!, 'http-1');
      const archived = (await host.services.blob.get(receipt!.archiveBlob!))!.toString();
      expect(archived).not.toContain(GITHUB_SECRET);
      expect(
        await host.services.credentials.service.webhookSecrets(
          credentialRef({ tenantId: 'wh', id: ids.github! }, 'webhook'),
        ),
      ).toEqual([GITHUB_SECRET]);
    });
  });
}
