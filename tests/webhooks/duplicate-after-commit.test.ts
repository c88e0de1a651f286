/**
 * Copies of one signed delivery sent after the original was committed get the duplicate answer (200,
 * `duplicate: true`), never 409, one after another and all at once, with Redis and without it (the claim then
 * falls back to the receipt in Cosmos). Through the real WebhookReceiver handler and real local services.
 */
import { webhookReceiver } from '../../functions/WebhookReceiver';
import { createTestServices, type TestServices } from '../support/test-services';
import { bodyOf, httpRequest, invocation } from '../support/invoke';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import { signGithub } from '../../dev/webhook-signing';
import type { WebhookSecretSource } from '../../shared/webhooks/intake/secrets';

const SECRET = 'duplicate-copies-secret-0123';
const secrets: WebhookSecretSource = { secretsFor: async () => [SECRET], storePendingToken: async () => undefined };
const SEQUENTIAL = 24;
const CONCURRENT = 25;

describe.each([
  ['without Redis', { REDIS_URL: undefined }],
  ['with Redis', { REDIS_KEY_PREFIX: `whdup${Date.now()}:` }],
])('copies of a committed webhook delivery, %s', (_name, env) => {
  let t: TestServices;
  beforeAll(async () => {
    t = await createTestServices(env, { webhookSecrets: secrets });
    await t.services.integrations.create(
      newIntegration('t-dup', 'dup-1', { provider: 'github', name: 'gh' }, { intervalMinutes: 60 }, new Date()),
    );
  });
  afterAll(async () => t?.services.close());

  const body = JSON.stringify({
    action: 'edited',
    issue: { id: 31, number: 31 },
    repository: { full_name: 'acme/app' },
  });
  const headers = {
    'x-hub-signature-256': signGithub(body, SECRET),
    'x-github-delivery': 'copied-delivery-1',
    'x-github-event': 'issues',
  };
  const post = async () => {
    const response = await webhookReceiver.handler(
      httpRequest('POST', 'webhooks/github/dup-1', {
        rawBody: body,
        headers,
        params: { provider: 'github', integrationId: 'dup-1' },
      }),
      invocation('WebhookReceiver'),
      t.services,
    );
    return { status: response.status ?? 200, body: bodyOf(response) as Record<string, unknown> };
  };

  it(`answers ${SEQUENTIAL} sequential and ${CONCURRENT} concurrent copies as duplicates, and enqueues one run`, async () => {
    const queued = () => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);
    const before = queued();
    expect(await post()).toMatchObject({ status: 200, body: { accepted: true } });

    const copies = [];
    for (let i = 0; i < SEQUENTIAL; i++) copies.push(await post());
    copies.push(...(await Promise.all(Array.from({ length: CONCURRENT }, post))));

    const statuses = copies.reduce<Record<number, number>>(
      (counts, copy) => ({ ...counts, [copy.status]: (counts[copy.status] ?? 0) + 1 }),
      {},
    );
    expect(statuses).toEqual({ 200: SEQUENTIAL + CONCURRENT });
    for (const copy of copies) expect(copy.body).toMatchObject({ duplicate: true, deliveryId: 'copied-delivery-1' });
    expect(queued()).toBe(before + 1);
    expect(await t.services.runs.list('t-dup', 'dup-1')).toHaveLength(1);
  });
});
