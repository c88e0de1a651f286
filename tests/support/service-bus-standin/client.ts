/**
 * The SDK side of the Service Bus stand-in: the subset of @azure/service-bus's ServiceBusClient, sender and
 * receivers that ServiceBusQueue and a Functions-host-like consumer use, over a StandInNamespace. Shapes follow
 * the SDK: sequence numbers are `Long`, dead-letter reason/description appear both as fields and as
 * application properties, `deliveryCount` is the AMQP header count the JS SDK exposes (0 on a first delivery).
 * Like the SDK, peeking without `fromSequenceNumber` continues from the last peeked message of that entity on
 * this client (the SDK keeps the cursor in the client's management link per entity, not per receiver).
 */
import type { ServiceBusMessage } from '@azure/service-bus';
import Long from 'long';
import type {
  ServiceBusClientLike,
  ServiceBusReceivedMessageLike,
  ServiceBusReceiverLike,
  ServiceBusSenderLike,
} from '../../../shared/stores/queue/service-bus-client';
import {
  StandInNamespace,
  StandInServiceBusError,
  type OutgoingStandInMessage,
  type StoredMessage,
  type SubQueue,
} from './namespace';

export interface StandInReceivedMessage extends ServiceBusReceivedMessageLike {
  lockToken?: string;
  lockedUntilUtc?: Date;
}

function toOutgoing(message: ServiceBusMessage): OutgoingStandInMessage {
  return {
    messageId: message.messageId === undefined ? undefined : String(message.messageId),
    body: message.body,
    sessionId: message.sessionId,
    correlationId: message.correlationId === undefined ? undefined : String(message.correlationId),
    contentType: message.contentType,
    scheduledEnqueueTimeUtc: message.scheduledEnqueueTimeUtc,
    applicationProperties: message.applicationProperties,
  };
}

function toReceived(message: StoredMessage, subQueue: SubQueue, now: number): StandInReceivedMessage {
  const deadLetterProperties =
    subQueue === 'deadLetter'
      ? { DeadLetterReason: message.deadLetterReason, DeadLetterErrorDescription: message.deadLetterErrorDescription }
      : {};
  return {
    messageId: message.messageId,
    body: structuredClone(message.body),
    sessionId: message.sessionId,
    correlationId: message.correlationId,
    contentType: message.contentType,
    applicationProperties: {
      ...message.applicationProperties,
      ...deadLetterProperties,
    } as ServiceBusReceivedMessageLike['applicationProperties'],
    deliveryCount: message.deliveryCount,
    sequenceNumber: Long.fromNumber(message.sequenceNumber),
    enqueuedTimeUtc: new Date(message.enqueuedAt),
    deadLetterReason: subQueue === 'deadLetter' ? message.deadLetterReason : undefined,
    deadLetterErrorDescription: subQueue === 'deadLetter' ? message.deadLetterErrorDescription : undefined,
    lockToken: message.lock?.token,
    lockedUntilUtc: message.lock ? new Date(message.lock.until) : undefined,
    state: message.visibleAt > now ? 'scheduled' : 'active',
  };
}

export class StandInReceiver implements ServiceBusReceiverLike {
  private closed = false;

  constructor(
    private readonly ns: StandInNamespace,
    private readonly queue: string,
    private readonly subQueue: SubQueue,
    private readonly cursor: { last: number },
    readonly sessionId?: string,
  ) {}

  async peekMessages(
    maxMessageCount: number,
    options: { fromSequenceNumber?: Long } = {},
  ): Promise<StandInReceivedMessage[]> {
    this.open();
    const from =
      options.fromSequenceNumber === undefined ? this.cursor.last + 1 : options.fromSequenceNumber.toNumber();
    const found = this.ns
      .peek(this.queue, this.subQueue, from, maxMessageCount)
      .filter((message) => this.sessionId === undefined || message.sessionId === this.sessionId);
    if (found.length > 0) this.cursor.last = found[found.length - 1]!.sequenceNumber;
    // A peeked message carries no lock token, whatever its state on the broker.
    return found.map((message) => ({
      ...toReceived(message, this.subQueue, this.ns.now()),
      lockToken: undefined,
      lockedUntilUtc: undefined,
    }));
  }

  /** Waits up to maxWaitTimeInMs (real time) for a first message, like the SDK's batch receive. */
  async receiveMessages(
    maxMessageCount: number,
    options: { maxWaitTimeInMs?: number } = {},
  ): Promise<StandInReceivedMessage[]> {
    this.open();
    const deadline = Date.now() + (options.maxWaitTimeInMs ?? 60_000);
    for (;;) {
      const taken = this.ns.receive(this.queue, this.subQueue, maxMessageCount, this, this.sessionId);
      if (taken.length > 0 || Date.now() >= deadline)
        return taken.map((message) => toReceived(message, this.subQueue, this.ns.now()));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async completeMessage(message: StandInReceivedMessage): Promise<void> {
    this.open();
    this.ns.complete(this.queue, this.subQueue, this.token(message));
  }

  async abandonMessage(message: StandInReceivedMessage): Promise<void> {
    this.open();
    this.ns.abandon(this.queue, this.subQueue, this.token(message));
  }

  async deadLetterMessage(
    message: StandInReceivedMessage,
    options: { deadLetterReason?: string; deadLetterErrorDescription?: string } = {},
  ): Promise<void> {
    this.open();
    if (this.subQueue !== 'active')
      throw new StandInServiceBusError(
        'InvalidOperation',
        'a message in the dead-letter queue cannot be dead-lettered again',
      );
    this.ns.deadLetter(
      this.queue,
      this.token(message),
      options.deadLetterReason ?? '',
      options.deadLetterErrorDescription ?? '',
    );
  }

  async renewMessageLock(message: StandInReceivedMessage): Promise<Date> {
    this.open();
    const until = new Date(this.ns.renewLock(this.queue, this.subQueue, this.token(message)));
    message.lockedUntilUtc = until;
    return until;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ns.releaseLocksOf(this.queue, this);
    if (this.sessionId !== undefined) this.ns.releaseSession(this.queue, this.sessionId, this);
  }

  private token(message: StandInReceivedMessage): string {
    if (!message.lockToken)
      throw new StandInServiceBusError('InvalidOperation', 'a peeked message cannot be settled (it has no lock token)');
    return message.lockToken;
  }

  private open(): void {
    if (this.closed)
      throw new StandInServiceBusError('GeneralError', 'The receiver has been closed and can no longer be used.');
  }
}

export class StandInServiceBusClient implements ServiceBusClientLike {
  private readonly cursors = new Map<string, { last: number }>();
  private closed = false;

  constructor(readonly ns: StandInNamespace) {}

  createSender(queue: string): ServiceBusSenderLike {
    let closed = false;
    return {
      sendMessages: async (messages: ServiceBusMessage | ServiceBusMessage[]) => {
        if (closed || this.closed)
          throw new StandInServiceBusError('GeneralError', 'The sender has been closed and can no longer be used.');
        this.ns.send(queue, (Array.isArray(messages) ? messages : [messages]).map(toOutgoing));
      },
      close: async () => void (closed = true),
    };
  }

  createReceiver(
    queue: string,
    options: { subQueueType?: 'deadLetter' | 'transferDeadLetter'; receiveMode?: 'peekLock' | 'receiveAndDelete' } = {},
  ): StandInReceiver {
    if (options.receiveMode === 'receiveAndDelete')
      throw new StandInServiceBusError('InvalidOperation', 'the stand-in supports peekLock only');
    const subQueue: SubQueue = options.subQueueType === 'deadLetter' ? 'deadLetter' : 'active';
    this.ns.options(queue);
    return new StandInReceiver(this.ns, queue, subQueue, this.cursor(queue, subQueue));
  }

  /** acceptSession / acceptNextSession in one: undefined means no session had a message before the wait ended. */
  async acceptSession(
    queue: string,
    sessionId?: string,
    options: { maxWaitTimeInMs?: number; subQueueType?: 'deadLetter' } = {},
  ): Promise<StandInReceiver | undefined> {
    const subQueue: SubQueue = options.subQueueType === 'deadLetter' ? 'deadLetter' : 'active';
    const deadline = Date.now() + (options.maxWaitTimeInMs ?? 60_000);
    const owner = {};
    for (;;) {
      const accepted = this.ns.acceptSession(queue, subQueue, owner, sessionId);
      if (accepted !== undefined) {
        const receiver = new StandInReceiver(this.ns, queue, subQueue, this.cursor(queue, subQueue), accepted);
        // The session lock belongs to the receiver object from here on.
        this.ns.releaseSession(queue, accepted, owner);
        this.ns.acceptSession(queue, subQueue, receiver, accepted);
        return receiver;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private cursor(queue: string, subQueue: SubQueue): { last: number } {
    const path = subQueue === 'deadLetter' ? `${queue}/$DeadLetterQueue` : queue;
    let cursor = this.cursors.get(path);
    if (!cursor) {
      cursor = { last: 0 };
      this.cursors.set(path, cursor);
    }
    return cursor;
  }
}
