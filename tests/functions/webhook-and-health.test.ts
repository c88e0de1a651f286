/** WebhookReceiver and Health through their real handlers. */
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { health } from '../../functions/Health';
import { createTestServices, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import { signGithub } from '../../dev/webhook-signing';
import { readArchivedDelivery } from '../../shared/webhooks/intake/archive';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';

const SECRET = 'test-webhook-secret';
/** Secrets as the credential store would hand them over: GitHub integration has one, Slack none. */
const secrets: WebhookSecretSource = {
  secretsFor: async (integration) => (integration.id === 'wh-github' ? [SECRET] : []),
  storePendingToken: async () => undefined,
};

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ WEBHOOK_MAX_BODY_BYTES: '2048' }, { webhookSecrets: secrets });
  await t.services.integrations.create(
    newIntegration('t-wh', 'wh-github', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
  await t.services.integrations.create(
    newIntegration('t-wh', 'wh-slack', { provider: 'slack', name: 'chat' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

async function post(provider: string, integrationId: string, rawBody: string, headers: Record<string, string> = {}) {
  const response = await webhookReceiver.handler(
    httpRequest('POST', `webhooks/${provider}/${integrationId}`, {
      rawBody,
      headers,
      params: { provider, integrationId },
    }),
    invocation('WebhookReceiver'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as Record<string, any> };
}
const sign = (body: string) => signGithub(body, SECRET);
const depth = () => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);

describe('WebhookReceiver', () => {
  it('answers unknown provider, unknown integration and a provider mismatch with the same 404 body', async () => {
    const answers = await Promise.all([
      post('myspace', 'wh-github', '{}'),
      post('github', 'nope', '{}'),
      post('github', 'wh-slack', '{}'),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.body).toEqual(answers[0]!.body);
  });

  it('fails closed: nothing enqueued for a bad or missing signature, or an integration without a secret', async () => {
    const before = depth();
    const headers = { 'x-github-delivery': 'd-bad', 'x-github-event': 'issues' };
    const tampered = await post('github', 'wh-github', '{"issue":{"id":1}}', {
      ...headers,
      'x-hub-signature-256': sign('{"issue":{"id":2}}'),
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.reason).toBe('bad_signature');
    expect((await post('github', 'wh-github', '{"issue":{"id":1}}', headers)).body.error.reason).toBe(
      'missing_signature',
    );
    const slack = await post('slack', 'wh-slack', '{}', {
      'x-slack-signature': 'v0=00',
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
    });
    expect(slack.body.error.reason).toBe('no_secret_configured');
    expect(depth()).toBe(before);
  });

  it('413 over the size limit, before verification', async () => {
    const big = JSON.stringify({ issue: { id: 1 }, pad: 'x'.repeat(3000) });
    expect((await post('github', 'wh-github', big, { 'x-hub-signature-256': sign(big) })).status).toBe(413);
  });

  it('accepts a verified delivery, enqueues one targeted sync, archives it, and does not enqueue a redelivery twice', async () => {
    const body = JSON.stringify({
      action: 'edited',
      issue: { id: 4242, number: 7 },
      repository: { full_name: 'acme/app' },
    });
    const headers = {
      'x-hub-signature-256': sign(body),
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'x-github-event': 'issues',
    };
    const before = depth();
    const first = await post('github', 'wh-github', body, headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: true, deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' });
    const again = await post('github', 'wh-github', body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true });
    expect(depth()).toBe(before + 1);
    const runs = await t.services.runs.list('t-wh', 'wh-github');
    expect(runs).toEqual([expect.objectContaining({ mode: 'targeted', trigger: 'webhook' })]);
    const receipt = await t.services.deliveryLog.get('wh-github', '72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(receipt).toMatchObject({ verdict: 'accepted', tenantId: 't-wh', runIds: [runs[0]!.id] });
    const archived = await readArchivedDelivery(t.services.blob, receipt!.archiveBlob!);
    expect(archived!.rawBody.toString()).toBe(body);
    expect(archived!.delivery.headers['x-github-event']).toBe('issues');
  });

  it('dedupes through Cosmos when Redis is not configured', async () => {
    const noRedis = await createTestServices({ REDIS_URL: undefined }, { webhookSecrets: secrets });
    try {
      await noRedis.services.integrations.create(
        newIntegration('t-wh', 'wh-github', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
      );
      const body = JSON.stringify({
        action: 'opened',
        issue: { id: 99, number: 99 },
        repository: { full_name: 'acme/app' },
      });
      const headers = {
        'x-hub-signature-256': sign(body),
        'x-github-delivery': 'cosmos-dedupe-1',
        'x-github-event': 'issues',
      };
      const call = () =>
        webhookReceiver.handler(
          httpRequest('POST', 'webhooks/github/wh-github', {
            rawBody: body,
            headers,
            params: { provider: 'github', integrationId: 'wh-github' },
          }),
          invocation('WebhookReceiver'),
          noRedis.services,
        );
      expect(bodyOf(await call())).toMatchObject({ accepted: true });
      expect(bodyOf(await call())).toMatchObject({ duplicate: true });
      expect(noRedis.services.embeddedQueue!.depth(QUEUES.syncInbound.name)).toBe(1);
    } finally {
      await noRedis.services.close();
    }
  });
});

describe('Health', () => {
  it('answers 200 with a check per dependency', async () => {
    const response = await health.handler(httpRequest('GET', 'health'), invocation('Health'), t.services);
    expect(response.status).toBe(200);
    expect(
      (bodyOf(response) as any).checks.map((check: { name: string; ok: boolean }) => [check.name, check.ok]),
    ).toEqual([
      ['cosmos', true],
      ['queue', true],
      ['blob', true],
      ['redis', true],
      ['ratelimit', true],
    ]);
  });

  it('answers 503 naming what is down', async () => {
    const down = await createTestServices({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await health.handler(httpRequest('GET', 'health'), invocation('Health'), down.services);
      expect(response.status).toBe(503);
      const failing = (bodyOf(response) as any).checks
        .filter((check: { ok: boolean }) => !check.ok)
        .map((check: { name: string }) => check.name);
      expect(failing).toContain('redis');
    } finally {
      await down.services.close();
    }
  });
});
