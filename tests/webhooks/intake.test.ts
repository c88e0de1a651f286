/**
 * The group commit of accepted deliveries against real stores (cosmosdb-server, Azurite, embedded queue):
 * groups flush on size, on time and on drain; each committed delivery has its archive (one segment blob per
 * integration and group), run, queue message and receipt; a delivery whose step fails fails with its segment only.
 */
import { createTestServices, type TestServices } from '../support/test-services';
import type { BlobArchive } from '../../shared/blob/blob-archive';
import { QUEUES } from '../../shared/messaging/queues';
import { continueTrace } from '../../shared/observability/correlation';
import { runStartOf } from '../../shared/sync/start-run';
import { readArchivedDelivery } from '../../shared/webhooks/archive';
import { WebhookIntake, type AcceptedDelivery } from '../../shared/webhooks/intake';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ REDIS_KEY_PREFIX: `whint${Date.now()}:` });
});
afterAll(async () => t.services.close());

const intakeWith = (options: ConstructorParameters<typeof WebhookIntake>[1], blob = t.services.blob) =>
  new WebhookIntake({ blob, runs: t.services.store.containers.syncRuns, queue: t.services.queue, deliveryLog: t.services.deliveryLog, logger: t.services.logger }, options);

function accepted(deliveryId: string, integrationId = 'int-1'): AcceptedDelivery {
  const integration = { id: integrationId, tenantId: 't-int' };
  const start = runStartOf({ integration, mode: 'targeted', trigger: 'webhook', trace: continueTrace(undefined), runId: `run-${deliveryId}`, entity: 'issues', ids: [`acme/app#${deliveryId}`], now: new Date() });
  return { tenantId: 't-int', integrationId, provider: 'github', deliveryId, receivedAt: Date.now(), headers: { 'x-github-delivery': deliveryId, authorization: 'Bearer secret-token' }, rawBody: Buffer.from(`{"delivery":"${deliveryId}"}`), starts: [start] };
}

const depth = () => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);

async function expectCommitted(deliveryId: string) {
  const receipt = await t.services.deliveryLog.get('int-1', deliveryId);
  expect(receipt).toMatchObject({ verdict: 'accepted', runIds: [`run-${deliveryId}`] });
  const archived = await readArchivedDelivery(t.services.blob, receipt!.archiveBlob!, deliveryId);
  expect(archived!.rawBody.toString()).toBe(`{"delivery":"${deliveryId}"}`);
  expect(archived!.delivery.headers.authorization).not.toContain('secret-token');
  expect(await t.services.runs.get('t-int', 'int-1', `run-${deliveryId}`)).toMatchObject({ status: 'queued' });
}

describe('WebhookIntake', () => {
  it('commits a full group at once, without waiting for the delay', async () => {
    const intake = intakeWith({ maxItems: 3, maxDelayMs: 60_000 });
    const before = depth();
    const started = Date.now();
    const committed = await Promise.all(['size-1', 'size-2', 'size-3'].map((id) => intake.commit(accepted(id))));
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(committed.map((c) => c.runIds)).toEqual([['run-size-1'], ['run-size-2'], ['run-size-3']]);
    expect(depth()).toBe(before + 3);
    for (const id of ['size-1', 'size-2', 'size-3']) await expectCommitted(id);
    // One upload for the group: the three receipts name the same segment blob.
    expect(new Set(committed.map((c) => c.archiveBlob)).size).toBe(1);
  });

  it('commits a partial group when its delay is up', async () => {
    const intake = intakeWith({ maxItems: 100, maxDelayMs: 30 });
    const committed = await intake.commit(accepted('time-1'));
    expect(committed.savedAt).toBeGreaterThanOrEqual(Date.now() - 60_000);
    await expectCommitted('time-1');
  });

  it('commits what waits on drain, before its delay', async () => {
    const intake = intakeWith({ maxItems: 100, maxDelayMs: 60_000 });
    const pending = intake.commit(accepted('drain-1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await t.services.deliveryLog.get('int-1', 'drain-1')).toBeUndefined();
    await intake.drain();
    await expect(pending).resolves.toMatchObject({ runIds: ['run-drain-1'] });
    await expectCommitted('drain-1');
  });

  it("fails only the deliveries whose archive could not be written; other integrations' deliveries in the group commit", async () => {
    const blob = t.services.blob;
    const failing: BlobArchive = {
      ...blob,
      put: async (name, content, contentType, metadata) => {
        if (content.toString().includes('"deliveryId":"bad-1"')) throw new Error('archive write failed');
        return blob.put(name, content, contentType, metadata);
      },
    };
    const intake = intakeWith({ maxItems: 3, maxDelayMs: 60_000 }, failing);
    const before = depth();
    const outcomes = await Promise.allSettled([accepted('good-1'), accepted('bad-1', 'int-2'), accepted('good-2')].map((delivery) => intake.commit(delivery)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(depth()).toBe(before + 2);
    await expectCommitted('good-1');
    await expectCommitted('good-2');
    expect(await t.services.deliveryLog.get('int-2', 'bad-1')).toBeUndefined();
  });
});
