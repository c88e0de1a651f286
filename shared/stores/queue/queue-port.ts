/**
 * The queue port. The app only sends: in Azure the Functions host receives (Service Bus triggers); locally the
 * embedded queue delivers to the same handlers. Messages carry an id (duplicate detection), an optional
 * session id (FIFO per session), an optional scheduled time, and application properties (traceparent).
 */
import type { QueueName } from './queues';

export type ApplicationProperties = Record<string, string | number | boolean>;

export interface OutgoingMessage<T = unknown> {
  messageId: string;
  body: T;
  sessionId?: string;
  /** Deliver no earlier than this time. */
  scheduledEnqueueTimeUtc?: Date;
  applicationProperties?: ApplicationProperties;
  correlationId?: string;
}

export interface QueueSender {
  send(queue: QueueName, messages: OutgoingMessage[], options?: { abortSignal?: AbortSignal }): Promise<void>;
  /** Proves the queue service answers (for /api/health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A dead-lettered message as operators see it. */
export interface DeadLetteredMessage {
  messageId: string;
  body: unknown;
  sessionId?: string;
  deliveryCount: number;
  reason: string;
  description: string;
  enqueuedTimeUtc?: string;
}

export interface ListDeadLettersOptions {
  accept?: (letter: DeadLetteredMessage) => boolean;
  scanLimit?: number;
}

export interface RedriveOptions {
  accept?: (letter: DeadLetteredMessage) => boolean;
  abortSignal?: AbortSignal;
}

/** Listing and re-driving dead letters (admin API). Both queue adapters implement it. */
export interface DeadLetterAccess {
  /**
   * Up to `max` dead letters of the queue, oldest first; with `accept`, up to `max` of those it accepts among
   * the first `scanLimit` (default `max`).
   */
  listDeadLetters(queue: QueueName, max: number, options?: ListDeadLettersOptions): Promise<DeadLetteredMessage[]>;
  /**
   * Send the dead letter again as a fresh message and remove it from the dead-letter queue; false when absent
   * or when `accept` refuses it (checked before anything is touched, e.g. "belongs to this integration").
   */
  redrive(queue: QueueName, messageId: string, options?: RedriveOptions): Promise<boolean>;
}

/** What a queue-triggered handler learns about its message (the Service Bus trigger metadata we rely on). */
export interface DeliveryInfo {
  messageId: string;
  deliveryCount: number;
  sessionId?: string;
  enqueuedTimeUtc?: string;
  applicationProperties: ApplicationProperties;
}

/** Reads DeliveryInfo from a Functions InvocationContext.triggerMetadata (Azure or local host alike). */
export function deliveryInfoFrom(triggerMetadata: Record<string, unknown> | undefined): DeliveryInfo {
  const meta = triggerMetadata ?? {};
  const properties = meta.applicationProperties;
  return {
    messageId: String(meta.messageId ?? ''),
    deliveryCount: Number(meta.deliveryCount ?? 1),
    sessionId: typeof meta.sessionId === 'string' ? meta.sessionId : undefined,
    enqueuedTimeUtc: meta.enqueuedTimeUtc === undefined ? undefined : String(meta.enqueuedTimeUtc),
    applicationProperties: properties && typeof properties === 'object' ? (properties as ApplicationProperties) : {},
  };
}
