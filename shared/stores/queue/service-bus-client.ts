/**
 * The seam between ServiceBusQueue and @azure/service-bus: exactly the subset of ServiceBusClient, its sender and
 * its receiver that the adapter uses. The real SDK client satisfies these types as it is (checked by
 * `createServiceBusClient`'s return type); tests pass a stand-in with Service Bus semantics instead, since
 * there is no Service Bus emulator to run here.
 */
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusReceivedMessage } from '@azure/service-bus';
import type { TokenCredential } from '@azure/core-auth';
import type Long from 'long';

/** The fields of a received or peeked message that the adapter reads. */
export type ServiceBusReceivedMessageLike = Pick<
  ServiceBusReceivedMessage,
  | 'messageId'
  | 'body'
  | 'sessionId'
  | 'correlationId'
  | 'contentType'
  | 'applicationProperties'
  | 'deliveryCount'
  | 'sequenceNumber'
  | 'enqueuedTimeUtc'
  | 'lockToken'
  | 'lockedUntilUtc'
  | 'deadLetterReason'
  | 'deadLetterErrorDescription'
  | 'state'
>;

export interface ServiceBusSenderLike {
  sendMessages(
    messages: ServiceBusMessage | ServiceBusMessage[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceBusReceiverLike {
  peekMessages(
    maxMessageCount: number,
    options?: { fromSequenceNumber?: Long; abortSignal?: AbortSignal },
  ): Promise<ServiceBusReceivedMessageLike[]>;
  receiveMessages(
    maxMessageCount: number,
    options?: { maxWaitTimeInMs?: number; abortSignal?: AbortSignal },
  ): Promise<ServiceBusReceivedMessageLike[]>;
  completeMessage(message: ServiceBusReceivedMessageLike): Promise<void>;
  abandonMessage(message: ServiceBusReceivedMessageLike): Promise<void>;
  renewMessageLock(message: ServiceBusReceivedMessageLike): Promise<Date>;
  close(): Promise<void>;
}

export interface ServiceBusClientLike {
  createSender(queue: string): ServiceBusSenderLike;
  /** The dead-letter subqueue of a session-enabled queue is not session-enabled: an ordinary receiver reads it. */
  createReceiver(
    queue: string,
    options: { subQueueType?: 'deadLetter'; receiveMode: 'peekLock' },
  ): ServiceBusReceiverLike;
  close(): Promise<void>;
}

/** The production client: the managed identity with the namespace host, or a connection string. */
export function createServiceBusClient(options: {
  connectionString?: string;
  fullyQualifiedNamespace?: string;
  credential?: TokenCredential;
}): ServiceBusClientLike | undefined {
  if (options.connectionString) return new ServiceBusClient(options.connectionString);
  if (options.fullyQualifiedNamespace && options.credential)
    return new ServiceBusClient(options.fullyQualifiedNamespace, options.credential);
  return undefined;
}
