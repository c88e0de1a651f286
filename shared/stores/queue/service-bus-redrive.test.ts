/**
 * Redrive over a dead-letter queue of 10,000 messages on the Service Bus stand-in (peek-lock, lock expiry,
 * abandon counting, sessions): the message is found wherever it is, re-sent once as a fresh message, and no
 * message reaches the scan twice.
 */
import { QUEUES } from './queues';
import { ServiceBusQueue } from './service-bus-queue';
import type { ServiceBusClientLike } from './service-bus-client';
import { standInServiceBus } from '../../../tests/support/service-bus-standin/harness';
import type { StandInServiceBusClient } from '../../../tests/support/service-bus-standin/client';
import type { StandInNamespace } from '../../../tests/support/service-bus-standin/namespace';

const Q = QUEUES.syncInbound.name;
const SIZE = 10_000;
const SESSIONS = 7;

const OPTIONS = { maxDeliveryCount: 10, lockDurationMs: 60_000, duplicateWindowMs: 600_000 };
const messages = Array.from({ length: SIZE }, (_, i) => ({
  messageId: `page-${i}`,
  sessionId: `integration-${i % SESSIONS}`,
  body: { tenantId: 't1', integrationId: `integration-${i % SESSIONS}`, page: i },
  applicationProperties: { traceparent: `00-${String(i).padStart(32, '0')}-${'1'.repeat(16)}-01` },
}));
let fixture: StandInNamespace;

/** Once: 10,000 messages sent through the adapter, then dead-lettered by session receivers (the queue needs them). */
beforeAll(async () => {
  const bus = standInServiceBus(OPTIONS);
  for (let start = 0; start < SIZE; start += 1000) await bus.queue.send(Q, messages.slice(start, start + 1000));
  for (let s = 0; s < SESSIONS; s++) {
    const session = (await bus.client.acceptSession(Q, `integration-${s}`, { maxWaitTimeInMs: 0 }))!;
    for (;;) {
      const batch = await session.receiveMessages(500, { maxWaitTimeInMs: 0 });
      if (batch.length === 0) break;
      for (const message of batch)
        await session.deadLetterMessage(message, {
          deadLetterReason: 'ProviderRejected',
          deadLetterErrorDescription: `page ${String(message.messageId)} refused`,
        });
    }
    await session.close();
  }
  fixture = bus.ns;
});

/** Each test gets its own copy of the 10,000-letter namespace. */
function deadLetterQueueOf10000(options: { lockDurationMs?: number } = {}) {
  const bus = standInServiceBus({ ...OPTIONS, ...options }, fixture, { frozen: options.lockDurationMs !== undefined });
  expect(bus.ns.snapshot(Q, 'deadLetter')).toHaveLength(SIZE);
  return bus;
}

type Bus = ReturnType<typeof deadLetterQueueOf10000>;

function countsBySequence(bus: Bus): Map<number, number> {
  return new Map(bus.ns.snapshot(Q, 'deadLetter').map((message) => [message.sequenceNumber, message.deliveryCount]));
}

async function expectRedriven(bus: Bus, position: number, queue: ServiceBusQueue = bus.queue): Promise<void> {
  const before = countsBySequence(bus);
  const target = bus.ns.snapshot(Q, 'deadLetter')[position]!;
  const deliveriesBefore = bus.ns.deliveries.length;

  expect(await queue.redrive(Q, `page-${position}`)).toBe(true);

  // Handed to the scan: every message up to the target, each exactly once, nothing behind it.
  const scanned = bus.ns.deliveries
    .slice(deliveriesBefore)
    .filter((delivery) => delivery.subQueue === 'deadLetter')
    .map((delivery) => delivery.sequenceNumber);
  expect(new Set(scanned).size).toBe(scanned.length);
  expect(scanned.length).toBe(position + 1);
  expect(Math.max(...scanned)).toBe(target.sequenceNumber);

  // Gone from the dead-letter queue; every other letter still there, none left locked. Service Bus counts an
  // abandon as a delivery, so each letter ahead of the target shows exactly one more; those behind, none.
  const after = bus.ns.snapshot(Q, 'deadLetter');
  expect(after).toHaveLength(SIZE - 1);
  expect(after.find((message) => message.messageId === `page-${position}`)).toBeUndefined();
  expect(after.filter((message) => message.lock)).toEqual([]);
  const wrongCounts = after.filter(
    (message) =>
      message.deliveryCount !==
      before.get(message.sequenceNumber)! + (message.sequenceNumber < target.sequenceNumber ? 1 : 0),
  );
  expect(wrongCounts).toEqual([]);
  expect(after.map((message) => message.deadLetterReason)).toEqual(Array(SIZE - 1).fill('ProviderRejected'));

  // Re-sent once, as a fresh message with the letter's body, session and properties.
  const active = bus.ns.snapshot(Q, 'active');
  expect(active).toHaveLength(1);
  expect(active[0]).toMatchObject({
    messageId: `page-${position}:redrive:${target.sequenceNumber}`,
    body: messages[position]!.body,
    sessionId: messages[position]!.sessionId,
    applicationProperties: messages[position]!.applicationProperties,
    deliveryCount: 0,
  });
  expect(active[0]!.applicationProperties).not.toHaveProperty('DeadLetterReason');
}

describe('ServiceBusQueue.redrive over a dead-letter queue of 10,000', () => {
  it('finds and re-drives the last message', async () => {
    const bus = deadLetterQueueOf10000();
    await expectRedriven(bus, SIZE - 1);
  });

  it('finds and re-drives one in the middle, leaving the ones behind it untouched', async () => {
    const bus = deadLetterQueueOf10000();
    await expectRedriven(bus, 4_999);
  });

  it('finds the one at position 9,999 (0-based 9,998)', async () => {
    const bus = deadLetterQueueOf10000();
    await expectRedriven(bus, 9_998);
  });

  it('renews the locks it holds when the scan outlasts the lock duration', async () => {
    const bus = deadLetterQueueOf10000({ lockDurationMs: 1_000 });
    // Each receive takes 300 ms of broker time: the scan of 40 batches lasts 12 s against a 1 s lock.
    const slow: ServiceBusClientLike = {
      createSender: (queue) => bus.client.createSender(queue),
      close: () => bus.client.close(),
      createReceiver: (queue, options) => {
        const receiver = (bus.client as StandInServiceBusClient).createReceiver(queue, options);
        const receive = receiver.receiveMessages.bind(receiver);
        receiver.receiveMessages = async (max, receiveOptions) => {
          bus.advance(300);
          return receive(max, receiveOptions);
        };
        return receiver;
      },
    };
    await expectRedriven(bus, SIZE - 1, new ServiceBusQueue({ client: slow, now: bus.now }));
  });

  it('answers false for an absent message and changes nothing', async () => {
    const bus = deadLetterQueueOf10000();
    const before = bus.ns.snapshot(Q, 'deadLetter');
    const deliveriesBefore = bus.ns.deliveries.length;
    expect(await bus.queue.redrive(Q, 'page-absent')).toBe(false);
    expect(bus.ns.deliveries.length).toBe(deliveriesBefore);
    expect(bus.ns.snapshot(Q, 'deadLetter')).toEqual(before);
    expect(bus.ns.snapshot(Q, 'active')).toEqual([]);
  });

  it("lists one integration's letters from behind thousands of others'", async () => {
    const bus = deadLetterQueueOf10000();
    const late = (letter: { body: unknown }) => (letter.body as { page: number }).page >= 9_990;
    const listed = await bus.queue.listDeadLetters(Q, 500, { accept: late, scanLimit: 20_000 });
    expect(listed.map((letter) => letter.messageId)).toEqual(Array.from({ length: 10 }, (_, i) => `page-${9_990 + i}`));
    expect(listed[9]).toMatchObject({
      sessionId: messages[9_999]!.sessionId,
      reason: 'ProviderRejected',
      description: 'page page-9999 refused',
      deliveryCount: 0,
    });
    expect(await bus.queue.listDeadLetters(Q, 500, { accept: late, scanLimit: 9_990 })).toEqual([]);
    expect(bus.ns.deliveries).toEqual([]);
  });

  it('stops at the scan limit it is given', async () => {
    const bus = deadLetterQueueOf10000();
    const bounded = new ServiceBusQueue({ client: bus.client, now: bus.now, redriveScanLimit: 5_000 });
    const deliveriesBefore = bus.ns.deliveries.length;
    expect(await bounded.redrive(Q, `page-${SIZE - 1}`)).toBe(false);
    expect(bus.ns.deliveries.length).toBe(deliveriesBefore);
    expect(await bounded.redrive(Q, 'page-4999')).toBe(true);
  });
});
