/** WebhookReceiver and Health through their real handlers. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { health } from '../../functions/Health';
import { createTestServices, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/domain/integration';
import { QUEUES } from '../../shared/messaging/queues';
import type { WebhookVerifier } from '../../shared/webhooks/receiver';

const SECRET = 'test-webhook-secret';
/** A real HMAC check (GitHub's scheme) standing in for the verifier registry of the webhooks work. */
const hmacVerifier: WebhookVerifier = async (webhook) => {
  const given = Buffer.from(webhook.header('x-hub-signature-256') ?? '');
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(webhook.rawBody).digest('hex')}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  const payload = JSON.parse(webhook.rawBody.toString()) as { issue: { id: number } };
  return { ok: true, deliveryId: webhook.header('x-github-delivery') ?? 'none', targets: [{ entity: 'issues', ids: [String(payload.issue.id)] }] };
};

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ WEBHOOK_MAX_BODY_BYTES: '2048' }, { webhookVerifiers: { github: hmacVerifier } });
  await t.services.integrations.create(newIntegration('t-wh', 'wh-github', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()));
  await t.services.integrations.create(newIntegration('t-wh', 'wh-slack', { provider: 'slack', name: 'chat' }, { intervalMinutes: 60 }, new Date()));
});
afterAll(async () => t.services.close());

async function post(provider: string, integrationId: string, rawBody: string, headers: Record<string, string> = {}) {
  const response = await webhookReceiver.handler(httpRequest('POST', `webhooks/${provider}/${integrationId}`, { rawBody, headers, params: { provider, integrationId } }), invocation('WebhookReceiver'), t.services);
  return { status: response.status ?? 200, body: bodyOf(response) as Record<string, any> };
}
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const depth = () => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);

describe('WebhookReceiver', () => {
  it('answers unknown provider, unknown integration and a provider mismatch with the same 404 body', async () => {
    const answers = await Promise.all([post('myspace', 'wh-github', '{}'), post('github', 'nope', '{}'), post('github', 'wh-slack', '{}')]);
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    expect(answers[1]!.body).toEqual(answers[0]!.body);
    expect(answers[2]!.body).toEqual(answers[0]!.body);
  });

  it('fails closed: 401 and nothing enqueued for a bad signature or a provider without a verifier', async () => {
    const before = depth();
    expect((await post('github', 'wh-github', '{"issue":{"id":1}}', { 'x-hub-signature-256': sign('{"issue":{"id":2}}') })).status).toBe(401);
    expect((await post('github', 'wh-github', '{"issue":{"id":1}}')).status).toBe(401);
    const slack = await post('slack', 'wh-slack', '{}');
    expect(slack.status).toBe(401);
    expect(slack.body.error.reason).toBe('no_verifier');
    expect(depth()).toBe(before);
  });

  it('413 over the size limit, before verification', async () => {
    const big = JSON.stringify({ issue: { id: 1 }, pad: 'x'.repeat(3000) });
    expect((await post('github', 'wh-github', big, { 'x-hub-signature-256': sign(big) })).status).toBe(413);
  });

  it('accepts a verified delivery with 202, enqueues one targeted sync, and does not enqueue a redelivery twice', async () => {
    const body = '{"action":"edited","issue":{"id":4242}}';
    const headers = { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'delivery-1' };
    const before = depth();
    expect((await post('github', 'wh-github', body, headers)).status).toBe(202);
    expect((await post('github', 'wh-github', body, headers)).status).toBe(202);
    expect(depth()).toBe(before + 1);
    const runs = await t.services.runs.list('t-wh', 'wh-github');
    expect(runs).toEqual([expect.objectContaining({ mode: 'targeted', trigger: 'webhook' })]);
  });
});

describe('Health', () => {
  it('answers 200 with a check per dependency', async () => {
    const response = await health.handler(httpRequest('GET', 'health'), invocation('Health'), t.services);
    expect(response.status).toBe(200);
    expect((bodyOf(response) as any).checks.map((check: { name: string; ok: boolean }) => [check.name, check.ok])).toEqual([
      ['cosmos', true], ['queue', true], ['blob', true], ['redis', true],
    ]);
  });

  it('answers 503 naming what is down', async () => {
    const down = await createTestServices({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await health.handler(httpRequest('GET', 'health'), invocation('Health'), down.services);
      expect(response.status).toBe(503);
      const failing = (bodyOf(response) as any).checks.filter((check: { ok: boolean }) => !check.ok).map((check: { name: string }) => check.name);
      expect(failing).toEqual(['redis']);
    } finally {
      await down.services.close();
    }
  });
});
