/**
 * A page's retry budget is its own and starts over when an operator redrives its dead letter: through
 * SyncInboundWorker's job handler and the real embedded queue (dead-letter, redrive, duplicate detection).
 */
import { createTestServices, type TestServices } from '../support/test-services';
import { newIntegration } from '../../shared/core/integration';
import { QUEUES } from '../../shared/stores/queue/queues';
import { AppError } from '../../shared/core/app-error';
import { handleInboundJob } from '../../shared/sync/inbound/job';
import { startRun } from '../../shared/sync/runs/start-run';
import { continueTrace } from '../../shared/platform/observability/correlation';
import type { SyncJobMessage } from '../../shared/core/sync-run';
import type { ReceivedMessage } from '../../shared/stores/queue/embedded-queue';

const inbound = QUEUES.syncInbound.name;
let t: TestServices;
beforeAll(async () => {
  // A 1 ms backoff: the rescheduled copies are deliverable at once.
  t = await createTestServices({ SYNC_PAGE_RETRY_BASE_MS: '1', QUEUE_MAX_DELIVERY_COUNT: '4' });
});
afterAll(async () => t.services.close());

const failing = async (): Promise<never> => {
  throw new AppError('transient', 'provider 503');
};

async function next(): Promise<ReceivedMessage<SyncJobMessage>> {
  const queue = t.services.embeddedQueue!;
  for (let waited = 0; waited < 2000; waited += 5) {
    const message = queue.receive(inbound);
    if (message) return message as ReceivedMessage<SyncJobMessage>;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no message arrived');
}

/** The handler as the worker runs it for one delivery; settles the message as the Functions host would. */
async function deliver(message: ReceivedMessage<SyncJobMessage>): Promise<string> {
  const queue = t.services.embeddedQueue!;
  const delivery = { messageId: message.messageId, deliveryCount: message.deliveryCount, applicationProperties: {} };
  try {
    const outcome = await handleInboundJob(t.services, message.body, delivery, failing);
    queue.complete(inbound, message.lockToken);
    return outcome;
  } catch (error) {
    // The last delivery: what the queue does with a message that used up its deliveries.
    queue.deadLetter(inbound, message.lockToken, 'MaxDeliveryCountExceeded', String(error));
    return 'dead-lettered';
  }
}

describe('the retry budget of a redriven page', () => {
  it('starts over: the redriven page gets every attempt again, and its retries are not taken for duplicates', async () => {
    await t.services.integrations.create({
      ...newIntegration(
        't-budget',
        'budget-1',
        { provider: 'github', name: 'gh' },
        { intervalMinutes: 60 },
        new Date(),
      ),
      nextSyncAt: '2099-01-01T00:00:00.000Z',
    });
    const run = await startRun(t.services, {
      integration: { id: 'budget-1', tenantId: 't-budget' },
      mode: 'full',
      trigger: 'manual',
      trace: continueTrace(undefined),
      now: new Date(),
    });

    // Four failed attempts (QUEUE_MAX_DELIVERY_COUNT): three rescheduled copies, then the dead letter.
    const firstIds: string[] = [];
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const message = await next();
      expect(message.body.attempt ?? 0).toBe(attempt);
      firstIds.push(message.messageId);
      outcomes.push(await deliver(message));
    }
    expect(outcomes).toEqual(['retry', 'retry', 'retry', 'dead-lettered']);
    expect(await t.services.runs.get('t-budget', 'budget-1', run.id)).toMatchObject({ status: 'failed' });
    const [letter] = await t.services.embeddedQueue!.listDeadLetters(inbound, 10);
    expect(letter!.body).toMatchObject({ attempt: 3 });

    // Redriven within the duplicate-detection window of the first copies' ids.
    expect(await t.services.embeddedQueue!.redrive(inbound, letter!.messageId)).toBe(true);
    const redriven = await next();
    expect(redriven.body).not.toHaveProperty('attempt');
    const again: string[] = [];
    const ids: string[] = [redriven.messageId];
    again.push(await deliver(redriven));
    for (let attempt = 1; attempt < 4; attempt++) {
      const message = await next();
      expect(message.body.attempt).toBe(attempt);
      ids.push(message.messageId);
      again.push(await deliver(message));
    }
    expect(again).toEqual(['retry', 'retry', 'retry', 'dead-lettered']);
    // The retries of the redriven page have ids of their own (the first ones are still inside the window).
    expect(ids.slice(1).filter((id) => firstIds.includes(id))).toEqual([]);
  });
});
