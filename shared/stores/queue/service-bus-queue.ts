/**
 * The production queue: Azure Service Bus through @azure/service-bus, with the managed identity (namespace
 * host) or a connection string. Senders are created once per queue and reused. Dead letters are listed by
 * browsing from the oldest and re-driven by the scan in dead-letter-scan.ts.
 */
import type { ServiceBusMessage } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import { AppError } from '../../core/app-error';
import { browse, locate, REDRIVE_SCAN_LIMIT, takeAndSettle } from './dead-letter-scan';
import type {
  DeadLetterAccess,
  DeadLetteredMessage,
  ListDeadLettersOptions,
  OutgoingMessage,
  QueueSender,
  RedriveOptions,
} from './queue-port';
import { withFreshRetryBudget } from './retry-budget';
import { QUEUES, type QueueName } from './queues';
import {
  createServiceBusClient,
  type ServiceBusClientLike,
  type ServiceBusReceivedMessageLike,
  type ServiceBusSenderLike,
} from './service-bus-client';

export interface ServiceBusOptions {
  connectionString?: string;
  fullyQualifiedNamespace?: string;
  /** How to sign in to the namespace (the managed identity); needed with fullyQualifiedNamespace. */
  credential?: TokenCredential;
  /** A ready client instead of the two above (tests pass a stand-in with Service Bus semantics). */
  client?: ServiceBusClientLike;
  /** How many dead letters one redrive may look at (default REDRIVE_SCAN_LIMIT). */
  redriveScanLimit?: number;
  now?: () => number;
}

/** Broker-stamped properties of a dead letter that must not travel with its re-sent copy. */
const DEAD_LETTER_PROPERTIES = new Set(['DeadLetterReason', 'DeadLetterErrorDescription']);

/**
 * The id of a dead letter's re-sent copy. Not the original id: duplicate detection would drop a copy sent within
 * the window of the original, silently, after the dead letter was removed. Derived from the dead letter's
 * sequence number, so a redrive retried after a crash between send and complete is dropped as a duplicate; an
 * earlier redrive's suffix is replaced, not stacked, so ids stay within Service Bus's 128 characters.
 */
export function redrivenMessageId(messageId: string, sequenceNumber: { toString(): string }): string {
  return `${messageId.replace(/:redrive:\d+$/, '')}:redrive:${sequenceNumber.toString()}`;
}

/** An SDK error as our taxonomy: retryable ones (the SDK's flag) are a dependency being unavailable. */
function failed(what: string, error: unknown): AppError {
  const transient = (error as { retryable?: boolean }).retryable !== false;
  return new AppError(
    transient ? 'dependency_unavailable' : 'internal',
    `${what} failed: ${(error as Error).message}`,
    { cause: error },
  );
}

function asListed(message: ServiceBusReceivedMessageLike): DeadLetteredMessage {
  return {
    messageId: String(message.messageId ?? ''),
    body: message.body,
    sessionId: message.sessionId,
    deliveryCount: message.deliveryCount ?? 0,
    reason: message.deadLetterReason ?? '',
    description: message.deadLetterErrorDescription ?? '',
    enqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString(),
  };
}

function redrivenCopy(message: ServiceBusReceivedMessageLike): ServiceBusMessage {
  const properties = Object.fromEntries(
    Object.entries(message.applicationProperties ?? {}).filter(([name]) => !DEAD_LETTER_PROPERTIES.has(name)),
  );
  return {
    messageId: redrivenMessageId(String(message.messageId ?? ''), message.sequenceNumber!),
    // A fresh retry budget, as the embedded queue gives: the operator hands the work back whole.
    body: withFreshRetryBudget(message.body),
    contentType: message.contentType ?? 'application/json',
    ...(message.sessionId ? { sessionId: message.sessionId } : {}),
    ...(message.correlationId ? { correlationId: message.correlationId } : {}),
    applicationProperties: properties as ServiceBusMessage['applicationProperties'],
  };
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
  private readonly client: ServiceBusClientLike;
  private readonly senders = new Map<string, ServiceBusSenderLike>();
  private readonly redriveScanLimit: number;
  private readonly now: () => number;

  constructor(options: ServiceBusOptions) {
    const client = options.client ?? createServiceBusClient(options);
    if (!client)
      throw new AppError(
        'configuration',
        'Invalid setting ServiceBusConnection__fullyQualifiedNamespace: a namespace or connection string is required',
        { target: 'ServiceBusConnection__fullyQualifiedNamespace' },
      );
    this.client = client;
    this.redriveScanLimit = options.redriveScanLimit ?? REDRIVE_SCAN_LIMIT;
    this.now = options.now ?? Date.now;
  }

  async send(
    queue: QueueName,
    messages: OutgoingMessage[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<void> {
    if (messages.length === 0) return;
    const needsSession = Object.values(QUEUES).find((candidate) => candidate.name === queue)?.requiresSession ?? false;
    const missing = needsSession ? messages.find((message) => !message.sessionId) : undefined;
    if (missing)
      throw new AppError('validation', `queue ${queue} needs a sessionId on every message`, {
        target: missing.messageId,
      });
    try {
      await this.sender(queue).sendMessages(messages.map(toServiceBusMessage), { abortSignal: options.abortSignal });
    } catch (error) {
      throw failed(`sending to ${queue}`, error);
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

  /** Oldest first: browsing starts at the first sequence number each time (the SDK's own peek cursor would
   * continue where the previous listing on this client stopped). */
  async listDeadLetters(
    queue: QueueName,
    max: number,
    options: ListDeadLettersOptions = {},
  ): Promise<DeadLetteredMessage[]> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    const listed: DeadLetteredMessage[] = [];
    try {
      await browse(receiver, options.scanLimit ?? max, (message) => {
        const letter = asListed(message);
        if (options.accept?.(letter) ?? true) listed.push(letter);
        return listed.length >= max;
      });
      return listed;
    } catch (error) {
      throw failed(`listing the dead letters of ${queue}`, error);
    } finally {
      await receiver.close();
    }
  }

  /**
   * Find the dead letter by browsing, then lock it (holding the locks of the messages ahead of it), send a fresh
   * copy with its body, session and properties, and complete it. False, with nothing touched, when absent.
   */
  async redrive(queue: QueueName, messageId: string, options: RedriveOptions = {}): Promise<boolean> {
    const receiver = this.client.createReceiver(queue, { subQueueType: 'deadLetter', receiveMode: 'peekLock' });
    const scan = { limit: this.redriveScanLimit, now: this.now, abortSignal: options.abortSignal };
    try {
      const located = await locate(
        receiver,
        (message) => message.messageId === messageId && (options.accept?.(asListed(message)) ?? true),
        scan,
      );
      if (located === undefined) return false;
      return await takeAndSettle(receiver, located, scan, async (message) => {
        // Sent before the dead letter is completed: a failure in between leaves a copy and the letter, never
        // neither; a retry of that redrive sends the same id, which duplicate detection drops.
        await this.sender(queue).sendMessages(redrivenCopy(message), { abortSignal: options.abortSignal });
        await receiver.completeMessage(message);
      });
    } catch (error) {
      throw failed(`re-driving ${messageId} on ${queue}`, error);
    } finally {
      await receiver.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((sender) => sender.close()));
    await this.client.close();
  }

  private sender(queue: string): ServiceBusSenderLike {
    let sender = this.senders.get(queue);
    if (!sender) {
      sender = this.client.createSender(queue);
      this.senders.set(queue, sender);
    }
    return sender;
  }
}
