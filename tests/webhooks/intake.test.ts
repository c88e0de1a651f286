/**
 * The group commit of accepted deliveries against real stores (cosmosdb-server, Azurite, embedded queue):
 * groups flush on size, on time and on drain; each committed delivery has its archive (one segment blob per
 * integration and group), run, queue message and receipt; deliveries of a group about the same entity share a run;
 * a delivery whose step fails fails with its segment only.
 */
import { createTestServices, type TestServices } from '../support/test-services';
import type { BlobArchive } from '../../shared/stores/blob/blob-archive';
import type { OutgoingMessage, QueueSender } from '../../shared/stores/queue/queue-port';
import { QUEUES } from '../../shared/stores/queue/queues';
import { continueTrace } from '../../shared/platform/observability/correlation';
import { runStartOf } from '../../shared/sync/runs/start-run';
import { readArchivedDelivery } from '../../shared/webhooks/intake/archive';
import { WebhookIntake, type AcceptedDelivery } from '../../shared/webhooks/intake/intake';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ REDIS_KEY_PREFIX: `whint${Date.now()}:` });
});
afterAll(async () => t.services.close());

const intakeWith = (
  options: ConstructorParameters<typeof WebhookIntake>[1],
  blob = t.services.blob,
  queue: QueueSender = t.services.queue,
) =>
  new WebhookIntake(
    {
      blob,
      runs: t.services.runs,
      queue,
      deliveryLog: t.services.deliveryLog,
      claims: t.services.deliveryClaims,
      logger: t.services.logger,
    },
    options,
  );

function accepted(deliveryId: string, integrationId = 'int-1', entity = 'issues'): AcceptedDelivery {
  const integration = { id: integrationId, tenantId: 't-int' };
  const start = runStartOf({
    integration,
    mode: 'targeted',
    trigger: 'webhook',
    trace: continueTrace(undefined),
    runId: `run-${deliveryId}`,
    entity,
    ids: [`acme/app#${deliveryId}`],
    now: new Date(),
  });
  return {
    tenantId: 't-int',
    integrationId,
    provider: 'github',
    deliveryId,
    receivedAt: Date.now(),
    headers: { 'x-github-delivery': deliveryId, authorization: 'Bearer secret-token' },
    rawBody: Buffer.from(`{"delivery":"${deliveryId}"}`),
    starts: [start],
  };
}

const depth = () => t.services.embeddedQueue!.depth(QUEUES.syncInbound.name);

async function expectCommitted(deliveryId: string, runId = `run-${deliveryId}`) {
  const receipt = await t.services.deliveryLog.get('int-1', deliveryId);
  expect(receipt).toMatchObject({ verdict: 'accepted', runIds: [runId] });
  const archived = await readArchivedDelivery(t.services.blob, receipt!.archiveBlob!, deliveryId);
  expect(archived!.rawBody.toString()).toBe(`{"delivery":"${deliveryId}"}`);
  expect(archived!.delivery.headers.authorization).not.toContain('secret-token');
  const run = await t.services.runs.get('t-int', 'int-1', runId);
  expect(run).toMatchObject({ status: 'queued' });
  expect(run!.ids).toContain(`acme/app#${deliveryId}`);
}

describe('WebhookIntake', () => {
  it('commits a full group at once, without waiting for the delay', async () => {
    const intake = intakeWith({ maxItems: 3, maxDelayMs: 60_000 });
    const before = depth();
    const started = Date.now();
    const committed = await Promise.all(['size-1', 'size-2', 'size-3'].map((id) => intake.commit(accepted(id))));
    expect(Date.now() - started).toBeLessThan(20_000);
    // Three events about the same entity: one run (the first delivery's id) fetches the three records.
    expect(committed.map((c) => c.runIds)).toEqual([['run-size-1'], ['run-size-1'], ['run-size-1']]);
    expect(depth()).toBe(before + 1);
    for (const id of ['size-1', 'size-2', 'size-3']) await expectCommitted(id, 'run-size-1');
    // One upload for the group: the three receipts name the same segment blob.
    expect(new Set(committed.map((c) => c.archiveBlob)).size).toBe(1);
  });

  it('coalesces a group into one run per integration and entity, at most 100 ids a run, without touching the deliveries', async () => {
    const sent: OutgoingMessage[] = [];
    const recording: QueueSender = {
      ...t.services.queue,
      send: async (queue, messages) => (sent.push(...messages), t.services.queue.send(queue, messages)),
    };
    const intake = intakeWith({ maxItems: 200, maxDelayMs: 60_000 }, t.services.blob, recording);
    const before = depth();
    const burst = Array.from({ length: 102 }, (_, i) => accepted(`burst-${i}`, 'int-3'));
    const others = [accepted('pulls-1', 'int-3', 'pulls'), accepted('other-int-1', 'int-4')];
    const pending = [...burst, ...others].map((delivery) => intake.commit(delivery));
    await intake.drain();
    const committed = await Promise.all(pending);
    expect(committed.slice(0, 100).every((c) => c.runIds[0] === 'run-burst-0')).toBe(true);
    expect(committed.slice(100, 102).map((c) => c.runIds)).toEqual([['run-burst-100'], ['run-burst-100']]);
    expect(committed.slice(102).map((c) => c.runIds)).toEqual([['run-pulls-1'], ['run-other-int-1']]);
    expect(depth()).toBe(before + 4);
    const first = await t.services.runs.get('t-int', 'int-3', 'run-burst-0');
    expect(first!.ids).toEqual(burst.slice(0, 100).map((d) => d.starts[0]!.run.ids![0]));
    expect((await t.services.runs.get('t-int', 'int-3', 'run-burst-100'))!.ids).toEqual([
      'acme/app#burst-100',
      'acme/app#burst-101',
    ]);
    expect((await t.services.runs.get('t-int', 'int-3', 'run-pulls-1'))!.ids).toEqual(['acme/app#pulls-1']);
    // The queued first page carries the same ids as its run document.
    expect(sent.map((m) => m.messageId).sort()).toEqual([
      'run-burst-0:0',
      'run-burst-100:0',
      'run-other-int-1:0',
      'run-pulls-1:0',
    ]);
    expect((sent.find((m) => m.messageId === 'run-burst-0:0')!.body as { ids: string[] }).ids).toEqual(first!.ids);
    // Each delivery keeps its own start untouched (a replay starts exactly its own run).
    expect(burst[1]!.starts[0]!.run.ids).toEqual(['acme/app#burst-1']);
    expect((await t.services.deliveryLog.get('int-3', 'burst-57'))!.runIds).toEqual(['run-burst-0']);
  });

  it('closes as failed a run it created but could not enqueue, so it does not stay queued for ever', async () => {
    const failing: QueueSender = {
      ...t.services.queue,
      send: async () => Promise.reject(new Error('queue unavailable')),
    };
    const intake = intakeWith({ maxItems: 2, maxDelayMs: 60_000 }, t.services.blob, failing);
    const outcomes = await Promise.allSettled(
      [accepted('unsent-1', 'int-5'), accepted('unsent-2', 'int-5')].map((delivery) => intake.commit(delivery)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await t.services.runs.get('t-int', 'int-5', 'run-unsent-1')).toMatchObject({
      status: 'failed',
      lastError: { code: 'dependency_unavailable' },
      ids: ['acme/app#unsent-1', 'acme/app#unsent-2'],
    });
    expect(await t.services.deliveryLog.get('int-5', 'unsent-1')).toBeUndefined();
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
    const outcomes = await Promise.allSettled(
      [accepted('good-1'), accepted('bad-1', 'int-2'), accepted('good-2')].map((delivery) => intake.commit(delivery)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(depth()).toBe(before + 1);
    await expectCommitted('good-1');
    await expectCommitted('good-2', 'run-good-1');
    expect(await t.services.deliveryLog.get('int-2', 'bad-1')).toBeUndefined();
  });
});
