/**
 * What survives a crash of the receiving process, through the real WebhookReceiver handler and real local
 * services (cosmosdb-server, Azurite, Redis). A "restarted process" is a second set of services on the same
 * Cosmos database, blob container and Redis prefix; the first one is dropped without draining.
 */
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import { signGithub } from '../../dev/webhook-signing';
import { sha256Hex } from '../../shared/core/sha256';
import { readArchivedDelivery } from '../../shared/webhooks/intake/archive';
import { receiptId } from '../../shared/webhooks/intake/delivery-log';
import { replayDelivery } from '../../shared/webhooks/intake/replay';
import { continueTrace } from '../../shared/platform/observability/correlation';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';
import { createRedisClient } from '../../shared/stores/kv/redis/redis-client';

const SECRET = 'durability-secret-0123456789';
const secrets: WebhookSecretSource = { secretsFor: async () => [SECRET], storePendingToken: async () => undefined };
const shared = { REDIS_KEY_PREFIX: `whdur${Date.now()}:`, COSMOS_DATABASE: `whdur-${Date.now()}` };

let first: TestServices;
let restarted: TestServices;
/** The Redis both processes use, read and written here directly (as an operator or a crash would). */
const redis = createRedisClient(process.env.REDIS_URL!);
beforeAll(async () => {
  first = await createTestServices(shared, { webhookSecrets: secrets });
  await first.services.integrations.create(
    newIntegration('t-dur', 'dur-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
  );
});
afterAll(async () => {
  redis.disconnect();
  await restarted?.services.close();
  await first?.services.close();
});

function delivery(id: string, issue: number) {
  const body = JSON.stringify({
    action: 'edited',
    issue: { id: issue, number: issue },
    repository: { full_name: 'acme/app' },
  });
  return {
    body,
    headers: { 'x-hub-signature-256': signGithub(body, SECRET), 'x-github-delivery': id, 'x-github-event': 'issues' },
  };
}

async function post(t: TestServices, d: { body: string; headers: Record<string, string> }) {
  const response = await webhookReceiver.handler(
    httpRequest('POST', 'webhooks/github/dur-1', {
      rawBody: d.body,
      headers: d.headers,
      params: { provider: 'github', integrationId: 'dur-1' },
    }),
    invocation('WebhookReceiver'),
    t.services,
  );
  return {
    status: response.status ?? 200,
    body: bodyOf(response) as Record<string, any>,
    headers: response.headers as Record<string, string> | undefined,
  };
}

const depth = (t: TestServices) => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);
const markerKey = (deliveryId: string) => `${shared.REDIS_KEY_PREFIX}wh:dur-1:${receiptId(deliveryId)}`;

describe('webhook receipt across a crash', () => {
  it('has the receipt, the archive and the enqueued run stored before the 2xx, so a restarted process loses nothing', async () => {
    const d = delivery('crash-1', 11);
    const answer = await post(first, d);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ accepted: true, runIds: [expect.any(String)] });
    // The process dies here: nothing of `first` is drained or flushed. The queue message lives in the queue
    // service (Service Bus in Azure; here the embedded queue of the dead process stands in for it).
    expect(depth(first)).toBe(1);
    restarted = await createTestServices(shared, { webhookSecrets: secrets });

    const receipt = await restarted.services.deliveryLog.get('dur-1', 'crash-1');
    expect(receipt).toMatchObject({ verdict: 'accepted', tenantId: 't-dur', runIds: answer.body.runIds });
    const archived = await readArchivedDelivery(restarted.services.blob, receipt!.archiveBlob!);
    expect(archived!.rawBody.toString()).toBe(d.body);
    expect(sha256Hex(archived!.rawBody)).toBe(receipt!.bodySha256);
    expect(await restarted.services.runs.get('t-dur', 'dur-1', answer.body.runIds[0])).toMatchObject({
      status: 'queued',
      mode: 'targeted',
      trigger: 'webhook',
    });

    // The provider's retry reaches the new process: acknowledged as a duplicate, nothing enqueued again.
    const retry = await post(restarted, d);
    expect(retry.body).toMatchObject({ duplicate: true });
    expect(depth(restarted)).toBe(0);
    // And the archived delivery replays from the new process.
    const integration = (await restarted.services.integrations.get('t-dur', 'dur-1'))!;
    await expect(
      replayDelivery(restarted.services, integration, receipt!, 'ops', continueTrace(undefined)),
    ).resolves.toHaveLength(1);
  });

  it('settles a dedupe marker left pending by a crash from the committed receipt', async () => {
    const d = delivery('crash-2', 12);
    expect((await post(restarted, d)).status).toBe(200);
    // As if the process died after the commit and before promoting its claim.
    await redis.set(markerKey('crash-2'), 'pending', 'EX', 120);
    const before = depth(restarted);
    const retry = await post(restarted, d);
    expect(retry.body).toMatchObject({ duplicate: true });
    expect(depth(restarted)).toBe(before);
    expect(await redis.get(markerKey('crash-2'))).toBe('accepted');
    expect(await redis.ttl(markerKey('crash-2'))).toBeGreaterThan(71 * 3600);
  });

  it('answers 5xx and releases the claim when the commit fails, so the retry is processed once', async () => {
    const blob = restarted.services.blob;
    const put = blob.put.bind(blob);
    blob.put = async () => {
      throw Object.assign(new Error('blob service unavailable'), { statusCode: 503 });
    };
    const d = delivery('fails-once', 13);
    const before = depth(restarted);
    let failed;
    try {
      failed = await post(restarted, d);
    } finally {
      blob.put = put;
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(depth(restarted)).toBe(before);
    expect(await redis.get(markerKey('fails-once'))).toBeNull();
    expect(await restarted.services.deliveryLog.get('dur-1', 'fails-once')).toBeUndefined();

    const retry = await post(restarted, d);
    expect(retry.body).toMatchObject({ accepted: true });
    expect(depth(restarted)).toBe(before + 1);
  });

  it('acknowledges concurrent copies of one delivery without enqueueing it twice', async () => {
    const d = delivery('twins', 14);
    const before = depth(restarted);
    const answers = await Promise.all([post(restarted, d), post(restarted, d), post(restarted, d)]);
    expect(answers.filter((a) => a.body.accepted)).toHaveLength(1);
    // The others are duplicates (2xx) or told to come back (409 with Retry-After) while the first commits.
    for (const other of answers.filter((a) => !a.body.accepted)) {
      if (other.status === 409) expect(Number(other.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
      else expect(other.body).toMatchObject({ duplicate: true });
    }
    expect(depth(restarted)).toBe(before + 1);
  });

  it('writes rejection receipts after the answer, visible to readers at once and to other processes after a drain', async () => {
    const forged = {
      ...delivery('forged-1', 15),
      headers: { ...delivery('forged-1', 15).headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    };
    expect((await post(first, forged)).status).toBe(401);
    // A reader in the same process waits for what is buffered.
    const mine = await first.services.deliveryLog.list('t-dur', 'dur-1');
    expect(mine.filter((r) => r.verdict === 'rejected')).toHaveLength(1);
    expect((await post(first, forged)).status).toBe(401);
    // Shutdown drains the buffer: the other process sees both rejections.
    await first.services.webhookIntake.drain();
    const seen = await restarted.services.deliveryLog.list('t-dur', 'dur-1');
    expect(seen.filter((r) => r.verdict === 'rejected')).toHaveLength(2);
  });
});
