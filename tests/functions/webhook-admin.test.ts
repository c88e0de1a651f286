/** Webhook replay, receipt log and endpoint health through the admin API, after real signed deliveries. */
import { adminApi } from '../../functions/AdminApi';
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, TEST_ADMIN_KEY, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { signGithub } from '../../dev/webhook-signing';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';

const SECRET = 'replay-secret';
const secrets: WebhookSecretSource = { secretsFor: async () => [SECRET], storePendingToken: async () => undefined };

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({}, { webhookSecrets: secrets });
  await t.services.integrations.create(
    newIntegration('t-rp', 'rp-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => t.services.close());

async function deliver(id: string, issueId: number, signature?: string) {
  const body = JSON.stringify({
    action: 'edited',
    issue: { id: issueId, number: issueId },
    repository: { full_name: 'acme/app' },
  });
  const headers = {
    'x-hub-signature-256': signature ?? signGithub(body, SECRET),
    'x-github-delivery': id,
    'x-github-event': 'issues',
  };
  return webhookReceiver.handler(
    httpRequest('POST', 'webhooks/github/rp-1', {
      rawBody: body,
      headers,
      params: { provider: 'github', integrationId: 'rp-1' },
    }),
    invocation('WebhookReceiver'),
    t.services,
  );
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await adminApi.handler(
    httpRequest(method, `admin/${path}`, { body, headers: { 'x-api-key': TEST_ADMIN_KEY }, params: { path } }),
    invocation('AdminApi'),
    t.services,
  );
  return { status: response.status ?? 200, body: bodyOf(response) as any };
}

describe('webhook admin', () => {
  it('records receipts, reports endpoint health, and replays an archived delivery as new runs', async () => {
    await deliver('d-1', 1);
    await deliver('d-1', 1);
    await deliver('d-2', 2);
    await deliver('d-3', 3, 'sha256=' + '0'.repeat(64));

    const log = await admin('GET', 'tenants/t-rp/integrations/rp-1/webhooks/deliveries');
    expect(log.body.items.map((item: { verdict: string }) => item.verdict).sort()).toEqual([
      'accepted',
      'accepted',
      'rejected',
    ]);

    const health = await admin('GET', 'tenants/t-rp/integrations/rp-1/webhooks/health');
    expect(health.body).toMatchObject({
      accepted: 2,
      rejected: 1,
      duplicates: 1,
      received: 4,
      rejectedByReason: { bad_signature: 1 },
      status: 'healthy',
    });
    expect(health.body.handlingMs.p50).toEqual(expect.any(Number));

    const runsBefore = (await t.services.runs.list('t-rp', 'rp-1')).length;
    const replay = await admin('POST', 'tenants/t-rp/integrations/rp-1/webhooks/d-1/replay');
    expect(replay.status).toBe(202);
    expect(replay.body.runIds).toHaveLength(1);
    expect((await t.services.runs.list('t-rp', 'rp-1')).length).toBe(runsBefore + 1);
    const receipt = await t.services.deliveryLog.get('rp-1', 'd-1');
    expect(receipt!.replays).toEqual([expect.objectContaining({ by: 'api-key', runIds: replay.body.runIds })]);
  });

  it('refuses to replay an archive whose body no longer matches its recorded hash', async () => {
    await deliver('d-tamper', 9);
    const receipt = await t.services.deliveryLog.get('rp-1', 'd-tamper');
    const archived = JSON.parse((await t.services.blob.get(receipt!.archiveBlob!))!.toString());
    archived.bodyBase64 = Buffer.from('{"issue":{"id":666}}').toString('base64');
    await t.services.blob.put(receipt!.archiveBlob!, JSON.stringify(archived), 'application/json');
    const replay = await admin('POST', 'tenants/t-rp/integrations/rp-1/webhooks/d-tamper/replay');
    expect(replay.status).toBe(409);
    expect(replay.body.error.message).toMatch(/hash/);
  });

  it('replays by time range, and hides deliveries from other tenants', async () => {
    const range = {
      from: new Date(Date.now() - 3600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const bulk = await admin('POST', 'tenants/t-rp/integrations/rp-1/webhooks/replay', range);
    expect(bulk.status).toBe(202);
    expect(bulk.body.replayed.map((item: { deliveryId: string }) => item.deliveryId).sort()).toEqual(['d-1', 'd-2']);
    expect(bulk.body.failed).toEqual([
      { deliveryId: 'd-tamper', error: expect.objectContaining({ code: 'conflict' }) },
    ]);
    expect((await admin('POST', 'tenants/t-rp/integrations/rp-1/webhooks/replay', { from: 'yesterday' })).status).toBe(
      400,
    );
    expect((await admin('GET', 'tenants/other/integrations/rp-1/webhooks/deliveries')).status).toBe(404);
    expect((await admin('POST', 'tenants/other/integrations/rp-1/webhooks/d-1/replay')).status).toBe(404);
    expect((await admin('POST', 'tenants/t-rp/integrations/rp-1/webhooks/unknown/replay')).status).toBe(404);
  });
});
