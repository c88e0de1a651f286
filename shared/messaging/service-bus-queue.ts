/**
 * The production queue: Azure Service Bus through @azure/service-bus, with the managed identity (namespace
 * host) or a connection string. Senders are created once per queue and reused.
 */
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import { AppError } from '../errors/app-error';
import type { DeadLetterAccess, DeadLetteredMessage, OutgoingMessage, QueueSender } from './queue-port';
import { QUEUES, type QueueName } from './queues';

export interface ServiceBusOptions {
  connectionString?: string;
  fullyQualifiedNamespace?: string;
  /** How to sign in to the namespace (the managed identity); needed with fullyQualifiedNamespace. */
  credential?: TokenCredential;
}

/** Our message → the SDK's, so that sender, session, schedule and properties survive the trip. */
export function toServiceBusMessage(message: OutgoingMessage): ServiceBusMessage {
  return {
    messageId: message.messageId,
    body: message.body,
    contentType: 'application/json',
    ...(message.sessionId ? { sessionId: message.sessionId } : {}),
    ...(message.scheduledEnqueueTimeUtc ? { scheduledEnqueueTimeUtc: message.scheduledEnqueueTimeUtc } : {}),
    ...(message.correlationId ? { correlationId: message.correlationId } : {}),
    applicationProperties: { ...message.applicationProperties },
  };
}

export class ServiceBusQueue implements QueueSender, DeadLetterAccess {
  private readonly client: ServiceBusClient;
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(options: ServiceBusOptions) {
    if (options.connectionString) this.client = new ServiceBusClient(options.connectionString);
    else if (options.fullyQualifiedNamespace && options.credential) this.client = new ServiceBusClient(options.fullyQualifiedNamespace, options.credential);
    else throw new AppError('configuration', 'Invalid setting ServiceBusConnection__fullyQualifiedNamespace: a namespace or connection string is required', { target: 'ServiceBusConnection__fullyQualifiedNamespace' });
  }

  async send(queue: QueueName, messages: OutgoingMessage[], options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    if (messages.length === 0) return;
    const needsSession = Object.values(QUEUES).find((candidate) => candidate.name === queue)?.requiresSession ?? false;
    const missing = needsSession ? messages.find((message) => !message.sessionId) : undefined;
    if (missing) throw new AppError('validation', `queue ${queue} needs a sessionId on every message`, { target: missing.messageId });
    try {
      await this.sender(queue).sendMessages(messages.map(toServiceBusMessage), { abortSignal: options.abortSignal });
    } catch (error) {
      const transient = (error as { retryable?: boolean }).retryable !== false;
      throw new AppError(transient ? 'dependency_unavailable' : 'internal', `sending to ${queue} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async ping(): Promise<void> {
    // Opening a sender proves the namespace is reachable and we are authorised to send.
    const receiver = this.client.createReceiver(QUEUES.syncOutbound.name, { receiveMode: 'peekLock' });
    try {
      await receiver.peekMessages(1);
    } finally {
      await receiver.close();
    }
  }

  async listDeadLetters(queue: QueueName, max: number): Promise<DeadLetteredMessage[]> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter' });
    try {
      const messages = await receiver.peekMessages(max);
      return messages.map((message) => ({
        messageId: String(message.messageId ?? ''),
        body: message.body,
        sessionId: message.sessionId,
        deliveryCount: message.deliveryCount ?? 0,
        reason: message.deadLetterReason ?? '',
        description: message.deadLetterErrorDescription ?? '',
        enqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString(),
      }));
    } finally {
      await receiver.close();
    }
  }

  /** Receive from the dead-letter queue until the message is found (bounded), resend a copy, then complete it. */
  async redrive(queue: QueueName, messageId: string, maxScanned = 500): Promise<boolean> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    try {
      for (let scanned = 0; scanned < maxScanned; ) {
        const batch = await receiver.receiveMessages(50, { maxWaitTimeInMs: 2000 });
        if (batch.length === 0) return false;
        scanned += batch.length;
        for (const message of batch) {
          if (message.messageId !== messageId) {
            await receiver.abandonMessage(message);
            continue;
          }
          await this.sender(queue).sendMessages({ messageId: `${messageId}:redrive:${Date.now()}`, body: message.body, sessionId: message.sessionId, applicationProperties: message.applicationProperties, contentType: 'application/json' });
          await receiver.completeMessage(message);
          return true;
        }
      }
      return false;
    } finally {
      await receiver.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((sender) => sender.close()));
    await this.client.close();
  }

  private sender(queue: string): ServiceBusSender {
    let sender = this.senders.get(queue);
    if (!sender) {
      sender = this.client.createSender(queue);
      this.senders.set(queue, sender);
    }
    return sender;
  }
}
