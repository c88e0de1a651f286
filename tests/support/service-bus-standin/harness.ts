/**
 * A ServiceBusQueue over a fresh stand-in namespace holding the app's queues with the properties
 * shared/stores/queue/queues.ts declares (sessions, duplicate detection), and the conformance harness over it.
 */
import { QUEUES, type QueueName } from '../../../shared/stores/queue/queues';
import { ServiceBusQueue } from '../../../shared/stores/queue/service-bus-queue';
import type { QueueUnderTest } from '../queue-conformance';
import { consumeLikeFunctionsHost } from '../service-bus-host';
import { StandInServiceBusClient, type StandInReceivedMessage, type StandInReceiver } from './client';
import { StandInNamespace } from './namespace';

export interface StandInOptions {
  maxDeliveryCount: number;
  lockDurationMs: number;
  duplicateWindowMs: number;
}

/**
 * A fresh namespace, or a copy of `from` (its entities and messages) when given. The broker's clock follows real
 * time plus what the test advances, or with `frozen` only what the test advances (lock timing that a loaded
 * machine must not disturb).
 */
export function standInServiceBus(options: StandInOptions, from?: StandInNamespace, clock: { frozen?: boolean } = {}) {
  let offset = 0;
  const start = Date.now();
  const now = () => (clock.frozen ? start : Date.now()) + offset;
  const ns = from ? from.fork(now, options) : new StandInNamespace(now);
  if (!from)
    for (const queue of Object.values(QUEUES))
      ns.createQueue(queue.name, {
        ...options,
        requiresSession: queue.requiresSession,
        requiresDuplicateDetection: queue.requiresDuplicateDetection,
      });
  const client = new StandInServiceBusClient(ns);
  const queue = new ServiceBusQueue({ client, now });
  return { ns, client, queue, now, advance: (ms: number) => void (offset += ms) };
}

export function serviceBusUnderTest(options: StandInOptions): QueueUnderTest {
  const { ns, client, queue, advance } = standInServiceBus(options);
  // One receiver per queue for the single-message operations, and what each lock token belongs to.
  const receivers = new Map<string, StandInReceiver>();
  const locked = new Map<string, { receiver: StandInReceiver; message: StandInReceivedMessage }>();
  const receiverOf = (name: QueueName) => {
    let receiver = receivers.get(name);
    if (!receiver) receivers.set(name, (receiver = client.createReceiver(name, { receiveMode: 'peekLock' })));
    return receiver;
  };
  const held = (lockToken: string) => {
    const entry = locked.get(lockToken);
    if (!entry) throw new Error(`unknown lock token ${lockToken}`);
    return entry;
  };
  return {
    queue,
    consume: (name, handler, consumeOptions) => consumeLikeFunctionsHost(client, name, handler, consumeOptions),
    receive: async (name) => {
      const receiver = receiverOf(name);
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 0 });
      if (!message) return undefined;
      locked.set(message.lockToken!, { receiver, message });
      return {
        messageId: String(message.messageId),
        body: message.body,
        sessionId: message.sessionId,
        deliveryCount: (message.deliveryCount ?? 0) + 1,
        lockToken: message.lockToken!,
      };
    },
    complete: async (_name, lockToken) => {
      const { receiver, message } = held(lockToken);
      await receiver.completeMessage(message);
    },
    abandon: async (_name, lockToken) => {
      const { receiver, message } = held(lockToken);
      await receiver.abandonMessage(message);
    },
    depth: (name) => ns.snapshot(name, 'active').length,
    advance,
    // The broker does not know why a handler threw: it stamps its own description.
    exhaustedDescription: (_error, maxDeliveryCount) =>
      `Message could not be consumed after ${maxDeliveryCount} delivery attempts.`,
    redrivenId: (messageId) => new RegExp(`^${messageId}:redrive:\\d+$`),
  };
}
