/**
 * Between the embedded queue's live state and the journal's: messages with Date fields and locks on one side,
 * plain epoch milliseconds on the other. Locks are not kept: a restored message is deliverable again.
 */
import type { ApplicationProperties, OutgoingMessage } from './queue-port';
import type { JournaledMessage, JournalState } from './queue-journal';

/** The embedded queue's shapes, as far as the journal needs them. */
interface LiveMessage extends OutgoingMessage {
  sequenceNumber: number;
  deliveryCount: number;
  enqueuedTimeUtc: Date;
  lockToken: string;
}
interface LiveDeadLetter extends LiveMessage {
  deadLetterReason: string;
  deadLetterErrorDescription: string;
  deadLetteredAt: Date;
}
interface LiveQueue {
  entries: { message: LiveMessage; availableAt: number }[];
  deadLetters: LiveDeadLetter[];
  seenIds: Map<string, number>;
}

function live(message: JournaledMessage, deliveryCount: number): LiveMessage {
  return {
    messageId: message.messageId,
    body: message.body,
    ...(message.sessionId !== undefined ? { sessionId: message.sessionId } : {}),
    ...(message.correlationId !== undefined ? { correlationId: message.correlationId } : {}),
    applicationProperties: { ...(message.applicationProperties as ApplicationProperties | undefined) },
    ...(message.availableAt > message.enqueuedAt ? { scheduledEnqueueTimeUtc: new Date(message.availableAt) } : {}),
    sequenceNumber: message.sequenceNumber,
    deliveryCount,
    enqueuedTimeUtc: new Date(message.enqueuedAt),
    lockToken: '',
  };
}

export function journaled(message: LiveMessage, availableAt: number): JournaledMessage {
  return {
    messageId: message.messageId,
    body: message.body,
    sessionId: message.sessionId,
    correlationId: message.correlationId,
    applicationProperties: message.applicationProperties,
    sequenceNumber: message.sequenceNumber,
    enqueuedAt: message.enqueuedTimeUtc.getTime(),
    availableAt,
  };
}

export function fromJournal(state: JournalState): { sequence: number; queues: Map<string, LiveQueue> } {
  const queues = new Map<string, LiveQueue>();
  for (const [name, queue] of state.queues)
    queues.set(name, {
      entries: queue.messages
        .sort((a, b) => a.sequenceNumber - b.sequenceNumber)
        .map((message) => ({ message: live(message, 0), availableAt: message.availableAt })),
      deadLetters: queue.deadLetters.map((letter) => ({
        ...live(letter, letter.deliveryCount),
        deadLetterReason: letter.reason,
        deadLetterErrorDescription: letter.description,
        deadLetteredAt: new Date(letter.deadLetteredAt),
      })),
      seenIds: new Map(queue.seenIds),
    });
  return { sequence: state.sequence, queues };
}

export function toJournal(queues: Map<string, LiveQueue>, sequence: number): JournalState {
  const state: JournalState = { queues: new Map(), sequence };
  for (const [name, queue] of queues)
    state.queues.set(name, {
      messages: queue.entries.map((entry) => journaled(entry.message, entry.availableAt)),
      deadLetters: queue.deadLetters.map((letter) => ({
        ...journaled(letter, letter.enqueuedTimeUtc.getTime()),
        deliveryCount: letter.deliveryCount,
        reason: letter.deadLetterReason,
        description: letter.deadLetterErrorDescription,
        deadLetteredAt: letter.deadLetteredAt.getTime(),
      })),
      seenIds: [...queue.seenIds],
    });
  return state;
}
