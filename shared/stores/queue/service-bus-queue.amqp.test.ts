/**
 * ServiceBusQueue with the real @azure/service-bus client (its AMQP links, CBS, $management requests, batch
 * sends, lock tokens, drain, settlement) against the stand-in broker's AMQP front: the SDK is the judge of how
 * the adapter uses it, the broker model the same one the other Service Bus tests use.
 */
import { ServiceBusClient } from '@azure/service-bus';
import { QUEUES } from './queues';
import { ServiceBusQueue } from './service-bus-queue';
import { AmqpStandInBroker } from '../../../tests/support/service-bus-standin/amqp-broker';
import { standInServiceBus } from '../../../tests/support/service-bus-standin/harness';
import type { StandInNamespace } from '../../../tests/support/service-bus-standin/namespace';

const OPTIONS = { maxDeliveryCount: 3, lockDurationMs: 60_000, duplicateWindowMs: 600_000 };
/** Smaller than the in-process 10,000: each SDK settlement is a real AMQP round trip (about 2 ms here). */
const SIZE = 2_000;

async function overAmqp(ns: StandInNamespace) {
  const broker = new AmqpStandInBroker(ns);
  const port = await broker.listen();
  const connectionString = broker.connectionString(port);
  const queue = new ServiceBusQueue({ connectionString });
  const sdk = new ServiceBusClient(connectionString);
  return {
    queue,
    sdk,
    close: async () => {
      await queue.close();
      await sdk.close();
      await broker.close();
    },
  };
}

describe('ServiceBusQueue through the real SDK, over AMQP to the stand-in broker', () => {
  let fixture: StandInNamespace;

  /** The dead letters of sync-inbound, built once in-process (fast) and served over AMQP by each test. */
  beforeAll(async () => {
    const bus = standInServiceBus(OPTIONS);
    const messages = Array.from({ length: SIZE }, (_, i) => ({
      messageId: `page-${i}`,
      sessionId: `integration-${i % 5}`,
      body: { page: i },
      applicationProperties: { traceparent: `t${i}` },
    }));
    for (let start = 0; start < SIZE; start += 1000)
      await bus.queue.send(QUEUES.syncInbound.name, messages.slice(start, start + 1000));
    for (let s = 0; s < 5; s++) {
      const session = (await bus.client.acceptSession(QUEUES.syncInbound.name, `integration-${s}`, {
        maxWaitTimeInMs: 0,
      }))!;
      for (
        let batch = await session.receiveMessages(1000, { maxWaitTimeInMs: 0 });
        batch.length > 0;
        batch = await session.receiveMessages(1000, { maxWaitTimeInMs: 0 })
      ) {
        for (const message of batch)
          await session.deadLetterMessage(message, {
            deadLetterReason: 'ProviderRejected',
            deadLetterErrorDescription: 'refused',
          });
      }
      await session.close();
    }
    fixture = bus.ns;
  });

  it('sends one batch with ids, sessions, schedule and properties; pings', async () => {
    const bus = standInServiceBus(OPTIONS);
    const amqp = await overAmqp(bus.ns);
    try {
      const at = new Date(Date.now() + 60_000);
      await amqp.queue.send('sync-inbound', [
        {
          messageId: 'run-1:0',
          body: { kind: 'sync-page', page: 0 },
          sessionId: 'integration-1',
          correlationId: 'c1',
          applicationProperties: { traceparent: '00-abc-def-01' },
        },
        {
          messageId: 'run-1:1',
          body: { kind: 'sync-page', page: 1 },
          sessionId: 'integration-1',
          scheduledEnqueueTimeUtc: at,
        },
      ]);
      const [first, second] = bus.ns.snapshot('sync-inbound', 'active');
      expect(first).toMatchObject({
        messageId: 'run-1:0',
        sessionId: 'integration-1',
        correlationId: 'c1',
        contentType: 'application/json',
        applicationProperties: { traceparent: '00-abc-def-01' },
      });
      expect(second).toMatchObject({ messageId: 'run-1:1', visibleAt: at.getTime() });
      await expect(amqp.queue.ping()).resolves.toBeUndefined();
      // The body went as the SDK encodes it and comes back as the SDK decodes it.
      const [peeked] = await amqp.sdk.createReceiver('sync-inbound').peekMessages(1, {
        fromSequenceNumber: (await amqp.sdk.createReceiver('sync-inbound').peekMessages(1))[0]!.sequenceNumber!,
      });
      expect(peeked!.body).toEqual({ kind: 'sync-page', page: 0 });
    } finally {
      await amqp.close();
    }
  });

  it("lists oldest first on every call, although the SDK's own peek cursor moves on", async () => {
    const bus = standInServiceBus(OPTIONS, fixture);
    const amqp = await overAmqp(bus.ns);
    try {
      const deadLetters = amqp.sdk.createReceiver('sync-inbound', { subQueueType: 'deadLetter' });
      const cursorPages = [await deadLetters.peekMessages(2), await deadLetters.peekMessages(2)].map((page) =>
        page.map((message) => message.messageId),
      );
      expect(cursorPages).toEqual([
        ['page-0', 'page-1'],
        ['page-2', 'page-3'],
      ]);
      expect((await amqp.queue.listDeadLetters('sync-inbound', 3)).map((letter) => letter.messageId)).toEqual([
        'page-0',
        'page-1',
        'page-2',
      ]);
      const again = await amqp.queue.listDeadLetters('sync-inbound', 3);
      expect(again.map((letter) => letter.messageId)).toEqual(['page-0', 'page-1', 'page-2']);
      expect(again[0]).toMatchObject({
        body: { page: 0 },
        sessionId: 'integration-0',
        reason: 'ProviderRejected',
        description: 'refused',
        deliveryCount: 0,
      });
    } finally {
      await amqp.close();
    }
  });

  it('re-drives the last of 2,000 dead letters, receiving each message ahead of it once', async () => {
    const bus = standInServiceBus(OPTIONS, fixture);
    const amqp = await overAmqp(bus.ns);
    try {
      const deliveriesBefore = bus.ns.deliveries.length;
      expect(await amqp.queue.redrive('sync-inbound', `page-${SIZE - 1}`)).toBe(true);
      const scanned = bus.ns.deliveries.slice(deliveriesBefore).map((delivery) => delivery.sequenceNumber);
      expect(scanned).toHaveLength(SIZE);
      expect(new Set(scanned).size).toBe(SIZE);
      const left = bus.ns.snapshot('sync-inbound', 'deadLetter');
      expect(left).toHaveLength(SIZE - 1);
      expect(left.filter((message) => message.lock || message.deliveryCount !== 1)).toEqual([]);
      expect(bus.ns.snapshot('sync-inbound', 'active')).toMatchObject([
        {
          messageId: `page-${SIZE - 1}:redrive:${SIZE}`,
          sessionId: `integration-${(SIZE - 1) % 5}`,
          applicationProperties: { traceparent: `t${SIZE - 1}` },
        },
      ]);
      expect(await amqp.queue.redrive('sync-inbound', 'page-absent')).toBe(false);
      expect(bus.ns.deliveries.length - deliveriesBefore).toBe(SIZE);
    } finally {
      await amqp.close();
    }
  }, 60_000);

  it('renews a lock through $management, and a settlement on a lost lock fails as MessageLockLost', async () => {
    const bus = standInServiceBus(OPTIONS, undefined, { frozen: true });
    const amqp = await overAmqp(bus.ns);
    try {
      await amqp.queue.send('sync-outbound', [
        { messageId: 'a', body: {} },
        { messageId: 'b', body: {} },
      ]);
      const receiver = amqp.sdk.createReceiver('sync-outbound');
      const [a, b] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 1000 });
      bus.advance(40_000);
      expect((await receiver.renewMessageLock(a!)).getTime()).toBe(bus.now() + OPTIONS.lockDurationMs);
      bus.advance(40_000);
      await receiver.completeMessage(a!);
      await expect(receiver.completeMessage(b!)).rejects.toMatchObject({ code: 'MessageLockLost' });
      expect(bus.ns.snapshot('sync-outbound', 'active')).toMatchObject([{ messageId: 'b', deliveryCount: 1 }]);
    } finally {
      await amqp.close();
    }
  });
});
