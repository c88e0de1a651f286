/**
 * Finding one message in a Service Bus dead-letter queue and taking it, for redrive. Service Bus cannot receive
 * a message by id, so:
 * 1. Browse (peek by sequence number, from the oldest): no lock, no delivery-count change. An absent message
 *    is known absent here and nothing is touched.
 * 2. Receive (peek-lock) from the head until the browsed sequence number arrives (asking for no more than the
 *    browsed position, so nothing behind the target is received), HOLDING the lock of every
 *    other message until the end: an abandoned message is immediately deliverable again, so abandoning as we
 *    go made the next receive return the same head messages forever. Held locks are renewed when half their
 *    lock duration has passed, and all are abandoned once the target is settled (each message ahead of the
 *    target was delivered exactly once in the scan; Service Bus counts that abandon in its delivery count).
 * The receive stops early once a message with a higher sequence number arrives: the entities are not
 * partitioned, so receive order is sequence order and the target was taken by someone else meanwhile.
 */
import Long from 'long';
import type { ServiceBusReceivedMessageLike, ServiceBusReceiverLike } from './service-bus-client';

/** The most dead letters one redrive looks at (browse and receive alike); past it redrive answers "not found". */
export const REDRIVE_SCAN_LIMIT = 20_000;
/** The most dead letters one listing or one redrive browse page returns per request. */
export const PEEK_PAGE_SIZE = 250;
const RECEIVE_BATCH_SIZE = 250;
/** How long a receive waits for a first message before the dead-letter queue counts as drained. */
const RECEIVE_WAIT_MS = 2_000;
const ABANDON_CONCURRENCY = 32;
/** Sequence numbers start at 1; peeking from here reads from the oldest message, whatever was peeked before. */
export const FIRST_SEQUENCE_NUMBER = Long.fromNumber(1);

export interface ScanOptions {
  limit: number;
  now: () => number;
  abortSignal?: AbortSignal;
}

/** Up to `max` messages from the oldest, in pages (one peek may return fewer than asked even when more exist). */
export async function browse(
  receiver: ServiceBusReceiverLike,
  max: number,
  visit?: (message: ServiceBusReceivedMessageLike) => boolean,
  abortSignal?: AbortSignal,
): Promise<ServiceBusReceivedMessageLike[]> {
  const seen: ServiceBusReceivedMessageLike[] = [];
  let from = FIRST_SEQUENCE_NUMBER;
  while (seen.length < max) {
    const page = await receiver.peekMessages(Math.min(PEEK_PAGE_SIZE, max - seen.length), {
      fromSequenceNumber: from,
      abortSignal,
    });
    if (page.length === 0) break;
    for (const message of page) {
      seen.push(message);
      if (visit?.(message)) return seen;
    }
    from = page[page.length - 1]!.sequenceNumber!.add(1);
  }
  return seen;
}

export interface Located {
  sequenceNumber: Long;
  /** How many messages were ahead of it when browsed. */
  position: number;
}

/** The oldest dead letter that `wanted` picks, found by browsing; undefined when absent. */
export async function locate(
  receiver: ServiceBusReceiverLike,
  wanted: (message: ServiceBusReceivedMessageLike) => boolean,
  options: ScanOptions,
): Promise<Located | undefined> {
  let found: Long | undefined;
  const seen = await browse(
    receiver,
    options.limit,
    (message) => {
      if (!wanted(message)) return false;
      found = message.sequenceNumber;
      return true;
    },
    options.abortSignal,
  );
  return found && { sequenceNumber: found, position: seen.length - 1 };
}

/**
 * Lock the message with this sequence number and run `settle` on it while every message received before it is
 * still held; then abandon those. Returns false when the message did not arrive within the limit.
 */
export async function takeAndSettle(
  receiver: ServiceBusReceiverLike,
  located: Located,
  options: ScanOptions,
  settle: (message: ServiceBusReceivedMessageLike) => Promise<void>,
): Promise<boolean> {
  const target = located.sequenceNumber;
  const held = new Map<string, ServiceBusReceivedMessageLike>();
  const renewAfter = new Map<string, number>();
  try {
    let received = 0;
    while (received < options.limit) {
      await renewDue(receiver, held, renewAfter, options.now());
      // Ask for no more than up to the target as browsed, so the messages behind it are not touched at all; at
      // least one, in case letters ahead of it were removed meanwhile.
      const wanted = Math.max(
        1,
        Math.min(RECEIVE_BATCH_SIZE, located.position + 1 - received, options.limit - received),
      );
      const batch = await receiver.receiveMessages(wanted, {
        maxWaitTimeInMs: RECEIVE_WAIT_MS,
        abortSignal: options.abortSignal,
      });
      if (batch.length === 0) return false;
      received += batch.length;
      let match: ServiceBusReceivedMessageLike | undefined;
      let passed = false;
      const now = options.now();
      for (const message of batch) {
        if (message.sequenceNumber!.equals(target)) match = message;
        else {
          held.set(message.lockToken!, message);
          // Renew at half of what is left of the lock when it arrived: the lock duration as the entity sets it.
          renewAfter.set(message.lockToken!, now + ((message.lockedUntilUtc?.getTime() ?? now) - now) / 2);
          if (message.sequenceNumber!.greaterThan(target)) passed = true;
        }
      }
      if (match) {
        // Given back at once when settling fails, rather than left locked until the receiver closes.
        await settle(match).catch(async (error: unknown) => {
          await receiver.abandonMessage(match).catch(() => undefined);
          throw error;
        });
        return true;
      }
      if (passed) return false;
    }
    return false;
  } finally {
    await abandonAll(receiver, [...held.values()]);
  }
}

async function renewDue(
  receiver: ServiceBusReceiverLike,
  held: Map<string, ServiceBusReceivedMessageLike>,
  renewAfter: Map<string, number>,
  now: number,
): Promise<void> {
  const due = [...held.entries()].filter(([token]) => (renewAfter.get(token) ?? 0) <= now);
  await inBatches(due, async ([token, message]) => {
    const until = await receiver.renewMessageLock(message);
    renewAfter.set(token, now + (until.getTime() - now) / 2);
  });
}

async function abandonAll(receiver: ServiceBusReceiverLike, messages: ServiceBusReceivedMessageLike[]): Promise<void> {
  // A lock that was lost regardless is released by Service Bus on its own: nothing more to do for it.
  await inBatches(messages, (message) => receiver.abandonMessage(message).catch(() => undefined));
}

async function inBatches<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += ABANDON_CONCURRENCY) {
    await Promise.all(items.slice(start, start + ABANDON_CONCURRENCY).map(run));
  }
}
